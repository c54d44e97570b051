using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DentalClinic.ServiceInterface.Data;

/// <summary>A chair (operatory). DELETE archives one that has appointments (no longer bookable) and removes one that has none.</summary>
public class Chair : Entity, IArchivable
{
    private string name = "";

    /// <summary>Setting the name also sets <see cref="NormalizedName"/>.</summary>
    public required string Name
    {
        get => name;
        set
        {
            name = value;
            NormalizedName = value.Trim().ToLowerInvariant();
        }
    }

    /// <summary>The name trimmed and lower-cased: unique among active chairs (a filtered unique index).</summary>
    public string NormalizedName { get; private set; } = "";
    /// <summary>#RRGGBB.</summary>
    public required string Color { get; set; }
    public int DisplayOrder { get; set; }
    public DateTime? ArchivedAt { get; set; }
}

/// <summary>
/// A working interval on an ISO weekday (1 = Monday … 7 = Sunday), clinic time: the clinic's opening
/// hours (<see cref="DentistId"/> null) or a dentist's own working hours.
/// </summary>
public class ScheduleInterval
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid? DentistId { get; set; }
    public int Weekday { get; set; }
    public TimeOnly Start { get; set; }
    /// <summary>00:00 as an end is midnight (24:00).</summary>
    public TimeOnly End { get; set; }
}

/// <summary>Days the whole clinic is closed (<see cref="DentistId"/> null) or a dentist's time off, <see cref="From"/>..<see cref="To"/> inclusive.</summary>
public class Closure : Entity
{
    public DateOnly From { get; set; }
    public DateOnly To { get; set; }
    public Guid? DentistId { get; set; }
    public string? Reason { get; set; }
}

internal sealed class ScheduleConfiguration :
    IEntityTypeConfiguration<Chair>, IEntityTypeConfiguration<ScheduleInterval>, IEntityTypeConfiguration<Closure>
{
    public void Configure(EntityTypeBuilder<Chair> b)
    {
        b.ToTable("chairs");
        b.Property(c => c.Name).HasMaxLength(100);
        b.Property(c => c.NormalizedName).HasMaxLength(100);
        b.HasIndex(c => c.NormalizedName).IsUnique().HasFilter("archived_at IS NULL");
        b.Property(c => c.Color).HasMaxLength(7);
    }

    public void Configure(EntityTypeBuilder<ScheduleInterval> b)
    {
        b.ToTable("schedule_intervals");
        b.HasOne<User>().WithMany().HasForeignKey(i => i.DentistId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(i => new { i.DentistId, i.Weekday, i.Start });
        b.ToTable(t => t.HasCheckConstraint("ck_schedule_intervals_weekday", "weekday BETWEEN 1 AND 7"));
    }

    public void Configure(EntityTypeBuilder<Closure> b)
    {
        b.ToTable("closures");
        b.HasOne<User>().WithMany().HasForeignKey(c => c.DentistId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(c => new { c.To, c.From });
        b.Property(c => c.Reason).HasMaxLength(200);
        b.ToTable(t => t.HasCheckConstraint("ck_closures_dates", "\"from\" <= \"to\""));
    }
}
