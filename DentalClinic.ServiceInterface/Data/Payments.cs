using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DentalClinic.ServiceInterface.Data;

/// <summary>
/// The money ledger (DESIGN §5). Rows are only ever added: a payment is never edited or deleted;
/// a void or a refund is a <see cref="PaymentReversal"/>, and money moves to or from a treatment
/// as a <see cref="PaymentAllocation"/> (positive: given to it; negative: taken back). A
/// treatment's <c>amount_paid</c> is the sum of its allocations, written by the ledger in the
/// same transaction as the allocations (PaymentsLedger) and checked by the database.
/// </summary>
public class Payment : Entity
{
    public Guid PatientId { get; set; }
    public decimal Amount { get; set; }
    /// <summary>cash | card | transfer | insurance | other.</summary>
    public required string Method { get; set; }
    public DateOnly Date { get; set; }
    public string? Reference { get; set; }
    public string? Note { get; set; }
    /// <summary>Who recorded it (null: the system, e.g. the opening entries of the migration).</summary>
    public Guid? RecordedBy { get; set; }
    /// <summary>The X-Request-Id of the request that recorded it.</summary>
    public string? RequestId { get; set; }
}

/// <summary>A void (the whole remaining payment) or a refund (part of it) of one payment.</summary>
public class PaymentReversal : Entity
{
    public Guid PaymentId { get; set; }
    public Guid PatientId { get; set; }
    /// <summary>void | refund.</summary>
    public required string Kind { get; set; }
    public decimal Amount { get; set; }
    public required string Method { get; set; }
    public DateOnly Date { get; set; }
    public required string Reason { get; set; }
    public Guid? RecordedBy { get; set; }
    public string? RequestId { get; set; }
}

/// <summary>Money of one payment given to (positive) or taken back from (negative) one treatment.</summary>
public class PaymentAllocation : Entity
{
    public Guid PaymentId { get; set; }
    public Guid TreatmentId { get; set; }
    public Guid PatientId { get; set; }
    public decimal Amount { get; set; }
    /// <summary>The void or refund that took the money back, for negative allocations made by one.</summary>
    public Guid? ReversalId { get; set; }
    public Guid? RecordedBy { get; set; }
    public string? RequestId { get; set; }
}

internal sealed class PaymentsConfiguration :
    IEntityTypeConfiguration<Payment>, IEntityTypeConfiguration<PaymentReversal>, IEntityTypeConfiguration<PaymentAllocation>
{
    public void Configure(EntityTypeBuilder<Payment> b)
    {
        b.ToTable("payments", t =>
        {
            t.HasCheckConstraint("ck_payments_amount", "CAST(amount AS NUMERIC) > 0");
            t.HasCheckConstraint("ck_payments_method", "method IN ('cash', 'card', 'transfer', 'insurance', 'other')");
        });
        b.Property(p => p.Method).HasMaxLength(16);
        b.Property(p => p.Reference).HasMaxLength(100);
        b.Property(p => p.Note).HasMaxLength(500);
        b.Property(p => p.RequestId).HasMaxLength(100);
        b.HasOne<Patient>().WithMany().HasForeignKey(p => p.PatientId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(p => new { p.PatientId, p.CreatedAt });
        b.HasIndex(p => new { p.Date, p.Id });
        b.HasIndex(p => p.CreatedAt);
    }

    public void Configure(EntityTypeBuilder<PaymentReversal> b)
    {
        b.ToTable("payment_reversals", t =>
        {
            t.HasCheckConstraint("ck_payment_reversals_amount", "CAST(amount AS NUMERIC) > 0");
            t.HasCheckConstraint("ck_payment_reversals_kind", "kind IN ('void', 'refund')");
        });
        b.Property(r => r.Kind).HasMaxLength(8);
        b.Property(r => r.Method).HasMaxLength(16);
        b.Property(r => r.Reason).HasMaxLength(500);
        b.Property(r => r.RequestId).HasMaxLength(100);
        b.HasOne<Payment>().WithMany().HasForeignKey(r => r.PaymentId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Patient>().WithMany().HasForeignKey(r => r.PatientId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(r => r.PaymentId);
        b.HasIndex(r => new { r.PatientId, r.CreatedAt });
        b.HasIndex(r => r.CreatedAt);
    }

    public void Configure(EntityTypeBuilder<PaymentAllocation> b)
    {
        b.ToTable("payment_allocations", t => t.HasCheckConstraint("ck_payment_allocations_amount", "CAST(amount AS NUMERIC) <> 0"));
        b.Property(a => a.RequestId).HasMaxLength(100);
        b.HasOne<Payment>().WithMany().HasForeignKey(a => a.PaymentId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Treatment>().WithMany().HasForeignKey(a => a.TreatmentId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Patient>().WithMany().HasForeignKey(a => a.PatientId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<PaymentReversal>().WithMany().HasForeignKey(a => a.ReversalId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(a => a.PaymentId);
        b.HasIndex(a => a.TreatmentId);
        b.HasIndex(a => a.PatientId);
    }
}

/// <summary>
/// A stored Idempotency-Key (DESIGN §6: in the database, so a retry reaching another instance
/// is answered the same). The first request with a key holds it while it runs; its successful
/// response is kept for 24 hours and replayed to a retry with the same body.
/// </summary>
[NotAudited]
public class IdempotencyRecord
{
    /// <summary>The user, the endpoint and the client's key, hashed: one row per key and caller.</summary>
    public required string Id { get; set; }
    /// <summary>SHA-256 of the request (method, path and body as bound).</summary>
    public required string RequestHash { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>Null while the first request is running.</summary>
    public int? StatusCode { get; set; }
    public string? Location { get; set; }
    public byte[]? Body { get; set; }
}

internal sealed class IdempotencyConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> b)
    {
        b.ToTable("idempotency_keys");
        b.Property(r => r.Id).HasMaxLength(64);
        b.Property(r => r.RequestHash).HasMaxLength(64);
        b.Property(r => r.Location).HasMaxLength(400);
        b.HasIndex(r => r.CreatedAt);
    }
}
