using DentalClinic.ServiceInterface.Audit;
using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceModel;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using DentalClinic.Tests.Operations;
using DentalClinic.Tests.Support;
using DentalClinic;

namespace DentalClinic.Tests.Foundation;

/// <summary>The app's PostgreSQL connections: no automatic preparation, no multiplexing, no reset when one goes back to the pool; tagged reads prepared.</summary>
public sealed class PostgresConnectionTests
{
    [Test]
    public void Connections_skip_the_reset_but_neither_auto_prepare_nor_multiplex_by_default()
    {
        var app = ApiFactory.For(TestDatabases.PostgreSql);
        Assert.That(ConnectionSettings(app), Is.EqualTo((NoResetOnClose: true, MaxAutoPrepare: 0, Multiplexing: false)));
    }

    // Npgsql reads each keyword with or without its spaces, in any case.
    [TestCase(";No Reset On Close=false")]
    [TestCase(";noresetonclose=false")]
    public async Task The_connection_string_s_own_reset_setting_is_kept(string settings)
    {
        var app = ApiFactory.For(TestDatabases.PostgreSql);
        await using var configured = ApiFactory.StartOwn(TestDatabases.PostgreSql, connectionString: app.ConnectionString + settings);
        Assert.That(ConnectionSettings(configured), Is.EqualTo((NoResetOnClose: false, MaxAutoPrepare: 0, Multiplexing: false)));
    }

    // Both leave connections out of step with the database in Npgsql 10.0.3 (the README says how): refused at start.
    [TestCase(";Max Auto Prepare=64")]
    [TestCase(";MaxAutoPrepare=8")]
    [TestCase(";Multiplexing=true")]
    public async Task Automatic_preparation_and_multiplexing_are_refused_at_start(string settings)
    {
        var started = await CommandRunner.RunAsync(new Dictionary<string, string?>
        {
            ["Database__Provider"] = TestDatabases.PostgreSql,
            ["ConnectionStrings__Default"] = TestDatabases.Create(TestDatabases.PostgreSql) + settings,
            ["Jwt__SigningKey"] = ApiFactory.SigningKey,
        }, "migrate");
        Assert.That(started.ExitCode, Is.EqualTo(1), started.Output + started.Error);
        Assert.That(started.Error, Does.Contain("ConnectionStrings:Default sets Max Auto Prepare or Multiplexing: remove them"));
    }

