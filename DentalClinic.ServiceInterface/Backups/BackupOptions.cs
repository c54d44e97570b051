namespace DentalClinic.ServiceInterface.Backups;

/// <summary>The Backups configuration section.</summary>
public sealed class BackupOptions
{
    /// <summary>When the scheduled backup runs (cron, UTC); empty: no scheduled backup.</summary>
    public string Cron { get; set; } = "0 2 * * *";

    /// <summary>How many of the newest backups are kept; older files and rows are deleted.</summary>
    public int RetentionCount { get; set; } = 14;

    /// <summary>pg_dump to use; default: the newest under /usr/lib/postgresql/*/bin, else the one on PATH.</summary>
    public string? PgDumpPath { get; set; }

    /// <summary>pg_restore to use; default: the one beside pg_dump.</summary>
    public string? PgRestorePath { get; set; }

    /// <summary>How long pg_dump or pg_restore may run.</summary>
    public TimeSpan ToolTimeout { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>A backup or restore that could not be done; the message says why (no secrets).</summary>
public sealed class BackupException(string message, Exception? inner = null) : Exception(message, inner);
