namespace DentalClinic.ServiceModel;

public static class BackupStatuses
{
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
}

/// <summary>Backups, newest first, cursor-paginated like every other collection.</summary>
public record QueryBackups(int? Limit, string? Cursor);

/// <summary>One backup of the database, kept in the file store (private) under <see cref="FileKey"/>.</summary>
/// <param name="FileKey">The file's key in the file store, e.g. <c>backups/20261124-020000-….pgdump</c>; null for a failed backup.</param>
/// <param name="Size">Bytes of the backup file.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the backup file.</param>
/// <param name="Provider"><c>PostgreSQL</c> (a <c>pg_dump --format=custom</c> archive) or <c>Sqlite</c> (a database file).</param>
/// <param name="Status"><c>succeeded</c> or <c>failed</c>.</param>
/// <param name="Error">Why a failed backup failed.</param>
/// <param name="CreatedBy">The admin who asked for it; null for the schedule and the <c>backup</c> command.</param>
public record BackupDto(
    Guid Id,
    string? FileKey,
    long Size,
    string? Sha256,
    string Provider,
    DateTime CreatedAt,
    string Status,
    string? Error,
    Guid? CreatedBy);
