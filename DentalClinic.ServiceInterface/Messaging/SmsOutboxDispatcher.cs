using DentalClinic.ServiceInterface.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace DentalClinic.ServiceInterface.Messaging;

/// <summary>
/// Delivers the SMS outbox. All state lives in the sms_outbox table, so a restart loses nothing:
/// a message is claimed with a conditional update (one sender per message, also across instances),
/// sent, then marked sent with the provider's id — and its body, which carries a link token, is
/// cleared. Failures are retried with exponential back-off up to <see cref="MaxAttempts"/>; a
/// message left "sending" by a crash is offered again after <see cref="StuckAfter"/>.
/// </summary>
public sealed class SmsOutboxDispatcher(AppDbContext db, ISmsSender sender, TimeProvider clock, ILogger<SmsOutboxDispatcher> logger)
{
    public const int MaxAttempts = 5;
    public static readonly TimeSpan StuckAfter = TimeSpan.FromMinutes(10);

    /// <summary>Sends every message that is due; returns how many were sent.</summary>
    public async Task<int> DispatchAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var stuckBefore = now - StuckAfter;
        await db.Set<SmsOutboxMessage>()
            .Where(m => m.Status == "sending" && m.ClaimedAt < stuckBefore)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, "pending"), ct);

        var due = await db.Set<SmsOutboxMessage>().AsNoTracking()
            .Where(m => m.Status == "pending" && (m.NextAttemptAt == null || m.NextAttemptAt <= now))
            .OrderBy(m => m.CreatedAt).Select(m => m.Id).Take(100).ToListAsync(ct);

        var sent = 0;
        foreach (var id in due)
            if (await DeliverAsync(id, ct)) sent++;
        return sent;
    }

    private async Task<bool> DeliverAsync(Guid id, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var claimed = await db.Set<SmsOutboxMessage>()
            .Where(m => m.Id == id && m.Status == "pending")
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, "sending").SetProperty(m => m.ClaimedAt, now)
                .SetProperty(m => m.Attempts, m => m.Attempts + 1), ct);
        if (claimed == 0) return false;   // another dispatcher took it

        var message = await db.Set<SmsOutboxMessage>().AsNoTracking().FirstAsync(m => m.Id == id, ct);
        try
        {
            var providerId = await sender.SendAsync(message.To, message.Body, ct);
            await db.Set<SmsOutboxMessage>().Where(m => m.Id == id).ExecuteUpdateAsync(s => s
                .SetProperty(m => m.Status, "sent").SetProperty(m => m.SentAt, clock.GetUtcNow().UtcDateTime)
                .SetProperty(m => m.ProviderMessageId, providerId).SetProperty(m => m.Body, "")
                .SetProperty(m => m.LastError, (string?)null), ct);
            logger.LogInformation("SMS {MessageId} sent ({Purpose}) after {Attempts} attempt(s)", id, message.Purpose, message.Attempts);
            return true;
        }
        catch (Exception e) when (e is SmsException or HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            var permanent = e is SmsException { Permanent: true } || message.Attempts >= MaxAttempts;
            var retryAt = clock.GetUtcNow().UtcDateTime + TimeSpan.FromMinutes(Math.Pow(2, message.Attempts - 1));
            await db.Set<SmsOutboxMessage>().Where(m => m.Id == id).ExecuteUpdateAsync(s => s
                .SetProperty(m => m.Status, permanent ? "failed" : "pending")
                .SetProperty(m => m.NextAttemptAt, permanent ? null : retryAt)
                .SetProperty(m => m.LastError, e.Message.Length > 1000 ? e.Message[..1000] : e.Message), ct);
            logger.LogWarning("SMS {MessageId} attempt {Attempt} failed ({Outcome}): {Error}",
                id, message.Attempts, permanent ? "giving up" : "will retry", e.Message);
            return false;
        }
    }
}
