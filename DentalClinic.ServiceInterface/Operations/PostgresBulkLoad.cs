using DentalClinic.ServiceInterface.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using System.Linq.Expressions;
using Npgsql;

namespace DentalClinic.ServiceInterface.Operations;

/// <summary>
/// Loading many rows into PostgreSQL the way its manual advises ("Populating a Database"): binary
/// COPY instead of INSERTs, and, while the tables are loaded, their indexes (primary keys included)
/// and the foreign keys on and to them set aside and afterwards rebuilt in one pass each. The
/// tables are emptied with TRUNCATE in the same transaction, so that COPY can write its rows frozen
/// (COPY … FREEZE): already visible to everyone, so neither the index builds nor the VACUUM after
/// the load revisit every page. Rows are written by their EF Core mapping, so every mapped column
/// (and its value converter) is written as the DbContext would write it. Everything runs in the
/// caller's transaction: a failed load leaves the tables and indexes as they were.
/// </summary>
internal static class PostgresBulkLoad
{
    /// <summary>
    /// When the connected role owns the tables and those whose foreign keys point at them: drops
    /// those foreign keys and the tables' indexes and primary keys, empties the (already empty) tables
    /// with TRUNCATE, and returns the statements that rebuild what was dropped — primary keys, then
    /// indexes, then foreign keys. Otherwise nothing is dropped (COPY maintains the indexes row by
    /// row) and it returns null.
    /// </summary>
    public static async Task<List<Rebuild>?> SetAsideAsync(AppDbContext db, string[] tables, CancellationToken ct)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        const string owned = """
            WITH bulk AS (SELECT (quote_ident(current_schema()) || '.' || quote_ident(t))::regclass AS id FROM unnest(@tables) AS t),
            involved AS (SELECT id FROM bulk UNION SELECT conrelid FROM pg_constraint WHERE contype = 'f' AND confrelid IN (SELECT id FROM bulk))
            SELECT bool_and(pg_has_role(current_user, c.relowner, 'USAGE')) FROM pg_class c WHERE c.oid IN (SELECT id FROM involved)
            """;
        await using (var owns = new NpgsqlCommand(owned, connection))
        {
            owns.Parameters.AddWithValue("tables", tables);
            if (await owns.ExecuteScalarAsync(ct) is not true) return null;
        }
        foreach (var table in tables)
        {
            await using var any = new NpgsqlCommand($"SELECT EXISTS (SELECT FROM \"{table}\")", connection);
            if (await any.ExecuteScalarAsync(ct) is true) throw new InvalidOperationException($"Table {table} is not empty.");
        }

