using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceModel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DentalClinic.ServiceInterface.Infrastructure;

/// <summary>Marks an endpoint that honours the Idempotency-Key header (also read by the OpenAPI document).</summary>
public sealed class IdempotentAttribute : Attribute;

/// <summary>
/// <c>Idempotency-Key</c> on a write a client may retry (DESIGN §3). The key lives in the database
/// (idempotency_keys), so it holds across API instances:
/// <list type="bullet">
/// <item>the first request with a key claims it (an insert: exactly one of any number of concurrent
/// requests wins) and runs; its successful response is stored;</item>
/// <item>a retry with the same key and the same request within 24 hours gets that response again
/// (header <c>Idempotent-Replayed: true</c>) and changes nothing; one that arrives while the first
/// is still running waits for it;</item>
/// <item>the same key with another request (body, endpoint) is a 409;</item>
/// <item>a request that fails (4xx/5xx) releases the key: nothing was changed, so it may be retried.</item>
/// </list>
/// Keys are per signed-in user. Implemented once, as an endpoint filter: <c>.Idempotent()</c>.
/// </summary>
public static class Idempotency
{
    public const string Header = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public const int MaxKeyLength = 200;
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);
    /// <summary>A claim whose request never finished (the instance died) is given up after this long.</summary>
    public static readonly TimeSpan AbandonedAfter = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(30);

    public static RouteHandlerBuilder Idempotent(this RouteHandlerBuilder builder) =>
        builder.WithMetadata(new IdempotentAttribute()).AddEndpointFilter(InvokeAsync);

    private static async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var http = invocation.HttpContext;
        if (!http.Request.Headers.TryGetValue(Header, out var values)) return await next(invocation);
        var key = values.ToString();
        if (key.Length is 0 or > MaxKeyLength || key.Any(c => c < 0x21 || c > 0x7e))
            throw ApiException.Invalid(Header, $"{Header} must be 1 to {MaxKeyLength} visible ASCII characters");

        var services = http.RequestServices;
        var json = services.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        var clock = services.GetRequiredService<TimeProvider>();
        var user = http.User.FindFirst("sub")?.Value ?? "anonymous";
        var id = Hash($"{user}\n{http.Request.Method} {http.Request.Path}\n{key}");
        var requestHash = Hash($"{http.Request.Method} {http.Request.Path}\n" + string.Join("\n", invocation.Arguments
            .Where(a => a is not null && IsRequestValue(a.GetType()))
            .Select(a => JsonSerializer.Serialize(a, a!.GetType(), json))));

        await using var scope = services.GetRequiredService<IServiceScopeFactory>().CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var started = clock.GetUtcNow();
        while (true)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            if (await TryClaimAsync(db, id, requestHash, now, http.RequestAborted)) break;
            var held = await db.IdempotencyKeys.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, http.RequestAborted);
            if (held is null) continue;
            if (held.CreatedAt < now - Lifetime || (held.StatusCode is null && held.CreatedAt < now - AbandonedAfter))
            {
                await db.IdempotencyKeys.Where(r => r.Id == id && r.CreatedAt == held.CreatedAt).ExecuteDeleteAsync(http.RequestAborted);
                continue;
            }
            if (held.RequestHash != requestHash)
                throw ApiException.Conflict(Header, $"This {Header} was already used for a different request");
            if (held.StatusCode is { } status) return new Replay(status, held.Location, held.Body ?? []);
            if (clock.GetUtcNow() - started > WaitLimit)
                throw ApiException.Conflict(Header, $"A request with this {Header} is still being processed; retry later");
            await Task.Delay(TimeSpan.FromMilliseconds(50), http.RequestAborted);
        }

        object? result;
        try
        {
            result = await next(invocation);
        }
        catch
        {
            await ReleaseAsync(db, id);
            throw;
        }
        if (result is IStatusCodeHttpResult { StatusCode: >= 200 and < 300 } success)
        {
            var value = (result as IValueHttpResult)?.Value;
            var body = value is null ? [] : JsonSerializer.SerializeToUtf8Bytes(value, value.GetType(), json);
            var location = result.GetType().GetProperty("Location")?.GetValue(result) as string;
            await db.IdempotencyKeys.Where(r => r.Id == id).ExecuteUpdateAsync(s => s
                .SetProperty(r => r.StatusCode, success.StatusCode)
                .SetProperty(r => r.Location, location)
                .SetProperty(r => r.Body, body), CancellationToken.None);
        }
        else await ReleaseAsync(db, id);
        return result;
    }

    private static async Task<bool> TryClaimAsync(AppDbContext db, string id, string requestHash, DateTime now, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        db.IdempotencyKeys.Add(new IdempotencyRecord { Id = id, RequestHash = requestHash, CreatedAt = now });
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            db.ChangeTracker.Clear();
            return false;
        }
    }

    private static Task ReleaseAsync(AppDbContext db, string id) =>
        db.IdempotencyKeys.Where(r => r.Id == id && r.StatusCode == null).ExecuteDeleteAsync(CancellationToken.None);

    /// <summary>The values a request binds (body DTOs, route and query values), not services.</summary>
    private static bool IsRequestValue(Type type) =>
        type.Assembly == typeof(ErrorResponse).Assembly || type.IsPrimitive || type == typeof(Guid) || type == typeof(string);

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>The stored response of the first request, as it was.</summary>
    private sealed class Replay(int status, string? location, byte[] body) : IResult
    {
        public async Task ExecuteAsync(HttpContext context)
        {
            context.Response.StatusCode = status;
            context.Response.Headers[ReplayedHeader] = "true";
            if (location is not null) context.Response.Headers.Location = location;
            if (body.Length == 0) return;
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.Body.WriteAsync(body);
        }
    }
}
