using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace DentalClinic.ServiceInterface.Data;

/// <summary>
/// The one model of the application. Each provider has a thin subclass with its own
/// migrations (<see cref="SqliteAppDbContext"/>, <see cref="PostgresAppDbContext"/>);
/// services depend on this base type only.
/// </summary>
public abstract class AppDbContext(DbContextOptions options) : DbContext(options)
{
    /// <summary>ASP.NET Core data-protection keys, shared by every instance; the key ring reads them through a context of its own (Configure.Db).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<User> Users => Set<User>();
    public DbSet<RefreshToken> RefreshTokens => Set<RefreshToken>();
    public DbSet<RevokedAccessToken> RevokedAccessTokens => Set<RevokedAccessToken>();
    public DbSet<Patient> Patients => Set<Patient>();
    public DbSet<AppointmentType> AppointmentTypes => Set<AppointmentType>();
    public DbSet<Appointment> Appointments => Set<Appointment>();
    public DbSet<Treatment> Treatments => Set<Treatment>();
    public DbSet<Appointments.CalendarStamp> CalendarStamps => Set<Appointments.CalendarStamp>();
    public DbSet<Chair> Chairs => Set<Chair>();
    public DbSet<ScheduleInterval> ScheduleIntervals => Set<ScheduleInterval>();
    public DbSet<Closure> Closures => Set<Closure>();
    public DbSet<Payment> Payments => Set<Payment>();
    public DbSet<PaymentReversal> PaymentReversals => Set<PaymentReversal>();
    public DbSet<PaymentAllocation> PaymentAllocations => Set<PaymentAllocation>();
    public DbSet<IdempotencyRecord> IdempotencyKeys => Set<IdempotencyRecord>();

    public bool IsPostgres => isPostgres ??= Database.ProviderName == "Npgsql.EntityFrameworkCore.PostgreSQL";
    private bool? isPostgres;

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        // Each feature keeps its entity configuration next to its entities.
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Money: exact decimal everywhere. PostgreSQL stores numeric(12,2); SQLite stores TEXT
        // and EF computes SUM/MIN/MAX with its own decimal functions, never binary floating point.
        configurationBuilder.Properties<decimal>().HavePrecision(12, 2);
        configurationBuilder.Properties<string>().HaveMaxLength(4000);
        // Timestamps are UTC everywhere; SQLite does not keep the kind, so it is restored on read.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }
}

public sealed class SqliteAppDbContext(DbContextOptions<SqliteAppDbContext> options) : AppDbContext(options);

public sealed class PostgresAppDbContext(DbContextOptions<PostgresAppDbContext> options) : AppDbContext(options);

internal sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    v => v.ToUniversalTime(), v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
