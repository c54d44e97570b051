using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DentalClinic.ServiceModel;
using DentalClinic.Tests.Support;

namespace DentalClinic.Tests.Scheduling;

/// <summary>
/// Helpers of the scheduling tests. Every test makes its own patients, types and dates: dates are
/// drawn at random from 2030–2090 and never handed out twice in a run, so overlap tests running in
/// parallel on the shared database of a provider cannot meet.
/// </summary>
public abstract class SchedulingTest(string provider) : ApiTest(provider)
{
    private static readonly ConcurrentDictionary<DateOnly, bool> UsedDates = new();
    private static readonly DateOnly FirstDate = new(2030, 1, 1);

    // Ids as each provider stores them: PostgreSQL uuid, SQLite upper-case text.
    protected string Id(Guid id) => Provider == TestDatabases.PostgreSql ? id.ToString() : id.ToString().ToUpperInvariant();

    protected async Task<System.Data.Common.DbConnection> OpenAsync()
    {
        System.Data.Common.DbConnection connection = Provider == TestDatabases.PostgreSql
            ? new Npgsql.NpgsqlConnection(App.ConnectionString)
            : new Microsoft.Data.Sqlite.SqliteConnection(App.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>SQL straight to the test's database, as another instance or an operator would write.</summary>
    protected async Task ExecuteAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>A date no other test of this run uses.</summary>
    protected static DateOnly FreshDate()
    {
        while (true)
        {
            var date = FirstDate.AddDays(Random.Shared.Next(0, 60 * 365));
            if (UsedDates.TryAdd(date, true)) return date;
        }
    }

    /// <summary>A date in the past (1950–2019) no other test of this run uses.</summary>
    protected static DateOnly FreshPastDate()
    {
        while (true)
        {
            var date = new DateOnly(1950, 1, 1).AddDays(Random.Shared.Next(0, 70 * 365));
            if (UsedDates.TryAdd(date, true)) return date;
        }
    }

    /// <summary>Several consecutive dates no other test of this run uses.</summary>
    protected static DateOnly FreshDays(int count)
    {
        while (true)
        {
            var first = FirstDate.AddDays(Random.Shared.Next(0, 60 * 365));
            var days = Enumerable.Range(0, count).Select(first.AddDays).ToList();
            var taken = days.TakeWhile(d => UsedDates.TryAdd(d, true)).ToList();
            if (taken.Count == count) return first;
            foreach (var d in taken) UsedDates.TryRemove(d, out _);
        }
    }

    protected static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd");

    protected static string UniqueName(string prefix = "Type") => $"{prefix} {Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 100)];

    /// <summary>A patient, created (and archived when asked) through the Patients API.</summary>
    protected async Task<Guid> CreatePatientAsync(string firstName = "Ada", string lastName = "Lovelace", bool archived = false)
    {
        // Portuguese mobile numbers (+351 91…), far from the +1 numbers of the patient tests. Ten million of them,
        // and a full run creates thousands: a number already taken (409) is drawn again.
        var staff = await As(Roles.Staff);
        HttpResponseMessage response;
        var attempts = 0;
        do
        {
            var digits = string.Concat(Enumerable.Range(0, 7).Select(_ => Random.Shared.Next(10)));
            response = await staff.PostAsJsonAsync("/api/patients", new CreatePatient(firstName, lastName, $"+351 91 {digits[..3]} {digits[3..]}", null, null));
        } while (response.StatusCode == HttpStatusCode.Conflict && ++attempts < 5);
        var patient = await ReadAsync<PatientDto>(response, HttpStatusCode.Created);
        if (archived)
            Assert.That((await (await As(Roles.Admin)).DeleteAsync($"/api/patients/{patient.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        return patient.Id;
    }

    protected async Task<AppointmentTypeDto> CreateTypeAsync(int duration = 30, decimal price = 100m, string color = "#3366CC", string? name = null)
    {
        var admin = await As(Roles.Admin);
        var response = await admin.PostAsJsonAsync("/api/appointment-types", new CreateAppointmentType(name ?? UniqueName(), price, duration, color));
        return await ReadAsync<AppointmentTypeDto>(response, HttpStatusCode.Created);
    }

    protected async Task<HttpResponseMessage> BookAsync(HttpClient client, Guid patientId, Guid typeId, DateOnly date, string time,
        string? status = null, bool? allowOverlap = null, string? notes = null) =>
        await client.PostAsJsonAsync("/api/appointments",
            new CreateAppointment(patientId, typeId, Iso(date), time, status, notes, allowOverlap));

    protected async Task<AppointmentDto> BookOkAsync(Guid patientId, Guid typeId, DateOnly date, string time, bool? allowOverlap = null) =>
        // Overriding a rule is for admins and dentists.
        await ReadAsync<AppointmentDto>(await BookAsync(await As(allowOverlap == true ? Roles.Dentist : Roles.Staff), patientId, typeId, date, time, allowOverlap: allowOverlap),
            HttpStatusCode.Created);

    /// <summary>The property names of a JSON object response.</summary>
    protected static async Task<(JsonElement Root, HashSet<string> Names)> ReadObjectAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(expected), body);
        var root = JsonDocument.Parse(body).RootElement;
        return (root, root.EnumerateObject().Select(p => p.Name).ToHashSet());
    }
}
