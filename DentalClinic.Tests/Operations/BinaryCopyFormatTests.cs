using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceInterface.Operations;
using DentalClinic.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;

namespace DentalClinic.Tests.Operations;

/// <summary>
/// seed-demo's own binary COPY encoding (PostgreSQL only: it is PostgreSQL's wire format) stores every value
/// exactly as Npgsql's importer stores it — the same text back from the server, numeric's display scale included.
/// </summary>
public sealed class BinaryCopyFormatTests
{
    private sealed record Row(int Id, Guid? Uuid, string? Text, DateOnly? Date, TimeOnly? Time, DateTime? Timestamp, decimal? Money, decimal? Number);

    private static readonly DateTime Now = DateTime.UtcNow;

    private static readonly Row[] Rows =
    [
        new(1, Guid.Empty, "", new DateOnly(2000, 1, 1), TimeOnly.MinValue, new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc), 0m, 0m),
        new(2, Guid.CreateVersion7(), "Müller-Lüdenscheidt", new DateOnly(1999, 12, 31), new TimeOnly(23, 59, 59).Add(TimeSpan.FromTicks(9_999_999)),
            new DateTime(1999, 12, 31, 23, 59, 59, DateTimeKind.Utc).AddTicks(9_999_999), 12.5m, 0.00m),
        new(3, Guid.NewGuid(), "李 \U0001F9B7 tab\there\nline \\ backslash", new DateOnly(1, 1, 2), new TimeOnly(12, 34, 56, 789), Now, 12.50m, -0.05m),
        new(4, Guid.Parse("00112233-4455-6677-8899-aabbccddeeff"), new string('x', 100), new DateOnly(9999, 12, 30), new TimeOnly(0, 0).Add(TimeSpan.FromTicks(15)),
            new DateTime(1900, 1, 1, 12, 0, 0, DateTimeKind.Utc), -99999999.99m, 79228162514264337593543950335m),
        new(5, Guid.NewGuid(), "e", new DateOnly(1970, 1, 1), new TimeOnly(0, 0, 1), new DateTime(2260, 6, 15, 8, 30, 0, DateTimeKind.Utc), 0.01m,
            -79228162514264337593543950335m),
        new(6, null, null, null, null, null, null, null),
        new(7, Guid.NewGuid(), "a", new DateOnly(2026, 12, 3), new TimeOnly(9, 0), new DateTime(1, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(10), 10000m,
            0.0000000000000000000000000001m),
        new(8, Guid.NewGuid(), "b", new DateOnly(2024, 2, 29), new TimeOnly(17, 45), Now.AddYears(-30), 1234.5m, 1.10000m),
        new(9, Guid.NewGuid(), "c", new DateOnly(2001, 1, 1), new TimeOnly(6, 0), Now.AddDays(-1), 9999.99m, 100000000m),
        new(10, Guid.NewGuid(), "d", new DateOnly(1999, 1, 1), new TimeOnly(6, 1), Now.AddDays(1), -0.01m, 123456789.0123456789m),
    ];

