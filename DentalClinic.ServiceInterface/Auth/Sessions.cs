using DentalClinic.ServiceInterface.Data;
using Microsoft.EntityFrameworkCore;

namespace DentalClinic.ServiceInterface.Auth;

public static class Sessions
{
    /// <summary>
    /// Ends every session of the user, inside the caller's write transaction: every access token goes stale
    /// (new security stamp, saved with the caller's save) and every refresh token is revoked. On PostgreSQL the
    /// user's row is locked first, as login and refresh hold it shared while they issue a token
    /// (AuthService), so no token issued at the same moment outlives the change.
    /// </summary>
    public static async Task EndAllAsync(AppDbContext db, User user, DateTime now, CancellationToken ct)
    {
        if (db.IsPostgres) await db.Database.ExecuteSqlAsync($"SELECT 1 FROM users WHERE id = {user.Id} FOR UPDATE", ct);
        user.SecurityStamp = Guid.NewGuid();
        await db.RefreshTokens.Where(t => t.UserId == user.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.FamilyRevoked, true).SetProperty(t => t.RevokedAt, t => t.RevokedAt ?? now), ct);
    }
}
