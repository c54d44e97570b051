using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceModel;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace DentalClinic.ServiceInterface.Audit;

/// <summary>
/// The audit log's hash chain. Each row gets the next position (<see cref="AuditEntry.Seq"/>) and
/// <see cref="AuditEntry.Hash"/> = HMAC-SHA256(key, previous row's hash + this row's content). The
/// position and the previous hash are read and the row written under one lock held until commit
/// (a transaction-scoped advisory lock on PostgreSQL; SQLite's write transaction admits one writer),
/// so concurrent writers on any number of instances extend one chain, in commit order.
/// <see cref="VerifyAsync"/> walks the chain and reports the first row altered, removed (a gap) or
/// inserted out of band (no position, or a hash that does not follow). The key (Audit:ChainKey,
/// by default derived from Jwt:SigningKey) is not in the database, so rows cannot be re-hashed by
/// someone who can only write SQL. Removing rows from the very end cannot be seen from inside the
/// chain: operators keep the head (position and hash) that verify-audit prints.
/// </summary>
public sealed class AuditChain(byte[] key)
{
    /// <summary>The chain's PostgreSQL advisory lock; write transactions that lock anything before they save take it first (DbExtensions.BeginWriteTransactionAsync).</summary>
    internal static readonly long LockKey = BinaryPrimitives.ReadInt64LittleEndian(SHA256.HashData("audit-chain"u8));

    // Transactions the chain opened for a save that had none; committed or rolled back with the save.
    private readonly ConditionalWeakTable<DbContext, IDbContextTransaction> owned = new();

    public static byte[] KeyFrom(string? chainKey, string signingKey) => !string.IsNullOrEmpty(chainKey)
        ? Encoding.UTF8.GetBytes(chainKey)
        : HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingKey), "audit-chain"u8);

    /// <summary>Gives the new rows their positions and hashes, taking the chain's lock (and a transaction, when the save has none).</summary>
    internal async ValueTask LinkAsync(DbContext context, IReadOnlyList<AuditEntry> rows, bool sync, CancellationToken ct)
    {
        var database = context.Database;
        if (database.CurrentTransaction is null)
            owned.AddOrUpdate(context, sync ? database.BeginTransaction() : await database.BeginTransactionAsync(ct));
        try
        {
            await LinkLockedAsync(context, rows, sync, ct);
        }
        catch
        {
            await EndAsync(context, commit: false, sync);
            throw;
        }
    }

    private async ValueTask LinkLockedAsync(DbContext context, IReadOnlyList<AuditEntry> rows, bool sync, CancellationToken ct)
    {
        var database = context.Database;
        if (database.ProviderName == "Npgsql.EntityFrameworkCore.PostgreSQL")
        {
            if (sync) database.ExecuteSql($"SELECT pg_advisory_xact_lock({LockKey})");
            else await database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({LockKey})", ct);
        }
        var headQuery = context.Set<AuditEntry>().AsNoTracking().Where(a => a.Seq != null)
            .OrderByDescending(a => a.Seq).Select(a => new { a.Seq, a.Hash });
        var head = sync ? headQuery.FirstOrDefault() : await headQuery.FirstOrDefaultAsync(ct);
        var seq = head?.Seq ?? 0;
        var previous = head?.Hash ?? "";
        foreach (var row in rows)
        {
            row.Seq = ++seq;
            row.Hash = previous = Hash(previous, row);
        }
    }

    /// <summary>After the save: commits the transaction the chain opened (or rolls it back when the save failed).</summary>
    internal async ValueTask EndAsync(DbContext? context, bool commit, bool sync)
    {
        if (context is null || !owned.TryGetValue(context, out var tx)) return;
        owned.Remove(context);
        // Only the transaction still open on this context (never one a pooled context left behind).
        if (!ReferenceEquals(context.Database.CurrentTransaction, tx)) return;
        try
        {
            if (commit)
            {
                if (sync) tx.Commit(); else await tx.CommitAsync();
            }
        }
        finally
        {
            if (sync) tx.Dispose(); else await tx.DisposeAsync();
        }
    }

    public string Hash(string previous, AuditEntry row)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            writer.WriteStringValue(previous);
            writer.WriteNumberValue(row.Seq ?? 0);
            writer.WriteStringValue(row.Id.ToString());
            writer.WriteStringValue(row.OccurredAt.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture));
            writer.WriteStringValue(row.UserId?.ToString());
            writer.WriteStringValue(row.UserRole);
            writer.WriteStringValue(row.Action);
            writer.WriteStringValue(row.TableName);
            writer.WriteStringValue(row.EntityId);
            writer.WriteStringValue(row.Before);
            writer.WriteStringValue(row.After);
            writer.WriteStringValue(row.Columns);
            writer.WriteStringValue(row.RequestId);
            writer.WriteStringValue(row.IpAddress);
            writer.WriteEndArray();
        }
        return Convert.ToHexStringLower(HMACSHA256.HashData(key, buffer.WrittenSpan));
    }

    /// <summary>Walks the whole chain in position order, in pages; stops at the first problem.</summary>
    public async Task<AuditVerification> VerifyAsync(AppDbContext db, CancellationToken ct)
    {
        const int page = 1000;
        var rows = db.Set<AuditEntry>().AsNoTracking();
        // A row without a position was not written by the application.
        var unplaced = await rows.Where(a => a.Seq == null).OrderBy(a => a.OccurredAt).ThenBy(a => a.Id)
            .Select(a => new { a.Id }).FirstOrDefaultAsync(ct);
        var total = await rows.LongCountAsync(ct);

        long expected = 1, checkedRows = 0, unhashed = 0;
        var previous = "";
        var chained = false;
        AuditVerificationProblem? problem = null;
        while (problem is null)
        {
            var from = expected;
            var batch = await rows.Where(a => a.Seq >= from).OrderBy(a => a.Seq).Take(page).ToListAsync(ct);
            if (batch.Count == 0) break;
            foreach (var row in batch)
            {
                if (row.Seq != expected)
                {
                    problem = new AuditVerificationProblem(AuditVerificationProblems.Removed, expected, null,
                        $"Row {expected} of the chain is missing (removed){(row.Seq - expected > 1 ? $", and the rows up to {row.Seq - 1}" : "")}");
                    break;
                }
                if (row.Hash is null)
                {
                    // Rows written before the chain existed carry a position but no hash; none may follow a hashed row.
                    if (chained)
                    {
                        problem = new AuditVerificationProblem(AuditVerificationProblems.Inserted, row.Seq, row.Id,
                            $"Row {row.Seq} ({row.Id}) has no hash inside the chain: inserted out of band");
                        break;
                    }
                    unhashed++;
                }
                else
                {
                    if (!string.Equals(Hash(previous, row), row.Hash, StringComparison.Ordinal))
                    {
                        problem = new AuditVerificationProblem(AuditVerificationProblems.Altered, row.Seq, row.Id,
                            $"Row {row.Seq} ({row.Id}) does not match its hash: altered, or inserted out of band");
                        break;
                    }
                    previous = row.Hash;
                    chained = true;
                }
                checkedRows++;
                expected++;
            }
        }
        if (problem is null && unplaced is not null)
            problem = new AuditVerificationProblem(AuditVerificationProblems.Inserted, null, unplaced.Id,
                $"Row {unplaced.Id} has no position in the chain: inserted out of band");
        return new AuditVerification(problem is null, total, checkedRows, unhashed,
            expected - 1, previous.Length > 0 ? previous : null, problem);
    }
}
