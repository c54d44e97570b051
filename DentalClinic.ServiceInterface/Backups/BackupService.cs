using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using DentalClinic.ServiceInterface.Audit;
using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceInterface.Files;
using DentalClinic.ServiceInterface.Infrastructure;
using DentalClinic.ServiceModel;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DentalClinic.ServiceInterface.Backups;

/// <summary>
/// Backs up the application's database into the file store (private, under backups/):
/// PostgreSQL with <c>pg_dump --format=custom</c> (Hangfire's schema left out: job state is not
/// clinic data), SQLite with its online backup API (a consistent copy while the application runs).
/// A row in <c>backups</c> records each outcome; only the newest Backups:RetentionCount files are kept.
/// </summary>
public sealed partial class BackupService(
    AppDbContext db, IFileStore store, IOptions<BackupOptions> options, TimeProvider clock, ILogger<BackupService> logger)
{
    public const string Prefix = "backups/";
    public const string PostgresExtension = "pgdump";
    public const string SqliteExtension = "sqlite";

    private BackupOptions Settings => options.Value;

    public string Provider => db.IsPostgres ? DatabaseProviders.PostgreSql : DatabaseProviders.Sqlite;

    private sealed record Position(DateTime At, Guid Id);

    /// <summary>Backups, newest first, a page at a time (keyset on time and id).</summary>
    public async Task<PagedResult<BackupDto>> QueryAsync(QueryBackups request, CursorCodec cursors, CancellationToken ct)
    {
        var limit = PageRequest.Limit(request.Limit);
        var query = db.Set<Backup>().AsNoTracking();
        if (request.Cursor is not null)
        {
            var after = cursors.Decode<Position>(request.Cursor);
            var at = DateTime.SpecifyKind(after.At, DateTimeKind.Utc);
            query = query.Where(b => b.CreatedAt < at || (b.CreatedAt == at && b.Id.CompareTo(after.Id) < 0));
        }
        var rows = await query.OrderByDescending(b => b.CreatedAt).ThenByDescending(b => b.Id).Take(limit + 1).ToListAsync(ct);
        var hasMore = rows.Count > limit;
        if (hasMore) rows.RemoveAt(limit);
        var next = hasMore ? cursors.Encode(new Position(rows[^1].CreatedAt, rows[^1].Id)) : null;
        return new PagedResult<BackupDto>(rows.Select(ToDto).ToList(), new Pagination(limit, next, hasMore));
    }

    /// <summary>
    /// A stored backup's file, to stream to an admin; the download is recorded in the audit log as an access
    /// to the backup's row. 404 for an unknown or failed backup, or one whose file is gone.
    /// </summary>
    public async Task<(BackupDto Backup, StoredFile File)> OpenFileAsync(Guid id, AuditLog audit, CancellationToken ct)
    {
        var backup = await db.Set<Backup>().AsNoTracking().FirstOrDefaultAsync(b => b.Id == id, ct);
        if (backup is not { Status: BackupStatuses.Succeeded, FileKey: { } key }) throw ApiException.NotFound("Backup");
        var file = await store.GetAsync(key, ct) ?? throw ApiException.NotFound("Backup file");
        await audit.RecordAccessAsync("backups", id, ["file"], ct);
        return (ToDto(backup), file);
    }

    public async Task<BackupDto> GetAsync(Guid id, CancellationToken ct) =>
        await db.Set<Backup>().AsNoTracking().FirstOrDefaultAsync(b => b.Id == id, ct) is { } backup
            ? ToDto(backup)
            : throw ApiException.NotFound("Backup");

    /// <summary>
    /// Makes a backup now and applies the retention. A failure is recorded (status failed, with the
    /// reason) and thrown as a <see cref="BackupException"/>. <paramref name="record"/> false stores
    /// the file only (the backup command on a database whose schema predates the backups table).
    /// </summary>
    public async Task<BackupDto> CreateAsync(Guid? createdBy, CancellationToken ct, Action<string>? progress = null, bool record = true)
    {
        var started = clock.GetUtcNow().UtcDateTime;
        var backup = new Backup { Provider = Provider, Status = BackupStatuses.Failed, CreatedBy = createdBy };
        var extension = db.IsPostgres ? PostgresExtension : SqliteExtension;
        var key = $"{Prefix}{started.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}-{backup.Id}.{extension}";
        var temp = Path.Combine(Path.GetTempPath(), $"dentalclinic-backup-{backup.Id:N}.{extension}");
        try
        {
            progress?.Invoke($"Backing up the {Provider} database…");
            if (db.IsPostgres) await DumpPostgresAsync(temp, ct);
            else await CopySqliteAsync(temp, ct);

            await using (var file = new FileStream(temp, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true))
            {
                backup.Size = file.Length;
                backup.Sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(file, ct));
                file.Position = 0;
                progress?.Invoke($"Storing {backup.Size:N0} bytes as {key}…");
                await store.PutAsync(key, file, "application/octet-stream", ct);
            }
            backup.FileKey = key;
            backup.Status = BackupStatuses.Succeeded;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            backup.Error = e.Message.Length > 2000 ? e.Message[..2000] : e.Message;
            logger.LogError(e, "Backup {BackupId} failed", backup.Id);
        }
        finally
        {
            File.Delete(temp);
        }

        // Whole microseconds: what PostgreSQL keeps, so the response equals what is read back later.
        var finished = clock.GetUtcNow().UtcDateTime;
        backup.CreatedAt = new DateTime(finished.Ticks - finished.Ticks % 10, DateTimeKind.Utc);
        if (record)
        {
            db.Set<Backup>().Add(backup);
            await db.SaveChangesAsync(ct);
        }
        if (backup.Status != BackupStatuses.Succeeded)
            throw new BackupException($"Backup {backup.Id} failed: {backup.Error}");

        logger.LogInformation("Backup {BackupId} stored as {FileKey} ({Size} bytes)", backup.Id, backup.FileKey, backup.Size);
        if (record) await ApplyRetentionAsync(ct);
        return ToDto(backup);
    }

    /// <summary>
    /// Keeps the newest Backups:RetentionCount backup files of the store (names sort by time) and
    /// deletes the others with their rows; failed rows older than the oldest kept backup go too.
    /// </summary>
    public async Task ApplyRetentionAsync(CancellationToken ct)
    {
        var keep = Math.Max(1, Settings.RetentionCount);
        var files = (await store.ListAsync(Prefix, ct)).Where(f => IsBackupKey(f.Key)).OrderByDescending(f => f.Key, StringComparer.Ordinal).ToList();
        var kept = files.Take(keep).Select(f => f.Key).ToHashSet();
        foreach (var old in files.Skip(keep))
        {
            await store.DeleteAsync(old.Key, ct);
            logger.LogInformation("Deleted backup file {FileKey} (retention {RetentionCount})", old.Key, keep);
        }

        var rows = await db.Set<Backup>().ToListAsync(ct);
        var oldestKept = rows.Where(r => r.FileKey is not null && kept.Contains(r.FileKey)).Select(r => (DateTime?)r.CreatedAt).Min();
        var expired = rows.Where(r => r.Status == BackupStatuses.Succeeded
                ? r.FileKey is null || !kept.Contains(r.FileKey)
                : oldestKept is { } cutoff && r.CreatedAt < cutoff)
            .ToList();
        if (expired.Count == 0) return;
        // Tracked deletes: the audit log records them like any other change.
        db.Set<Backup>().RemoveRange(expired);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>backups/20261124-020000-0193….pgdump: the names this service writes (nothing else under backups/ is touched).</summary>
    public static bool IsBackupKey(string key) => BackupKeyPattern().IsMatch(key);

    /// <summary>The backup id in a key this service wrote.</summary>
    public static Guid? IdOf(string key) =>
        BackupKeyPattern().Match(key) is { Success: true } m && Guid.TryParse(m.Groups["id"].Value, out var id) ? id : null;

    private async Task DumpPostgresAsync(string target, CancellationToken ct)
    {
        var pgDump = PostgresTools.Find("pg_dump", Settings.PgDumpPath);
        await PostgresTools.RunAsync(pgDump,
            ["--format=custom", "--compress=6", "--exclude-schema=hangfire", "--no-password", $"--file={target}"],
            PostgresTools.ConnectionEnvironment(db.Database.GetConnectionString()!), Settings.ToolTimeout, ct);
    }

    private async Task CopySqliteAsync(string target, CancellationToken ct)
    {
        var source = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()) { Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        await using var from = new SqliteConnection(source.ConnectionString);
        await using var to = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = target, Pooling = false }.ConnectionString);
        await from.OpenAsync(ct);
        await to.OpenAsync(ct);
        // The online backup API: a consistent snapshot, page by page, while others keep writing.
        from.BackupDatabase(to);
        // A self-contained file: no -wal file beside it is needed to read it.
        await using var command = to.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=DELETE;";
        await command.ExecuteNonQueryAsync(ct);
    }

    private static BackupDto ToDto(Backup b) =>
        new(b.Id, b.FileKey, b.Size, b.Sha256, b.Provider, b.CreatedAt, b.Status, b.Error, b.CreatedBy);

    [GeneratedRegex(@"^backups/\d{8}-\d{6}-(?<id>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.(pgdump|sqlite)$")]
    private static partial Regex BackupKeyPattern();
}

/// <summary>The provider names of Database:Provider.</summary>
public static class DatabaseProviders
{
    public const string Sqlite = "Sqlite";
    public const string PostgreSql = "PostgreSQL";
}
