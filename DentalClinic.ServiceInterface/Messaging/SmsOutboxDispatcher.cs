using DentalClinic.ServiceModel;
using DentalClinic.ServiceInterface.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace DentalClinic.ServiceInterface.Messaging;

/// <summary>
/// Delivers the SMS outbox. All state lives in the sms_outbox table, so a restart loses nothing:
/// a message is claimed (status is a concurrency token, so of two dispatchers, also on two
/// instances, only one wins), sent, then marked sent with the provider's id — and its body, which
/// carries a link token, is cleared. Failures are retried with exponential back-off up to
/// <see cref="MaxAttempts"/>; a message left "sending" by a crash is offered again after
/// <see cref="StuckAfter"/>. Every change goes through the change tracker, so the audit log sees it.
/// </summary>
public sealed class SmsOutboxDispatcher(AppDbContext db, ISmsSender sender, TimeProvider clock, ILogger<SmsOutboxDispatcher> logger)
{
    public const string RecurringJobId = "sms-outbox";
    public const int MaxAttempts = 5;
    public static readonly TimeSpan StuckAfter = TimeSpan.FromMinutes(10);

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Sends every message that is due; returns how many were sent (or, by the Log provider, logged).</summary>
    public async Task<int> DispatchAsync(CancellationToken ct)
    {
        var now = Now;
        var stuckBefore = now - StuckAfter;
        var due = await db.Set<SmsOutboxMessage>()
            .Where(m => (m.Status == "pending" && (m.NextAttemptAt == null || m.NextAttemptAt <= now)) ||
                        (m.Status == "sending" && m.ClaimedAt < stuckBefore))
            .OrderBy(m => m.CreatedAt).Take(100).ToListAsync(ct);

        var sent = 0;
        foreach (var message in due)
            if (await TryClaimAsync(message, ct) && await DeliverAsync(message, ct)) sent++;
        return sent;
    }

    private async Task<bool> TryClaimAsync(SmsOutboxMessage message, CancellationToken ct)
    {
        message.Status = "sending";
        message.ClaimedAt = Now;
        message.Attempts++;
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            db.Entry(message).State = EntityState.Detached;   // another dispatcher took it
            return false;
        }
    }

    private async Task<bool> DeliverAsync(SmsOutboxMessage message, CancellationToken ct)
    {
        try
        {
            message.ProviderMessageId = await sender.SendAsync(message.To, message.Body, ct);
            // The development provider only writes to the log: say so rather than "sent".
            message.Status = sender.Delivers ? SmsStatus.Sent : SmsStatus.Logged;
            message.SentAt = Now;
            message.Body = "";
            message.LastError = null;
            logger.LogInformation("SMS {MessageId} {Status} ({Purpose}) after {Attempts} attempt(s)", message.Id, message.Status, message.Purpose, message.Attempts);
        }
        catch (Exception e) when (e is SmsException or HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            var permanent = e is SmsException { Permanent: true } || message.Attempts >= MaxAttempts;
            message.Status = permanent ? "failed" : "pending";
            message.NextAttemptAt = permanent ? null : Now + TimeSpan.FromMinutes(Math.Pow(2, message.Attempts - 1));
            message.LastError = e.Message.Length > 1000 ? e.Message[..1000] : e.Message;
            logger.LogWarning("SMS {MessageId} attempt {Attempt} failed ({Outcome}): {Error}",
                message.Id, message.Attempts, permanent ? "giving up" : "will retry", e.Message);
        }
        await db.SaveChangesAsync(CancellationToken.None);
        return message.Status is SmsStatus.Sent or SmsStatus.Logged;
    }
}
