using DentalClinic.ServiceInterface.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace DentalClinic.Tests.Support;

/// <summary>
/// Where the suite's databases live. PostgreSQL comes from TEST_PG_CONNECTION (./test.sh starts a
/// throwaway server and sets it); without it PostgreSQL fixtures fail loudly instead of being skipped.
/// Every factory gets a fresh database of its own.
/// </summary>
public static class TestDatabases
{
    public const string Sqlite = "Sqlite";
    public const string PostgreSql = "PostgreSQL";
    public static readonly string[] Providers = [PostgreSql, Sqlite];

    public static string TempDirectory { get; } = Directory.CreateTempSubdirectory("dentalclinic-tests-").FullName;

    public static string PostgresServer =>
        Environment.GetEnvironmentVariable("TEST_PG_CONNECTION") is { Length: > 0 } cs
            ? cs
            : throw new InvalidOperationException(
                "TEST_PG_CONNECTION is not set: run the suite with ./test.sh, which starts PostgreSQL, " +
                "or point it at a server (Host=127.0.0.1;Port=5432;Username=postgres;Password=...).");

    /// <summary>The PostgreSQL role that owns each test database and runs its migrations (ConnectionStrings:Migrations).</summary>
    public const string OwnerRole = "dentalclinic_owner";
    /// <summary>The role the application connects as (ConnectionStrings:Default): rights on rows only, as in production.</summary>
    public const string AppRole = "dentalclinic_app";
    private const string RolePassword = "dentalclinic-test";

    // tools/postgres.sh creates both roles; a server named by TEST_PG_CONNECTION gets them here.
    private static readonly Lazy<bool> Roles = new(() =>
    {
        using var connection = new NpgsqlConnection(PostgresServer);
        connection.Open();
        foreach (var role in new[] { OwnerRole, AppRole })
        {
            using var command = new NpgsqlCommand($"""
                DO $$ BEGIN
                  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN
                    CREATE ROLE {role} LOGIN PASSWORD '{RolePassword}';
                  END IF;
                EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
                END $$;
                """, connection);
            command.ExecuteNonQuery();
        }
        return true;
    });

    /// <summary>
    /// A fresh database. PostgreSQL: owned by <see cref="OwnerRole"/>, and the connection string returned is the
    /// owner's (tests inspect and change data with it); the application gets <see cref="AsAppRole"/> of it.
    /// </summary>
    public static string Create(string provider)
    {
        var name = "dentalclinic_test_" + Guid.NewGuid().ToString("N")[..12];
        if (provider == Sqlite) return $"Data Source={Path.Combine(TempDirectory, name + ".db")}";

        _ = Roles.Value;
        using (var connection = new NpgsqlConnection(PostgresServer))
        {
            connection.Open();
            using var command = new NpgsqlCommand($"CREATE DATABASE {name} OWNER {OwnerRole}", connection);
            command.ExecuteNonQuery();
        }
        return new NpgsqlConnectionStringBuilder(PostgresServer)
        {
            Database = name, Username = OwnerRole, Password = RolePassword, Pooling = true, MaxPoolSize = 50,
        }.ConnectionString;
    }

    /// <summary>The same PostgreSQL database as the application's role (<see cref="AppRole"/>).</summary>
    public static string AsAppRole(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Username = AppRole, Password = RolePassword }.ConnectionString;

    /// <summary>The same PostgreSQL database as the server's superuser (from TEST_PG_CONNECTION).</summary>
    public static string AsSuperuser(string connectionString)
    {
        var server = new NpgsqlConnectionStringBuilder(PostgresServer);
        return new NpgsqlConnectionStringBuilder(connectionString) { Username = server.Username, Password = server.Password }.ConnectionString;
    }

    /// <summary>A context of the application's model without its interceptors, e.g. to migrate step by step.</summary>
    /// <summary>
    /// Inserts a patient with SQL, in the columns the patients table had before later migrations added more
    /// (for migration tests that stop at an early schema, where today's model cannot insert).
    /// </summary>
    public static Task InsertEarlyPatientAsync(AppDbContext db, string provider, Patient patient, string searchText)
    {
        object Id(Guid id) => provider == Sqlite ? id.ToString().ToUpperInvariant() : id;
        return db.Database.ExecuteSqlAsync($"""
            INSERT INTO patients (id, first_name, last_name, mobile_number, mobile_e164, search_text, created_at, updated_at)
            VALUES ({Id(patient.Id)}, {patient.FirstName}, {patient.LastName}, {patient.MobileNumber}, {patient.MobileE164}, {searchText},
                    {patient.CreatedAt}, {patient.UpdatedAt})
            """);
    }

    public static AppDbContext Context(string provider, string connectionString, params IInterceptor[] interceptors) => provider == Sqlite
        ? new SqliteAppDbContext(new DbContextOptionsBuilder<SqliteAppDbContext>()
            .UseSqlite(connectionString, o => o.MigrationsAssembly("DentalClinic")).UseSnakeCaseNamingConvention().AddInterceptors(interceptors).Options)
        : new PostgresAppDbContext(new DbContextOptionsBuilder<PostgresAppDbContext>()
            .UseNpgsql(connectionString, o => o.MigrationsAssembly("DentalClinic")).UseSnakeCaseNamingConvention().AddInterceptors(interceptors).Options);
}
