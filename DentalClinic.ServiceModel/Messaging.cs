namespace DentalClinic.ServiceModel;

/// <summary>
/// GET /api/admin/messaging (admins): how the outgoing messages stand — appointment reminders
/// (e-mail) and the SMS outbox — with counts per status and the latest of each, newest first.
/// </summary>
public record MessagingStatusDto(
    IReadOnlyList<StatusCount> Reminders,
    IReadOnlyList<StatusCount> Sms,
    IReadOnlyList<OutboxReminderDto> LatestReminders,
    IReadOnlyList<OutboxSmsDto> LatestSms);

/// <summary>How many messages have this status (every status is listed, with 0 when none has it).</summary>
public record StatusCount(string Status, int Count);

/// <summary>A reminder as the outbox shows it: for which appointment, when it was due, how delivery went.</summary>
public record OutboxReminderDto(
    Guid Id,
    Guid AppointmentId,
    DateOnly AppointmentDate,
    string AppointmentTime,
    DateTime DueAt,
    string Status,
    string? Email,
    int Attempts,
    DateTime? NextAttemptAt,
    DateTime? SentAt,
    string? Reason,
    string? LastError);

/// <summary>A text message of the outbox, without its body (a form link's token must not leave the database).</summary>
public record OutboxSmsDto(
    Guid Id,
    string To,
    string Purpose,
    string Status,
    int Attempts,
    DateTime CreatedAt,
    DateTime? NextAttemptAt,
    DateTime? SentAt,
    string? LastError);

public static class SmsStatus
{
    public const string Pending = "pending";
    public const string Sending = "sending";
    public const string Sent = "sent";
    public const string Failed = "failed";
    /// <summary>Accepted by a provider that only records the message (the log provider): nothing reached a phone.</summary>
    public const string Logged = "logged";

    public static readonly IReadOnlyList<string> All = [Pending, Sending, Sent, Failed, Logged];
}
