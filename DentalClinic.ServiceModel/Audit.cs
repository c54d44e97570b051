using System.Text.Json;

namespace DentalClinic.ServiceModel;

public static class AuditActions
{
    public const string Create = "create";
    public const string Update = "update";
    public const string Delete = "delete";
    /// <summary>A read of sensitive data (medical-history answers, signatures).</summary>
    public const string Access = "access";
}

/// <summary>
/// Audit log, newest first. <c>from</c> (inclusive) and <c>to</c> (exclusive) are ISO-8601
/// timestamps or dates; without an offset they are UTC.
/// </summary>
public record QueryAuditLog(
    string? Table,
    string? EntityId,
    Guid? UserId,
    string? From,
    string? To,
    int? Limit,
    string? Cursor);

/// <param name="Table">The database table, e.g. <c>patients</c>.</param>
/// <param name="UserRole">The actor's role at the time, <c>system</c> (start-up, jobs) or <c>anonymous</c>.</param>
/// <param name="Before">The row before the change, column → value (null for a create or an access).</param>
/// <param name="After">The row after the change (null for a delete or an access).</param>
/// <param name="Columns">The columns an update changed (secret ones listed without values), or those an access read.</param>
public record AuditEntryDto(
    Guid Id,
    DateTime OccurredAt,
    string Action,
    string Table,
    string EntityId,
    Guid? UserId,
    string UserRole,
    JsonElement? Before,
    JsonElement? After,
    IReadOnlyList<string>? Columns,
    string? RequestId,
    string? IpAddress);

/// <summary>Kinds of problem the audit chain's verification reports.</summary>
public static class AuditVerificationProblems
{
    public const string Altered = "altered";
    public const string Removed = "removed";
    public const string Inserted = "inserted";
}

/// <summary>
/// The result of checking the audit log's hash chain (GET /api/admin/audit/verify, `verify-audit`).
/// <c>head</c>/<c>headHash</c> are the last position and its hash: keep them to notice later removal of the newest rows.
/// </summary>
public record AuditVerification(
    bool Intact,
    long Rows,
    long RowsChecked,
    long RowsBeforeChain,
    long Head,
    string? HeadHash,
    AuditVerificationProblem? Problem);

/// <summary>The first problem found: <c>kind</c> is altered, removed or inserted; <c>seq</c> the chain position, <c>id</c> the row (when it exists).</summary>
public record AuditVerificationProblem(string Kind, long? Seq, Guid? Id, string Message);
