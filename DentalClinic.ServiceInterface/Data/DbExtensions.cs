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
    /// a transaction-scoped advisory lock on PostgreSQL; on SQLite the transaction itself
    /// (BEGIN IMMEDIATE) already admits one writer at a time.
    /// </summary>
    public static async Task<IDbContextTransaction> BeginLockedTransactionAsync(
        this AppDbContext db, string lockName, CancellationToken ct = default)
    {
        var tx = await db.Database.BeginTransactionAsync(ct);
        if (db.IsPostgres)
        {
            var key = LockKey(lockName);
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({key})", ct);
        }
        return tx;
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
