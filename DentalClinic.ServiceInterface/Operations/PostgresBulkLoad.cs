using DentalClinic.ServiceInterface.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;

namespace DentalClinic.ServiceInterface.Operations;

/// <summary>
/// Loading many rows into PostgreSQL the way its manual advises ("Populating a Database"): binary
/// COPY instead of INSERTs, and, while the tables are loaded, their secondary indexes and foreign
/// keys dropped and afterwards rebuilt in one pass each. Rows are written by their EF Core mapping,
/// so every mapped column (and its value converter) is written as the DbContext would write it.
/// Everything runs in the caller's transaction: a failed load leaves the tables and indexes as they were.
/// </summary>
internal static class PostgresBulkLoad
{
    /// <summary>
    /// Drops the secondary indexes and foreign keys of the tables, when the connected role owns them
    /// (otherwise nothing is dropped and COPY maintains them row by row); returns the statements that rebuild them.
    /// </summary>
    public static async Task<List<string>> DropIndexesAsync(AppDbContext db, string[] tables, CancellationToken ct)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using (var owns = new NpgsqlCommand(
            "SELECT bool_and(pg_has_role(current_user, tableowner, 'USAGE')) FROM pg_tables WHERE schemaname = current_schema() AND tablename = ANY(@tables)", connection))
        {
            owns.Parameters.AddWithValue("tables", tables);
            if (await owns.ExecuteScalarAsync(ct) is not true) return [];
        }

        // Indexes that back no constraint (the primary keys stay), then the foreign keys of the tables.
        const string definitions = """
            SELECT 'DROP INDEX ' || i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            WHERE i.indrelid = ANY(SELECT (quote_ident(current_schema()) || '.' || quote_ident(t))::regclass FROM unnest(@tables) AS t)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            UNION ALL
            SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname),
                   format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid))
            FROM pg_constraint c
            WHERE c.contype = 'f'
              AND c.conrelid = ANY(SELECT (quote_ident(current_schema()) || '.' || quote_ident(t))::regclass FROM unnest(@tables) AS t)
            """;
        var drops = new List<string>();
        var rebuilds = new List<string>();
        await using (var command = new NpgsqlCommand(definitions, connection))
        {
            command.Parameters.AddWithValue("tables", tables);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                drops.Add(reader.GetString(0));
                rebuilds.Add(reader.GetString(1));
            }
        }
        foreach (var drop in drops) await Execute(connection, drop, ct);
        return rebuilds;
    }

    /// <summary>Rebuilds what <see cref="DropIndexesAsync"/> dropped, with memory enough to sort large indexes.</summary>
    public static async Task RebuildIndexesAsync(AppDbContext db, IEnumerable<string> rebuilds, CancellationToken ct)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await Execute(connection, "SET LOCAL maintenance_work_mem = '256MB'", ct);
        foreach (var statement in rebuilds) await Execute(connection, statement, ct);
    }

    /// <summary>Writes the rows with one binary COPY; <paramref name="shadow"/> gives the values of shadow properties.</summary>
    public static async Task CopyAsync<T>(AppDbContext db, IReadOnlyCollection<T> rows, CancellationToken ct,
        Func<T, IProperty, object?>? shadow = null) where T : class
    {
        if (rows.Count == 0) return;
        var type = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not mapped.");
        var table = StoreObjectIdentifier.Table(type.GetTableName()!, type.GetSchema());
        var properties = type.GetProperties().ToArray();
        var columns = properties.Select(p => $"\"{p.GetColumnName(table)}\"");
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var importer = await connection.BeginBinaryImportAsync(
            $"COPY \"{table.Name}\" ({string.Join(", ", columns)}) FROM STDIN (FORMAT BINARY)", ct);
        var converters = properties.Select(p => p.GetTypeMapping().Converter).ToArray();
        var storeTypes = properties.Select(p => p.GetRelationalTypeMapping().StoreTypeNameBase).ToArray();
        foreach (var row in rows)
        {
            await importer.StartRowAsync(ct);
            for (var i = 0; i < properties.Length; i++)
            {
                var value = properties[i].IsShadowProperty()
                    ? shadow?.Invoke(row, properties[i]) ?? throw new InvalidOperationException($"No value for shadow property {properties[i].Name}.")
                    : properties[i].GetGetter().GetClrValue(row);
                if (value is not null && converters[i] is { } converter) value = converter.ConvertToProvider(value);
                if (value is null) await importer.WriteNullAsync(ct);
                else await importer.WriteAsync(value, storeTypes[i], ct);
            }
        }
        await importer.CompleteAsync(ct);
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(ct);
    }
}
