using System.Security.Claims;
using DentalClinic.ServiceInterface.Auth;
using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceInterface.Infrastructure;
using DentalClinic.ServiceModel;
using Microsoft.EntityFrameworkCore;

namespace DentalClinic.ServiceInterface.Account;

/// <summary>
/// A user's own account: changing their password. A change ends every other session of theirs (their
/// refresh tokens are revoked and the security stamp in every access token goes stale) and answers with a
/// fresh session for the caller, so the device that made the change stays signed in.
/// </summary>
public sealed class AccountService(AppDbContext db, Passwords passwords, TokenService tokens, SessionCache sessions, TimeProvider clock)
{
    public async Task<LoginResponse> ChangePasswordAsync(ClaimsPrincipal principal, ChangePassword request, CancellationToken ct)
    {
        if (!Guid.TryParse(principal.FindFirstValue("sub"), out var userId)) throw ApiException.Unauthorized();
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userId && u.IsActive, ct) ?? throw ApiException.Unauthorized();
        if (!passwords.Verify(request.CurrentPassword!, user.PasswordHash))
            throw ApiException.Invalid("currentPassword", "Current password is not correct");
        if (passwords.Verify(request.NewPassword!, user.PasswordHash))
            throw ApiException.Invalid("newPassword", "New password must differ from the current one");

        // The user's row, then the refresh-token rows (Sessions.EndAllAsync): the order of every writer that ends
        // sessions, so an admin changing this user at the same moment cannot deadlock with it.
        await using var tx = await db.BeginWriteTransactionAsync(ct);
        user.PasswordHash = passwords.Hash(request.NewPassword!);
        await EndSessionsAsync(user, ct);
        var familyId = Guid.CreateVersion7();
        var (refreshToken, row) = tokens.CreateRefreshToken(user.Id, familyId, clock.GetUtcNow().UtcDateTime);
        db.RefreshTokens.Add(row);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        sessions.Invalidate();
        return new LoginResponse(tokens.CreateAccessToken(user, familyId), "Bearer", tokens.AccessTokenSeconds, refreshToken,
            new UserSummary(user.Id, user.Email, user.Name, user.Role));
    }

    /// <summary>Every access token goes stale (new security stamp) and every refresh token is revoked (<see cref="Sessions.EndAllAsync"/>).</summary>
    internal Task EndSessionsAsync(User user, CancellationToken ct) => Sessions.EndAllAsync(db, user, clock.GetUtcNow().UtcDateTime, tokens.AccessTokenLifetime, ct);
}