        // Foreign keys on or to the tables first (step 3), then primary keys (1) and the other indexes (2).
        const string definitions = """
            WITH bulk AS (SELECT (quote_ident(current_schema()) || '.' || quote_ident(t))::regclass AS id FROM unnest(@tables) AS t)
            SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname),
                   format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname, pg_get_constraintdef(c.oid)),
                   CASE c.contype WHEN 'f' THEN 3 ELSE 1 END AS step
            FROM pg_constraint c
            WHERE (c.contype = 'f' AND (c.conrelid IN (SELECT id FROM bulk) OR c.confrelid IN (SELECT id FROM bulk)))
               OR (c.contype IN ('p', 'u') AND c.conrelid IN (SELECT id FROM bulk))
            UNION ALL
            SELECT 'DROP INDEX ' || i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid), 2
            FROM pg_index i
            WHERE i.indrelid IN (SELECT id FROM bulk)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            ORDER BY 3 DESC
            """;
        var drops = new List<string>();
        var rebuilds = new List<(string Statement, int Step)>();
        await using (var command = new NpgsqlCommand(definitions, connection))
        {
            command.Parameters.AddWithValue("tables", tables);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                drops.Add(reader.GetString(0));
                rebuilds.Add((reader.GetString(1), reader.GetInt32(2)));
            }
        }
        foreach (var drop in drops) await Execute(connection, drop, ct);
        await Execute(connection, $"TRUNCATE {string.Join(", ", tables.Select(t => $"\"{t}\""))}", ct);
        return rebuilds.OrderBy(r => r.Step).Select(r => new Rebuild(r.Statement, ForeignKey: r.Step == 3)).ToList();
    }

    /// <summary>A statement that rebuilds a dropped primary key, index or foreign key.</summary>
    public sealed record Rebuild(string Statement, bool ForeignKey);

    /// <summary>
    /// Rebuilds what <see cref="SetAsideAsync"/> dropped, with memory enough to sort large indexes (the
    /// search tables' primary keys sort tens of millions of rows) and without JIT compilation of the
    /// foreign keys' checks, each run once. A foreign key's check (one query over the whole table) is
    /// planned as a merge of index-only scans — the referencing column's index and the referenced primary
    /// key, both just built, and COPY … FREEZE marked every page all-visible — rather than a hash join over
    /// a scan of the table: a quarter of the time at a million patients (58 s → 13 s for all of them).
    /// </summary>
    public static async Task RebuildAsync(AppDbContext db, IEnumerable<Rebuild> rebuilds, DemoSeeder.Laps laps, CancellationToken ct)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await Execute(connection, "SET LOCAL maintenance_work_mem = '1GB'", ct);
        await Execute(connection, "SET LOCAL jit = off", ct);
        var checking = false;
        foreach (var (statement, foreignKey) in rebuilds)
        {
            if (foreignKey && !checking)
            {
                await Execute(connection, "SET LOCAL enable_hashjoin = off; SET LOCAL enable_seqscan = off", ct);
                checking = true;
            }
            await Execute(connection, statement, ct);
            laps.Lap(NameOf(statement));
        }
        if (checking) await Execute(connection, "RESET enable_hashjoin; RESET enable_seqscan", ct);
    }

    /// <summary>Writes the rows with one binary COPY (see <see cref="Copy{T}"/>).</summary>
    public static async Task CopyAsync<T>(AppDbContext db, bool freeze, IEnumerable<T> rows, CancellationToken ct,
        Func<T, IProperty, object?>? shadow = null) where T : class
    {
        await using var copy = await Copy<T>.BeginAsync(db, freeze, ct, shadow);
        await copy.WriteAsync(rows, ct);
        await copy.CompleteAsync(ct);
    }

    /// <summary>"index ix_…" or "constraint fk_…": what a rebuild statement builds.</summary>
    private static string NameOf(string rebuild)
    {
        var words = rebuild.Split(' ');
        var at = Array.IndexOf(words, words[0] == "CREATE" ? "INDEX" : "CONSTRAINT");
        return $"{words[at].ToLowerInvariant()} {words[at + 1]}";
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// One binary COPY into the table of <typeparamref name="T"/>, which may be written in several
    /// parts; <c>freeze</c> when the table was emptied by <see cref="SetAsideAsync"/>. The rows are
    /// encoded by <see cref="BinaryCopyFormat"/> and sent through Npgsql's raw binary COPY stream.
    /// </summary>
    public sealed class Copy<T> : IAsyncDisposable where T : class
    {
        private readonly NpgsqlRawCopyStream stream;
        private readonly Action<BinaryCopyFormat, T>[] columns;
        private readonly BinaryCopyFormat format = new();
        private bool completed;

        private Copy(NpgsqlRawCopyStream stream, Action<BinaryCopyFormat, T>[] columns)
        {
            this.stream = stream;
            this.columns = columns;
        }

        public static async Task<Copy<T>> BeginAsync(AppDbContext db, bool freeze, CancellationToken ct, Func<T, IProperty, object?>? shadow = null)
        {
            var type = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not mapped.");
            var table = StoreObjectIdentifier.Table(type.GetTableName()!, type.GetSchema());
            var properties = type.GetProperties().ToArray();
            // Without shadow values the compiled writers are kept with the model rather than compiled for each
            // COPY: a seed copies treatments, payments and allocations batch by batch, thousands of COPYs.
            var writers = shadow is null
                ? type.GetOrAddRuntimeAnnotationValue("DentalClinic:CopyColumnWriters", static ps => ps!.Select(p => ColumnWriter(p, null)).ToArray(), properties)
                : properties.Select(p => ColumnWriter(p, shadow)).ToArray();
            var columns = string.Join(", ", properties.Select(p => $"\"{p.GetColumnName(table)}\""));
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            var stream = await connection.BeginRawBinaryCopyAsync(
                $"COPY \"{table.Name}\" ({columns}) FROM STDIN (FORMAT BINARY{(freeze ? ", FREEZE" : "")})", ct);
            return new Copy<T>(stream, writers);
        }

        public async Task WriteAsync(IEnumerable<T> rows, CancellationToken ct)
        {
            foreach (var row in rows)
            {
                format.StartRow((short)columns.Length);
                foreach (var column in columns) column(format, row);
                if (format.Full) await SendAsync(ct);
            }
        }

        public async Task CompleteAsync(CancellationToken ct)
        {
            format.EndOfData();
            await SendAsync(ct);
            completed = true;
        }

        private async Task SendAsync(CancellationToken ct)
        {
            await stream.WriteAsync(format.Pending, ct);
            format.Sent();
        }

        /// <summary>
        /// Writes one property of a row as the DbContext would: through its value converter, null as NULL, in the
        /// binary form of its column's type. A column of a type <see cref="BinaryCopyFormat"/> does not know is refused.
        /// </summary>
        private static Action<BinaryCopyFormat, T> ColumnWriter(IProperty property, Func<T, IProperty, object?>? shadow)
        {
            var format = Expression.Parameter(typeof(BinaryCopyFormat), "format");
            var row = Expression.Parameter(typeof(T), "row");
            Expression value;
            if (property.IsShadowProperty())
            {
                Func<T, object> read = r => shadow?.Invoke(r, property) ?? throw new InvalidOperationException($"No value for shadow property {property.Name}.");
                value = Expression.Convert(Expression.Invoke(Expression.Constant(read), row), property.ClrType);
            }
            else value = Expression.MakeMemberAccess(row, property.GetMemberInfo(forMaterialization: false, forSet: false));

            var storeType = property.GetRelationalTypeMapping().StoreTypeNameBase;
            var converter = property.GetTypeMapping().Converter;
            Expression Write(Expression present)
            {
                if (converter is not null) present = Expression.Invoke(converter.ConvertToProviderExpression, present);
                var method = (present.Type, storeType) switch
                {
                    (var t, "uuid") when t == typeof(Guid) => nameof(BinaryCopyFormat.Uuid),
                    (var t, "character varying" or "text") when t == typeof(string) => nameof(BinaryCopyFormat.Text),
                    (var t, "integer") when t == typeof(int) => nameof(BinaryCopyFormat.Integer),
                    (var t, "date") when t == typeof(DateOnly) => nameof(BinaryCopyFormat.Date),
                    (var t, "time without time zone") when t == typeof(TimeOnly) => nameof(BinaryCopyFormat.Time),
                    (var t, "timestamp with time zone") when t == typeof(DateTime) => nameof(BinaryCopyFormat.TimestampWithTimeZone),
                    (var t, "numeric") when t == typeof(decimal) => nameof(BinaryCopyFormat.Numeric),
                    _ => throw new NotSupportedException($"COPY cannot write {property.DeclaringType.ClrType.Name}.{property.Name} ({present.Type.Name} as {storeType})."),
                };
                return Expression.Call(format, method, null, present);
            }
            var writeNull = Expression.Call(format, nameof(BinaryCopyFormat.Null), null);
            var body = Nullable.GetUnderlyingType(property.ClrType) is not null
                ? Expression.Condition(Expression.Property(value, "HasValue"), Write(Expression.Property(value, "Value")), writeNull)
                : property.ClrType.IsValueType
                    ? Write(value)
                    : Expression.Condition(Expression.Equal(value, Expression.Constant(null, property.ClrType)), writeNull, Write(value));
            return Expression.Lambda<Action<BinaryCopyFormat, T>>(body, format, row).Compile();
        }

        /// <summary>Ends the COPY: a COPY not completed is cancelled (disposing the stream alone would end it as complete).</summary>
        public async ValueTask DisposeAsync()
        {
            if (!completed) await stream.CancelAsync();
            await stream.DisposeAsync();
        }
    }
}
