using DentalClinic.ServiceModel;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DentalClinic.ServiceInterface.Data;

/// <summary>
/// The reminder of one appointment version by one channel (e-mail or SMS). Unique per (appointment,
/// date, time, channel): inserting it is the exactly-once decision, even with two dispatchers racing;
/// a rescheduled appointment is a new version and gets new rows. Status and attempts are concurrency tokens, so a claim
/// (scheduled → sending) succeeds for one dispatcher only.
/// </summary>
public class AppointmentReminder : Entity
{
    public Guid AppointmentId { get; set; }
    /// <summary>The appointment's date when the reminder was made (clinic time).</summary>
    public DateOnly AppointmentDate { get; set; }
    /// <summary>The appointment's time when the reminder was made (clinic time).</summary>
    public TimeOnly AppointmentTime { get; set; }
    /// <summary>Start (UTC) minus the lead time: when the reminder became due.</summary>
    public DateTime DueAt { get; set; }
    /// <summary>email | sms (<see cref="ReminderChannel"/>).</summary>
    public string Channel { get; set; } = ReminderChannel.Email;
    /// <summary>The e-mail address of the last attempt (channel email).</summary>
    public string? Email { get; set; }
    /// <summary>The mobile number (E.164) of the last attempt (channel sms).</summary>
    public string? Phone { get; set; }
    /// <summary>scheduled | sending | sent | skipped | failed | cancelled (<see cref="ReminderStatus"/>).</summary>
    public required string Status { get; set; }
    public int Attempts { get; set; }
    /// <summary>When a scheduled reminder may be tried (again).</summary>
    public DateTime? NextAttemptAt { get; set; }
    /// <summary>When the current attempt took the reminder (status sending).</summary>
    public DateTime? ClaimedAt { get; set; }
    public DateTime? SentAt { get; set; }
    /// <summary>Why it was skipped or cancelled.</summary>
    public string? Reason { get; set; }
    public string? LastError { get; set; }
}

/// <summary>One delivery attempt of a reminder: every attempt is recorded, whatever its outcome.</summary>
public class AppointmentReminderAttempt
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid ReminderId { get; set; }
    public Guid AppointmentId { get; set; }
    /// <summary>email | sms.</summary>
    public string Channel { get; set; } = ReminderChannel.Email;
    /// <summary>The e-mail address tried (empty for an SMS).</summary>
    public required string Email { get; set; }
    /// <summary>The mobile number tried (E.164; SMS only).</summary>
    public string? Phone { get; set; }
    public DateTime AttemptedAt { get; set; }
    /// <summary>sent | failed | interrupted (<see cref="ReminderAttemptOutcome"/>).</summary>
    public required string Outcome { get; set; }
    public string? Error { get; set; }
}

internal sealed class ReminderConfiguration :
    IEntityTypeConfiguration<AppointmentReminder>, IEntityTypeConfiguration<AppointmentReminderAttempt>
{
    public void Configure(EntityTypeBuilder<AppointmentReminder> b)
    {
        b.ToTable("appointment_reminders");
        b.HasOne<Appointment>().WithMany().HasForeignKey(r => r.AppointmentId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(r => new { r.AppointmentId, r.AppointmentDate, r.AppointmentTime, r.Channel }).IsUnique();
        b.Property(r => r.Channel).HasMaxLength(8);
        b.Property(r => r.Phone).HasMaxLength(20);
        b.ToTable(t => t.HasCheckConstraint("ck_appointment_reminders_channel", "channel IN ('email', 'sms')"));
        b.HasIndex(r => new { r.Status, r.NextAttemptAt });
        b.Property(r => r.Email).HasMaxLength(254);
        b.Property(r => r.Status).HasMaxLength(16).IsConcurrencyToken();
        b.Property(r => r.Attempts).IsConcurrencyToken();
        b.Property(r => r.Reason).HasMaxLength(200);
        b.Property(r => r.LastError).HasMaxLength(1000);
        b.ToTable(t => t.HasCheckConstraint("ck_appointment_reminders_status",
            "status IN ('scheduled', 'sending', 'sent', 'skipped', 'failed', 'cancelled')"));
    }

    public void Configure(EntityTypeBuilder<AppointmentReminderAttempt> b)
    {
        b.ToTable("appointment_reminder_attempts");
        b.HasOne<AppointmentReminder>().WithMany().HasForeignKey(a => a.ReminderId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(a => new { a.ReminderId, a.AttemptedAt });
        b.HasIndex(a => a.AppointmentId);
        b.Property(a => a.Email).HasMaxLength(254);
        b.Property(a => a.Channel).HasMaxLength(8);
        b.Property(a => a.Phone).HasMaxLength(20);
        b.Property(a => a.Outcome).HasMaxLength(16);
        b.Property(a => a.Error).HasMaxLength(1000);
        b.ToTable(t => t.HasCheckConstraint("ck_appointment_reminder_attempts_outcome", "outcome IN ('sent', 'failed', 'interrupted')"));
    }
}
