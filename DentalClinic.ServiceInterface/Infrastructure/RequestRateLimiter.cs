using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace DentalClinic.ServiceInterface.Infrastructure;

/// <summary>Endpoint metadata: the endpoint also counts against the named stricter per-IP limit (<see cref="RequestRateLimiter"/>).</summary>
public sealed record RateLimitPolicy(string Name);

public static class RateLimitPolicyExtensions
{
    /// <summary>Counts the endpoint's requests against the named per-IP limit too (RateLimits:*).</summary>
    public static TBuilder RequireRateLimit<TBuilder>(this TBuilder builder, string policy) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RateLimitPolicy(policy));
}

/// <summary>
/// The API's request limits, in fixed one-minute windows held in this instance's memory: every request
/// counts against its caller (the signed-in user, else the client IP), and an endpoint marked with a
/// <see cref="RateLimitPolicy"/> also against that policy's per-IP limit. ASP.NET Core's rate-limiting
/// middleware runs it as the global limiter (429 on refusal); on the way it tells the client where it
/// stands with the IETF draft's headers (draft-ietf-httpapi-ratelimit-headers), for the limit closest
/// to running out: <c>RateLimit-Limit</c>, <c>RateLimit-Remaining</c>, <c>RateLimit-Reset</c> (seconds
/// until the window ends) and <c>RateLimit-Policy</c> (<c>600;w=60</c>).
/// </summary>
public sealed class RequestRateLimiter : PartitionedRateLimiter<HttpContext>
{
    public const string LimitHeader = "RateLimit-Limit";
    public const string RemainingHeader = "RateLimit-Remaining";
    public const string ResetHeader = "RateLimit-Reset";
    public const string PolicyHeader = "RateLimit-Policy";
    public static readonly string[] Headers = [LimitHeader, RemainingHeader, ResetHeader, PolicyHeader];

    private const long WindowMs = 60_000;
    private readonly Limit perCaller;
    private readonly IReadOnlyDictionary<string, Limit> policies;
    private readonly ConcurrentDictionary<string, Window> windows = new();
    private long nextSweep;

    private sealed record Limit(string Prefix, int Permits, string LimitText, string PolicyText);

    private sealed class Window
    {
        public long Start;
        public int Count;
        public bool Removed;
    }

    /// <param name="perCallerPerMinute">Requests per user (per IP when anonymous) and minute.</param>
    /// <param name="perIpPerMinute">Policy name → requests per IP and minute on the endpoints that name it.</param>
    public RequestRateLimiter(int perCallerPerMinute, IReadOnlyDictionary<string, int> perIpPerMinute)
    {
        perCaller = Describe("", perCallerPerMinute);
        policies = perIpPerMinute.ToDictionary(p => p.Key, p => Describe(p.Key + ":", p.Value));
    }

    private static Limit Describe(string prefix, int permits) =>
        new(prefix, Math.Max(0, permits), Math.Max(0, permits).ToString(), $"{Math.Max(0, permits)};w={WindowMs / 1000}");

    protected override RateLimitLease AttemptAcquireCore(HttpContext context, int permitCount)
    {
        var now = Environment.TickCount64;   // milliseconds, monotonic
        Sweep(now);
        var ip = context.Connection.RemoteIpAddress?.ToString() ?? "";
        // The endpoint's own per-IP limit first: a refusal there does not use up the caller's general allowance.
        Limit? tightest = null;
        int tightestRemaining = int.MaxValue;
        long tightestReset = 0;
        if (context.GetEndpoint()?.Metadata.GetMetadata<RateLimitPolicy>() is { } named && policies.TryGetValue(named.Name, out var policy))
        {
            var (ok, remaining, reset) = Take(policy.Prefix + "ip:" + ip, policy.Permits, permitCount, now);
            if (!ok) return Refuse(context, policy, reset);
            (tightest, tightestRemaining, tightestReset) = (policy, remaining, reset);
        }
        var caller = context.User.FindFirst("sub")?.Value is { } userId ? "user:" + userId : "ip:" + ip;
        var (allowed, left, resetMs) = Take(caller, perCaller.Permits, permitCount, now);
        if (!allowed) return Refuse(context, perCaller, resetMs);
        if (tightest is null || left < tightestRemaining) (tightest, tightestRemaining, tightestReset) = (perCaller, left, resetMs);
        SetHeaders(context, tightest, tightestRemaining, tightestReset);
        return Lease.Acquired;
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(HttpContext context, int permitCount, CancellationToken ct) =>
        ValueTask.FromResult(AttemptAcquireCore(context, permitCount));

    public override RateLimiterStatistics? GetStatistics(HttpContext resource) => null;

    /// <summary>Counts the permits in the key's current window when they fit; the window's remaining permits and milliseconds either way.</summary>
    private (bool Ok, int Remaining, long ResetMs) Take(string key, int permits, int count, long now)
    {
        while (true)
        {
            var window = windows.GetOrAdd(key, static (_, start) => new Window { Start = start }, now);
            lock (window)
            {
                if (window.Removed) continue;   // swept meanwhile: take the key's new window
                if (now - window.Start >= WindowMs) (window.Start, window.Count) = (now, 0);
                var reset = window.Start + WindowMs - now;
                if (window.Count + count > permits) return (false, 0, reset);
                window.Count += count;
                return (true, permits - window.Count, reset);
            }
        }
    }

    /// <summary>About once a window, forgets the callers whose window has ended (their next request starts a new one).</summary>
    private void Sweep(long now)
    {
        var due = Interlocked.Read(ref nextSweep);
        if (now < due || Interlocked.CompareExchange(ref nextSweep, now + WindowMs, due) != due) return;
        foreach (var (key, window) in windows)
            lock (window)
                if (now - window.Start >= WindowMs)
                {
                    window.Removed = true;
                    windows.TryRemove(new KeyValuePair<string, Window>(key, window));
                }
    }

    private static RateLimitLease Refuse(HttpContext context, Limit limit, long resetMs)
    {
        SetHeaders(context, limit, 0, resetMs);
        return new Lease(false, TimeSpan.FromMilliseconds(resetMs));
    }

    /// <summary>Set when the response starts, so that an error answered after the exception handler cleared the response carries them too.</summary>
    private static void SetHeaders(HttpContext context, Limit limit, int remaining, long resetMs) =>
        context.Response.OnStarting(static state =>
        {
            var (context, limit, remaining, resetSeconds) = ((HttpContext, Limit, int, long))state;
            var headers = context.Response.Headers;
            headers[LimitHeader] = limit.LimitText;
            headers[RemainingHeader] = remaining.ToString();
            headers[ResetHeader] = resetSeconds.ToString();
            headers[PolicyHeader] = limit.PolicyText;
            return Task.CompletedTask;
        }, (context, limit, remaining, Math.Max(1, (resetMs + 999) / 1000)));

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public static readonly Lease Acquired = new(true, null);
        public override bool IsAcquired => acquired;
        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = retryAfter is { } wait && metadataName == MetadataName.RetryAfter.Name ? wait : null;
            return metadata is not null;
        }
    }
}
