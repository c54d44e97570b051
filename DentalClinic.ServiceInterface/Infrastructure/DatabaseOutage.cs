using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace DentalClinic.ServiceInterface.Infrastructure;

/// <summary>
/// Whether an exception means the database cannot be reached right now (server down, network cut,
/// connections refused or exhausted, SQLite file busy or unopenable) rather than a fault of the
/// request: the API then answers 503 SERVICE_UNAVAILABLE with Retry-After, and serves again by itself
/// once the database is back (every request takes a fresh or revalidated pooled connection).
/// </summary>
public static class DatabaseOutage
{
    /// <summary>Seconds a client is asked to wait before retrying.</summary>
    public const int RetryAfterSeconds = 5;

    public static bool Is(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                // Connection exceptions (class 08), the server shutting down or starting, too many connections.
                case PostgresException pg:
                    return pg.SqlState.StartsWith("08", StringComparison.Ordinal) ||
                           pg.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown
                               or PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.TooManyConnections
                               or PostgresErrorCodes.ConfigurationLimitExceeded;
                // Network errors and timeouts (Npgsql marks them transient), including an exhausted pool.
                case NpgsqlException { IsTransient: true }:
                    return true;
                // SQLITE_BUSY, SQLITE_LOCKED, SQLITE_IOERR, SQLITE_CANTOPEN.
                case SqliteException sqlite:
                    return sqlite.SqliteErrorCode is 5 or 6 or 10 or 14;
                case SocketException:
                    return true;
            }
        }
        return false;
    }
}
