using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace DentalClinic.ServiceInterface.Data;

public static class DbExtensions
{
    /// <summary>
    /// Begins a write transaction that serializes every writer holding the same lock name:
    /// a transaction-scoped advisory lock on PostgreSQL, taken after the audit chain's lock
    /// (<see cref="BeginWriteTransactionAsync"/>); on SQLite the transaction itself
    /// (BEGIN IMMEDIATE) already admits one writer at a time.
    /// </summary>
    /// Inside a transaction already open on this context (a PUT with If-Match, see Preconditions) it
    /// takes the lock in that transaction and returns a handle whose commit and dispose leave it to its owner.
    public static async Task<IDbContextTransaction> BeginLockedTransactionAsync(
        this AppDbContext db, string lockName, CancellationToken ct = default)
    {
        var tx = await db.BeginWriteTransactionAsync(ct);
        if (db.IsPostgres)
        {
            var key = LockKey(lockName);
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({key})", ct);
        }
        return tx;
    }

    /// <summary>
    /// Begins a write transaction (or joins the one open on this context) that holds the audit chain's
    /// lock from the start on PostgreSQL. Every audited save takes that lock before it touches a row, so
    /// a transaction that locks a row (SELECT … FOR UPDATE) or a named lock before its first save must
    /// take the chain's lock first too: one order for every writer, and no deadlock between, say, a PUT
    /// with If-Match (row lock, then its save) and a plain PUT of the same record (chain lock at its
    /// save, then the row). On SQLite the write transaction already admits one writer at a time.
    /// </summary>
    public static async Task<IDbContextTransaction> BeginWriteTransactionAsync(this AppDbContext db, CancellationToken ct = default)
    {
        var outer = db.Database.CurrentTransaction;
        var tx = outer is null ? await db.Database.BeginTransactionAsync(ct) : new JoinedTransaction(outer);
        if (db.IsPostgres) await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({Audit.AuditChain.LockKey})", ct);
        return tx;
    }

    /// <summary>
    /// Inside a transaction from <see cref="BeginLockedTransactionAsync"/>: also holds <paramref name="lockName"/>
    /// shared until it ends, so writers holding it exclusively (through BeginLockedTransactionAsync) wait for
    /// every such transaction and are waited for. On SQLite the single writer already orders them.
    /// </summary>
    public static async Task LockSharedAsync(this AppDbContext db, string lockName, CancellationToken ct = default)
    {
        if (db.IsPostgres) await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock_shared({LockKey(lockName)})", ct);
    }

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
