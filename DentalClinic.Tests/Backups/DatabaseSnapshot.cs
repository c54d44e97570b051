using System.Collections;
using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using DentalClinic.Tests.Support;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace DentalClinic.Tests.Backups;

/// <summary>
/// Every table of a database, through plain SQL: its row count and a SHA-256 over all its rows
/// (every column, values in an invariant text form, rows sorted), so two databases compare table by table.
/// PostgreSQL: the base tables of schema public (Hangfire's schema is job storage and not backed up);
/// SQLite: every table, the FTS5 search table and its shadow tables included.
/// </summary>
public static class DatabaseSnapshot
{
    public sealed record Table(long Rows, string Hash);

    public static async Task<SortedDictionary<string, Table>> TakeAsync(string provider, string connectionString)
    {
        await using DbConnection connection = provider == TestDatabases.PostgreSql
            ? new NpgsqlConnection(connectionString)
            : new SqliteConnection(new SqliteConnectionStringBuilder(connectionString) { Pooling = false, Mode = SqliteOpenMode.ReadOnly }.ConnectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = provider == TestDatabases.PostgreSql
                ? "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
                : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'";
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        }

        var snapshot = new SortedDictionary<string, Table>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            var rows = new List<string>();
            await using var select = connection.CreateCommand();
            select.CommandText = $"SELECT * FROM \"{table}\"";
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var values = new string[reader.FieldCount];
                for (var i = 0; i < reader.FieldCount; i++) values[i] = reader.GetName(i) + "=" + Format(reader.GetValue(i));
                rows.Add(string.Join("\u001f", values));
            }
            rows.Sort(StringComparer.Ordinal);
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\u001e", rows))));
            snapshot[table] = new Table(rows.Count, hash);
        }
        return snapshot;
    }

    private static string Format(object value) => value switch
    {
        DBNull => "∅",
        byte[] bytes => "0x" + Convert.ToHexString(bytes),
        DateTime t => t.ToString("O", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.ToString("O", CultureInfo.InvariantCulture),
        string s => "'" + s + "'",
        IEnumerable items => "[" + string.Join(",", items.Cast<object>().Select(Format)) + "]",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
