using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace DentalClinic.ServiceInterface.Data;

public static class DbExtensions
{
    /// <summary>
    /// Begins a write transaction that serializes every writer holding the same lock name:
    /// a transaction-scoped advisory lock on PostgreSQL, taken with the write-order lock shared (see
    /// <see cref="BeginWriteTransactionAsync"/>) in one statement; on SQLite the transaction itself
    /// (BEGIN IMMEDIATE) already admits one writer at a time.
    /// </summary>
    /// Inside a transaction already open on this context (a PUT with If-Match, see Preconditions) it
    /// takes the lock in that transaction and returns a handle whose commit and dispose leave it to its owner.
    /// With <paramref name="sharedLockName"/> it also holds that lock shared (see <see cref="LockSharedAsync"/>), in the same statement.
    public static async Task<IDbContextTransaction> BeginLockedTransactionAsync(
        this AppDbContext db, string lockName, CancellationToken ct = default, string? sharedLockName = null)
    {
        var tx = await db.BeginOrJoinAsync(ct);
        if (db.IsPostgres)
        {
            var (sql, keys) = LockStatement(lockName, sharedLockName);
            await LockAsync(db, sql, ct, keys);
        }
        return tx;
    }

    /// <summary>
    /// PostgreSQL: the transaction of <see cref="BeginLockedTransactionAsync"/> begun (or joined), with its locks not taken
    /// yet: the returned statement takes them, for the caller to send first in its batch of reads (one round trip less).
    /// Each later statement of the batch starts after the locks are granted, so it sees every commit before them.
    /// </summary>
    public static async Task<(IDbContextTransaction Transaction, Npgsql.NpgsqlBatchCommand Locks)> BeginLockingBatchAsync(
        this AppDbContext db, string lockName, string? sharedLockName, CancellationToken ct)
    {
        var (sql, keys) = LockStatement(lockName, sharedLockName);
        var locks = new Npgsql.NpgsqlBatchCommand(string.Format(sql, keys.Select((_, i) => (object)$"${i + 1}").ToArray()));
        foreach (var key in keys) locks.Parameters.Add(new Npgsql.NpgsqlParameter { Value = key });
        return (await db.BeginOrJoinAsync(ct), locks);
    }

    /// <summary>The write-order lock shared, the named lock, and the shared lock if any: one statement, in that order.</summary>
    private static (string Sql, object[] Keys) LockStatement(string lockName, string? sharedLockName) => sharedLockName is null
        ? ("SELECT pg_advisory_xact_lock_shared({0}), pg_advisory_xact_lock({1})", [WriteOrderKey, LockKey(lockName)])
        : ("SELECT pg_advisory_xact_lock_shared({0}), pg_advisory_xact_lock({1}), pg_advisory_xact_lock_shared({2})",
            [WriteOrderKey, LockKey(lockName), LockKey(sharedLockName)]);

    /// <summary>
    /// Begins a write transaction (or joins the one open on this context) for a writer that locks rows or
    /// named locks before its first save. On PostgreSQL it holds the write-order lock shared: such writers
    /// run side by side, each taking its named locks first and rows after them; only a PUT with If-Match,
    /// which must lock its record's row before the handler takes the feature's named locks (the other
    /// order), holds it exclusively (<see cref="BeginRecordTransactionAsync"/>) and so never runs beside
    /// them: the two orders cannot meet in a deadlock. The audit chain's lock is no part of this: it is
    /// taken only as a transaction commits (Audit.AuditChain), after everything else the transaction does,
    /// so a writer holding it waits for nothing but its own audit rows and COMMIT. On SQLite the write
    /// transaction already admits one writer at a time.
    /// </summary>
    public static async Task<IDbContextTransaction> BeginWriteTransactionAsync(this AppDbContext db, CancellationToken ct = default)
    {
        var tx = await db.BeginOrJoinAsync(ct);
        if (db.IsPostgres) await LockAsync(db, "SELECT pg_advisory_xact_lock_shared({0})", ct, WriteOrderKey);
        return tx;
    }

    /// <summary>
    /// Begins the transaction of a PUT with If-Match that locks its record's row before its handler runs
    /// (Preconditions.Row): the write-order lock exclusively on PostgreSQL, so that no writer holding named
    /// locks (taken before its rows) runs beside it; see <see cref="BeginWriteTransactionAsync"/>.
    /// </summary>
    public static async Task<IDbContextTransaction> BeginRecordTransactionAsync(this AppDbContext db, CancellationToken ct = default)
    {
        var tx = await db.BeginOrJoinAsync(ct);
        if (db.IsPostgres) await LockAsync(db, "SELECT pg_advisory_xact_lock({0})", ct, WriteOrderKey);
        return tx;
    }

    private static readonly long WriteOrderKey = LockKey("write-order");

    private static async Task<IDbContextTransaction> BeginOrJoinAsync(this AppDbContext db, CancellationToken ct)
    {
        var outer = db.Database.CurrentTransaction;
        return outer is null ? await db.Database.BeginTransactionAsync(ct) : new JoinedTransaction(outer);
    }

    /// <summary>
    /// Inside a transaction from <see cref="BeginLockedTransactionAsync"/>: also holds <paramref name="lockName"/>
    /// shared until it ends, so writers holding it exclusively (through BeginLockedTransactionAsync) wait for
    /// every such transaction and are waited for. On SQLite the single writer already orders them.
    /// </summary>
    public static async Task LockSharedAsync(this AppDbContext db, string lockName, CancellationToken ct = default)
    {
        if (db.IsPostgres) await LockAsync(db, "SELECT pg_advisory_xact_lock_shared({0})", ct, LockKey(lockName));
    }

    /// <summary>Advisory-lock statements are run by every write: prepared (<see cref="PreparedQueries"/>).</summary>
    private static Task<int> LockAsync(AppDbContext db, string sql, CancellationToken ct, params object[] keys) =>
        db.Database.ExecuteSqlAsync(FormattableStringFactory.Create(PreparedQueries.Prefix + sql, keys), ct);

    /// <summary>A part of a transaction owned by an outer caller: committing or disposing it does nothing.</summary>
    private sealed class JoinedTransaction(IDbContextTransaction outer) : IDbContextTransaction
    {
        public Guid TransactionId => outer.TransactionId;
        public void Commit() { }
        public Task CommitAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;
        public void Rollback() => outer.Rollback();
        public Task RollbackAsync(CancellationToken cancellationToken = default) => outer.RollbackAsync(cancellationToken);
        public void Dispose() { }
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    /// <summary>The PostgreSQL advisory-lock key of a lock name.</summary>
    public static long LockKey(string lockName) =>
        BinaryPrimitives.ReadInt64LittleEndian(SHA256.HashData(Encoding.UTF8.GetBytes(lockName)));

    /// <summary>True when a save failed on a unique index (two writers raced to the same value).</summary>
    public static bool IsUniqueViolation(this DbUpdateException e) => e.InnerException switch
    {
        Npgsql.PostgresException pg => pg.SqlState == Npgsql.PostgresErrorCodes.UniqueViolation,
        Microsoft.Data.Sqlite.SqliteException sqlite => sqlite.SqliteExtendedErrorCode is 2067 or 1555,
        _ => false,
    };
}
