using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace DentalClinic.ServiceInterface.Data;

/// <summary>
/// PostgreSQL: the hottest statements — the front desk's reads and a booking's — tagged with <see cref="Tag"/>
/// (<c>query.TagWith(PreparedQueries.Tag)</c>, or SQL that starts with <see cref="Prefix"/>), run as prepared
/// statements: PostgreSQL parses and analyses each once per connection instead of on every run, which was half
/// of a patient lookup's time in the database. Commands built by hand call <see cref="PrepareAsync"/>. Npgsql
/// keeps a statement prepared on its physical connection across pooled opens, so after a connection's first
/// run the preparing is a lookup.
/// <para>
/// Prepared explicitly, not by Npgsql's automatic preparation (refused at start, see <c>Configure.Db</c>): an
/// explicit Prepare completes its own round trip before the statement runs, so a run that fails (a cancelled
/// request, a statement timeout) leaves the statement and the connection sound — automatic preparation does not
/// (npgsql/npgsql#6391). The preparing round trip itself is not cancelled with the request for the same reason.
/// Only tagged queries: every prepared statement stays on its connection until the connection closes, so the tag
/// goes on queries whose SQL comes in a bounded number of shapes. Besides them, the one-row INSERT a save sends
/// (<see cref="IsOneRowInsert"/>, a booking's appointment): EF Core writes one shape of it per table.
/// </para>
/// </summary>
public sealed class PreparedQueries : DbCommandInterceptor
{
    public const string Tag = "prepared";
    /// <summary>EF Core writes each tag as an SQL comment line at the start of the command; raw SQL starts with it too.</summary>
    public const string Prefix = "-- " + Tag + "\n";

    public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        if (ShouldPrepare(command, eventData)) await PrepareAsync(command);
        return result;
    }

    public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (ShouldPrepare(command, eventData)) await PrepareAsync(command);
        return result;
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        if (ShouldPrepare(command, eventData)) command.Prepare();
        return result;
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        if (ShouldPrepare(command, eventData)) command.Prepare();
        return result;
    }

    private static bool ShouldPrepare(DbCommand command, CommandEventData eventData) =>
        IsTagged(command) || (eventData.CommandSource == CommandSource.SaveChanges && IsOneRowInsert(command.CommandText));

    /// <summary>
    /// A single INSERT of one row (<c>INSERT INTO t (…) VALUES (…)</c>, maybe with RETURNING): not a batch of
    /// statements, nor several rows, whose shapes grow with their number.
    /// </summary>
    public static bool IsOneRowInsert(string sql)
    {
        var text = sql.AsSpan().TrimEnd().TrimEnd(';');
        return text.StartsWith("INSERT INTO ", StringComparison.Ordinal) && !text.Contains(';')
               && text.IndexOf("VALUES (", StringComparison.Ordinal) is var values and >= 0
               && !text[values..].Contains("), (", StringComparison.Ordinal);
    }

    public static bool IsTagged(DbCommand command) => command.CommandText.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>Prepares a command; the round trip is not cancelled with the request (see above).</summary>
    public static Task PrepareAsync(DbCommand command) => command.PrepareAsync(CancellationToken.None);

    /// <summary>Prepares every statement of a batch, as <see cref="PrepareAsync(DbCommand)"/> does a command's.</summary>
    public static Task PrepareAsync(DbBatch batch) => batch.PrepareAsync(CancellationToken.None);
}
