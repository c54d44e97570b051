using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace DentalClinic.ServiceInterface.Auth;

/// <summary>
/// Counts failed logins per email. After <see cref="AuthOptions.MaxLoginFailures"/> failures the
/// email is locked for a minute, doubling with each further lock (up to 15 minutes).
/// Per-IP limits are the rate limiter's job (Configure.Api).
/// </summary>
public sealed class LoginThrottle(IMemoryCache cache, TimeProvider clock, IOptions<AuthOptions> options)
{
    private static readonly TimeSpan MaxLock = TimeSpan.FromMinutes(15);

    private sealed class State
    {
        public int Failures;
        public int Locks;
        public DateTimeOffset WindowStart;
        public DateTimeOffset LockedUntil;
    }

    /// <summary>How long the caller must wait, or null when a login may be tried.</summary>
    public TimeSpan? RetryAfter(string email)
    {
        if (!cache.TryGetValue(Key(email), out State? state) || state is null) return null;
        lock (state)
        {
            var wait = state.LockedUntil - clock.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : null;
        }
    }

    public void RecordFailure(string email)
    {
        var now = clock.GetUtcNow();
        var state = cache.GetOrCreate(Key(email), entry =>
        {
            entry.SlidingExpiration = TimeSpan.FromHours(1);
            return new State { WindowStart = now };
        })!;
        lock (state)
        {
            if (now - state.WindowStart > options.Value.LoginFailureWindow)
            {
                state.WindowStart = now;
                state.Failures = 0;
            }
            if (++state.Failures < options.Value.MaxLoginFailures) return;
            var lockFor = TimeSpan.FromMinutes(Math.Pow(2, Math.Min(state.Locks, 4)));
            state.LockedUntil = now + (lockFor < MaxLock ? lockFor : MaxLock);
            state.Locks++;
            state.Failures = 0;
            state.WindowStart = now;
        }
    }

    public void RecordSuccess(string email) => cache.Remove(Key(email));

    private static string Key(string email) => "login-failures:" + email;
}
