using DentalClinic.ServiceInterface.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace DentalClinic.Migrations;

// Used only by `dotnet ef migrations add` (see README "Changing the schema"); the connection strings are never opened.
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteAppDbContext>
{
    public SqliteAppDbContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<SqliteAppDbContext>()
        .UseSqlite("Data Source=design-time.db", o => o.MigrationsAssembly("DentalClinic"))
        .UseSnakeCaseNamingConvention().Options);
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresAppDbContext>
{
    public PostgresAppDbContext CreateDbContext(string[] args) => new(new DbContextOptionsBuilder<PostgresAppDbContext>()
        .UseNpgsql("Host=localhost;Database=design_time", o => o.MigrationsAssembly("DentalClinic"))
        .UseSnakeCaseNamingConvention().Options);
}
