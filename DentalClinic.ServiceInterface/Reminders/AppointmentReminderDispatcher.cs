using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceInterface.Messaging;
using DentalClinic.ServiceInterface.Settings;
using DentalClinic.ServiceModel;
using Hangfire;
using MailKit.Net.Smtp;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace DentalClinic.ServiceInterface.Reminders;

/// <summary>
/// Reminders by e-mail and by SMS (settings <c>reminderChannels</c>, default both), run every minute by a
/// recurring job. Each channel is a reminder row of its own, with the same guarantees. All state lives in the application's
/// tables (appointment_reminders, appointment_reminder_attempts), so a restart loses nothing and
/// nothing is done twice:
/// <list type="number">
/// <item><b>Schedule</b>: every non-cancelled appointment whose start (clinic time → UTC) minus the
/// lead time has come, and which has not started, gets one reminder row for its current date and
/// time. The unique index on (appointment, date, time) makes this exactly-once, also when two
/// dispatchers race; a rescheduled appointment is a new version and gets a new row.</item>
/// <item><b>Deliver</b>: each due row is checked against its appointment (cancelled or moved →
/// <c>cancelled</c>; started → <c>skipped</c>/<c>failed</c>; no address, archived patient, e-mail
/// not configured → <c>skipped</c>), claimed (scheduled → sending, a concurrency-token update
/// only one dispatcher wins), sent, and marked <c>sent</c> in the same save as its attempt row.
/// Failures go back to <c>scheduled</c> with exponential back-off (1, 2, 4, 8 minutes), up to
/// <see cref="MaxAttempts"/>, then <c>failed</c>.</item>
/// </list>
/// The one window left: a crash after the SMTP server accepted the message and before the
/// <c>sent</c> row is saved. A row found in <c>sending</c> after <see cref="StuckAfter"/> (far
/// longer than an SMTP call can take) is recorded as an <c>interrupted</c> attempt and sent
/// again with the same Message-ID: a possible duplicate is preferred to a possibly missing reminder.
/// Logs carry ids only, never an address or a name.
/// </summary>
public sealed class AppointmentReminderDispatcher(
    AppDbContext db,
    IEmailSender sender,
    ISmsSender sms,
    SettingsService settings,
    IOptions<EmailOptions> email,
    TimeProvider clock,
    ILogger<AppointmentReminderDispatcher> logger)
{
    public const string RecurringJobId = "appointment-reminders";
    public const int MaxAttempts = 5;
    public static readonly TimeSpan StuckAfter = TimeSpan.FromMinutes(10);
    private const int BatchSize = 200;

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>The back-off after the given failed attempt: 1, 2, 4, 8 … minutes.</summary>
    public static TimeSpan RetryDelay(int attempt) => TimeSpan.FromMinutes(Math.Pow(2, Math.Max(0, attempt - 1)));

    /// <summary>One pass: schedules what has become due, then delivers what is due. What the recurring job runs.</summary>
    [AutomaticRetry(Attempts = 0)]
    public async Task<ReminderDispatchResult> DispatchAsync(CancellationToken ct)
    {
        var scheduled = await ScheduleAsync(ct);
        var delivered = await DeliverAsync(ct);
        return delivered with { Scheduled = scheduled };
    }

    /// <summary>Inserts one reminder row per due appointment version and channel that has none; returns how many it inserted.</summary>
    public async Task<int> ScheduleAsync(CancellationToken ct)
    {
        var clinic = await settings.GetWithoutLogoAsync(ct);
        var inserted = 0;
        foreach (var channel in clinic.ReminderChannels ?? ReminderChannel.All) inserted += await ScheduleAsync(clinic, channel, ct);
        return inserted;
    }

    private async Task<int> ScheduleAsync(SettingsDto clinic, string channel, CancellationToken ct)
    {
        var now = Now;
        var zone = ClinicTime.Zone(clinic.Timezone);
        var lead = TimeSpan.FromHours(clinic.ReminderLeadTimeHours);
        // Candidates by clinic date (a day of margin each side); the exact test is done in UTC below.
        var localNow = TimeZoneInfo.ConvertTimeFromUtc(now, zone);
        var firstDate = DateOnly.FromDateTime(localNow).AddDays(-1);
        var lastDate = DateOnly.FromDateTime(localNow + lead).AddDays(1);
        var reminders = db.Set<AppointmentReminder>();
        var candidates = await db.Appointments.AsNoTracking()
            .Where(a => a.Status != AppointmentStatus.Cancelled && a.Status != AppointmentStatus.NoShow && a.Date >= firstDate && a.Date <= lastDate)
            .Where(a => !reminders.Any(r => r.AppointmentId == a.Id && r.AppointmentDate == a.Date && r.AppointmentTime == a.Time && r.Channel == channel))
            .Select(a => new { a.Id, a.Date, a.Time })
            .ToListAsync(ct);

        var inserted = 0;
        foreach (var a in candidates)
        {
            var start = ClinicTime.ToUtc(a.Date, a.Time, zone);
            if (!(start - lead <= now && now < start)) continue;
            var reminder = new AppointmentReminder
            {
                AppointmentId = a.Id, AppointmentDate = a.Date, AppointmentTime = a.Time, Channel = channel,
                DueAt = start - lead, Status = ReminderStatus.Scheduled, NextAttemptAt = now,
            };
            reminders.Add(reminder);
            try
            {
                await db.SaveChangesAsync(ct);
                inserted++;
                logger.LogInformation("Reminder {ReminderId} ({Channel}) scheduled for appointment {AppointmentId}", reminder.Id, channel, a.Id);
            }
            catch (DbUpdateException e) when (e.IsUniqueViolation())
            {
                // Another dispatcher scheduled this version first: exactly one row stays.
                db.ChangeTracker.Clear();
            }
        }
        return inserted;
    }

    /// <summary>Sends (or closes) every reminder that is due, one at a time, each re-read before it is claimed.</summary>
    public async Task<ReminderDispatchResult> DeliverAsync(CancellationToken ct)
    {
        var now = Now;
        var stuckBefore = now - StuckAfter;
        var ids = await db.Set<AppointmentReminder>().AsNoTracking()
            .Where(r => (r.Status == ReminderStatus.Scheduled && r.NextAttemptAt <= now) ||
                        (r.Status == ReminderStatus.Sending && r.ClaimedAt < stuckBefore))
            .OrderBy(r => r.DueAt).Select(r => r.Id).Take(BatchSize).ToListAsync(ct);

        var result = new ReminderDispatchResult(0, 0, 0, 0, 0, 0);
        if (ids.Count == 0) return result;
        var clinic = await settings.GetWithoutLogoAsync(ct);
        var zone = ClinicTime.Zone(clinic.Timezone);
        foreach (var id in ids)
        {
            ct.ThrowIfCancellationRequested();
            var outcome = await DeliverOneAsync(id, clinic, zone, ct);
            result = outcome switch
            {
                ReminderStatus.Sent => result with { Sent = result.Sent + 1 },
                ReminderStatus.Scheduled => result with { Retrying = result.Retrying + 1 },
                ReminderStatus.Failed => result with { Failed = result.Failed + 1 },
                ReminderStatus.Skipped => result with { Skipped = result.Skipped + 1 },
                ReminderStatus.Cancelled => result with { Cancelled = result.Cancelled + 1 },
                _ => result,
            };
        }
        return result;
    }

    /// <summary>Returns the status the reminder was left in by this dispatcher, or null when another one had it.</summary>
    private async Task<string?> DeliverOneAsync(Guid id, SettingsDto clinic, TimeZoneInfo zone, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        var now = Now;
        var reminder = await db.Set<AppointmentReminder>().FirstOrDefaultAsync(r => r.Id == id, ct);
        if (reminder is null) return null;
        var stuck = reminder.Status == ReminderStatus.Sending && reminder.ClaimedAt < now - StuckAfter;
        if (!stuck && !(reminder.Status == ReminderStatus.Scheduled && reminder.NextAttemptAt <= now)) return null;

        if (stuck)
        {
            // The application stopped during the SMTP call: record that attempt, then decide afresh.
            logger.LogWarning("Reminder {ReminderId} was left sending by an interrupted attempt {Attempt}", reminder.Id, reminder.Attempts);
            AddAttempt(reminder, reminder.ClaimedAt ?? now, ReminderAttemptOutcome.Interrupted,
                "The application stopped during sending; the message may or may not have been delivered");
        }

        var appointment = await (
            from a in db.Appointments.IgnoreQueryFilters().AsNoTracking()
            join p in db.Patients.IgnoreQueryFilters() on a.PatientId equals p.Id
            join t in db.AppointmentTypes.IgnoreQueryFilters() on a.AppointmentTypeId equals t.Id
            where a.Id == reminder.AppointmentId
            select new { a.Date, a.Time, a.Status, p.FirstName, p.Email, p.MobileE164, PatientArchived = p.ArchivedAt != null, TypeName = t.Name })
            .FirstOrDefaultAsync(ct);

        if (appointment is null || appointment.Status is AppointmentStatus.Cancelled or AppointmentStatus.NoShow)
            return await CloseAsync(reminder, ReminderStatus.Cancelled, "The appointment was cancelled", ct);
        if (appointment.Date != reminder.AppointmentDate || appointment.Time != reminder.AppointmentTime)
            return await CloseAsync(reminder, ReminderStatus.Cancelled, "The appointment was moved; its new time gets its own reminder", ct);
        if (ClinicTime.ToUtc(appointment.Date, appointment.Time, zone) <= now)
            return await CloseAsync(reminder, reminder.Attempts > 0 ? ReminderStatus.Failed : ReminderStatus.Skipped,
                "The appointment started before the reminder could be sent", ct);
        if (appointment.PatientArchived)
            return await CloseAsync(reminder, ReminderStatus.Skipped, "The patient is archived", ct);
        Func<Task> send;
        if (reminder.Channel == ReminderChannel.Sms)
        {
            if (string.IsNullOrWhiteSpace(appointment.MobileE164))
                return await CloseAsync(reminder, ReminderStatus.Skipped, "The patient has no mobile number", ct);
            var phone = appointment.MobileE164;
            var text = ReminderSms.Compose(clinic, appointment.FirstName, appointment.TypeName, appointment.Date, appointment.Time);
            reminder.Phone = phone;
            send = () => sms.SendAsync(phone, text, ct);
        }
        else
        {
            if (string.IsNullOrWhiteSpace(appointment.Email))
                return await CloseAsync(reminder, ReminderStatus.Skipped, "The patient has no e-mail address", ct);
            if (string.IsNullOrWhiteSpace(email.Value.Smtp.Host))
                return await CloseAsync(reminder, ReminderStatus.Skipped, "E-mail is not configured (Email:Smtp:Host)", ct);
            var address = appointment.Email.Trim();
            reminder.Email = address;
            var message = ReminderEmail.Compose(reminder.Id, address, email.Value.From, clinic,
                appointment.FirstName, appointment.TypeName, appointment.Date, appointment.Time);
            send = () => sender.SendAsync(message, ct);
        }

        // Claim: only the dispatcher whose update still finds this status and attempt count wins.
        reminder.Status = ReminderStatus.Sending;
        reminder.ClaimedAt = now;
        reminder.Attempts++;
        if (!await TrySaveAsync(ct)) return null;

        try
        {
            await send();
            reminder.Status = ReminderStatus.Sent;
            reminder.SentAt = Now;
            reminder.NextAttemptAt = null;
            reminder.LastError = null;
            AddAttempt(reminder, reminder.SentAt.Value, ReminderAttemptOutcome.Sent, null);
            logger.LogInformation("Reminder {ReminderId} for appointment {AppointmentId} sent after {Attempts} attempt(s)",
                reminder.Id, reminder.AppointmentId, reminder.Attempts);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shut down mid-call: offered again at once to the next pass (same Message-ID).
            reminder.Status = ReminderStatus.Scheduled;
            reminder.NextAttemptAt = Now;
            AddAttempt(reminder, Now, ReminderAttemptOutcome.Interrupted, "Sending was cancelled (the application was stopping)");
            await db.SaveChangesAsync(CancellationToken.None);
            throw;
        }
        catch (Exception e)
        {
            var permanent = IsPermanent(e);
            var giveUp = permanent || reminder.Attempts >= MaxAttempts;
            var error = Truncate($"{e.GetType().Name}: {e.Message}", 1000);
            reminder.Status = giveUp ? ReminderStatus.Failed : ReminderStatus.Scheduled;
            reminder.NextAttemptAt = giveUp ? null : Now + RetryDelay(reminder.Attempts);
            reminder.LastError = error;
            AddAttempt(reminder, Now, ReminderAttemptOutcome.Failed, error);
            // The exception's text can quote the address: only its type goes to the log.
            logger.LogWarning("Reminder {ReminderId} attempt {Attempt} failed ({ErrorType}); {Outcome}",
                reminder.Id, reminder.Attempts, e.GetType().Name, giveUp ? (permanent ? "refused for good" : "giving up") : "will retry");
        }
        // The outcome is saved whatever happened to the request (a cancelled job must not leave it "sending").
        await db.SaveChangesAsync(CancellationToken.None);
        return reminder.Status;
    }

    private async Task<string?> CloseAsync(AppointmentReminder reminder, string status, string reason, CancellationToken ct)
    {
        reminder.Status = status;
        reminder.Reason = reason;
        reminder.NextAttemptAt = null;
        if (!await TrySaveAsync(ct)) return null;
        logger.LogInformation("Reminder {ReminderId} for appointment {AppointmentId}: {Status}", reminder.Id, reminder.AppointmentId, status);
        return status;
    }

    /// <summary>Saves; false when another dispatcher changed the reminder first.</summary>
    private async Task<bool> TrySaveAsync(CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return false;
        }
    }

    private void AddAttempt(AppointmentReminder reminder, DateTime at, string outcome, string? error) =>
        db.Set<AppointmentReminderAttempt>().Add(new AppointmentReminderAttempt
        {
            ReminderId = reminder.Id, AppointmentId = reminder.AppointmentId, Channel = reminder.Channel,
            Email = reminder.Channel == ReminderChannel.Email ? reminder.Email ?? "" : "",
            Phone = reminder.Channel == ReminderChannel.Sms ? reminder.Phone : null,
            AttemptedAt = at, Outcome = outcome, Error = error,
        });

    /// <summary>Retrying cannot help: the address is malformed, the server refused the recipient for good (5xx), or the SMS provider refused the number.</summary>
    private static bool IsPermanent(Exception e) =>
        e is ParseException || e is SmsException { Permanent: true } ||
        e is SmtpCommandException { ErrorCode: SmtpErrorCode.RecipientNotAccepted } command && (int)command.StatusCode >= 500;

    private static string Truncate(string text, int length) => text.Length > length ? text[..length] : text;
}

/// <summary>What one pass did: reminders scheduled, sent, left for a retry, failed for good, skipped and cancelled.</summary>
public sealed record ReminderDispatchResult(int Scheduled, int Sent, int Retrying, int Failed, int Skipped, int Cancelled);
