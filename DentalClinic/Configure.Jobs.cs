using DentalClinic.ServiceInterface.Backups;
using DentalClinic.ServiceInterface.Jobs;
using DentalClinic.ServiceInterface.Reminders;
using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Hangfire.Storage.SQLite;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Data.Sqlite;

using DentalClinic.ServiceInterface.Messaging;

namespace DentalClinic;

/// <summary>
/// Background jobs with Hangfire. Storage: PostgreSQL (schema "hangfire" in the application's
/// database) when Database:Provider is PostgreSQL; otherwise a SQLite file next to the
/// application's database (Jobs:SqlitePath). Jobs:Enabled=false runs no job server in this
/// instance (the dashboard and storage stay); Jobs:WorkerCount sets its workers and
/// Jobs:PollInterval how often an idle one looks for work. Dashboard at
/// /admin/jobs for admins only (see JobsDashboardAccess); recurring jobs are registered at start-up:
/// purge-expired-tokens (daily) and appointment-reminders (every minute).
/// </summary>
public static class ConfigureJobs
{
    public static void AddJobs(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var config = builder.Configuration;

        services.AddScoped<PurgeExpiredTokensJob>();
        services.AddAppointmentReminders();
        services.AddScoped<JobsDashboardAccess>();
        // Hangfire checks this token on every dashboard write (its own anti-forgery support).
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "dc_jobs_antiforgery";
            o.Cookie.Path = JobsDashboardAccess.DashboardPath;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });

        // This application's own storage and activator, registered before AddHangfire (which adds
        // them only when missing), so nothing depends on Hangfire's process-wide JobStorage.Current.
        services.AddSingleton<JobStorage>(_ => CreateStorage(config));
        services.AddSingleton<JobActivator>(sp => new AspNetCoreJobActivator(sp.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire((sp, c) => c
            // Hangfire's log provider is process-wide: keep it working if this host's logger factory is gone
            // (several hosts share a process in the tests; one stopping must not break the others' storage).
            .UseLogProvider(new HostLogProvider(sp.GetRequiredService<ILoggerFactory>()))
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings());

        if (IsEnabled(config) && !BuildTime.IsGeneratingOpenApiDocument)
            services.AddHangfireServer((_, o) =>
            {
                o.WorkerCount = Math.Max(1, config.GetValue("Jobs:WorkerCount", 2));
                o.ServerName = $"{Environment.MachineName}:{Environment.ProcessId}";
                o.ShutdownTimeout = TimeSpan.FromSeconds(10);
            });
    }

    /// <summary>Maps the dashboard and registers the recurring jobs.</summary>
    public static void MapJobs(this WebApplication app)
    {
        if (BuildTime.IsGeneratingOpenApiDocument) return;
        var storage = app.Services.GetRequiredService<JobStorage>();
        app.MapHangfireDashboard(JobsDashboardAccess.DashboardPath, new DashboardOptions
        {
            DashboardTitle = "DentalClinic jobs",
            AppPath = "/docs",
            // The default filter admits local requests only; access is the project's own rule.
            Authorization = [],
            AsyncAuthorization = [new JobsDashboardAuthorizationFilter()],
            DisplayStorageConnectionString = false,
        }, storage);

        if (!IsEnabled(app.Configuration)) return;
        var recurring = app.Services.GetRequiredService<IRecurringJobManager>();
        recurring.AddOrUpdate<PurgeExpiredTokensJob>(PurgeExpiredTokensJob.RecurringJobId,
            job => job.RunAsync(CancellationToken.None), Cron.Daily(3), new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        // Picks up retries and anything queued while no server ran; new messages are also enqueued at once.
        recurring.AddOrUpdate<SmsOutboxDispatcher>(SmsOutboxDispatcher.RecurringJobId,
            job => job.DispatchAsync(CancellationToken.None), Cron.Minutely());
        // Backups:Cron (UTC); empty turns the scheduled backup off.
        var backupCron = app.Configuration["Backups:Cron"] ?? new BackupOptions().Cron;
        if (string.IsNullOrWhiteSpace(backupCron)) recurring.RemoveIfExists(BackupJob.RecurringJobId);
        else recurring.AddOrUpdate<BackupJob>(BackupJob.RecurringJobId,
            job => job.RunAsync(CancellationToken.None), backupCron, new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
        // Every minute: schedules due reminders and sends them (state in the application's tables; see AppointmentReminderDispatcher).
        recurring.AddOrUpdate<AppointmentReminderDispatcher>(AppointmentReminderDispatcher.RecurringJobId,
            dispatcher => dispatcher.DispatchAsync(CancellationToken.None), Cron.Minutely(), new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc });
    }

    private static bool IsEnabled(IConfiguration config) => config.GetValue("Jobs:Enabled", true);

    /// <summary>Creates or upgrades Hangfire's PostgreSQL schema (used by `migrate` as the owner role).</summary>
    public static void PreparePostgresSchema(string connectionString)
    {
        var options = new PostgreSqlStorageOptions { SchemaName = "hangfire", PrepareSchemaIfNecessary = true };
        _ = new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString, options), options);
    }

    private static JobStorage CreateStorage(IConfiguration config)
    {
        // How often an idle worker looks for new jobs.
        var poll = config.GetValue("Jobs:PollInterval", TimeSpan.FromSeconds(15));
        var provider = config["Database:Provider"] ?? ConfigureDb.Sqlite;
        var connectionString = config.GetConnectionString("Default");
        if (provider.Equals(ConfigureDb.PostgreSql, StringComparison.OrdinalIgnoreCase))
        {
            // With a separate migration role (ConnectionStrings:Migrations) the schema is installed by
            // `migrate` as that role (ConfigureDb.MigrateDatabaseAsync); the application's role cannot create it.
            var separateOwner = !string.IsNullOrEmpty(config.GetConnectionString(ConfigureDb.MigrationsConnection));
            var options = new PostgreSqlStorageOptions { SchemaName = "hangfire", PrepareSchemaIfNecessary = !separateOwner, QueuePollInterval = poll };
            return new PostgreSqlStorage(new NpgsqlConnectionFactory(connectionString!, options), options);
        }

        var path = config["Jobs:SqlitePath"] is { Length: > 0 } configured ? configured : SqlitePathBeside(connectionString);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        return new SQLiteStorage(path, new SQLiteStorageOptions { JournalMode = SQLiteStorageOptions.JournalModes.WAL, QueuePollInterval = poll });
    }

    /// <summary>data/dentalclinic.db → data/dentalclinic-hangfire.db: a file of its own, next to the application's.</summary>
    private static string SqlitePathBeside(string? connectionString)
    {
        var appDb = new SqliteConnectionStringBuilder(connectionString ?? "Data Source=data/dentalclinic.db").DataSource;
        var directory = Path.GetDirectoryName(Path.GetFullPath(appDb))!;
        return Path.Combine(directory, Path.GetFileNameWithoutExtension(appDb) + "-hangfire.db");
    }
}

/// <summary>Hangfire's logs through ASP.NET Core logging; nothing (instead of an exception) once the host's logger factory is disposed.</summary>
internal sealed class HostLogProvider(ILoggerFactory loggerFactory) : Hangfire.Logging.ILogProvider
{
    private readonly AspNetCoreLogProvider inner = new(loggerFactory);

    public Hangfire.Logging.ILog GetLogger(string name)
    {
        try
        {
            return inner.GetLogger(name);
        }
        catch (ObjectDisposedException)
        {
            return Silent.Instance;
        }
    }

    private sealed class Silent : Hangfire.Logging.ILog
    {
        public static readonly Silent Instance = new();
        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}
