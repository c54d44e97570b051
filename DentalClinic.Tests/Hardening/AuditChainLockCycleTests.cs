using DentalClinic.ServiceInterface.Audit;
using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceModel;
using DentalClinic.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace DentalClinic.Tests.Hardening;

/// <summary>
/// PostgreSQL only: a commit waiting its turn in this instance (AuditChain's one-at-a-time commits) while
/// a transaction of the same instance holds the chain's lock and waits for a row that commit locked. The
/// database cannot see that cycle; after <see cref="AuditChain.CommittingWait"/> the commit waits for the
/// lock in the database instead, where the cycle is a deadlock PostgreSQL breaks.
/// </summary>
public sealed class AuditChainLockCycleTests
{
    [Test]
    public async Task A_commit_waiting_behind_a_lock_cycle_it_is_part_of_lets_the_database_break_it()
    {
        await using var app = ApiFactory.StartOwn(TestDatabases.PostgreSql);
        var admin = await AuditChainTests.SignInAsync(app);
        var patient = await AddPatientAsync(app);

        await using var bulkScope = app.Services.CreateAsyncScope();
        var bulk = bulkScope.ServiceProvider.GetRequiredService<AppDbContext>();
        var audit = bulkScope.ServiceProvider.GetRequiredService<AuditInterceptor>();
        await using var bulkTx = await bulk.Database.BeginTransactionAsync();
        // More audit rows than a transaction keeps: written now, and the chain's lock held until it ends.
        for (var i = 0; i <= AuditChain.MaxPendingRows; i++) bulk.Set<AuditEntry>().Add(audit.NewEntry(AuditActions.Access, "patients", "bulk"));
        await bulk.SaveChangesAsync();

        // This instance's turn to commit is taken by a commit that waits for that lock (an access event: it locks no row)…
        var waitingForTheLock = Task.Run(async () =>
        {
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.Set<AuditEntry>().Add(scope.ServiceProvider.GetRequiredService<AuditInterceptor>().NewEntry(AuditActions.Access, "patients", "turn"));
            await db.SaveChangesAsync();
        });
        await WaitForAsync(app, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted", 1);
        // …and another, which locked the patient's row, waits for its turn (the bulk transaction and it: two writing transactions).
        var waitingForTheTurn = RenameAndCommitAsync(app, patient, "Row");
        await WaitForAsync(app, "SELECT count(DISTINCT pid) FROM pg_locks WHERE locktype = 'transactionid' AND mode = 'ExclusiveLock' AND granted", 2);

        // The bulk transaction now wants that row: a cycle through the turn, which the database breaks once the
        // rename, tired of waiting for its turn, waits for the lock in the database.
        var started = DateTime.UtcNow;
        var bulkRename = Task.Run(async () =>
        {
            try
            {
                var row = await bulk.Patients.SingleAsync(p => p.Id == patient);
                row.FirstName = "Bulk";
                await bulk.SaveChangesAsync();
                await bulkTx.CommitAsync();
            }
            catch
            {
                await bulkTx.RollbackAsync();
                throw;
            }
        });
        var outcomes = await Task.WhenAll(Outcome(bulkRename), Outcome(waitingForTheTurn), Outcome(waitingForTheLock));

        Assert.That(DateTime.UtcNow - started, Is.LessThan(TimeSpan.FromSeconds(20)), "the cycle was broken before any command timed out");
        // PostgreSQL ends one transaction of the cycle (which one depends on the order of its lock queues); the rest commit.
        var summary = string.Join("; ", outcomes.Select(e => e?.Message ?? "committed"));
        Assert.That(outcomes, Has.All.Null.Or.Matches<Exception>(e => e is PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected }), summary);
        Assert.That(outcomes.Count(e => e is null), Is.GreaterThanOrEqualTo(1), summary);
        Assert.That(outcomes.Count(e => e is not null), Is.GreaterThanOrEqualTo(1), summary);
        var report = await AuditChainTests.VerifyAsync(admin);
        Assert.That(report.Intact, Is.True, report.Problem?.Message);
        Assert.That(report.RowsChecked, Is.EqualTo(report.Rows));
    }

    private static async Task<Exception?> Outcome(Task task)
    {
        try { await task; return null; }
        catch (Exception e)
        {
            for (var inner = e; inner is not null; inner = inner.InnerException)
                if (inner is PostgresException postgres) return postgres;
            return e;
        }
    }

    private static async Task<Guid> AddPatientAsync(ApiFactory app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var patient = new Patient { FirstName = "Ada", LastName = "Cycle", MobileNumber = "+1 555 0100", MobileE164 = "+1555" + Random.Shared.Next(1_000_000, 9_999_999) };
        db.Patients.Add(patient);
        await db.SaveChangesAsync();
        return patient.Id;
    }

    /// <summary>Renames a patient in a transaction of its own and commits it (its audit row written at the commit).</summary>
    private static Task RenameAndCommitAsync(ApiFactory app, Guid id, string name) => Task.Run(async () =>
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await using var tx = await db.Database.BeginTransactionAsync();
        var patient = await db.Patients.SingleAsync(p => p.Id == id);
        patient.FirstName = name;
        await db.SaveChangesAsync();
        await tx.CommitAsync();
    });

    private static async Task WaitForAsync(ApiFactory app, string countSql, long count)
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();
        for (var i = 0; i < 200; i++)
        {
            await using var command = new NpgsqlCommand(countSql, connection);
            if ((long)(await command.ExecuteScalarAsync())! >= count) return;
            await Task.Delay(50);
        }
        Assert.Fail($"timed out waiting for: {countSql}");
    }
}
