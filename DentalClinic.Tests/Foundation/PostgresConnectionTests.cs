using DentalClinic.ServiceInterface.Audit;
using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceModel;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using DentalClinic.Tests.Support;
using DentalClinic;

namespace DentalClinic.Tests.Foundation;

/// <summary>The app's PostgreSQL connections: prepared statements, no reset when one goes back to the pool, multiplexing.</summary>
public sealed class PostgresConnectionTests
{
    [Test]
    public void Connections_keep_prepared_statements_skip_the_reset_and_multiplex_by_default()
    {
        var app = ApiFactory.For(TestDatabases.PostgreSql);
        Assert.That(ConnectionSettings(app), Is.EqualTo((NoResetOnClose: true, MaxAutoPrepare: 64, Multiplexing: true)));
        // The data-protection key ring reads synchronously, which multiplexing refuses.
        using var scope = app.Services.CreateScope();
        var keys = scope.ServiceProvider.GetRequiredService<DataProtectionKeysContext>();
        Assert.That(new NpgsqlConnectionStringBuilder(keys.Database.GetConnectionString()).Multiplexing, Is.False);
    }

    // Npgsql reads each keyword with or without its spaces, in any case.
    [TestCase(";No Reset On Close=false;Max Auto Prepare=8;Multiplexing=false")]
    [TestCase(";noresetonclose=false;MaxAutoPrepare=8;multiplexing=false")]
    public async Task The_connection_string_s_own_settings_are_kept(string settings)
    {
        var app = ApiFactory.For(TestDatabases.PostgreSql);
        await using var configured = ApiFactory.StartOwn(TestDatabases.PostgreSql, connectionString: app.ConnectionString + settings);
        Assert.That(ConnectionSettings(configured), Is.EqualTo((NoResetOnClose: false, MaxAutoPrepare: 8, Multiplexing: false)));
    }

    // Without a reset, a session-level lock would outlive its request on a pooled connection.
    [Test]
    public async Task A_locked_write_leaves_no_lock_on_its_pooled_connection()
    {
        var app = ApiFactory.For(TestDatabases.PostgreSql);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            await using var tx = await db.BeginLockedTransactionAsync("test-lock");
            db.Set<AuditEntry>().Add(scope.ServiceProvider.GetRequiredService<AuditInterceptor>().NewEntry(AuditActions.Access, "patients", "test-lock"));
            await db.SaveChangesAsync();
            // The write-order lock (shared) and the named one; the audit chain's is taken only as the transaction commits.
            Assert.That(await AdvisoryLocksAsync(app), Is.EqualTo(2));
            await tx.CommitAsync();
        }
        Assert.That(await AdvisoryLocksAsync(app), Is.Zero);
    }

    private static (bool NoResetOnClose, int MaxAutoPrepare, bool Multiplexing) ConnectionSettings(ApiFactory app)
    {
        using var scope = app.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var settings = new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString());
        return (settings.NoResetOnClose, settings.MaxAutoPrepare, settings.Multiplexing);
    }

    private static async Task<long> AdvisoryLocksAsync(ApiFactory app)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_locks l JOIN pg_database d ON d.oid = l.database WHERE l.locktype = 'advisory' AND l.granted AND d.datname = current_database()",
            connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
