using DentalClinic.ServiceInterface.Audit;
using DentalClinic.ServiceInterface.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DentalClinic.ServiceInterface.Auth;

/// <summary>
/// Login throttling, shared by every instance through the database (table login_failures).
/// Failures are counted per email and client (IP address) together: after
/// <see cref="AuthOptions.MaxLoginFailures"/> within <see cref="AuthOptions.LoginFailureWindow"/> that
/// pair is locked for a minute after its last failure, doubling with each further failure (up to 15
/// minutes). Wrong passwords from one address therefore never lock the account for anyone else —
/// except past the higher per-email ceiling <see cref="AuthOptions.MaxLoginFailuresPerEmail"/>, counted
/// over all clients, which stops a guessing attack spread over many addresses.
/// An attempt is written as a failure before its password is checked and removed when it succeeds, so
/// concurrent attempts see each other: a burst of simultaneous guesses cannot slip past the count.
/// Per-IP request limits are the rate limiter's job (Configure.Api), per instance.
/// </summary>
public sealed class LoginThrottle(AppDbContext db, CurrentAuditActor actor, TimeProvider clock, IOptions<AuthOptions> options)
{
    private static readonly TimeSpan MaxLock = TimeSpan.FromMinutes(15);

    /// <summary>Records the attempt; throws <see cref="LoginThrottledException"/> when the email (from this client) is locked.</summary>
    public async Task<LoginAttempt> BeginAsync(string email, CancellationToken ct)
    {
        var settings = options.Value;
        var client = actor.Get().IpAddress ?? "unknown";
        var now = clock.GetUtcNow().UtcDateTime;
        var attempt = new LoginFailure { Email = Truncate(email, 254), Client = Truncate(client, 64), FailedAt = now };
        db.Set<LoginFailure>().Add(attempt);
        await db.SaveChangesAsync(ct);
        db.Entry(attempt).State = EntityState.Detached;

        var since = now - settings.LoginFailureWindow;
        var others = await db.Set<LoginFailure>().AsNoTracking()
            .Where(f => f.Email == attempt.Email && f.FailedAt > since && f.Id != attempt.Id)
            .Select(f => new { f.Client, f.FailedAt })
            .ToListAsync(ct);
        var fromClient = others.Where(f => f.Client == attempt.Client).Select(f => f.FailedAt).ToList();
        var wait = Max(
            LockedFor(fromClient.Count, fromClient.DefaultIfEmpty().Max(), settings.MaxLoginFailures, now),
            LockedFor(others.Count, others.Select(f => f.FailedAt).DefaultIfEmpty().Max(), settings.MaxLoginFailuresPerEmail, now));
        if (wait is { } locked)
        {
            // A refused attempt checks no password, so it does not count as a failure.
            await db.Set<LoginFailure>().Where(f => f.Id == attempt.Id).ExecuteDeleteAsync(ct);
            throw new LoginThrottledException(locked);
        }
        return new LoginAttempt(attempt.Email, attempt.Client, attempt.Id);
    }

    /// <summary>A successful login forgets the failures of this email from this client.</summary>
    public Task SucceededAsync(LoginAttempt attempt, CancellationToken ct) =>
        db.Set<LoginFailure>().Where(f => f.Email == attempt.Email && f.Client == attempt.Client).ExecuteDeleteAsync(ct);

    /// <summary>n earlier failures, the last at <paramref name="last"/>: locked 1, 2, 4 … 15 minutes after it once n reaches the limit.</summary>
    private static TimeSpan? LockedFor(int failures, DateTime last, int limit, DateTime now)
    {
        if (failures < Math.Max(1, limit)) return null;
        var lockFor = TimeSpan.FromMinutes(Math.Pow(2, Math.Min(failures - limit, 4)));
        var wait = last + (lockFor < MaxLock ? lockFor : MaxLock) - now;
        return wait > TimeSpan.Zero ? wait : null;
    }

    private static TimeSpan? Max(TimeSpan? a, TimeSpan? b) => a is null ? b : b is null ? a : a > b ? a : b;

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];
}

public sealed record LoginAttempt(string Email, string Client, Guid Id);
