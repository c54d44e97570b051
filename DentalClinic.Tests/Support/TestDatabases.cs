using DentalClinic.ServiceInterface.Data;
using Microsoft.EntityFrameworkCore;
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

    public static string Create(string provider)
    {
        var name = "dentalclinic_test_" + Guid.NewGuid().ToString("N")[..12];
        if (provider == Sqlite) return $"Data Source={Path.Combine(TempDirectory, name + ".db")}";

        using (var connection = new NpgsqlConnection(PostgresServer))
        {
            connection.Open();
            using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            command.ExecuteNonQuery();
        }
        return new NpgsqlConnectionStringBuilder(PostgresServer) { Database = name, Pooling = true, MaxPoolSize = 50 }.ConnectionString;
    }

    /// <summary>A context of the application's model without its interceptors, e.g. to migrate step by step.</summary>
    public static AppDbContext Context(string provider, string connectionString) => provider == Sqlite
        ? new SqliteAppDbContext(new DbContextOptionsBuilder<SqliteAppDbContext>()
            .UseSqlite(connectionString, o => o.MigrationsAssembly("DentalClinic")).UseSnakeCaseNamingConvention().Options)
        : new PostgresAppDbContext(new DbContextOptionsBuilder<PostgresAppDbContext>()
            .UseNpgsql(connectionString, o => o.MigrationsAssembly("DentalClinic")).UseSnakeCaseNamingConvention().Options);
}
