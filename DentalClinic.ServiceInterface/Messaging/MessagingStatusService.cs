using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceModel;
using Microsoft.EntityFrameworkCore;

namespace DentalClinic.ServiceInterface.Messaging;

/// <summary>The read side of the outgoing messages for admins: counts per status and the latest reminders and SMS.</summary>
public sealed class MessagingStatusService(AppDbContext db)
{
    public const int Latest = 20;

    public async Task<MessagingStatusDto> GetAsync(CancellationToken ct)
    {
        var reminders = await db.Set<AppointmentReminder>().AsNoTracking()
            .GroupBy(r => r.Status).Select(g => new { Status = g.Key, Count = g.Count() }).ToListAsync(ct);
        var sms = await db.Set<SmsOutboxMessage>().AsNoTracking()
            .GroupBy(m => m.Status).Select(g => new { Status = g.Key, Count = g.Count() }).ToListAsync(ct);

        var latestReminders = await db.Set<AppointmentReminder>().AsNoTracking()
            .OrderByDescending(r => r.DueAt).ThenByDescending(r => r.Id).Take(Latest)
            .Select(r => new { r.Id, r.AppointmentId, r.AppointmentDate, r.AppointmentTime, r.DueAt, r.Status, r.Email, r.Attempts, r.NextAttemptAt, r.SentAt, r.Reason, r.LastError })
            .ToListAsync(ct);
        var latestSms = await db.Set<SmsOutboxMessage>().AsNoTracking()
            .OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id).Take(Latest)
            .Select(m => new OutboxSmsDto(m.Id, m.To, m.Purpose, m.Status, m.Attempts, m.CreatedAt, m.NextAttemptAt, m.SentAt, m.LastError))
            .ToListAsync(ct);

        return new MessagingStatusDto(
            ReminderStatus.All.Select(s => new StatusCount(s, reminders.FirstOrDefault(c => c.Status == s)?.Count ?? 0)).ToList(),
            SmsStatus.All.Select(s => new StatusCount(s, sms.FirstOrDefault(c => c.Status == s)?.Count ?? 0)).ToList(),
            latestReminders.Select(r => new OutboxReminderDto(r.Id, r.AppointmentId, r.AppointmentDate, r.AppointmentTime.ToString("HH:mm"),
                r.DueAt, r.Status, r.Email, r.Attempts, r.NextAttemptAt, r.SentAt, r.Reason, r.LastError)).ToList(),
            latestSms);
    }
}
