using System.Security.Cryptography;
using DentalClinic.ServiceInterface.Auth;
using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceInterface.Files;
using DentalClinic.ServiceInterface.Infrastructure;
using DentalClinic.ServiceInterface.Messaging;
using DentalClinic.ServiceModel;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DentalClinic.ServiceInterface.Account;

/// <summary>
/// A way back for a forgotten password: a single-use link, valid <see cref="Lifetime"/>, e-mailed to the
/// user; only its SHA-256 is stored. Asking answers the same whether or not the address is a user's, and
/// at once: the e-mail leaves in the background. At most <see cref="MaxPerHour"/> links per user and hour.
/// Using a link sets the password, ends every session of the user and voids their other links.
/// </summary>
public sealed class PasswordResetService(
    AppDbContext db, Passwords passwords, AccountService account, SessionCache sessions, IEmailSender email,
    IOptions<EmailOptions> emailOptions, IConfiguration config, PublicUrls urls, TimeProvider clock, ILogger<PasswordResetService> logger)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);
    public const int MaxPerHour = 3;
    public const string Answer = "If this address belongs to an active user, a link to choose a new password is on its way.";

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    public async Task<PasswordResetRequested> ForgotAsync(ForgotPassword request, CancellationToken ct)
    {
        var normalized = User.NormalizeEmail(request.Email!);
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Email == normalized && u.IsActive, ct);
        if (user is not null) await IssueAsync(user, requestedBy: null, ct);
        return new PasswordResetRequested(Answer);
    }

    /// <summary>An admin sends a user a reset link (404 for an unknown user, 409 for a deactivated one).</summary>
    public async Task<PasswordResetRequested> SendForAdminAsync(Guid userId, Guid? adminId, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, ct) ?? throw ApiException.NotFound("User");
        if (!user.IsActive) throw ApiException.Conflict("userId", "This user is deactivated; activate them first");
        if (string.IsNullOrWhiteSpace(emailOptions.Value.Smtp.Host))
            throw ApiException.Conflict("email", "E-mail is not configured (Email__Smtp__Host), so no link can be sent");
        await IssueAsync(user, adminId, ct, throttled: false);
        return new PasswordResetRequested($"A link to choose a new password is on its way to {user.Email}.");
    }

    public async Task ResetAsync(ResetPassword request, CancellationToken ct)
    {
        var hash = TokenService.Hash(request.Token!);
        var now = Now;
        var invalid = ApiException.Invalid("token", "This link is not valid any more: ask for a new one");
        // The user's row, then the refresh-token rows (Sessions.EndAllAsync), as every writer that ends sessions.
        await using var tx = await db.BeginWriteTransactionAsync(ct);
        var link = await db.Set<PasswordResetToken>().FirstOrDefaultAsync(t => t.TokenHash == hash, ct);
        if (link is null || link.UsedAt is not null || link.ExpiresAt <= now) throw invalid;
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == link.UserId && u.IsActive, ct) ?? throw invalid;

        // Every open link of the user is used up with this one; UsedAt is a concurrency token, so of two
        // requests racing with the same link only one sets the password.
        foreach (var open in await db.Set<PasswordResetToken>().Where(t => t.UserId == user.Id && t.UsedAt == null).ToListAsync(ct))
            open.UsedAt = now;
        user.PasswordHash = passwords.Hash(request.NewPassword!);
        await account.EndSessionsAsync(user, ct);
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateConcurrencyException) { throw invalid; }
        await tx.CommitAsync(ct);
        sessions.Invalidate();
        logger.LogInformation("Password of user {UserId} reset with link {LinkId}", user.Id, link.Id);
    }

    private async Task IssueAsync(User user, Guid? requestedBy, CancellationToken ct, bool throttled = true)
    {
        var now = Now;
        if (throttled && await db.Set<PasswordResetToken>().CountAsync(t => t.UserId == user.Id && t.CreatedAt > now.AddHours(-1), ct) >= MaxPerHour)
        {
            logger.LogWarning("Password reset for user {UserId} not sent: {Max} links in the last hour", user.Id, MaxPerHour);
            return;
        }
        var token = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        db.Set<PasswordResetToken>().Add(new PasswordResetToken
        {
            UserId = user.Id, TokenHash = TokenService.Hash(token), CreatedAt = now, ExpiresAt = now + Lifetime, RequestedBy = requestedBy,
        });
        await db.SaveChangesAsync(ct);

        if (string.IsNullOrWhiteSpace(emailOptions.Value.Smtp.Host))
        {
            logger.LogWarning("Password reset for user {UserId}: e-mail is not configured (Email:Smtp:Host), no link was sent", user.Id);
            return;
        }
        var link = FrontendBaseUrl() + "/reset-password?token=" + token;
        var message = new EmailMessage(user.Email, "Choose a new password",
            $"Hello {user.Name},\n\nto choose a new password for DentalClinic, open this link within {Lifetime.TotalMinutes:0} minutes:\n\n{link}\n\n" +
            "It works once. If you did not ask for it, ignore this e-mail: your password stays as it is.\n");
        var userId = user.Id;
        // In the background: the answer must not take longer for an existing address than for an unknown one.
        _ = Task.Run(async () =>
        {
            try { await email.SendAsync(message, CancellationToken.None); }
            catch (Exception e) { logger.LogWarning(e, "Password reset e-mail to user {UserId} failed", userId); }
        }, CancellationToken.None);
    }

    private string FrontendBaseUrl() =>
        config["Frontend:BaseUrl"] is { Length: > 0 } configured ? configured.TrimEnd('/')
        : config.GetValue<bool>("Frontend:ServedByApi") ? urls.Absolute("/").TrimEnd('/')
        : "http://localhost:3000";
}
