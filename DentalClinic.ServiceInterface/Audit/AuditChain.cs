using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceModel;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace DentalClinic.ServiceInterface.Audit;

/// <summary>
/// The audit log's hash chain. Each row gets the next position (<see cref="AuditEntry.Seq"/>) and
/// <see cref="AuditEntry.Hash"/> = HMAC-SHA256(key, previous row's hash + this row's content).
/// A save only computes its audit rows (<see cref="AuditInterceptor"/>); the transaction keeps them
/// until it commits, and then, just before COMMIT, takes the chain's lock (a transaction-scoped advisory
/// lock on PostgreSQL; SQLite's write transaction admits one writer), reads the head, gives the rows
/// their positions and hashes and inserts them: the lock is held for those two statements and the
/// COMMIT only (on PostgreSQL the COMMIT travels with the INSERT), and a holder waits for nothing else. So concurrent writers on any number of instances
/// extend one chain in commit order without queueing behind each other's work, and a rollback writes
/// no audit row. (A transaction that piles up more than <see cref="MaxPendingRows"/> audit rows writes
/// them as it goes and holds the lock from then until it ends, so that memory stays bounded.)
/// <see cref="VerifyAsync"/> walks the chain and reports the first row altered, removed (a gap) or
/// inserted out of band (no position, or a hash that does not follow). The key (Audit:ChainKey,
/// by default derived from Jwt:SigningKey) is not in the database, so rows cannot be re-hashed by
/// someone who can only write SQL. Removing rows from the very end cannot be seen from inside the
/// chain: operators keep the head (position and hash) that verify-audit prints.
/// </summary>
public sealed class AuditChain(byte[] key)
{
    /// <summary>The chain's PostgreSQL advisory lock, taken only as a transaction commits (<see cref="CommittingAsync"/>).</summary>
    internal static readonly long LockKey = BinaryPrimitives.ReadInt64LittleEndian(SHA256.HashData("audit-chain"u8));

    /// <summary>Audit rows a transaction keeps in memory at most; past them it writes them under the lock at once.</summary>
    internal const int MaxPendingRows = 5000;

    /// <summary>A context's audit rows waiting for its transaction's commit.</summary>
    private sealed class Pending
    {
        /// <summary>The transaction (EF's id) the rows belong to; rows of any other are stale (a pooled context's last lease).</summary>
        public Guid TransactionId;
        /// <summary>Rows of saves that succeeded, waiting for the commit.</summary>
        public readonly List<AuditEntry> Rows = [];
        /// <summary>Rows of the save in progress: kept only if it succeeds.</summary>
        public List<AuditEntry>? Saving;
        /// <summary>The transaction the chain opened for a save that had none; committed or rolled back with the save.</summary>
        public IDbContextTransaction? Owned;
        public bool OwnedSavepoints;
        /// <summary>Set once rows were written early: the lock is held and the head known until the transaction ends.</summary>
        public (long Seq, string Hash)? Head;

        public void Reset(Guid transactionId)
        {
            TransactionId = transactionId;
            Rows.Clear();
            Saving = null;
            Head = null;
        }
    }

    private readonly ConditionalWeakTable<DbContext, Pending> pending = new();

