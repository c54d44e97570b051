using System.Text;
using DentalClinic.ServiceInterface.Files;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace DentalClinic.ServiceInterface.Backups;

/// <summary>
/// Restores a backup into the configured database, which must be empty (or <c>force</c>: everything
/// in it is replaced). PostgreSQL: <c>pg_restore --no-owner --no-privileges --exit-on-error
/// --single-transaction</c>, so a failed restore leaves the database as it was; the audit log's
/// append-only triggers are created after its rows are loaded. SQLite: the online backup API copies
/// the backup over the database file. The database's own connection is used, not the application's
/// DbContext: the backups table of an empty database cannot say where a backup is, so a backup id is
/// found by its file name in the store.
/// </summary>
public sealed class RestoreService(IFileStore store, IOptions<BackupOptions> options, ILogger<RestoreService> logger)
{
    private static readonly byte[] PostgresMagic = "PGDMP"u8.ToArray();
    private static readonly byte[] SqliteMagic = "SQLite format 3\0"u8.ToArray();

    /// <summary>Restores <paramref name="source"/>: a backup id, a file-store key (backups/…) or a path to a backup file.</summary>
    public async Task<RestoreResult> RestoreAsync(string source, string provider, string connectionString, bool force,
        CancellationToken ct, Action<string>? progress = null)
    {
        var isPostgres = provider.Equals(DatabaseProviders.PostgreSql, StringComparison.OrdinalIgnoreCase);
        var (path, description, temporary) = await FetchAsync(source, ct);
        try
        {
            var header = new byte[SqliteMagic.Length];
            await using (var file = File.OpenRead(path)) _ = await file.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, ct);
            var backupIsPostgres = header.AsSpan().StartsWith(PostgresMagic);
            if (!backupIsPostgres && !header.AsSpan().SequenceEqual(SqliteMagic))
                throw new BackupException($"{description} is neither a pg_dump archive nor a SQLite database.");
            if (backupIsPostgres != isPostgres)
                throw new BackupException($"{description} is a {(backupIsPostgres ? "PostgreSQL" : "SQLite")} backup, but Database:Provider is {provider}.");

            var tables = isPostgres ? await CountPostgresTablesAsync(connectionString, ct) : await CountSqliteTablesAsync(connectionString, ct);
            if (tables > 0 && !force)
                throw new RestoreRefusedException(
                    $"The database is not empty ({tables} tables): a backup is restored only into an empty database. " +
                    "Use a new, empty database, or pass --force to replace everything in this one.");

            progress?.Invoke($"Restoring {description} into the {provider} database{(tables > 0 ? " (replacing its contents)" : "")}…");
            if (isPostgres) await RestorePostgresAsync(path, connectionString, wipe: tables > 0, ct);
            else await RestoreSqliteAsync(path, connectionString, ct);
            logger.LogInformation("Restored {Backup} into the {Provider} database", description, provider);
            return new RestoreResult(description, new FileInfo(path).Length, tables > 0);
        }
        finally
        {
            if (temporary) File.Delete(path);
        }
    }

    /// <summary>The backup as a local file: a path as it is; an id or key downloaded from the store to a temporary file.</summary>
    private async Task<(string Path, string Description, bool Temporary)> FetchAsync(string source, CancellationToken ct)
    {
        if (File.Exists(source)) return (Path.GetFullPath(source), $"the file {Path.GetFullPath(source)}", false);

        string? key = null;
        if (Guid.TryParse(source, out var id))
            key = (await store.ListAsync(BackupService.Prefix, ct)).Select(f => f.Key).FirstOrDefault(k => BackupService.IdOf(k) == id);
        else if (FileKeys.IsValid(source) && await store.ExistsAsync(source, ct))
            key = source;
        if (key is null)
            throw new BackupNotFoundException($"No backup '{source}': it is neither a backup id nor a key in the file store nor a file.");

        using var stored = await store.GetAsync(key, ct) ?? throw new BackupNotFoundException($"The backup file {key} is gone from the file store.");
        var temp = Path.Combine(Path.GetTempPath(), $"dentalclinic-restore-{Guid.NewGuid():N}{Path.GetExtension(key)}");
        await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            await stored.Content.CopyToAsync(file, ct);
        return (temp, $"backup {key}", true);
    }

    private async Task RestorePostgresAsync(string path, string connectionString, bool wipe, CancellationToken ct)
    {
        if (wipe)
        {
            // --force: the application's schema and Hangfire's (recreated at the next start) go first.
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(ct);
            await using var drop = new NpgsqlCommand(
                "DROP SCHEMA IF EXISTS hangfire CASCADE; DROP SCHEMA public CASCADE; CREATE SCHEMA public;", connection);
            await drop.ExecuteNonQueryAsync(ct);
        }
        NpgsqlConnection.ClearAllPools();

        var settings = options.Value;
        var pgRestore = PostgresTools.Find("pg_restore", settings.PgRestorePath, besideOf: TryFind("pg_dump", settings.PgDumpPath));
        var environment = PostgresTools.ConnectionEnvironment(connectionString);
        // Everything in the archive except comments on extensions, which only the extension's owner
        // (a superuser) may set: a restore as the database's owner must not fail on them.
        var contents = await PostgresTools.RunAsync(pgRestore, ["--list", path], environment, settings.ToolTimeout, ct);
        var list = Path.Combine(Path.GetTempPath(), $"dentalclinic-restore-{Guid.NewGuid():N}.list");
        try
        {
            var kept = contents.Split('\n').Where(line => !line.Contains(" COMMENT - EXTENSION ", StringComparison.Ordinal));
            await File.WriteAllTextAsync(list, string.Join('\n', kept), Encoding.UTF8, ct);
            await PostgresTools.RunAsync(pgRestore,
                ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", "--no-password",
                 $"--use-list={list}", $"--dbname={environment["PGDATABASE"]}", path],
                environment, settings.ToolTimeout, ct);
        }
        finally
        {
            File.Delete(list);
        }
    }

    private static string? TryFind(string name, string? configured)
    {
        try { return PostgresTools.Find(name, configured); }
        catch (BackupException) { return null; }
    }

    private static async Task RestoreSqliteAsync(string path, string connectionString, CancellationToken ct)
    {
        var target = new SqliteConnectionStringBuilder(connectionString) { Pooling = false };
        if (Path.GetDirectoryName(Path.GetFullPath(target.DataSource)) is { Length: > 0 } directory) Directory.CreateDirectory(directory);
        SqliteConnection.ClearAllPools();
        await using var from = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ConnectionString);
        await using var to = new SqliteConnection(target.ConnectionString);
        await from.OpenAsync(ct);
        await to.OpenAsync(ct);
        // Replaces every page of the target with the backup's, in one step.
        from.BackupDatabase(to);
        await using var check = to.CreateCommand();
        check.CommandText = "PRAGMA integrity_check;";
        var result = (string?)await check.ExecuteScalarAsync(ct);
        if (result != "ok") throw new BackupException($"The restored SQLite database fails its integrity check: {result}");
        SqliteConnection.ClearAllPools();
    }

    private static async Task<long> CountPostgresTablesAsync(string connectionString, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        // Hangfire's own schema is job storage, not data: a database the application started on is not empty anyway.
        await using var command = new NpgsqlCommand("""
            SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
              AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'hangfire')
              AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp\_%'
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
            """, connection);
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    private static async Task<long> CountSqliteTablesAsync(string connectionString, CancellationToken ct)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString) { Pooling = false };
        if (builder.DataSource is ":memory:" || !File.Exists(builder.DataSource)) return 0;
        await using var connection = new SqliteConnection(builder.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'";
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }
}

public sealed record RestoreResult(string Source, long Size, bool Replaced);

/// <summary>The backup to restore does not exist.</summary>
public sealed class BackupNotFoundException(string message) : Exception(message);

/// <summary>The target database is not empty and the restore was not forced.</summary>
public sealed class RestoreRefusedException(string message) : Exception(message);
