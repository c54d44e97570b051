using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using DentalClinic.ServiceModel;
using DentalClinic.Tests.Support;

namespace DentalClinic.Tests.Scheduling;

/// <summary>The day calendar is kept in memory and served only while the database's calendar stamps are unchanged.</summary>
public sealed class DayCalendarCacheTests(string provider) : SchedulingTest(provider)
{
    [Test]
    public async Task A_day_is_served_from_memory_while_its_stamps_are_unchanged()
    {
        var date = FreshDate();
        var booked = await BookOkAsync(await CreatePatientAsync(), (await CreateTypeAsync()).Id, date, "09:00");
        Assert.That((await DayAsync(date)).Single().Notes, Is.Null);

        // A write that leaves the stamp as it was is not seen: the calendar in memory is served.
        var stamp = await ScalarAsync($"SELECT stamp FROM calendar_stamps WHERE date = '{Iso(date)}'");
        await ExecuteAsync($"UPDATE appointments SET notes = 'unseen' WHERE id = '{Id(booked.Id)}'; " +
                           $"UPDATE calendar_stamps SET stamp = {stamp} WHERE date = '{Iso(date)}'");
        Assert.That((await DayAsync(date)).Single().Notes, Is.Null);

        await ExecuteAsync($"UPDATE calendar_stamps SET stamp = {stamp} + 1 WHERE date = '{Iso(date)}'");
        Assert.That((await DayAsync(date)).Single().Notes, Is.EqualTo("unseen"));
    }

    [Test]
    public async Task Every_change_the_calendar_shows_is_seen_on_the_next_read()
    {
        var staff = await As(Roles.Staff);
        var admin = await As(Roles.Admin);
        var patient = await CreatePatientAsync("Ada", "Lovelace");
        var type = await CreateTypeAsync(duration: 30, color: "#112233");
        var date = FreshDate();
        var other = FreshDate();
        var first = await BookOkAsync(patient, type.Id, date, "09:00");
        Assert.That(await DayAsync(date), Has.Count.EqualTo(1));
        Assert.That(await DayAsync(other), Is.Empty);

        var second = await BookOkAsync(patient, type.Id, date, "11:00");
        Assert.That((await DayAsync(date)).Select(a => a.Id), Is.EqualTo(new[] { first.Id, second.Id }));

        await ReadAsync<AppointmentDto>(await staff.PutAsJsonAsync($"/api/appointments/{second.Id}", new { time = "08:00", notes = "early" }));
        Assert.That((await DayAsync(date)).Select(a => (a.Id, a.Time, a.Notes)),
            Is.EqualTo(new[] { (second.Id, "08:00", (string?)"early"), (first.Id, "09:00", null) }));

        await ReadAsync<AppointmentDto>(await staff.PutAsJsonAsync($"/api/appointments/{second.Id}", new { date = Iso(other) }));
        Assert.That((await DayAsync(date)).Select(a => a.Id), Is.EqualTo(new[] { first.Id }));
        Assert.That((await DayAsync(other)).Select(a => a.Id), Is.EqualTo(new[] { second.Id }));

        await ReadAsync<AppointmentDto>(await staff.PostAsJsonAsync($"/api/appointments/{first.Id}/cancel", new CancelAppointment("ill")));
        Assert.That((await DayAsync(date)).Single() is var c && (c.Status, c.CancelReason) == ("cancelled", "ill"));

        var details = await ReadAsync<PatientDetailsDto>(await staff.GetAsync($"/api/patients/{patient}"));
        await ReadAsync<PatientDto>(await staff.PutAsJsonAsync($"/api/patients/{patient}", new UpdatePatient("Grace", "Hopper", details.MobileNumber, null, null)));
        Assert.That((await DayAsync(date)).Single().PatientName, Is.EqualTo("Grace Hopper"));
        Assert.That((await DayAsync(other)).Single().PatientName, Is.EqualTo("Grace Hopper"));

        var renamed = UniqueName();
        await ReadAsync<AppointmentTypeDto>(await admin.PutAsJsonAsync($"/api/appointment-types/{type.Id}", new UpdateAppointmentType(renamed, null, 45, "#445566")));
        Assert.That((await DayAsync(date)).Single() is var day && (day.AppointmentTypeName, day.AppointmentTypeColor, day.AppointmentTypeDuration, day.EndTime) == (renamed, "#445566", 45, "09:45"));

        Assert.That((await admin.DeleteAsync($"/api/patients/{patient}?purge=true")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(await DayAsync(date), Is.Empty);
        Assert.That(await DayAsync(other), Is.Empty);
    }

    // Another instance of the API, or an operator's SQL, writes to the same database.
    [Test]
    public async Task A_change_written_straight_to_the_database_is_seen_on_the_next_read()
    {
        var patient = await CreatePatientAsync("Ada", "Lovelace");
        var date = FreshDate();
        var booked = await BookOkAsync(patient, (await CreateTypeAsync()).Id, date, "10:00");
        Assert.That((await DayAsync(date)).Single().PatientName, Is.EqualTo("Ada Lovelace"));

        await ExecuteAsync($"UPDATE patients SET first_name = 'Augusta' WHERE id = '{Id(patient)}'");
        Assert.That((await DayAsync(date)).Single().PatientName, Is.EqualTo("Augusta Lovelace"));

        await ExecuteAsync($"UPDATE appointments SET status = 'confirmed' WHERE id = '{Id(booked.Id)}'");
        Assert.That((await DayAsync(date)).Single().Status, Is.EqualTo("confirmed"));

        await ExecuteAsync($"DELETE FROM appointments WHERE id = '{Id(booked.Id)}'");
        Assert.That(await DayAsync(date), Is.Empty);
    }

    private async Task<List<DayAppointmentDto>> DayAsync(DateOnly date) =>
        await ReadAsync<List<DayAppointmentDto>>(await (await As(Roles.Staff)).GetAsync($"/api/appointments/by-date/{Iso(date)}"));

    private async Task<object> ScalarAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (await command.ExecuteScalarAsync())!;
    }
}
