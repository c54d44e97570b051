using System.Globalization;
using System.Text.Json;
using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceInterface.Infrastructure;
using DentalClinic.ServiceModel;
using Microsoft.EntityFrameworkCore;

namespace DentalClinic.ServiceInterface.Audit;

/// <summary>
/// Reading the audit log, and recording access events. Data changes are recorded by the
/// <see cref="AuditInterceptor"/>, never here; nothing here changes or deletes a row.
/// </summary>
public sealed class AuditLog(AppDbContext db, AuditInterceptor interceptor, CursorCodec cursors)
{
    private sealed record Position(DateTime At, Guid Id);

    /// <summary>
    /// Records that the current user read sensitive data (medical-history answers, a signature):
    /// <paramref name="columns"/> names what was read. Saved at once — with any other pending
    /// change of this context, in the same transaction.
    /// </summary>
    public async Task RecordAccessAsync(string table, string entityId, IReadOnlyList<string>? columns = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(table);
        ArgumentException.ThrowIfNullOrWhiteSpace(entityId);
        var entry = interceptor.NewEntry(AuditActions.Access, table, entityId);
        if (columns is { Count: > 0 }) entry.Columns = JsonSerializer.Serialize(columns);
        db.Set<AuditEntry>().Add(entry);
        await db.SaveChangesAsync(ct);
    }

    public Task RecordAccessAsync(string table, Guid entityId, IReadOnlyList<string>? columns = null, CancellationToken ct = default) =>
        RecordAccessAsync(table, entityId.ToString(), columns, ct);

    public async Task<PagedResult<AuditEntryDto>> QueryAsync(QueryAuditLog request, CancellationToken ct)
    {
        var limit = PageRequest.Limit(request.Limit);
        var query = db.Set<AuditEntry>().AsNoTracking();
        if (!string.IsNullOrEmpty(request.Table)) query = query.Where(a => a.TableName == request.Table);
        if (!string.IsNullOrEmpty(request.EntityId))
        {
            // Ids are stored in their canonical form; accept any casing of a UUID.
            var entityId = Guid.TryParse(request.EntityId, out var guid) ? guid.ToString() : request.EntityId;
            query = query.Where(a => a.EntityId == entityId);
        }
        if (request.UserId is { } userId) query = query.Where(a => a.UserId == userId);
        if (ParseTimestamp(request.From) is { } from) query = query.Where(a => a.OccurredAt >= from);
        if (ParseTimestamp(request.To) is { } to) query = query.Where(a => a.OccurredAt < to);
        if (request.Cursor is not null)
        {
            var after = cursors.Decode<Position>(request.Cursor);
            var at = DateTime.SpecifyKind(after.At, DateTimeKind.Utc);
            query = query.Where(a => a.OccurredAt < at || (a.OccurredAt == at && a.Id.CompareTo(after.Id) < 0));
        }

        var rows = await query.OrderByDescending(a => a.OccurredAt).ThenByDescending(a => a.Id).Take(limit + 1).ToListAsync(ct);
        var hasMore = rows.Count > limit;
        if (hasMore) rows.RemoveAt(limit);
        var next = hasMore ? cursors.Encode(new Position(rows[^1].OccurredAt, rows[^1].Id)) : null;
        return new PagedResult<AuditEntryDto>(rows.Select(ToDto).ToList(), new Pagination(limit, next, hasMore));
    }

    /// <summary>An ISO-8601 timestamp or date; without an offset, UTC. Null when absent or invalid (the validator reports invalid ones).</summary>
    public static DateTime? ParseTimestamp(string? value) =>
        DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed.UtcDateTime
            : null;

    private static AuditEntryDto ToDto(AuditEntry a) => new(
        a.Id, a.OccurredAt, a.Action, a.TableName, a.EntityId, a.UserId, a.UserRole,
        Json(a.Before), Json(a.After),
        a.Columns is null ? null : JsonSerializer.Deserialize<List<string>>(a.Columns),
        a.RequestId, a.IpAddress);

    private static JsonElement? Json(string? text)
    {
        if (text is null) return null;
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }
}
