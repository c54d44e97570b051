using DentalClinic.ServiceInterface.Auth;
using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceInterface.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DentalClinic.ServiceInterface.Jobs;

/// <summary>
/// Daily: removes token rows (and failed logins) that can no longer matter, and idempotency keys past their 24 hours. A revoked access token matters until it
/// expires. A refresh-token row also proves, for the access tokens issued with it, that their
/// session was revoked, and catches the re-use of a rotated token; so it is kept for
/// <see cref="RefreshTokenRetention"/> after its expiry (and never less than an access token lives).
/// </summary>
public sealed class PurgeExpiredTokensJob(
    AppDbContext db, IOptions<JwtOptions> jwt, IOptions<AuthOptions> auth, TimeProvider clock, ILogger<PurgeExpiredTokensJob> logger)
{
    public const string RecurringJobId = "purge-expired-tokens";
    public static readonly TimeSpan RefreshTokenRetention = TimeSpan.FromDays(7);

    /// <summary>More than the clock skew the token validator allows.</summary>
    private static readonly TimeSpan AccessTokenGrace = TimeSpan.FromMinutes(5);

    /// <summary>How long after its expiry a refresh-token row is kept: <see cref="RefreshTokenRetention"/>, never less than an access token lives (plus an hour).</summary>
    public static TimeSpan RefreshTokenKept(TimeSpan accessTokenLifetime)
    {
        var kept = accessTokenLifetime + TimeSpan.FromHours(1);
        return kept < RefreshTokenRetention ? RefreshTokenRetention : kept;
    }

    public async Task<PurgeExpiredTokensResult> RunAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var accessCutoff = now - AccessTokenGrace;
        var revoked = await db.RevokedAccessTokens.Where(r => r.ExpiresAt < accessCutoff).ExecuteDeleteAsync(ct);

        var refreshCutoff = now - RefreshTokenKept(jwt.Value.AccessTokenLifetime);
        var refresh = await db.RefreshTokens.Where(t => t.ExpiresAt < refreshCutoff).ExecuteDeleteAsync(ct);

        // Failed logins count only within the throttle's window.
        var failureCutoff = now - auth.Value.LoginFailureWindow;
        await db.Set<LoginFailure>().Where(f => f.FailedAt < failureCutoff).ExecuteDeleteAsync(ct);

        // Idempotency keys answer retries for 24 hours (Infrastructure/Idempotency.cs); older ones are no longer kept.
        var keysCutoff = now - Idempotency.Lifetime;
        var keys = await db.IdempotencyKeys.Where(k => k.CreatedAt < keysCutoff).ExecuteDeleteAsync(ct);

        logger.LogInformation("Purged {RevokedAccessTokens} expired revoked access tokens, {RefreshTokens} long-expired refresh tokens and {IdempotencyKeys} idempotency keys older than a day",
            revoked, refresh, keys);
        return new PurgeExpiredTokensResult(revoked, refresh, keys);
    }
}

public sealed record PurgeExpiredTokensResult(int RevokedAccessTokens, int RefreshTokens, int IdempotencyKeys);
