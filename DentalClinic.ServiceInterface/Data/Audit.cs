using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DentalClinic.ServiceInterface.Data;

/// <summary>
/// One row of the audit log: a create, update or delete of any table (written by the
/// AuditInterceptor in the same transaction as the change), or a read of sensitive data
/// (an access event). Append-only: nothing in the application updates or deletes it, and the
/// database refuses to (triggers added by the AddAuditLog migration).
/// </summary>
public class AuditEntry
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public DateTime OccurredAt { get; set; }
    /// <summary>The signed-in user; null for the system (start-up, jobs) and anonymous callers.</summary>
    public Guid? UserId { get; set; }
    /// <summary>The user's role at the time, or <see cref="AuditActors.System"/> / <see cref="AuditActors.Anonymous"/>.</summary>
    public required string UserRole { get; set; }
    /// <summary>create | update | delete | access (ServiceModel.AuditActions).</summary>
    public required string Action { get; set; }
    public required string TableName { get; set; }
    public required string EntityId { get; set; }
    /// <summary>The row before the change as a JSON object of column → value (null for a create).</summary>
    public string? Before { get; set; }
    /// <summary>The row after the change (null for a delete).</summary>
    public string? After { get; set; }
    /// <summary>JSON array of column names: changed by an update (also redacted ones, without values), or read by an access.</summary>
    public string? Columns { get; set; }
    public string? RequestId { get; set; }
    public string? IpAddress { get; set; }
    /// <summary>Position in the hash chain (1, 2, 3 …), given under a lock as the row is written; null only for an out-of-band insert.</summary>
    public long? Seq { get; set; }
    /// <summary>HMAC-SHA256 (hex) over the previous row's hash and this row's content (see AuditChain); null on rows older than the chain.</summary>
    public string? Hash { get; set; }
}

public static class AuditActors
{
    public const string System = "system";
    public const string Anonymous = "anonymous";
}

/// <summary>
/// On an entity class: the whole table is not audited. On a property: its value never enters
/// the audit log (the column name still appears among the changed columns).
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Property)]
public sealed class NotAuditedAttribute : Attribute;

/// <summary>
/// What the audit log leaves out — the one place that decides it. Secrets never enter the log:
/// the explicit lists below, anything marked <see cref="NotAuditedAttribute"/>, and as a safety
/// net for tables added later, binary columns and columns whose names say they hold a secret.
/// </summary>
public static class AuditPolicy
{
    /// <summary>
    /// Tables not audited at all. Token tables are security bookkeeping, not clinical data: they
    /// hold only hashes and are rewritten in bulk on every refresh and logout. Data-protection keys
    /// are key material.
    /// </summary>
    private static readonly HashSet<Type> ExcludedTypes =
        [typeof(AuditEntry), typeof(RefreshToken), typeof(RevokedAccessToken), typeof(Microsoft.AspNetCore.DataProtection.EntityFrameworkCore.DataProtectionKey)];

    /// <summary>Columns whose values never enter the log.</summary>
    private static readonly HashSet<(Type, string)> RedactedProperties =
    [
        (typeof(User), nameof(User.PasswordHash)),
        (typeof(User), nameof(User.SecurityStamp)),
    ];

    private static readonly string[] SecretNameParts = ["password", "secret", "token", "signature", "hash"];

    // Decided once per model element: the interceptor asks on every save.
    private static readonly ConcurrentDictionary<IReadOnlyTypeBase, bool> AuditedTypes = new();
    private static readonly ConcurrentDictionary<IReadOnlyPropertyBase, bool> RedactedColumns = new();

    public static bool IsAudited(IEntityType type) => AuditedTypes.GetOrAdd(type, _ =>
        !ExcludedTypes.Contains(type.ClrType) &&
        type.ClrType.GetCustomAttribute<NotAuditedAttribute>(inherit: true) is null &&
        type.GetTableName() is not null);

    public static bool IsRedacted(IProperty property) => RedactedColumns.GetOrAdd(property, _ => DecideRedacted(property));

    private static bool DecideRedacted(IProperty property)
    {
        if (property.ClrType == typeof(byte[])) return true;
        if (property.PropertyInfo?.GetCustomAttribute<NotAuditedAttribute>() is not null) return true;
        if (RedactedProperties.Contains((property.DeclaringType.ClrType, property.Name))) return true;
        var name = property.Name.ToLowerInvariant();
        return SecretNameParts.Any(name.Contains);
    }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.ToTable("audit_log");
        b.Property(a => a.UserRole).HasMaxLength(16);
        b.Property(a => a.Action).HasMaxLength(16);
        b.Property(a => a.TableName).HasMaxLength(100);
        b.Property(a => a.EntityId).HasMaxLength(200);
        // Row images are unbounded text (the 4000-character convention does not apply).
        foreach (var image in new[] { nameof(AuditEntry.Before), nameof(AuditEntry.After), nameof(AuditEntry.Columns) })
        {
            b.Property(image).HasColumnType("text");
            b.Property(image).Metadata.SetMaxLength(null);
        }
        b.Property(a => a.RequestId).HasMaxLength(100);
        b.Property(a => a.IpAddress).HasMaxLength(64);
        // Newest first, and the admin filters: one row's history, one user's actions.
        b.HasIndex(a => new { a.OccurredAt, a.Id });
        b.HasIndex(a => new { a.TableName, a.EntityId, a.OccurredAt });
        b.HasIndex(a => new { a.UserId, a.OccurredAt });
        b.HasIndex(a => a.Seq).IsUnique();
        b.Property(a => a.Hash).HasMaxLength(64);
    }
}
