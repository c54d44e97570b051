namespace DentalClinic.ServiceModel;

/// <summary>The life of an appointment reminder (one per appointment version: its id, date and time).</summary>
public static class ReminderStatus
{
    /// <summary>Due and waiting to be sent (or to be retried at <c>nextAttemptAt</c>).</summary>
    public const string Scheduled = "scheduled";
    /// <summary>Claimed by a dispatcher; the SMTP call is under way.</summary>
    public const string Sending = "sending";
    public const string Sent = "sent";
    /// <summary>Not sent, by rule: no e-mail address, archived patient, e-mail not configured, appointment already started.</summary>
    public const string Skipped = "skipped";
    /// <summary>Every attempt failed, or the server refused the address for good.</summary>
    public const string Failed = "failed";
    /// <summary>Not sent: the appointment was cancelled or moved before it went out (a moved one gets a new reminder).</summary>
    public const string Cancelled = "cancelled";

    public static readonly IReadOnlyList<string> All = [Scheduled, Sending, Sent, Skipped, Failed, Cancelled];
}

/// <summary>How a reminder goes: settings <c>reminderChannels</c> (default both; each only where the patient has that contact).</summary>
public static class ReminderChannel
{
    public const string Email = "email";
    public const string Sms = "sms";

    public static readonly IReadOnlyList<string> All = [Sms, Email];
}

/// <summary>The outcome of one delivery attempt.</summary>
public static class ReminderAttemptOutcome
{
    public const string Sent = "sent";
    public const string Failed = "failed";
    /// <summary>The application stopped during the SMTP call: whether the server took the message is unknown.</summary>
    public const string Interrupted = "interrupted";

    public static readonly IReadOnlyList<string> All = [Sent, Failed, Interrupted];
}

/// <summary>
/// One reminder of an appointment by one channel (GET /api/appointments/{id}/reminders): <c>channel</c>
/// email (to <c>email</c>) or sms (to <c>phone</c>). <c>appointmentDate</c> and
/// <c>appointmentTime</c> are the appointment's date and time (clinic time) it was made for; <c>dueAt</c>
/// is when it became due (UTC). <c>reason</c> says why it was skipped or cancelled; <c>lastError</c>
/// is the last failure.
/// </summary>
public record AppointmentReminderDto(
    Guid Id,
    Guid AppointmentId,
    DateOnly AppointmentDate,
    string AppointmentTime,
    DateTime DueAt,
    string Status,
    string? Email,
    int AttemptCount,
    DateTime? NextAttemptAt,
    DateTime? SentAt,
    string? Reason,
    string? LastError,
    DateTime CreatedAt,
    IReadOnlyList<ReminderAttemptDto> Attempts,
    string Channel = ReminderChannel.Email,
    string? Phone = null);

/// <summary>One delivery attempt: when, by which channel, to which address or number, its outcome and error.</summary>
public record ReminderAttemptDto(Guid Id, DateTime AttemptedAt, string Email, string Outcome, string? Error,
    string Channel = ReminderChannel.Email, string? Phone = null);
