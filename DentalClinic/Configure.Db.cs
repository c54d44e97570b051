using DentalClinic.ServiceInterface.Audit;
using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceInterface.Patients;
using DentalClinic.ServiceInterface.Users;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;

namespace DentalClinic;

/// <summary>
/// Database: EF Core on SQLite (default, data/dentalclinic.db under the working directory) or PostgreSQL, chosen by Database:Provider.
/// Migrations are applied at start-up unless Database:MigrateOnStartup is false; operators can run
/// them alone with `dotnet DentalClinic.dll migrate`.
/// </summary>
public static class ConfigureDb
{
    public const string Sqlite = "Sqlite";
    public const string PostgreSql = "PostgreSQL";
    private const string DefaultSqlite = "Data Source=data/dentalclinic.db";
    /// <summary>Optional PostgreSQL connection of the owner role that runs migrations (see <see cref="MigrateDatabaseAsync"/>).</summary>
    public const string MigrationsConnection = "Migrations";

    public static void AddDatabase(this WebApplicationBuilder builder)
    {
        var provider = builder.Configuration["Database:Provider"] ?? Sqlite;
        var connectionString = builder.Configuration.GetConnectionString("Default");
        var migrationsAssembly = typeof(ConfigureDb).Assembly.GetName().Name;

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<TimestampInterceptor>();
        builder.Services.AddSingleton<PatientSearchInterceptor>();
        builder.Services.AddSingleton<PreparedQueries>();
        builder.Services.AddScoped<DentalClinic.ServiceInterface.Operations.DemoSeeder>();
        // Every write is audited in the same transaction as the write (ServiceInterface/Audit); the actor comes from the request.
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton<CurrentAuditActor>();
        builder.Services.AddSingleton<AuditInterceptor>();
        builder.Services.AddScoped<AuditLog>();
        // Contexts are pooled: a request reuses a context instead of building its options and services again.

        if (provider.Equals(Sqlite, StringComparison.OrdinalIgnoreCase))
        {
            connectionString ??= DefaultSqlite;
            EnsureSqliteDirectory(connectionString);
            builder.Services.AddDbContext<DataProtectionKeysContext>(options => options
                .UseSqlite(connectionString).UseSnakeCaseNamingConvention());
            builder.Services.AddDbContextPool<AppDbContext, SqliteAppDbContext>((sp, options) => options
                .UseSqlite(connectionString, o => o.MigrationsAssembly(migrationsAssembly))
                .UseSnakeCaseNamingConvention()
                // SQLite changes a column by rebuilding its table between PRAGMA foreign_keys = 0 and 1, which
                // SQLite cannot run inside a transaction; EF warns about it on every fresh database although
                // there is nothing an operator could do. It stays visible at Debug level.
                .ConfigureWarnings(w => w.Log((RelationalEventId.NonTransactionalMigrationOperationWarning, LogLevel.Debug)))
                .AddInterceptors(
                    sp.GetRequiredService<TimestampInterceptor>(),
                    sp.GetRequiredService<PatientSearchInterceptor>(),
                    sp.GetRequiredService<AuditInterceptor>()));
        }
        else if (provider.Equals(PostgreSql, StringComparison.OrdinalIgnoreCase))
        {
            if (string.IsNullOrWhiteSpace(connectionString))
                throw new StartupException(
                    "Database:Provider is PostgreSQL but ConnectionStrings:Default is not set " +
                    "(environment: ConnectionStrings__Default=\"Host=...;Database=...;Username=...;Password=...\").");
            // Unless the connection string says otherwise, a connection goes back to the pool without a reset,
            // which would cost each request an extra round of statements. The app leaves no session state
            // behind: its locks are transaction-scoped and it never SETs, LISTENs or creates temporary tables;
            // an open transaction is still rolled back.
            var npgsql = ParseConnectionString(() => new Npgsql.NpgsqlConnectionStringBuilder(connectionString), "PostgreSQL");
            // Refused: automatic preparation, because in Npgsql 10.0.3 a statement that fails on the run that
            // prepares it leaves the connection out of step with the server and the statement's next run there
            // fails (npgsql/npgsql#6391) — and a refused write (a unique or check constraint) is such a failure (the
            // hottest statements are prepared explicitly instead, which that does not break: PreparedQueries);
            // multiplexing, because with it two instances dispatching one SMS outbox at once left a transaction's
            // connection stalled after its UPDATE (the server idle in the transaction, the row locked, the client
            // waiting for a reply) or out of step, in 4 of 13 runs of the two-instance tests; in none of 8 without. (The
            // audit chain's COMMIT sent with its INSERT, AuditChain.CommittingAsync, also needs multiplexing off.)
            if (npgsql.MaxAutoPrepare > 0 || npgsql.Multiplexing)
                throw new StartupException(
                    "ConnectionStrings:Default sets Max Auto Prepare or Multiplexing: remove them. With Npgsql 10.0.3 they " +
                    "leave connections out of step with the database (see the README, \"PostgreSQL connections\").");
            // Npgsql reads "No Reset On Close" also as "NoResetOnClose", in any case.
            var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys
                .Cast<string>().Select(key => key.Replace(" ", "")).ToHashSet(StringComparer.OrdinalIgnoreCase);
            if (!given.Contains("NoResetOnClose")) npgsql.NoResetOnClose = true;
            var appConnectionString = npgsql.ConnectionString;
            builder.Services.AddDbContext<DataProtectionKeysContext>(options => options
                .UseNpgsql(appConnectionString).UseSnakeCaseNamingConvention());
            builder.Services.AddDbContextPool<AppDbContext, PostgresAppDbContext>((sp, options) => options
                .UseNpgsql(appConnectionString, o => o.MigrationsAssembly(migrationsAssembly))
                .UseSnakeCaseNamingConvention()
                .AddInterceptors(
                    sp.GetRequiredService<TimestampInterceptor>(),
                    sp.GetRequiredService<PatientSearchInterceptor>(),
                    sp.GetRequiredService<AuditInterceptor>(),
                    sp.GetRequiredService<PreparedQueries>()));
        }
        else
        {
            throw new StartupException(
                $"Database:Provider '{provider}' is not supported: use '{Sqlite}' or '{PostgreSql}'.");
        }
    }

