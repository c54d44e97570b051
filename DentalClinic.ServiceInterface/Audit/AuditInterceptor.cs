using System.Buffers;
using System.Data.Common;
using System.Text.Json;
using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceModel;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Metadata;

namespace DentalClinic.ServiceInterface.Audit;

/// <summary>
/// The audit log's one writer for data changes. Before every SaveChanges it makes an
/// <see cref="AuditEntry"/> for each created, updated or deleted row of an audited table (see
/// <see cref="AuditPolicy"/>); the save's transaction keeps them, and they are inserted in that
/// transaction just before it commits (<see cref="AuditChain"/>), so the audit rows commit or roll
/// back with the change itself. It works on whatever the context tracks, so new tables are audited
/// without any code of their own. Set-based writes (ExecuteUpdate/ExecuteDelete) bypass it:
/// they are used only on the token tables, which are not audited.
/// Registered after the TimestampInterceptor, so images carry the new updated_at. Audit rows added to
/// the context directly (access events) are taken out of the save and wait for the commit with the others.
/// </summary>
public sealed class AuditInterceptor(CurrentAuditActor actor, TimeProvider clock, AuditChain chain) : SaveChangesInterceptor, IDbTransactionInterceptor
{
    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is { } context) await AddAuditEntriesAsync(context, cancellationToken);
        return result;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is { } context) AddAuditEntriesAsync(context, CancellationToken.None, sync: true).AsTask().GetAwaiter().GetResult();
        return result;
    }

    public override async ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        await chain.SavedAsync(eventData.Context, sync: false, cancellationToken);
        return result;
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        chain.SavedAsync(eventData.Context, sync: true, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return result;
    }

    public override async Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default) =>
        await chain.FailedAsync(eventData.Context, sync: false);

    public override void SaveChangesFailed(DbContextErrorEventData eventData) =>
        chain.FailedAsync(eventData.Context, sync: true).AsTask().GetAwaiter().GetResult();

    // EF reports a concurrency failure here, not to SaveChangesFailed: the save's rows are dropped too.
    public override async ValueTask<InterceptionResult> ThrowingConcurrencyExceptionAsync(
        ConcurrencyExceptionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        await chain.FailedAsync(eventData.Context, sync: false);
        return result;
    }

    public override InterceptionResult ThrowingConcurrencyException(ConcurrencyExceptionEventData eventData, InterceptionResult result)
    {
        chain.FailedAsync(eventData.Context, sync: true).AsTask().GetAwaiter().GetResult();
        return result;
    }

    public override async Task SaveChangesCanceledAsync(DbContextEventData eventData, CancellationToken cancellationToken = default) =>
        await chain.FailedAsync(eventData.Context, sync: false);

    public override void SaveChangesCanceled(DbContextEventData eventData) =>
        chain.FailedAsync(eventData.Context, sync: true).AsTask().GetAwaiter().GetResult();

    // The transaction's audit rows are inserted as it commits (on PostgreSQL with the COMMIT, which EF Core then skips),
    // and dropped when it rolls back.
    public async ValueTask<InterceptionResult> TransactionCommittingAsync(
        DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    {
        return await chain.CommittingAsync(transaction, eventData, sync: false, cancellationToken) ? InterceptionResult.Suppress() : result;
    }

    public InterceptionResult TransactionCommitting(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result)
    {
        return chain.CommittingAsync(transaction, eventData, sync: true, CancellationToken.None).AsTask().GetAwaiter().GetResult()
            ? InterceptionResult.Suppress() : result;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => chain.Ended(eventData);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        chain.Ended(eventData);
        return Task.CompletedTask;
    }

    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => chain.Ended(eventData);

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        chain.Ended(eventData);
        return Task.CompletedTask;
    }

    /// <summary>Creates an entry stamped with the current actor and time (also used for access events).</summary>
    public AuditEntry NewEntry(string action, string table, string entityId)
    {
        var who = actor.Get();
        var now = clock.GetUtcNow().UtcDateTime;
        return new AuditEntry
        {
            // Microsecond precision, like the other timestamps: what PostgreSQL keeps.
            OccurredAt = now.AddTicks(-(now.Ticks % 10)),
            UserId = who.UserId,
            UserRole = who.Role,
            RequestId = who.RequestId,
            IpAddress = who.IpAddress,
            Action = action,
            TableName = table,
            EntityId = entityId,
        };
    }

    private async ValueTask AddAuditEntriesAsync(DbContext context, CancellationToken ct, bool sync = false)
    {
        context.ChangeTracker.DetectChanges();
        var rows = new List<AuditEntry>();
        foreach (var entry in TrackedEntries(context))
        {
            if (entry.Entity is AuditEntry row)
            {
                if (entry.State is EntityState.Modified or EntityState.Deleted)
                    throw new InvalidOperationException("Audit log rows cannot be changed or deleted.");
                // Access events, added directly (AuditLog.RecordAccessAsync): written at the commit like the others.
                if (entry.State == EntityState.Added)
                {
                    rows.Add(row);
                    entry.State = EntityState.Detached;
                }
                continue;
            }
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted)) continue;
            if (!AuditPolicy.IsAudited(entry.Metadata)) continue;
            rows.Add(await CreateEntryAsync(entry, ct, sync));
        }
        // They take their places in the hash chain as the transaction commits.
        if (rows.Count > 0) await chain.SavingAsync(context, rows, sync, ct);
    }

    private async ValueTask<AuditEntry> CreateEntryAsync(EntityEntry entry, CancellationToken ct, bool sync)
    {
        var type = entry.Metadata;
        var table = type.GetTableName()!;
        var key = type.FindPrimaryKey()!.Properties;
        if (key.Any(p => entry.Property(p.Name).IsTemporary))
            throw new InvalidOperationException(
                $"Audited table '{table}' has a database-generated key; audited entities need keys set in code (UUID v7).");
        var entityId = string.Join(",", key.Select(p => Format(entry.Property(p.Name).CurrentValue)));
        var properties = type.GetProperties().ToList();

        var audit = NewEntry(entry.State switch
        {
            EntityState.Added => AuditActions.Create,
            EntityState.Deleted => AuditActions.Delete,
            _ => AuditActions.Update,
        }, table, entityId);

        if (entry.State == EntityState.Added)
        {
            audit.After = Image(properties, p => entry.CurrentValues[p]);
            return audit;
        }

        // The before image comes from the values EF loaded. A row attached without loading has no
        // true original values — Update() of a detached object marks columns modified that did not
        // change, Remove() may get a stub with only a key — so it is read from the database instead.
        var attachedWithoutLoading = entry.State == EntityState.Modified &&
            entry.Properties.Any(p => p.IsModified && Equals(p.OriginalValue, p.CurrentValue));
        var original = entry.OriginalValues;
        if (entry.State == EntityState.Deleted || attachedWithoutLoading)
            original = (sync ? entry.GetDatabaseValues() : await entry.GetDatabaseValuesAsync(ct)) ?? original;

        audit.Before = Image(properties, p => original[p]);
        if (entry.State == EntityState.Deleted) return audit;

        audit.After = Image(properties, p => entry.CurrentValues[p]);
        var changed = properties
            .Where(p => entry.Property(p.Name).IsModified && !Equals(original[p], entry.CurrentValues[p]))
            .Select(p => p.GetColumnName())
            .ToList();
        audit.Columns = JsonSerializer.Serialize(changed);
        return audit;
    }

    /// <summary>A row as a JSON object of column name → value, without redacted columns.</summary>
    private static string Image(IEnumerable<IProperty> properties, Func<IProperty, object?> value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var property in properties)
            {
                if (AuditPolicy.IsRedacted(property)) continue;
                writer.WritePropertyName(property.GetColumnName());
                var v = value(property);
                if (v is null) writer.WriteNullValue();
                else JsonSerializer.Serialize(writer, v, v.GetType());
            }
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string Format(object? key) => key switch
    {
        null => "",
        Guid g => g.ToString(),
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => key.ToString() ?? "",
    };

    /// <summary>The tracked entries without another full DetectChanges (done once, before auditing).</summary>
    private static List<EntityEntry> TrackedEntries(DbContext context)
    {
        var tracker = context.ChangeTracker;
        var autoDetect = tracker.AutoDetectChangesEnabled;
        tracker.AutoDetectChangesEnabled = false;
        try
        {
            return tracker.Entries().ToList();
        }
        finally
        {
            tracker.AutoDetectChangesEnabled = autoDetect;
        }
    }
}
