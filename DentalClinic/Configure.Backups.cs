using DentalClinic.ServiceInterface.Backups;

namespace DentalClinic;

/// <summary>
/// Database backups into the file store (backups/…, private): scheduled by Backups:Cron (default
/// 02:00 UTC daily; registered in Configure.Jobs.cs), on demand with POST /api/admin/backups or
/// `dotnet DentalClinic.dll backup`; the newest Backups:RetentionCount (default 14) are kept.
/// PostgreSQL needs pg_dump/pg_restore (Backups:PgDumpPath, Backups:PgRestorePath; found under
/// /usr/lib/postgresql/*/bin or on PATH otherwise). `restore` is in Configure.Commands.cs.
/// </summary>
public static class ConfigureBackups
{
    public static void AddBackups(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<BackupOptions>(builder.Configuration.GetSection("Backups"));
        builder.Services.AddScoped<BackupService>();
        builder.Services.AddScoped<RestoreService>();
        builder.Services.AddScoped<BackupJob>();
    }
}
