using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace DentalClinic.ServiceInterface.Data;

/// <summary>
/// PostgreSQL: the front desk's hottest reads, tagged with <see cref="Tag"/> (<c>query.TagWith(PreparedQueries.Tag)</c>),
/// run as prepared statements: PostgreSQL parses and analyses each once per connection instead of on every run,
/// which was half of a patient lookup's time in the database. Npgsql keeps a statement prepared on its physical
/// connection across pooled opens, so after a connection's first run the preparing is a lookup.
/// <para>
/// Prepared explicitly, not by Npgsql's automatic preparation (refused at start, see <c>Configure.Db</c>): an
/// explicit Prepare completes its own round trip before the statement runs, so a run that fails (a cancelled
/// request, a statement timeout) leaves the statement and the connection sound — automatic preparation does not
/// (npgsql/npgsql#6391). The preparing round trip itself is not cancelled with the request for the same reason.
/// Only tagged queries: every prepared statement stays on its connection until the connection closes, so the tag
/// goes on queries whose SQL comes in a bounded number of shapes.
/// </para>
/// </summary>
public sealed class PreparedQueries : DbCommandInterceptor
{
    public const string Tag = "prepared";
    // EF Core writes each tag as an SQL comment line at the start of the command.
    private const string TagLine = "-- " + Tag + "\n";

    public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        if (IsTagged(command)) await command.PrepareAsync(CancellationToken.None);
        return result;
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        if (IsTagged(command)) command.Prepare();
        return result;
    }

    public static bool IsTagged(DbCommand command) => command.CommandText.StartsWith(TagLine, StringComparison.Ordinal);
}
