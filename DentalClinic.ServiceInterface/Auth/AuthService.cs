using System.Security.Claims;
using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceInterface.Infrastructure;
using DentalClinic.ServiceModel;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;

namespace DentalClinic.ServiceInterface.Auth;

public sealed class AuthService(
    AppDbContext db, Passwords passwords, TokenService tokens, LoginThrottle throttle, SessionCache sessions, TimeProvider clock,
    IOptions<AuthOptions> options)
{
    public async Task<LoginResponse> LoginAsync(Login request, CancellationToken ct)
    {
        var email = User.NormalizeEmail(request.Email!);
        // Counted as a failure until the password proves right (see LoginThrottle); throws 429 while locked.
        var attempt = await throttle.BeginAsync(email, ct);

        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Email == email, ct);
        // Always one bcrypt verification, so unknown emails and wrong passwords take the same time.
        var passwordOk = passwords.Verify(request.Password!, user?.PasswordHash);
        if (user is null || !passwordOk || !user.IsActive) throw ApiException.Unauthorized("Invalid email or password");
        await throttle.SucceededAsync(attempt, ct);

        // The password was checked against the hash read above: under the user's lock, issue only if it is
        // still theirs and they are still active (a password change, reset or deactivation committed meanwhile
        // refuses the sign-in), for the user as they are now (a role change committed meanwhile is honoured).
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await LockUserSharedAsync(user.Id, ct);
        var current = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == user.Id, ct);
        if (current is null || !current.IsActive || current.PasswordHash != user.PasswordHash) throw ApiException.Unauthorized("Invalid email or password");
        var response = await IssueAsync(current, Guid.CreateVersion7(), clock.GetUtcNow().UtcDateTime, ct);
        await tx.CommitAsync(ct);
        return response;
    }

    public async Task<LoginResponse> RefreshAsync(RefreshSession request, CancellationToken ct)
    {
        var hash = TokenService.Hash(request.RefreshToken!);
        var current = await db.RefreshTokens.AsNoTracking().FirstOrDefaultAsync(t => t.TokenHash == hash, ct)
            ?? throw ApiException.Unauthorized("Invalid refresh token");
        var now = clock.GetUtcNow().UtcDateTime;

        // A session ends after its idle or absolute limit (also one shortened by configuration since the token was issued).
        var limits = options.Value;
        var alive = current.ExpiresAt > now && now - current.CreatedAt < limits.SessionIdleTimeout &&
                    now - current.SessionStartedAt < limits.SessionAbsoluteLifetime;

        // Rotate with a conditional update: of two concurrent uses of one token only one wins;
        // the loser, like any later re-use of a rotated token, ends the whole family. The winner's
        // new token is inserted in the same transaction as the rotation, so a loser (whose update
        // waits for the winner's row lock, or on SQLite for its write lock) revokes the family only
        // after the new token exists: the family ends whole, never leaving a live refresh token
        // whose access tokens are refused.
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            await LockUserSharedAsync(current.UserId, ct);
            var rotated = current.RevokedAt is null && !current.FamilyRevoked && alive &&
                await db.RefreshTokens.Where(t => t.Id == current.Id && t.RevokedAt == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), ct) == 1;
            if (rotated)
            {
                var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == current.UserId && u.IsActive, ct)
                    ?? throw ApiException.Unauthorized("Invalid refresh token");
                var response = await IssueAsync(user, current.FamilyId, current.SessionStartedAt, ct);
                await tx.CommitAsync(ct);
                return response;
            }
        }
        if (current.RevokedAt is not null || alive) await RevokeFamilyAsync(current.FamilyId, ct);
        throw ApiException.Unauthorized("Invalid refresh token");
    }

    /// <summary>Ends the session: its refresh-token family and the access token used for this call.</summary>
    public async Task LogoutAsync(ClaimsPrincipal principal, Logout request, CancellationToken ct)
    {
        var userId = principal.UserId();
        if (Guid.TryParse(principal.FindFirstValue(TokenService.FamilyClaim), out var familyId))
            await RevokeFamilyAsync(familyId, ct);
        if (!string.IsNullOrEmpty(request.RefreshToken))
        {
            var hash = TokenService.Hash(request.RefreshToken);
            var family = await db.RefreshTokens.Where(t => t.TokenHash == hash && t.UserId == userId)
                .Select(t => (Guid?)t.FamilyId).FirstOrDefaultAsync(ct);
            if (family is not null) await RevokeFamilyAsync(family.Value, ct);
        }
        var jti = principal.FindFirstValue(JwtRegisteredClaimNames.Jti);
        var exp = long.TryParse(principal.FindFirstValue(JwtRegisteredClaimNames.Exp), out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime
            : clock.GetUtcNow().UtcDateTime.AddDays(1);
        if (jti is not null && !await db.RevokedAccessTokens.AnyAsync(r => r.Jti == jti, ct))
        {
            db.RevokedAccessTokens.Add(new RevokedAccessToken { Jti = jti, ExpiresAt = exp });
            await db.SaveChangesAsync(ct);
        }
        sessions.Invalidate();
    }

    public async Task<UserSummary> MeAsync(ClaimsPrincipal principal, CancellationToken ct)
    {
        var id = principal.UserId();
        return await db.Users.AsNoTracking().Where(u => u.Id == id)
            .Select(u => new UserSummary(u.Id, u.Email, u.Name, u.Role)).FirstOrDefaultAsync(ct)
            ?? throw ApiException.Unauthorized();
    }

    /// <summary>
    /// Checked for every bearer token after its signature and claims: the user is still active,
    /// the password has not changed since, and neither the token nor its session was revoked.
    /// </summary>
    public async Task<bool> IsSessionValidAsync(ClaimsPrincipal principal, CancellationToken ct)
    {
        if (!Guid.TryParse(principal.FindFirstValue("sub"), out var userId) ||
            !Guid.TryParse(principal.FindFirstValue(TokenService.SecurityStampClaim), out var stamp) ||
            !Guid.TryParse(principal.FindFirstValue(TokenService.FamilyClaim), out var familyId) ||
            principal.FindFirstValue(JwtRegisteredClaimNames.Jti) is not { } jti)
            return false;
        if (sessions.IsKnownValid(jti)) return true;

        var generation = sessions.Generation;
        var valid = await db.Users
            .Where(u => u.Id == userId && u.IsActive && u.SecurityStamp == stamp)
            .Select(u => !db.RevokedAccessTokens.Any(r => r.Jti == jti) &&
                         !db.RefreshTokens.Any(t => t.FamilyId == familyId && t.FamilyRevoked))
            .FirstOrDefaultAsync(ct);
        if (valid) sessions.RememberValid(jti, generation);
        return valid;
    }

    /// <summary>
    /// Holds the user's row shared until the transaction ends, while a refresh token is issued. Ending a
    /// user's sessions (<see cref="Sessions.EndAllAsync"/>) holds it exclusively first, so either the new
    /// token exists before the sessions end and is revoked with them, or the issuing waits and sees the
    /// revocation and the new stamp. PostgreSQL; on SQLite the single writer already orders them.
    /// </summary>
    private async Task LockUserSharedAsync(Guid userId, CancellationToken ct)
    {
        if (db.IsPostgres) await db.Database.ExecuteSqlAsync($"SELECT 1 FROM users WHERE id = {userId} FOR SHARE", ct);
    }

    private async Task<LoginResponse> IssueAsync(User user, Guid familyId, DateTime sessionStartedAt, CancellationToken ct)
    {
        var (refreshToken, row) = tokens.CreateRefreshToken(user.Id, familyId, sessionStartedAt);
        db.RefreshTokens.Add(row);
        await db.SaveChangesAsync(ct);
        return new LoginResponse(
            tokens.CreateAccessToken(user, familyId), "Bearer", tokens.AccessTokenSeconds, refreshToken,
            new UserSummary(user.Id, user.Email, user.Name, user.Role));
    }

    private async Task RevokeFamilyAsync(Guid familyId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await db.RefreshTokens.Where(t => t.FamilyId == familyId).Revocable(now, tokens.AccessTokenLifetime)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.FamilyRevoked, true)
                .SetProperty(t => t.RevokedAt, t => t.RevokedAt ?? now), ct);
        sessions.Invalidate();
    }
}

public sealed class LoginThrottledException(TimeSpan retryAfter) : Exception("Too many failed logins")
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}
