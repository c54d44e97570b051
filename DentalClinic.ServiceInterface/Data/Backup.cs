using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DentalClinic.ServiceInterface.Data;

/// <summary>
/// A backup's metadata; the backup itself is a private file in the file store (<see cref="FileKey"/>).
/// A row is written once the backup has finished (succeeded or failed), so a backup never contains
/// a half-finished row of its own.
/// Registered by its configuration below (AppDbContext applies every configuration of the assembly);
/// services use <c>db.Set&lt;Backup&gt;()</c>.
/// </summary>
public class Backup
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    /// <summary>The file store key (backups/…); null when the backup failed before a file was stored.</summary>
    public string? FileKey { get; set; }
    public long Size { get; set; }
    /// <summary>Lower-case hex SHA-256 of the file: a checksum, not a secret.</summary>
    public string? Sha256 { get; set; }
    public required string Provider { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>succeeded | failed (ServiceModel.BackupStatuses).</summary>
    public required string Status { get; set; }
    public string? Error { get; set; }
    /// <summary>The admin who asked for it; null for the schedule and the backup command.</summary>
    public Guid? CreatedBy { get; set; }
}

internal sealed class BackupConfiguration : IEntityTypeConfiguration<Backup>
{
    public void Configure(EntityTypeBuilder<Backup> b)
    {
        b.ToTable("backups");
        b.Property(x => x.FileKey).HasMaxLength(300);
        b.Property(x => x.Sha256).HasMaxLength(64);
        b.Property(x => x.Provider).HasMaxLength(16);
        b.Property(x => x.Status).HasMaxLength(16);
        b.Property(x => x.Error).HasMaxLength(2000);
        b.HasIndex(x => x.CreatedAt);
        b.HasIndex(x => x.FileKey).IsUnique();
    }
}