    public static byte[] KeyFrom(string? chainKey, string signingKey) => !string.IsNullOrEmpty(chainKey)
        ? Encoding.UTF8.GetBytes(chainKey)
        : HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingKey), "audit-chain"u8);

    /// <summary>
    /// Before a save: its audit rows wait with the transaction (one is opened for a save that has none, and
    /// committed after it) and are written when it commits.
    /// </summary>
    internal async ValueTask SavingAsync(DbContext context, List<AuditEntry> rows, bool sync, CancellationToken ct)
    {
        var database = context.Database;
        IDbContextTransaction? owned = null;
        if (database.CurrentTransaction is null)
        {
            owned = sync ? database.BeginTransaction() : await database.BeginTransactionAsync(ct);
        }
        var state = For(context, database.CurrentTransaction!.TransactionId);
        state.Saving = rows;
        if (owned is not null)
        {
            state.Owned = owned;
            // The save is the whole transaction: a failure rolls it all back, a savepoint would only cost round trips.
            state.OwnedSavepoints = database.AutoSavepointsEnabled;
            database.AutoSavepointsEnabled = false;
        }
    }

    /// <summary>After a save: its rows join the transaction's; a transaction the chain opened for it commits.</summary>
    internal async ValueTask SavedAsync(DbContext? context, bool sync, CancellationToken ct)
    {
        if (context is null || !pending.TryGetValue(context, out var state) || state.Saving is null) return;
        state.Rows.AddRange(state.Saving);
        state.Saving = null;
        if (state.Owned is null && state.Rows.Count > MaxPendingRows)
        {
            var transaction = context.Database.CurrentTransaction;
            if (transaction is not null && transaction.TransactionId == state.TransactionId)
                await WriteAsync(context, transaction.GetDbTransaction(), state, sync, ct);
        }
        await EndOwnedAsync(context, state, commit: true, sync);
    }

    /// <summary>After a failed or cancelled save: its rows are dropped; a transaction the chain opened for it rolls back.</summary>
    internal async ValueTask FailedAsync(DbContext? context, bool sync)
    {
        if (context is null || !pending.TryGetValue(context, out var state)) return;
        state.Saving = null;
        await EndOwnedAsync(context, state, commit: false, sync);
    }

    private static async ValueTask EndOwnedAsync(DbContext context, Pending state, bool commit, bool sync)
    {
        if (state.Owned is not { } tx) return;
        state.Owned = null;
        context.Database.AutoSavepointsEnabled = state.OwnedSavepoints;
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

    /// <summary>
    /// As a transaction commits: takes the chain's lock, gives its waiting rows the next positions and
    /// their hashes, and inserts them — the last statements before COMMIT. When that fails the transaction
    /// is rolled back at once, so no commit can follow with a part of its rows.
    /// </summary>
    /// <returns>
    /// Whether the transaction is committed already: on PostgreSQL the COMMIT goes in the last INSERT's round trip,
    /// so the chain's lock is free one round trip sooner (the caller then skips its own COMMIT). Npgsql follows the
    /// transaction's end from the server's answer, so the transaction then counts as completed.
    /// </returns>
    internal async ValueTask<bool> CommittingAsync(DbTransaction transaction, TransactionEventData data, bool sync, CancellationToken ct)
    {
        if (data.Context is not { } context || !pending.TryGetValue(context, out var state) || state.TransactionId != data.TransactionId) return false;
        var committed = false;
        try
        {
            if (state.Rows.Count > 0)
            {
                committed = context.Database.ProviderName == "Npgsql.EntityFrameworkCore.PostgreSQL";
                await WriteAsync(context, transaction, state, sync, ct, commit: committed);
            }
        }
        catch
        {
            state.Reset(Guid.Empty);
            try
            {
                if (sync) transaction.Rollback(); else await transaction.RollbackAsync(CancellationToken.None);
            }
            catch (DbException)
            {
                // The connection broke: the database rolls the transaction back by itself.
            }
            catch (InvalidOperationException)
            {
                // The COMMIT itself failed: the database ended the transaction already.
            }
            throw;
        }
        state.Reset(Guid.Empty);
        return committed;
    }

    /// <summary>A transaction rolled back or failed: its waiting rows are dropped.</summary>
    internal void Ended(TransactionEndEventData data)
    {
        if (data.Context is { } context && pending.TryGetValue(context, out var state) && state.TransactionId == data.TransactionId)
            state.Reset(Guid.Empty);
    }

    private Pending For(DbContext context, Guid transactionId)
    {
        var state = pending.GetOrCreateValue(context);
        if (state.TransactionId != transactionId) state.Reset(transactionId);
        return state;
    }

    /// <summary>Under the chain's lock (taken here unless this transaction holds it): positions, hashes, INSERT.</summary>
    /// <param name="commit">COMMIT in the same round trip as the last INSERT.</param>
    private async ValueTask WriteAsync(DbContext context, DbTransaction transaction, Pending state, bool sync, CancellationToken ct, bool commit = false)
    {
        var table = AuditTable.Of(context);
        var (seq, previous) = state.Head ?? await ReadHeadLockedAsync(context, transaction, table, sync, ct);
        foreach (var row in state.Rows)
        {
            row.Seq = ++seq;
            row.Hash = previous = Hash(previous, row);
        }
        for (var from = 0; from < state.Rows.Count; from += AuditTable.RowsPerInsert)
        {
            var count = Math.Min(AuditTable.RowsPerInsert, state.Rows.Count - from);
            await using var insert = table.Insert(context, transaction, state.Rows, from, count);
            if (commit && from + count == state.Rows.Count) insert.CommandText += ";\nCOMMIT";
            // The common saves (one to a few audited rows) prepared, as the head's statement: a bounded number of shapes.
            if (count <= AuditTable.PreparedRows) await Prepare(insert, sync);
            if (sync) insert.ExecuteNonQuery(); else await insert.ExecuteNonQueryAsync(ct);
        }
        state.Rows.Clear();
        state.Head = (seq, previous);
    }

    /// <summary>The chain's lock, then (a statement of its own, so that it sees every commit before the lock) the head.</summary>
    private static async ValueTask<(long Seq, string Hash)> ReadHeadLockedAsync(
        DbContext context, DbTransaction transaction, AuditTable table, bool sync, CancellationToken ct)
    {
        await using var command = table.Command(context, transaction,
            (context.Database.ProviderName == "Npgsql.EntityFrameworkCore.PostgreSQL" ? $"SELECT pg_advisory_xact_lock({LockKey});\n" : "") + table.HeadSql);
        // Every write runs it: prepared (PreparedQueries says why explicitly).
        await Prepare(command, sync);
        await using var reader = sync ? command.ExecuteReader() : await command.ExecuteReaderAsync(ct);
        // The lock's statement has a result of its own (one void row) before the head's.
        while (reader.FieldCount != 2)
        {
            if (!(sync ? reader.NextResult() : await reader.NextResultAsync(ct))) throw new InvalidOperationException("The audit chain's head query returned nothing");
        }
        if (!(sync ? reader.Read() : await reader.ReadAsync(ct))) return (0, "");
        return (reader.GetInt64(0), reader.IsDBNull(1) ? "" : reader.GetString(1));
    }

    private static async ValueTask Prepare(DbCommand command, bool sync)
    {
        if (sync) command.Prepare(); else await PreparedQueries.PrepareAsync(command);
    }

    /// <summary>The audit table's SQL, from the model (names and the provider's parameter types).</summary>
    private sealed class AuditTable
    {
        /// <summary>Rows per INSERT: 14 parameters each stay under every provider's limit.</summary>
        public const int RowsPerInsert = 500;
        /// <summary>INSERTs of up to this many rows are prepared.</summary>
        public const int PreparedRows = 4;
        private static readonly ConditionalWeakTable<IModel, AuditTable> Tables = new();

        private readonly IProperty[] properties;
        private readonly System.Reflection.PropertyInfo[] getters;
        private readonly string insertInto;
        private readonly ISqlGenerationHelper sql;
        public readonly string HeadSql;

        private AuditTable(DbContext context)
        {
            sql = context.GetService<ISqlGenerationHelper>();
            var entity = context.Model.FindEntityType(typeof(AuditEntry))!;
            var store = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
            properties = entity.GetProperties().ToArray();
            getters = properties.Select(p => p.PropertyInfo!).ToArray();
            var name = sql.DelimitIdentifier(store.Name, store.Schema);
            string Column(string property) => sql.DelimitIdentifier(entity.FindProperty(property)!.GetColumnName(store)!);
            insertInto = $"INSERT INTO {name} ({string.Join(", ", properties.Select(p => sql.DelimitIdentifier(p.GetColumnName(store)!)))}) VALUES ";
            var seq = Column(nameof(AuditEntry.Seq));
            HeadSql = $"SELECT {seq}, {Column(nameof(AuditEntry.Hash))} FROM {name} WHERE {seq} IS NOT NULL ORDER BY {seq} DESC LIMIT 1";
        }

        public static AuditTable Of(DbContext context) => Tables.GetValue(context.Model, _ => new AuditTable(context));

        public DbCommand Command(DbContext context, DbTransaction transaction, string text)
        {
            var command = transaction.Connection!.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = text;
            if (context.Database.GetCommandTimeout() is { } timeout) command.CommandTimeout = timeout;
            return command;
        }

        public DbCommand Insert(DbContext context, DbTransaction transaction, List<AuditEntry> rows, int from, int count)
        {
            var text = new StringBuilder(insertInto);
            var command = Command(context, transaction, "");
            for (var r = 0; r < count; r++)
            {
                text.Append(r == 0 ? "(" : ", (");
                for (var c = 0; c < properties.Length; c++)
                {
                    var name = "p" + command.Parameters.Count;
                    if (c > 0) text.Append(", ");
                    text.Append(sql.GenerateParameterNamePlaceholder(name));
                    command.Parameters.Add(properties[c].GetRelationalTypeMapping()
                        .CreateParameter(command, sql.GenerateParameterName(name), getters[c].GetValue(rows[from + r]), properties[c].IsNullable));
                }
                text.Append(')');
            }
            command.CommandText = text.ToString();
            return command;
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
