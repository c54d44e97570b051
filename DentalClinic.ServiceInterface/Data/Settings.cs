using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DentalClinic.ServiceInterface.Data;

/// <summary>One clinic setting (the specification's settings table): a key and its JSON value.</summary>
public class Setting
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Key { get; set; }
    public required string Value { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>
/// A text message waiting to be sent. Messages stay <c>pending</c> until the delivery job (a later
/// issue) sends them; the body holds the link it carries, so delivery should clear it once sent.
/// </summary>
public class SmsOutboxMessage
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    /// <summary>E.164.</summary>
    public required string To { get; set; }
    /// <summary>Carries the link (and its token) until sent: never copied into the audit log.</summary>
    [NotAudited]
    public required string Body { get; set; }
    /// <summary>pending | sending | sent | logged (the Log provider: nothing left the machine) | failed.</summary>
    public required string Status { get; set; }
    /// <summary>What the message is for, e.g. medical_history_link.</summary>
    public required string Purpose { get; set; }
    public Guid? RelatedId { get; set; }
    public int Attempts { get; set; }
    public string? LastError { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? SentAt { get; set; }
    /// <summary>When a pending message may be tried (again); null: at once.</summary>
    public DateTime? NextAttemptAt { get; set; }
    /// <summary>When a delivery attempt took the message (status sending).</summary>
    public DateTime? ClaimedAt { get; set; }
    /// <summary>The provider's id of the sent message (Twilio's SM… sid).</summary>
    public string? ProviderMessageId { get; set; }
}

internal sealed class SettingsConfiguration : IEntityTypeConfiguration<Setting>, IEntityTypeConfiguration<SmsOutboxMessage>
{
    public void Configure(EntityTypeBuilder<Setting> b)
    {
        b.ToTable("settings");
        b.Property(s => s.Key).HasMaxLength(100);
        b.HasIndex(s => s.Key).IsUnique();
        b.Property(s => s.Value).Unbounded();
    }

    public void Configure(EntityTypeBuilder<SmsOutboxMessage> b)
    {
        b.ToTable("sms_outbox");
        b.Property(m => m.To).HasMaxLength(20);
        b.Property(m => m.Body).HasMaxLength(1000);
        // A concurrency token: claiming a message updates it only if no one else claimed it first.
        b.Property(m => m.Status).HasMaxLength(16).IsConcurrencyToken();
        b.Property(m => m.Purpose).HasMaxLength(50);
        b.Property(m => m.LastError).HasMaxLength(1000);
        b.Property(m => m.ProviderMessageId).HasMaxLength(64);
        b.ToTable(t => t.HasCheckConstraint("ck_sms_outbox_status", "status IN ('pending', 'sending', 'sent', 'logged', 'failed')"));
        b.HasIndex(m => new { m.Status, m.CreatedAt });
    }
}