    /// <summary>Applies pending migrations (unless disabled) and creates the first admin when there is no user.</summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        if (BuildTime.IsGeneratingOpenApiDocument) return;
        if (app.Configuration.GetValue("Database:MigrateOnStartup", true)) await app.MigrateDatabaseAsync();
        LogWhereDataLives(app);

        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UsersService>();
        var email = app.Configuration["Bootstrap:AdminEmail"];
        var (admin, generated) = await users.BootstrapAdminAsync(email, app.Configuration["Bootstrap:AdminPassword"], CancellationToken.None);
        if (admin is null) return;
        // Printed to the console once, never logged: it is a credential.
        Console.WriteLine(generated is null
            ? $"Created the first admin {admin.Email} with the password from Bootstrap:AdminPassword."
            : $"""
               ================================================================
                Created the first admin. Log in with POST /api/auth/login:
                  email:    {admin.Email}
                  password: {generated}
                This password is shown only once; change it with PUT /api/users/{admin.Id}.
               ================================================================
               """);
    }

    /// <summary>
    /// Relative paths (the default `data/…`) are read from the working directory: `dotnet run --project
    /// DentalClinic` starts in DentalClinic/, a published app in the directory it is started from. Says which.
    /// </summary>
    private static void LogWhereDataLives(WebApplication app)
    {
        var provider = app.Configuration["Database:Provider"] ?? Sqlite;
        if (provider.Equals(Sqlite, StringComparison.OrdinalIgnoreCase))
        {
            var path = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(app.Configuration.GetConnectionString("Default") ?? DefaultSqlite).DataSource;
            app.Logger.LogInformation("SQLite database: {DatabasePath}", Path.GetFullPath(path));
        }
        if ((app.Configuration["Files:Provider"] ?? "Local").Equals("Local", StringComparison.OrdinalIgnoreCase))
            app.Logger.LogInformation("Local file store: {FilesRoot}", Path.GetFullPath(app.Configuration["Files:Local:Root"] ?? "data/files"));
    }

    /// <summary>
    /// No time limit on a migration's statements (0): a backfill over a large clinic's patients takes
    /// longer than the 30 seconds an API query gets, and a migration stopped half-way helps no one.
    /// </summary>
    private const int MigrationCommandTimeout = 0;

    /// <summary>
    /// Applies pending migrations, retrying a bounded number of times while the database server
    /// cannot be reached (Database:StartupRetries, default 10, two seconds apart).
    /// </summary>
    public static async Task MigrateDatabaseAsync(this WebApplication app)
    {
        var attempts = Math.Max(1, app.Configuration.GetValue("Database:StartupRetries", 10));
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var owner = app.Configuration.GetConnectionString(MigrationsConnection);
                var provider = app.Configuration["Database:Provider"] ?? Sqlite;
                if (!string.IsNullOrEmpty(owner) && provider.Equals(PostgreSql, StringComparison.OrdinalIgnoreCase))
                {
                    await MigrateAsOwnerAsync(owner, app.Configuration.GetConnectionString("Default")!);
                    return;
                }
                await using var scope = app.Services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                if (!db.IsPostgres) await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;");
                db.Database.SetCommandTimeout(MigrationCommandTimeout);
                await OneInstanceAtATimeAsync(db, () => ApplyMigrationsAsync(db));
                return;
            }
            catch (Exception e) when (Unreachable(e) is { } unreachable)
            {
                if (attempt >= attempts)
                    throw new StartupException($"The database cannot be reached after {attempts} attempts: {unreachable.Message}");
                app.Logger.LogWarning("Database not reachable (attempt {Attempt} of {Attempts}); retrying", attempt, attempts);
                await Task.Delay(TimeSpan.FromSeconds(2));
            }
        }
    }

    /// <summary>
    /// The exception saying the database server cannot be reached, when that is what <paramref name="e"/> is or
    /// wraps (EF Core's execution strategy wraps a transient failure in an InvalidOperationException).
    /// </summary>
    private static Exception? Unreachable(Exception? e) =>
        e is null or Npgsql.NpgsqlException { IsTransient: true } or System.Net.Sockets.SocketException or TimeoutException ? e : Unreachable(e.InnerException);

    /// <summary>
    /// PostgreSQL: runs <paramref name="migrate"/> holding a session-level advisory lock on the migrating connection, so
    /// that instances starting at once migrate one after the other (the later ones then find nothing to do). EF Core's
    /// own migration lock does nothing on PostgreSQL: two instances starting on a new database both created its first
    /// table, and one stopped ("relation … already exists"). SQLite: EF Core's lock (a table of its own) serves.
    /// </summary>
    private static async Task OneInstanceAtATimeAsync(DbContext db, Func<Task> migrate)
    {
        if (!db.Database.IsNpgsql() || !await db.GetService<IRelationalDatabaseCreator>().ExistsAsync())
        {
            await migrate();
            return;
        }
        await db.Database.OpenConnectionAsync();
        try
        {
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({MigrationLockKey})");
            await migrate();
        }
        finally
        {
            // The lock belongs to the session, which outlives this use of the connection in the pool.
            if (db.Database.GetDbConnection().State == System.Data.ConnectionState.Open)
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({MigrationLockKey})");
            await db.Database.CloseConnectionAsync();
        }
    }

    private static readonly long MigrationLockKey = DbExtensions.LockKey("migrations");

    /// <summary>
    /// Applies the pending migrations. On an existing PostgreSQL database the migrations' history table is
    /// created first: EF Core reads the table before it creates it, and on a new database Npgsql's failed read
    /// was logged as an error ("Failed executing DbCommand … __EFMigrationsHistory", efcore.pg#3407).
    /// </summary>
    private static async Task ApplyMigrationsAsync(DbContext db)
    {
        if (db.Database.IsNpgsql() && await db.GetService<IRelationalDatabaseCreator>().ExistsAsync())
        {
            try
            {
                await db.GetService<IHistoryRepository>().CreateIfNotExistsAsync();
            }
            catch (Npgsql.PostgresException e) when (e.SqlState is Npgsql.PostgresErrorCodes.UniqueViolation or Npgsql.PostgresErrorCodes.DuplicateTable)
            {
                // Another instance created it at the same moment.
            }
        }
        await db.Database.MigrateAsync();
    }

    /// <summary>
    /// The context seed-demo loads a PostgreSQL clinic with: on the owner role's connection
    /// (ConnectionStrings:Migrations) when there is one, since only the owner may set the tables'
    /// indexes aside during a bulk load; otherwise the request scope's context.
    /// </summary>
    public static AppDbContext SeedingContext(IServiceProvider services, IConfiguration configuration)
    {
        var provider = configuration["Database:Provider"] ?? Sqlite;
        if (!provider.Equals(PostgreSql, StringComparison.OrdinalIgnoreCase) ||
            configuration.GetConnectionString(MigrationsConnection) is not { Length: > 0 } owner)
            return services.GetRequiredService<AppDbContext>();
        return new PostgresAppDbContext(new DbContextOptionsBuilder<PostgresAppDbContext>()
            .UseNpgsql(owner).UseSnakeCaseNamingConvention()
            .AddInterceptors(
                services.GetRequiredService<TimestampInterceptor>(),
                services.GetRequiredService<PatientSearchInterceptor>(),
                services.GetRequiredService<AuditInterceptor>())
            .Options);
    }

    /// <summary>
    /// PostgreSQL with two roles: the owner role (ConnectionStrings:Migrations) owns the schema and runs
    /// the migrations and Hangfire's schema set-up; then the application's role (the user of
    /// ConnectionStrings:Default) is granted exactly what it uses — reading and writing rows in every
    /// table and sequence of both schemas, but on audit_log only SELECT and INSERT, and on the migration
    /// history only SELECT. Grants are applied after every migration run, and default privileges cover
    /// tables the owner creates later, so new tables need nothing of their own. Not being the owner, the
    /// application's role cannot ALTER, DROP or TRUNCATE a table or drop the audit log's trigger.
    /// </summary>
    private static async Task MigrateAsOwnerAsync(string ownerConnection, string appConnection)
    {
        var options = new DbContextOptionsBuilder<PostgresAppDbContext>()
            .UseNpgsql(ownerConnection, o => o.MigrationsAssembly(typeof(ConfigureDb).Assembly.GetName().Name))
            .UseSnakeCaseNamingConvention().Options;
        await using var db = new PostgresAppDbContext(options);
        db.Database.SetCommandTimeout(MigrationCommandTimeout);
        // Under the migration lock too: two instances granting at once can fail ("tuple concurrently updated").
        await OneInstanceAtATimeAsync(db, async () =>
        {
            await ApplyMigrationsAsync(db);
            ConfigureJobs.PreparePostgresSchema(ownerConnection);

            var ownerRole = new Npgsql.NpgsqlConnectionStringBuilder(ownerConnection).Username;
            var appRole = new Npgsql.NpgsqlConnectionStringBuilder(appConnection).Username;
            if (string.IsNullOrEmpty(appRole) || string.Equals(appRole, ownerRole, StringComparison.Ordinal)) return;
            var role = "\"" + appRole.Replace("\"", "\"\"") + "\"";
            // Role names cannot be parameters; the name is quoted as an identifier.
#pragma warning disable EF1002
            await db.Database.ExecuteSqlRawAsync($"""
                REVOKE CREATE ON SCHEMA public FROM PUBLIC;
                GRANT USAGE ON SCHEMA public, hangfire TO {role};
                GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public, hangfire TO {role};
                GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public, hangfire TO {role};
                REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_log FROM {role};
                REVOKE INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON "__EFMigrationsHistory" FROM {role};
                ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role};
                ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO {role};
                """);
#pragma warning restore EF1002
        });
    }

    /// <summary>A connection string the provider cannot read stops start-up with its reason (never the string: it may hold a password).</summary>
    private static T ParseConnectionString<T>(Func<T> parse, string provider)
    {
        try
        {
            return parse();
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException)
        {
            throw new StartupException($"ConnectionStrings:Default is not a valid {provider} connection string: {e.Message}");
        }
    }

    private static void EnsureSqliteDirectory(string connectionString)
    {
        var path = ParseConnectionString(() => new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString), "SQLite").DataSource;
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
    }
}

/// <summary>
/// The data-protection key ring's view of its table (created by <see cref="AppDbContext"/>'s migrations): a
/// context of its own, as the key ring reads and writes synchronously and needs none of the application's
/// interceptors.
/// </summary>
public sealed class DataProtectionKeysContext(DbContextOptions<DataProtectionKeysContext> options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
}