    [Test]
    public async Task Every_value_is_stored_as_Npgsqls_own_importer_stores_it()
    {
        await using var connection = new NpgsqlConnection(TestDatabases.Create(TestDatabases.PostgreSql));
        await connection.OpenAsync();
        const string columns = "id integer, uuid uuid, text character varying(200), date date, time time without time zone, " +
                               "timestamp timestamp with time zone, money numeric(10,2), number numeric";
        await Execute(connection, $"CREATE TABLE ours ({columns}); CREATE TABLE npgsqls ({columns})");

        var format = new BinaryCopyFormat();
        foreach (var row in Rows)
        {
            format.StartRow(8);
            format.Integer(row.Id);
            Write(format, row.Uuid, format.Uuid);
            if (row.Text is null) format.Null(); else format.Text(row.Text);
            Write(format, row.Date, format.Date);
            Write(format, row.Time, format.Time);
            Write(format, row.Timestamp, format.TimestampWithTimeZone);
            Write(format, row.Money, format.Numeric);
            Write(format, row.Number, format.Numeric);
        }
        format.EndOfData();
        await using (var stream = await connection.BeginRawBinaryCopyAsync("COPY ours FROM STDIN (FORMAT BINARY)"))
            await stream.WriteAsync(format.Pending);

        await using (var importer = await connection.BeginBinaryImportAsync("COPY npgsqls FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var row in Rows)
            {
                await importer.StartRowAsync();
                await importer.WriteAsync(row.Id, NpgsqlDbType.Integer);
                await importer.WriteAsync(row.Uuid, NpgsqlDbType.Uuid);
                await importer.WriteAsync(row.Text, NpgsqlDbType.Varchar);
                await importer.WriteAsync(row.Date, NpgsqlDbType.Date);
                await importer.WriteAsync(row.Time, NpgsqlDbType.Time);
                await importer.WriteAsync(row.Timestamp, NpgsqlDbType.TimestampTz);
                await importer.WriteAsync(row.Money, NpgsqlDbType.Numeric);
                await importer.WriteAsync(row.Number, NpgsqlDbType.Numeric);
            }
            await importer.CompleteAsync();
        }

        await Execute(connection, "SET TimeZone = 'UTC'");
        var ours = await TextsAsync(connection, "ours");
        Assert.That(ours, Has.Count.EqualTo(Rows.Length));
        Assert.That(ours, Is.EqualTo(await TextsAsync(connection, "npgsqls")));
        Assert.That(ours[2], Does.Contain("-0.05").And.Contain("\\\\ backslash"));
        Assert.That(ours[7], Does.EndWith(",1.10000)"), "numeric keeps the decimal's scale for display");

        await using var read = new NpgsqlCommand("SELECT number FROM ours ORDER BY id", connection);
        await using var reader = await read.ExecuteReaderAsync();
        foreach (var row in Rows)
        {
            Assert.That(await reader.ReadAsync(), Is.True);
            Assert.That(await reader.IsDBNullAsync(0) ? (decimal?)null : reader.GetDecimal(0), Is.EqualTo(row.Number));
        }
    }

    [Test]
    public void Values_Npgsql_would_write_otherwise_are_refused()
    {
        var format = new BinaryCopyFormat();
        Assert.Throws<ArgumentException>(() => format.TimestampWithTimeZone(DateTime.Now));
        Assert.Throws<ArgumentException>(() => format.TimestampWithTimeZone(new DateTime(2026, 1, 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => format.TimestampWithTimeZone(DateTime.MaxValue.ToUniversalTime()));
        Assert.Throws<ArgumentOutOfRangeException>(() => format.Date(DateOnly.MinValue));
        Assert.Throws<ArgumentOutOfRangeException>(() => format.Date(DateOnly.MaxValue));
    }

    [Test]
    public async Task A_column_of_a_type_it_does_not_know_is_refused_before_the_copy_begins()
    {
        await using var scope = ApiFactory.For(TestDatabases.PostgreSql).Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await db.Database.OpenConnectionAsync();   // as the seeder's: a COPY begun on it would hold it
        var refused = Assert.ThrowsAsync<NotSupportedException>(() => PostgresBulkLoad.Copy<User>.BeginAsync(db, freeze: false, CancellationToken.None));
        Assert.That(refused!.Message, Does.Contain("User.IsActive (Boolean as boolean)"));
        Assert.DoesNotThrowAsync(() => db.Users.CountAsync(), "no COPY began: the open connection still answers queries");
    }

    [Test]
    public void A_row_larger_than_the_buffer_is_written_whole()
    {
        var format = new BinaryCopyFormat();
        var header = format.Pending.Length;
        format.StartRow(1);
        format.Text(new string('é', 100_000));
        Assert.That(format.Pending.Length, Is.EqualTo(header + 2 + 4 + 200_000));
        Assert.That(format.Full, Is.True);
        format.Sent();
        Assert.That(format.Pending.Length, Is.Zero);
    }

    private static void Write<T>(BinaryCopyFormat format, T? value, Action<T> write) where T : struct
    {
        if (value is { } present) write(present);
        else format.Null();
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<List<string>> TextsAsync(NpgsqlConnection connection, string table)
    {
        await using var command = new NpgsqlCommand($"SELECT t::text FROM {table} t ORDER BY id", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var texts = new List<string>();
        while (await reader.ReadAsync()) texts.Add(reader.GetString(0));
        return texts;
    }
}