    // Npgsql 10.0.3 with automatic preparation: a statement that fails on the run that prepares it, in a
    // transaction then rolled back, leaves its connection out of step, and the statement's next run there
    // reads another reply ("Received unexpected backend message DataRow"; npgsql/npgsql#6391). Every refused
    // write is such a failure, so the app's own settings must survive it.
    [Test]
    public async Task A_statement_that_failed_in_a_rolled_back_transaction_runs_again_on_the_same_connection()
    {
        var app = ApiFactory.For(TestDatabases.PostgreSql);
        string appSettings;
        using (var scope = app.Services.CreateScope())
            appSettings = scope.ServiceProvider.GetRequiredService<AppDbContext>().Database.GetConnectionString()!;
        // A pool of one, so that every run below meets the same connection.
        await using var dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(appSettings) { MaxPoolSize = 1 }.ConnectionString);
        async Task<object?> RunAsync(string text, bool rollBack)
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            await using var tx = await connection.BeginTransactionAsync();
            await using var command = new NpgsqlCommand("SELECT 10 / length($1)", connection, tx) { Parameters = { new() { Value = text } } };
            try { return await command.ExecuteScalarAsync(); }
            finally { if (rollBack) await tx.RollbackAsync(); else await tx.CommitAsync(); }
        }

        // Past Npgsql's default of 5 uses, after which a statement would be prepared.
        for (var i = 0; i < 6; i++)
            Assert.That(Assert.ThrowsAsync<PostgresException>(() => RunAsync("", rollBack: true))!.SqlState, Is.EqualTo(PostgresErrorCodes.DivisionByZero));
        for (var i = 0; i < 6; i++)
            Assert.That(await RunAsync("fine!", rollBack: false), Is.EqualTo(2));
    }

    // The hot statements are prepared explicitly (ServiceInterface/Data/PreparedQueries): a run that fails or is
    // cancelled after the statement was prepared, or a prepare refused, must leave the statement and the connection usable.
    [Test]
    public async Task Tagged_queries_run_prepared_and_survive_a_failed_and_a_cancelled_run()
    {
        var app = ApiFactory.For(TestDatabases.PostgreSql);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await db.Database.OpenConnectionAsync();
        // A pooled connection: earlier tests may have prepared statements on it.
        Task<List<string>> PreparedAsync() => db.Database.SqlQuery<string>($"SELECT statement AS \"Value\" FROM pg_prepared_statements").ToListAsync();
        var before = await PreparedAsync();
        Task<List<int>> Divide(int by, CancellationToken ct = default) =>
            db.Database.SqlQuery<int>($"SELECT 10 / {by} AS \"Value\"").TagWith(PreparedQueries.Tag).ToListAsync(ct);
        Task<List<int>> Sleep(double seconds, CancellationToken ct) =>
            db.Database.SqlQuery<int>($"SELECT 1 AS \"Value\" FROM pg_sleep({seconds})").TagWith(PreparedQueries.Tag).ToListAsync(ct);

        Assert.That(Assert.ThrowsAsync<PostgresException>(() => Divide(0))!.SqlState, Is.EqualTo(PostgresErrorCodes.DivisionByZero));
        Assert.That(await Divide(5), Is.EqualTo(new[] { 2 }));
        using (var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300)))
            Assert.CatchAsync<OperationCanceledException>(() => Sleep(30, cancel.Token));
        for (var i = 0; i < 6; i++)
        {
            Assert.That(await Divide(2), Is.EqualTo(new[] { 5 }));
            Assert.That(await Sleep(0, CancellationToken.None), Is.EqualTo(new[] { 1 }));
        }
        Assert.That(Assert.ThrowsAsync<PostgresException>(() => Divide(0))!.SqlState, Is.EqualTo(PostgresErrorCodes.DivisionByZero));
        Assert.That(await Divide(1), Is.EqualTo(new[] { 10 }));

        // A statement first prepared in a transaction that already failed: the prepare itself is refused.
        Task<List<int>> Triple(int x) =>
            db.Database.SqlQuery<int>($"SELECT 3 * {x} AS \"Value\"").TagWith(PreparedQueries.Tag).ToListAsync();
        await using (var tx = await db.Database.BeginTransactionAsync())
        {
            Assert.ThrowsAsync<PostgresException>(() => Divide(0));
            Assert.That(Assert.ThrowsAsync<PostgresException>(() => Triple(1))!.SqlState, Is.EqualTo(PostgresErrorCodes.InFailedSqlTransaction));
            await tx.RollbackAsync();
        }
        Assert.That(await Triple(2), Is.EqualTo(new[] { 6 }));
        Assert.That(await Divide(5), Is.EqualTo(new[] { 2 }));

        // Prepared on this connection: the three tagged statements, and nothing untagged.
        await db.Database.SqlQuery<int>($"SELECT 1 AS \"Value\"").ToListAsync();
        var prepared = (await PreparedAsync()).Except(before).ToList();
        Assert.That(prepared, Has.Count.EqualTo(3));
        Assert.That(prepared, Has.Some.Contains("10 /").And.Some.Contains("pg_sleep").And.Some.Contains("3 *"));
        Assert.That(prepared, Has.All.StartWith("-- " + PreparedQueries.Tag));
    }

    // A save's one-row INSERT (a booking's appointment) is prepared too: one shape per table. A refused one (a unique
    // index) leaves it usable; a save of several rows, whose SQL grows with their number, is not prepared.
    [Test]
    public async Task A_save_s_one_row_insert_runs_prepared_and_survives_a_refused_run()
    {
        var app = ApiFactory.For(TestDatabases.PostgreSql);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await db.Database.OpenConnectionAsync();
        Task<List<string>> PreparedAsync() => db.Database.SqlQuery<string>($"SELECT statement AS \"Value\" FROM pg_prepared_statements").ToListAsync();
        // Idempotency records: a unique key, and no other test lists them (a chair would change other tests' rules).
        var key = "prepared-" + Guid.NewGuid().ToString("N");
        IdempotencyRecord Record(string id) => new() { Id = id, RequestHash = "hash", CreatedAt = DateTime.UtcNow };

        db.IdempotencyKeys.Add(Record(key));
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
        db.IdempotencyKeys.Add(Record(key));
        var refused = Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync())!;
        Assert.That(refused.IsUniqueViolation(), Is.True);
        db.ChangeTracker.Clear();
        db.IdempotencyKeys.Add(Record(key + "-2"));
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();
        db.IdempotencyKeys.AddRange(Record(key + "-3"), Record(key + "-4"));
        await db.SaveChangesAsync();

        var saved = await db.IdempotencyKeys.Where(r => r.Id.StartsWith(key)).Select(r => r.Id).ToListAsync();
        Assert.That(saved, Is.EquivalentTo(new[] { key, key + "-2", key + "-3", key + "-4" }));
        await db.IdempotencyKeys.Where(r => r.Id.StartsWith(key)).ExecuteDeleteAsync();
        // On this pooled connection an earlier test's request may have prepared the same one-row INSERT already.
        var inserts = (await PreparedAsync()).Where(s => s.StartsWith("INSERT INTO idempotency_keys")).ToList();
        Assert.That(inserts, Has.Count.EqualTo(1), string.Join("\n", inserts));
        Assert.That(PreparedQueries.IsOneRowInsert(inserts[0]), Is.True);
    }

    [TestCase("INSERT INTO chairs (id, name)\nVALUES ($1, $2)", true)]
    [TestCase("INSERT INTO chairs (id, name)\nVALUES ($1, $2);", true)]
    [TestCase("INSERT INTO chairs (id, name)\nVALUES ($1, $2)\nRETURNING seq;", true)]
    [TestCase("INSERT INTO chairs (id, name)\nVALUES ($1, $2), ($3, $4);", false)]
    [TestCase("INSERT INTO chairs (id, name)\nVALUES ($1, $2);\nINSERT INTO chairs (id, name)\nVALUES ($3, $4);", false)]
    [TestCase("UPDATE chairs SET name = $1\nWHERE id = $2;", false)]
    public void One_row_inserts_are_told_apart(string sql, bool oneRow) =>
        Assert.That(PreparedQueries.IsOneRowInsert(sql), Is.EqualTo(oneRow));

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
