using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DentalClinic.ServiceInterface.Data;

/// <summary>Rows that DELETE archives instead of removing (DESIGN §5).</summary>
public interface IArchivable
{
    DateTime? ArchivedAt { get; set; }
}

public class Patient : Entity, IArchivable
{
    public required string FirstName { get; set; }
    public required string LastName { get; set; }
    /// <summary>As entered; shown back unchanged.</summary>
    public required string MobileNumber { get; set; }
    /// <summary>The number in E.164; unique, so one person cannot be registered twice.</summary>
    public required string MobileE164 { get; set; }
    public string? Email { get; set; }
    public DateOnly? DateOfBirth { get; set; }
    public DateTime? ArchivedAt { get; set; }
}

public class AppointmentType : Entity, IArchivable
{
    private string name = "";

    /// <summary>Setting the name also sets <see cref="NormalizedName"/> (EF reads and writes the field directly).</summary>
    public required string Name
    {
        get => name;
        set
        {
            name = value;
            NormalizedName = NormalizeName(value);
        }
    }

    /// <summary>The name trimmed and lower-cased: unique among active types (a filtered unique index).</summary>
    public string NormalizedName { get; private set; } = "";

    public static string NormalizeName(string name) => name.Trim().ToLowerInvariant();
    public decimal Price { get; set; }
    /// <summary>Minutes.</summary>
    public int Duration { get; set; }
    /// <summary>#RRGGBB.</summary>
    public required string Color { get; set; }
    public DateTime? ArchivedAt { get; set; }
}

public class Appointment : Entity
{
    public Guid PatientId { get; set; }
    public Guid AppointmentTypeId { get; set; }
    public DateOnly Date { get; set; }
    public TimeOnly Time { get; set; }
    /// <summary>confirmed | pending | cancelled.</summary>
    public required string Status { get; set; }
    public string? Notes { get; set; }
}

/// <summary>
/// A treatment. <see cref="AmountPaid"/> is the sum of its payment allocations (Data/Payments.cs),
/// kept by the payments ledger in the same transaction as the allocations. DELETE archives it (DESIGN §5: nothing clinical or financial is
/// lost): a global query filter hides archived treatments from every query, sums included.
/// </summary>
public class Treatment : Entity, IArchivable
{
    public Guid PatientId { get; set; }
    public int ToothNumber { get; set; }
    public Guid AppointmentTypeId { get; set; }
    public decimal TotalPrice { get; set; }
    public decimal AmountPaid { get; set; }
    public decimal Discount { get; set; }
    public DateOnly Date { get; set; }
    public string? Notes { get; set; }
    public DateTime? ArchivedAt { get; set; }
}

internal sealed class ClinicConfiguration :
    IEntityTypeConfiguration<Patient>, IEntityTypeConfiguration<AppointmentType>,
    IEntityTypeConfiguration<Appointment>, IEntityTypeConfiguration<Treatment>
{
    public void Configure(EntityTypeBuilder<Patient> b)
    {
        b.ToTable("patients");
        b.Property(p => p.FirstName).HasMaxLength(100);
        b.Property(p => p.LastName).HasMaxLength(100);
        b.Property(p => p.MobileNumber).HasMaxLength(40);
        b.Property(p => p.MobileE164).HasMaxLength(20);
        b.Property(p => p.Email).HasMaxLength(254);
        b.HasIndex(p => p.MobileE164).IsUnique();
        b.HasIndex(p => new { p.LastName, p.FirstName, p.Id });
    }

    public void Configure(EntityTypeBuilder<AppointmentType> b)
    {
        b.ToTable("appointment_types");
        b.Property(t => t.Name).HasMaxLength(100);
        b.Property(t => t.NormalizedName).HasMaxLength(100);
        b.HasIndex(t => t.NormalizedName).IsUnique().HasFilter("archived_at IS NULL");
        b.Property(t => t.Color).HasMaxLength(7);
    }

    public void Configure(EntityTypeBuilder<Appointment> b)
    {
        b.ToTable("appointments");
        b.Property(a => a.Status).HasMaxLength(16);
        b.ToTable(t => t.HasCheckConstraint("ck_appointments_status", "status IN ('confirmed', 'pending', 'cancelled')"));
        b.HasOne<Patient>().WithMany().HasForeignKey(a => a.PatientId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AppointmentType>().WithMany().HasForeignKey(a => a.AppointmentTypeId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(a => new { a.Date, a.Time, a.Id });
        b.HasIndex(a => a.PatientId);
    }

    public void Configure(EntityTypeBuilder<Treatment> b)
    {
        b.ToTable("treatments");
        b.ToTable(t => t.HasCheckConstraint("ck_treatments_tooth_number", "tooth_number BETWEEN 1 AND 32"));
        b.HasOne<Patient>().WithMany().HasForeignKey(t => t.PatientId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AppointmentType>().WithMany().HasForeignKey(t => t.AppointmentTypeId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(t => new { t.PatientId, t.Date });
        b.HasIndex(t => new { t.Date, t.Id });
        b.HasQueryFilter(t => t.ArchivedAt == null);
    }
}
