using System.Diagnostics;
using System.Text;
using Npgsql;

namespace DentalClinic.ServiceInterface.Backups;

/// <summary>
/// Runs PostgreSQL's client programs (pg_dump, pg_restore from Debian's postgresql-client). The
/// connection is passed in libpq's environment variables, so the password never shows in a process list.
/// </summary>
public static class PostgresTools
{
    public const string ToolsDirectoryPattern = "/usr/lib/postgresql";

    /// <summary>
    /// The program to run: the configured path, else the newest /usr/lib/postgresql/N/bin/NAME
    /// (a newer pg_dump reads older servers; an older one refuses newer servers), else NAME on PATH.
    /// </summary>
    public static string Find(string name, string? configured, string? besideOf = null)
    {
        if (!string.IsNullOrWhiteSpace(configured))
            return File.Exists(configured) ? configured : throw new BackupException($"{name} was not found at '{configured}' (Backups configuration).");
        if (besideOf is not null && Path.GetDirectoryName(besideOf) is { Length: > 0 } directory && File.Exists(Path.Combine(directory, name)))
            return Path.Combine(directory, name);

        if (Directory.Exists(ToolsDirectoryPattern))
        {
            var newest = Directory.EnumerateDirectories(ToolsDirectoryPattern)
                .Select(d => (Directory: d, Version: Version.TryParse(Path.GetFileName(d).Contains('.') ? Path.GetFileName(d) : Path.GetFileName(d) + ".0", out var v) ? v : null))
                .Where(d => d.Version is not null && File.Exists(Path.Combine(d.Directory, "bin", name)))
                .OrderByDescending(d => d.Version)
                .Select(d => Path.Combine(d.Directory, "bin", name))
                .FirstOrDefault();
            if (newest is not null) return newest;
        }

        foreach (var entry in (System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(entry, name);
            if (File.Exists(candidate)) return candidate;
        }
        throw new BackupException($"{name} was not found: install PostgreSQL's client programs (Debian: postgresql-client) or set Backups:{(name == "pg_dump" ? "PgDumpPath" : "PgRestorePath")}.");
    }

    /// <summary>libpq's environment for an Npgsql connection string.</summary>
    public static Dictionary<string, string> ConnectionEnvironment(string connectionString)
    {
        var cs = new NpgsqlConnectionStringBuilder(connectionString);
        var env = new Dictionary<string, string>
        {
            ["PGHOST"] = cs.Host ?? "localhost",
            ["PGPORT"] = cs.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PGDATABASE"] = cs.Database ?? cs.Username ?? "postgres",
            ["PGAPPNAME"] = "dentalclinic-backup",
            ["PGCONNECT_TIMEOUT"] = Math.Max(2, cs.Timeout).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        if (!string.IsNullOrEmpty(cs.Username)) env["PGUSER"] = cs.Username;
        if (!string.IsNullOrEmpty(cs.Password)) env["PGPASSWORD"] = cs.Password;
        env["PGSSLMODE"] = cs.SslMode switch
        {
            SslMode.Disable => "disable",
            SslMode.Allow => "allow",
            SslMode.Require => "require",
            SslMode.VerifyCA => "verify-ca",
            SslMode.VerifyFull => "verify-full",
            _ => "prefer",
        };
        return env;
    }

    /// <summary>Runs the program; a non-zero exit is a <see cref="BackupException"/> with its error output. Returns its standard output.</summary>
    public static async Task<string> RunAsync(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment,
        TimeSpan timeout, CancellationToken ct)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment) start.Environment[key] = value;

        using var process = Process.Start(start) ?? throw new BackupException($"{Path.GetFileName(program)} could not be started.");
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            if (ct.IsCancellationRequested) throw;
            throw new BackupException($"{Path.GetFileName(program)} did not finish within {timeout}.");
        }
        var stderr = await error;
        if (process.ExitCode != 0)
            throw new BackupException($"{Path.GetFileName(program)} failed (exit code {process.ExitCode}): {Trim(stderr)}");
        return await output;
    }

    private static string Trim(string text)
    {
        var builder = new StringBuilder(text.Trim());
        return builder.Length > 1500 ? builder.ToString(0, 1500) + "…" : builder.ToString();
    }
}
