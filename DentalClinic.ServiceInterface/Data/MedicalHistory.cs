using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DentalClinic.ServiceInterface.Data;

/// <summary>A question of the medical-history questionnaire. Removing it from the questionnaire retires it (answers keep pointing at it).</summary>
public class MedicalHistoryQuestion : Entity
{
    public required string Question { get; set; }
    /// <summary>text | radio | checkbox | textarea.</summary>
    public required string Type { get; set; }
    /// <summary>The choices of a radio or checkbox question, in order; null for text and textarea.</summary>
    public List<string>? Options { get; set; }
    public bool Required { get; set; }
    public int Order { get; set; }
    /// <summary>Set when the question left the questionnaire; retired questions are hidden but kept for the answers given to them.</summary>
    public DateTime? RetiredAt { get; set; }
}

/// <summary>A single-use link that lets a patient fill in and sign the questionnaire. Only the token's SHA-256 hash is stored.</summary>
public class MedicalHistoryLink
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PatientId { get; set; }
    public required string TokenHash { get; set; }
    public Guid? CreatedByUserId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime? UsedAt { get; set; }
    /// <summary>Submissions refused because the date of birth did not match the patient's.</summary>
    public int FailedDobAttempts { get; set; }
    /// <summary>Set when too many wrong dates of birth were tried; a locked link is gone.</summary>
    public DateTime? LockedAt { get; set; }
}

/// <summary>A signed questionnaire (the specification's medical_history_submissions).</summary>
public class MedicalHistorySubmission
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PatientId { get; set; }
    public Guid LinkId { get; set; }
    public DateOnly DateOfBirth { get; set; }
    /// <summary>The key of the signature image in the file store (private; read through a signed URL).</summary>
    public required string SignatureKey { get; set; }
    public required string SignatureContentType { get; set; }
    /// <summary>SHA-256 (hex) of the canonical submission: date of birth, answers with their question snapshots, signature hash.</summary>
    public required string SubmissionHash { get; set; }
    public string? IpAddress { get; set; }
    public string? UserAgent { get; set; }
    public DateTime SubmittedAt { get; set; }
}

/// <summary>One answer of a submission, with the question as the patient saw it.</summary>
public class MedicalHistoryResponse
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PatientId { get; set; }
    public Guid SubmissionId { get; set; }
    public Guid QuestionId { get; set; }
    /// <summary>JSON: a string, or an array of strings for a checkbox question.</summary>
    public required string Answer { get; set; }
    public required string QuestionText { get; set; }
    public required string QuestionType { get; set; }
    public List<string>? QuestionOptions { get; set; }
    public int QuestionOrder { get; set; }
    public DateTime SubmittedAt { get; set; }
}

internal sealed class MedicalHistoryConfiguration :
    IEntityTypeConfiguration<MedicalHistoryQuestion>, IEntityTypeConfiguration<MedicalHistoryLink>,
    IEntityTypeConfiguration<MedicalHistorySubmission>, IEntityTypeConfiguration<MedicalHistoryResponse>
{
    public void Configure(EntityTypeBuilder<MedicalHistoryQuestion> b)
    {
        b.ToTable("medical_history_questions");
        b.Property(q => q.Question).HasMaxLength(1000);
        b.Property(q => q.Type).HasMaxLength(16);
        b.Property(q => q.Options).AsJsonList();
        b.ToTable(t => t.HasCheckConstraint("ck_medical_history_questions_type", "type IN ('text', 'radio', 'checkbox', 'textarea')"));
        // One position per question on the live questionnaire.
        // Not unique: a replacement may swap positions within its transaction; the validator keeps
        // orders unique in a questionnaire, and replacements are serialized by a lock.
        b.HasIndex(q => q.Order).HasFilter("retired_at IS NULL");
    }

    public void Configure(EntityTypeBuilder<MedicalHistoryLink> b)
    {
        b.ToTable("medical_history_links");
        b.Property(l => l.TokenHash).HasMaxLength(64);
        b.HasIndex(l => l.TokenHash).IsUnique();
        b.HasIndex(l => l.PatientId);
        b.HasOne<Patient>().WithMany().HasForeignKey(l => l.PatientId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<User>().WithMany().HasForeignKey(l => l.CreatedByUserId).OnDelete(DeleteBehavior.SetNull);
    }

    public void Configure(EntityTypeBuilder<MedicalHistorySubmission> b)
    {
        b.ToTable("medical_history_submissions");
        b.Property(s => s.SignatureKey).HasColumnName("signature").HasMaxLength(300);
        b.Property(s => s.SignatureContentType).HasMaxLength(32);
        b.Property(s => s.SubmissionHash).HasMaxLength(64);
        b.Property(s => s.IpAddress).HasMaxLength(45);
        b.Property(s => s.UserAgent).HasMaxLength(512);
        b.HasOne<Patient>().WithMany().HasForeignKey(s => s.PatientId).OnDelete(DeleteBehavior.Restrict);
        // A link is used at most once.
        b.HasOne<MedicalHistoryLink>().WithOne().HasForeignKey<MedicalHistorySubmission>(s => s.LinkId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(s => new { s.PatientId, s.SubmittedAt });
    }

    public void Configure(EntityTypeBuilder<MedicalHistoryResponse> b)
    {
        b.ToTable("medical_history_responses");
        // Up to 10,000 characters of answer: unbounded text on both providers.
        b.Property(r => r.Answer).Unbounded();
        b.Property(r => r.QuestionText).HasMaxLength(1000);
        b.Property(r => r.QuestionType).HasMaxLength(16);
        b.Property(r => r.QuestionOptions).AsJsonList();
        b.HasOne<Patient>().WithMany().HasForeignKey(r => r.PatientId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<MedicalHistorySubmission>().WithMany().HasForeignKey(r => r.SubmissionId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<MedicalHistoryQuestion>().WithMany().HasForeignKey(r => r.QuestionId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(r => r.SubmissionId);
        b.HasIndex(r => r.PatientId);
    }
}

internal static class JsonListMapping
{
    private static readonly ValueComparer<List<string>?> Comparer = new(
        (a, b) => a == null ? b == null : b != null && a.SequenceEqual(b),
        l => l == null ? 0 : l.Aggregate(17, (h, s) => h * 31 + s.GetHashCode()),
        l => l == null ? null : l.ToList());

    /// <summary>A list of strings stored as a JSON array in a text column (the same on both providers).</summary>
    public static PropertyBuilder<List<string>?> AsJsonList(this PropertyBuilder<List<string>?> property) =>
        property.HasConversion(
                v => v == null ? null : JsonSerializer.Serialize(v, (JsonSerializerOptions?)null),
                v => v == null ? null : JsonSerializer.Deserialize<List<string>>(v, (JsonSerializerOptions?)null),
                Comparer)
            .Unbounded();

    /// <summary>Unbounded text on both providers (the model otherwise caps strings at 4,000 characters).</summary>
    public static PropertyBuilder<T> Unbounded<T>(this PropertyBuilder<T> property)
    {
        property.HasColumnType("text").Metadata.SetMaxLength(null);
        return property;
    }
}
