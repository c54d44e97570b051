using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceInterface.Jobs;
using Microsoft.EntityFrameworkCore;

namespace DentalClinic.ServiceInterface.Auth;

public static class Sessions
{
    /// <summary>
    /// Ends every session of the user, inside the caller's write transaction: every access token goes stale
    /// (new security stamp, saved with the caller's save) and every refresh token that can still matter is
    /// revoked (<see cref="Revocable"/>). On PostgreSQL the user's row is locked first, as login and refresh
    /// hold it shared while they issue a token (AuthService), so no token issued at the same moment outlives the change.
    /// </summary>
    public static async Task EndAllAsync(AppDbContext db, User user, DateTime now, TimeSpan accessTokenLifetime, CancellationToken ct)
    {
        if (db.IsPostgres) await db.Database.ExecuteSqlAsync($"SELECT 1 FROM users WHERE id = {user.Id} FOR UPDATE", ct);
        user.SecurityStamp = Guid.NewGuid();
        await db.RefreshTokens.Where(t => t.UserId == user.Id).Revocable(now, accessTokenLifetime)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.FamilyRevoked, true).SetProperty(t => t.RevokedAt, t => t.RevokedAt ?? now), ct);
    }

    /// <summary>
    /// The refresh-token rows a revocation marks: all but those the daily purge may be deleting
    /// (<see cref="PurgeExpiredTokensJob"/>), with an hour to spare between clocks. Those expired so long ago that
    /// no access token issued with them still lives. Leaving them alone keeps a revocation's UPDATE and the purge's
    /// DELETE, which lock a user's rows in different orders, from deadlocking.
    /// </summary>
    public static IQueryable<RefreshToken> Revocable(this IQueryable<RefreshToken> tokens, DateTime now, TimeSpan accessTokenLifetime)
    {
        var cutoff = now - PurgeExpiredTokensJob.RefreshTokenKept(accessTokenLifetime) + TimeSpan.FromHours(1);
        return tokens.Where(t => t.ExpiresAt >= cutoff);
    }
}
