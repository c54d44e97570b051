using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceInterface.Schedule;
using DentalClinic.ServiceModel;
using DentalClinic.Tests.Support;

namespace DentalClinic.Tests.Scheduling;

/// <summary>
/// Tests that configure the clinic's chairs, hours and closures: they run on a database of their own
/// (the settings below give this fixture its own application), and each starts from a clinic that
/// configures nothing (<see cref="ResetClinicAsync"/>), since the tests of one fixture run one at a time.
/// </summary>
public abstract class ConfiguredClinicTest(string provider) : SchedulingTest(provider)
{
    protected override IReadOnlyDictionary<string, string?>? Settings =>
        new Dictionary<string, string?> { ["Tests:Database"] = GetType().Name };

    protected HttpClient Admin => As(Roles.Admin).GetAwaiter().GetResult();

    [SetUp]
    public async Task ResetClinicAsync()
    {
        var admin = await As(Roles.Admin);
        foreach (var chair in await ReadAsync<List<ChairDto>>(await admin.GetAsync("/api/chairs")))
            Assert.That((await admin.DeleteAsync($"/api/chairs/{chair.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await ReadAsync<ScheduleHoursDto>(await admin.PutAsJsonAsync("/api/schedule/hours/clinic", new SetHours([])));
        foreach (var closure in await ReadAsync<List<ClosureDto>>(await admin.GetAsync("/api/schedule/closures")))
            Assert.That((await admin.DeleteAsync($"/api/schedule/closures/{closure.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        foreach (var dentist in await ReadAsync<List<DentistDto>>(await admin.GetAsync("/api/dentists")))
            await ReadAsync<UserDto>(await admin.PutAsJsonAsync($"/api/users/{dentist.Id}", new UpdateUser(null, null, null, false)));
        await ReadAsync<SettingsDto>(await admin.PutAsJsonAsync("/api/settings", new { slotMinutes = 15 }));
    }

    protected async Task<ChairDto> CreateChairAsync(string? name = null, int order = 0) =>
        await ReadAsync<ChairDto>(await Admin.PostAsJsonAsync("/api/chairs", new CreateChair(name ?? UniqueName("Chair"), "#AA3300", order)), HttpStatusCode.Created);

    protected async Task<List<ChairDto>> CreateChairsAsync(int count)
    {
        var chairs = new List<ChairDto>();
        for (var i = 0; i < count; i++) chairs.Add(await CreateChairAsync(order: i));
        return chairs;
    }

    /// <summary>A dentist (an active user with role dentist) and a client signed in as them.</summary>
    protected async Task<(Guid Id, HttpClient Client)> CreateDentistAsync(string name = "Dr Lee", string? color = "#00AA88")
    {
        var email = $"dentist-{Guid.NewGuid():N}@clinic.test";
        var user = await ReadAsync<UserDto>(await Admin.PostAsJsonAsync("/api/users", new CreateUser(name, email, Roles.Dentist, "Password-1234", color)), HttpStatusCode.Created);
        return (user.Id, WithToken((await LoginAsync(email, "Password-1234")).AccessToken));
    }

    protected Task<HttpResponseMessage> BookWithAsync(HttpClient client, Guid patient, Guid type, DateOnly date, string time,
        Guid? dentist = null, Guid? chair = null, bool? allowOverlap = null, string? status = null) =>
        client.PostAsJsonAsync("/api/appointments", new CreateAppointment(patient, type, Iso(date), time, status, null, allowOverlap, dentist, chair));

    protected async Task<ErrorBody> AssertRuleAsync(HttpResponseMessage response, string rule, Guid? clash = null)
    {
        var error = await AssertErrorAsync(response, HttpStatusCode.Conflict, ErrorCodes.Conflict, "time", "rule");
        Assert.That(error.Details!.Single(d => d.Field == "rule").Message, Is.EqualTo(rule), error.Message);
        if (clash is not null)
            Assert.That(error.Details!.Single(d => d.Field == "conflictingAppointmentId").Message, Is.EqualTo(clash.ToString()), error.Message);
        return error;
    }

    /// <summary>A Monday at least a year ahead that no other test uses, with the six days after it.</summary>
    protected static DateOnly FreshWeek()
    {
        var first = FreshDays(13);
        return Enumerable.Range(0, 7).Select(first.AddDays).First(d => d.DayOfWeek == DayOfWeek.Monday);
    }
}

public sealed class BookingRulesTests(string provider) : ConfiguredClinicTest(provider)
{
    [Test]
    public async Task Dentists_are_the_active_users_with_role_dentist_and_their_colour()
    {
        var (lee, _) = await CreateDentistAsync("Dr Lee", "#112233");
        var (ng, _) = await CreateDentistAsync("Dr Ng", null);
        var (gone, _) = await CreateDentistAsync("Dr Gone");
        await ReadAsync<UserDto>(await Admin.PutAsJsonAsync($"/api/users/{gone}", new UpdateUser(null, null, null, false)));
        var dentists = await ReadAsync<List<DentistDto>>(await (await As(Roles.Staff)).GetAsync("/api/dentists"));
        Assert.That(dentists, Is.EqualTo(new[] { new DentistDto(lee, "Dr Lee", "#112233"), new DentistDto(ng, "Dr Ng", null) }));

        var recoloured = await ReadAsync<UserDto>(await Admin.PutAsJsonAsync($"/api/users/{ng}", new UpdateUser(null, null, null, null, "#445566")));
        Assert.That(recoloured.CalendarColor, Is.EqualTo("#445566"));
        await AssertErrorAsync(await Admin.PutAsJsonAsync($"/api/users/{ng}", new UpdateUser(null, null, null, null, "red")),
            HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "calendarColor");
    }

    // A booking reads its date's occupants through EF Core (a change of an appointment; SQLite) or, on PostgreSQL, in one
    // batch with its other reads (BookingRules.OccupantsSql): both must see the same appointments as occupying time.
    [Test]
    public async Task The_occupants_of_a_date_are_its_appointments_that_hold_time_whichever_way_they_are_read()
    {
        var staff = await As(Roles.Staff);
        var (dentist, _) = await CreateDentistAsync();
        var chair = await CreateChairAsync();
        var type = await CreateTypeAsync(duration: 45);
        var date = FreshDate();
        var patient = await CreatePatientAsync();
        var withBoth = await ReadAsync<AppointmentDto>(await BookWithAsync(staff, patient, type.Id, date, "09:00", dentist, chair.Id), HttpStatusCode.Created);
        var plain = await BookOkAsync(await CreatePatientAsync(), type.Id, date, "10:15");
        var cancelled = await BookOkAsync(await CreatePatientAsync(), type.Id, date, "11:00");
        await ReadAsync<AppointmentDto>(await staff.PutAsJsonAsync($"/api/appointments/{cancelled.Id}", new { status = "cancelled" }));
        var confirmed = await BookOkAsync(await CreatePatientAsync(), type.Id, date, "23:15");
        await ReadAsync<AppointmentDto>(await staff.PutAsJsonAsync($"/api/appointments/{confirmed.Id}", new { status = "confirmed" }));
        await BookOkAsync(await CreatePatientAsync(), type.Id, date.AddDays(1), "09:00");

        var expected = new[]
        {
            new Occupant(withBoth.Id, 9 * 60, 9 * 60 + 45, dentist, chair.Id, patient),
            new Occupant(plain.Id, 10 * 60 + 15, 11 * 60, null, null, plain.PatientId),
            new Occupant(confirmed.Id, 23 * 60 + 15, 24 * 60, null, null, confirmed.PatientId),
        };
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.That(await BookingRules.OccupantsAsync(db, date, CancellationToken.None), Is.EquivalentTo(expected));
        if (Provider != TestDatabases.PostgreSql) return;
        await db.Database.OpenConnectionAsync();
        await using var command = new Npgsql.NpgsqlCommand(BookingRules.OccupantsSql, (Npgsql.NpgsqlConnection)db.Database.GetDbConnection())
        {
            Parameters = { new() { Value = date } },
        };
        var read = new List<Occupant>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) read.Add(BookingRules.ReadOccupant(reader));
        Assert.That(read, Is.EquivalentTo(expected));
    }

    [Test]
    public async Task Chairs_are_created_renamed_ordered_and_archived_once_used()
    {
        var staff = await As(Roles.Staff);
        await AssertErrorAsync(await staff.PostAsJsonAsync("/api/chairs", new CreateChair("Chair 1", "#112233", 1)), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        await AssertErrorAsync(await Admin.PostAsJsonAsync("/api/chairs", new CreateChair("", "blue", -1)),
            HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "name", "color", "displayOrder");
        var second = await ReadAsync<ChairDto>(await Admin.PostAsJsonAsync("/api/chairs", new CreateChair("Surgery 2", "#112233", 2)), HttpStatusCode.Created);
        var first = await ReadAsync<ChairDto>(await Admin.PostAsJsonAsync("/api/chairs", new CreateChair("Surgery 1", "#445566", 1)), HttpStatusCode.Created);
        await AssertErrorAsync(await Admin.PostAsJsonAsync("/api/chairs", new CreateChair(" surgery 1 ", "#445566", 3)), HttpStatusCode.Conflict, ErrorCodes.Conflict, "name");
        Assert.That((await ReadAsync<List<ChairDto>>(await staff.GetAsync("/api/chairs"))).Select(c => c.Name), Is.EqualTo(new[] { "Surgery 1", "Surgery 2" }));

        var renamed = await ReadAsync<ChairDto>(await Admin.PutAsJsonAsync($"/api/chairs/{second.Id}", new UpdateChair("Hygiene", null, 0)));
        Assert.That((renamed.Name, renamed.Color, renamed.DisplayOrder), Is.EqualTo(("Hygiene", "#112233", 0)));
        Assert.That((await ReadAsync<List<ChairDto>>(await staff.GetAsync("/api/chairs"))).Select(c => c.Name), Is.EqualTo(new[] { "Hygiene", "Surgery 1" }));

        // Used by an appointment: DELETE archives; the appointment keeps it, nobody can book it any more.
        var type = await CreateTypeAsync();
        var date = FreshDate();
        var booked = await ReadAsync<AppointmentDto>(await BookWithAsync(staff, await CreatePatientAsync(), type.Id, date, "09:00", chair: first.Id), HttpStatusCode.Created);
        Assert.That(booked.ChairId, Is.EqualTo(first.Id));
        Assert.That((await Admin.DeleteAsync($"/api/chairs/{first.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await ReadAsync<ChairDto>(await staff.GetAsync($"/api/chairs/{first.Id}"))).Archived, Is.True);
        Assert.That((await ReadAsync<List<ChairDto>>(await staff.GetAsync("/api/chairs?archived=true"))).Select(c => c.Id), Is.EqualTo(new[] { first.Id }));
        await AssertErrorAsync(await BookWithAsync(staff, await CreatePatientAsync(), type.Id, date, "11:00", chair: first.Id),
            HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "chairId");
        Assert.That((await ReadAsync<AppointmentDto>(await staff.GetAsync($"/api/appointments/{booked.Id}"))).ChairId, Is.EqualTo(first.Id));
        // Its name is free again among active chairs.
        await ReadAsync<ChairDto>(await Admin.PostAsJsonAsync("/api/chairs", new CreateChair("Surgery 1", "#445566", 1)), HttpStatusCode.Created);

        // Never used: DELETE removes it.
        Assert.That((await Admin.DeleteAsync($"/api/chairs/{second.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await AssertErrorAsync(await staff.GetAsync($"/api/chairs/{second.Id}"), HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }

    [Test]
    public async Task Appointments_carry_dentist_and_chair_in_responses_by_date_and_filters()
    {
        var staff = await As(Roles.Staff);
        var (lee, _) = await CreateDentistAsync("Dr Lee", "#00AA88");
        var chair = await CreateChairAsync("Blue room");
        await CreateChairAsync();
        var type = await CreateTypeAsync();
        var date = FreshDate();
        var withBoth = await ReadAsync<AppointmentDto>(await BookWithAsync(staff, await CreatePatientAsync(), type.Id, date, "09:00", lee, chair.Id), HttpStatusCode.Created);
        var plain = await ReadAsync<AppointmentDto>(await BookWithAsync(staff, await CreatePatientAsync(), type.Id, date, "09:00"), HttpStatusCode.Created);
        Assert.That((withBoth.DentistId, withBoth.ChairId, plain.DentistId, plain.ChairId), Is.EqualTo((lee, chair.Id, (Guid?)null, (Guid?)null)));

        var day = await ReadAsync<List<DayAppointmentDto>>(await staff.GetAsync($"/api/appointments/by-date/{Iso(date)}"));
        var item = day.Single(a => a.Id == withBoth.Id);
        Assert.That((item.DentistName, item.DentistColor, item.ChairName, item.ChairColor), Is.EqualTo(("Dr Lee", "#00AA88", "Blue room", "#AA3300")));
        Assert.That(day.Single(a => a.Id == plain.Id).DentistName, Is.Null);

        // Renaming the dentist or the chair shows at once, though days are cached.
        await ReadAsync<UserDto>(await Admin.PutAsJsonAsync($"/api/users/{lee}", new UpdateUser("Dr Lee-Smith", null, null, null)));
        await ReadAsync<ChairDto>(await Admin.PutAsJsonAsync($"/api/chairs/{chair.Id}", new UpdateChair("Green room", null, null)));
        item = (await ReadAsync<List<DayAppointmentDto>>(await staff.GetAsync($"/api/appointments/by-date/{Iso(date)}"))).Single(a => a.Id == withBoth.Id);
        Assert.That((item.DentistName, item.ChairName), Is.EqualTo(("Dr Lee-Smith", "Green room")));

        var byDentist = await ReadAsync<PagedResult<AppointmentDto>>(await staff.GetAsync($"/api/appointments?from={Iso(date)}&to={Iso(date)}&dentistId={lee}"));
        Assert.That(byDentist.Data.Select(a => a.Id), Is.EqualTo(new[] { withBoth.Id }));
        var byChair = await ReadAsync<PagedResult<AppointmentDto>>(await staff.GetAsync($"/api/appointments?from={Iso(date)}&to={Iso(date)}&chairId={chair.Id}"));
        Assert.That(byChair.Data.Select(a => a.Id), Is.EqualTo(new[] { withBoth.Id }));

        // Unknown, non-dentist or inactive ids: 400 on the field.
        var (_, staffUser) = (0, (await CreateUserAsync(Roles.Staff)).User);
        foreach (var bad in new[] { Guid.NewGuid(), staffUser.Id })
            await AssertErrorAsync(await BookWithAsync(staff, await CreatePatientAsync(), type.Id, date, "10:00", dentist: bad),
                HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "dentistId");
        await AssertErrorAsync(await BookWithAsync(staff, await CreatePatientAsync(), type.Id, date, "10:00", chair: Guid.NewGuid()),
            HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "chairId");
        await AssertErrorAsync(await staff.PutAsJsonAsync($"/api/appointments/{plain.Id}", new { dentistId = Guid.NewGuid() }),
            HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "dentistId");

        // The empty UUID clears them.
        var cleared = await ReadAsync<AppointmentDto>(await staff.PutAsJsonAsync($"/api/appointments/{withBoth.Id}", new { dentistId = Guid.Empty, chairId = Guid.Empty }));
        Assert.That((cleared.DentistId, cleared.ChairId), Is.EqualTo(((Guid?)null, (Guid?)null)));
    }

    [Test]
    public async Task Two_dentists_in_two_chairs_book_the_same_time_and_a_third_patient_is_refused_on_capacity()
    {
        var staff = await As(Roles.Staff);
        var (lee, _) = await CreateDentistAsync("Dr Lee");
        var (ng, _) = await CreateDentistAsync("Dr Ng");
        var chairs = await CreateChairsAsync(2);
        var type = await CreateTypeAsync(duration: 60);
        var date = FreshDate();
        var first = await ReadAsync<AppointmentDto>(await BookWithAsync(staff, await CreatePatientAsync(), type.Id, date, "09:00", lee, chairs[0].Id), HttpStatusCode.Created);
        await ReadAsync<AppointmentDto>(await BookWithAsync(staff, await CreatePatientAsync(), type.Id, date, "09:00", ng, chairs[1].Id), HttpStatusCode.Created);
        var third = await AssertRuleAsync(await BookWithAsync(staff, await CreatePatientAsync(), type.Id, date, "09:30"), BookingRuleNames.Capacity, first.Id);
        Assert.That(third.Message, Does.Contain(first.Id.ToString()));
        // After the first ends there is room again.
        await ReadAsync<AppointmentDto>(await BookWithAsync(staff, await CreatePatientAsync(), type.Id, date, "10:00"), HttpStatusCode.Created);
        // An admin or dentist may override; staff may not.
        await AssertErrorAsync(await BookWithAsync(staff, await CreatePatientAsync(), type.Id, date, "09:30", allowOverlap: true),
            HttpStatusCode.Forbidden, ErrorCodes.Forbidden, "allowOverlap", "rule");
        await ReadAsync<AppointmentDto>(await BookWithAsync(Admin, await CreatePatientAsync(), type.Id, date, "09:30", allowOverlap: true), HttpStatusCode.Created);
    }

    [Test]
    public async Task The_same_dentist_the_same_chair_and_the_same_patient_cannot_be_double_booked()
    {
        var staff = await As(Roles.Staff);
        var (lee, _) = await CreateDentistAsync("Dr Lee");
        var (ng, _) = await CreateDentistAsync("Dr Ng");
        var chairs = await CreateChairsAsync(3);
        var type = await CreateTypeAsync(duration: 45);
        var date = FreshDate();
        var patient = await CreatePatientAsync();
        var booked = await ReadAsync<AppointmentDto>(await BookWithAsync(staff, patient, type.Id, date, "09:00", lee, chairs[0].Id), HttpStatusCode.Created);

        await AssertRuleAsync(await BookWithAsync(staff, await CreatePatientAsync(), type.Id, date, "09:30", lee, chairs[1].Id), BookingRuleNames.Dentist, booked.Id);
        await AssertRuleAsync(await BookWithAsync(staff, await CreatePatientAsync(), type.Id, date, "08:30", ng, chairs[0].Id), BookingRuleNames.Chair, booked.Id);
        await AssertRuleAsync(await BookWithAsync(staff, patient, type.Id, date, "09:15", ng, chairs[1].Id), BookingRuleNames.Patient, booked.Id);
        // Without a dentist or chair named, only the patient and the capacity rules can bind.
        await AssertRuleAsync(await BookWithAsync(staff, patient, type.Id, date, "09:15"), BookingRuleNames.Patient, booked.Id);
        // The other dentist, another chair, another patient: fine. Touching ends do not overlap.
        await ReadAsync<AppointmentDto>(await BookWithAsync(staff, await CreatePatientAsync(), type.Id, date, "09:15", ng, chairs[1].Id), HttpStatusCode.Created);
        await ReadAsync<AppointmentDto>(await BookWithAsync(staff, patient, type.Id, date, "09:45", lee, chairs[0].Id), HttpStatusCode.Created);

        // Moving another appointment onto the dentist is refused the same way.
        var later = await ReadAsync<AppointmentDto>(await BookWithAsync(staff, await CreatePatientAsync(), type.Id, date, "14:00", ng, chairs[2].Id), HttpStatusCode.Created);
        await AssertRuleAsync(await staff.PutAsJsonAsync($"/api/appointments/{later.Id}", new { dentistId = lee, time = "09:00" }), BookingRuleNames.Dentist, booked.Id);
        // A cancelled or no-show appointment occupies nothing.
        await ReadAsync<AppointmentDto>(await staff.PostAsJsonAsync($"/api/appointments/{booked.Id}/cancel", new CancelAppointment("flu")));
        await ReadAsync<AppointmentDto>(await staff.PutAsJsonAsync($"/api/appointments/{later.Id}", new { dentistId = lee, chairId = chairs[0].Id, time = "09:00" }));
    }

    [Test]
    public async Task Opening_hours_closures_dentist_hours_and_time_off_decide_too()
    {
        var staff = await As(Roles.Staff);
        var (lee, leeClient) = await CreateDentistAsync("Dr Lee");
        var (ng, ngClient) = await CreateDentistAsync("Dr Ng");
        await CreateChairsAsync(3);
        var type = await CreateTypeAsync(duration: 60);
        var monday = FreshWeek();
        var tuesday = monday.AddDays(1);

        // Invalid hours: 400 naming the item.
        await AssertErrorAsync(await Admin.PutAsJsonAsync("/api/schedule/hours/clinic", new SetHours([new HoursInterval(1, "12:00", "08:00")])),
            HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "intervals[0].end");
        // Each offending interval is named, once: both of an overlapping pair, and every invalid one.
        var overlap = await AssertErrorAsync(await Admin.PutAsJsonAsync("/api/schedule/hours/clinic", new SetHours([
                new HoursInterval(1, "08:00", "12:00"), new HoursInterval(1, "11:00", "13:00"), new HoursInterval(2, "08:00", "12:00"),
                new HoursInterval(3, "09:00", "10:00"), new HoursInterval(3, "09:30", "09:45"), new HoursInterval(9, "08:00", "09:00"),
                new HoursInterval(9, "08:30", "09:30")])),
            HttpStatusCode.BadRequest, ErrorCodes.ValidationError);
        Assert.That(overlap.Details!.Select(d => d.Field), Is.EquivalentTo(new[] { "intervals[0]", "intervals[1]", "intervals[3]", "intervals[4]", "intervals[5].weekday", "intervals[6].weekday" }),
            string.Join("; ", overlap.Details!.Select(d => $"{d.Field}: {d.Message}")));
        await AssertErrorAsync(await Admin.PutAsJsonAsync("/api/schedule/hours/clinic", new SetHours([new HoursInterval(8, "08:00", "12:00")])),
            HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "intervals[0].weekday");
        await AssertErrorAsync(await staff.PutAsJsonAsync("/api/schedule/hours/clinic", new SetHours([])), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);

        // The clinic: Monday 08:00–12:30 and 13:30–17:00; Tuesday 08:00–12:00. Other days closed.
        var hours = await ReadAsync<ScheduleHoursDto>(await Admin.PutAsJsonAsync("/api/schedule/hours/clinic", new SetHours([
            new HoursInterval(1, "13:30", "17:00"), new HoursInterval(1, "08:00", "12:30"), new HoursInterval(2, "08:00", "12:00")])));
        Assert.That(hours.Clinic, Is.EqualTo(new[] { new HoursInterval(1, "08:00", "12:30"), new HoursInterval(1, "13:30", "17:00"), new HoursInterval(2, "08:00", "12:00") }));
        await AssertRuleAsync(await BookWithAsync(staff, await CreatePatientAsync(), type.Id, monday, "12:00"), BookingRuleNames.ClinicHours);
        await AssertRuleAsync(await BookWithAsync(staff, await CreatePatientAsync(), type.Id, monday, "07:30"), BookingRuleNames.ClinicHours);
        await AssertRuleAsync(await BookWithAsync(staff, await CreatePatientAsync(), type.Id, monday.AddDays(2), "09:00"), BookingRuleNames.ClinicHours);
        await ReadAsync<AppointmentDto>(await BookWithAsync(staff, await CreatePatientAsync(), type.Id, monday, "11:30"), HttpStatusCode.Created);
        await ReadAsync<AppointmentDto>(await BookWithAsync(staff, await CreatePatientAsync(), type.Id, monday, "16:00", ng), HttpStatusCode.Created);

        // Dr Lee works their own hours: Tuesday afternoons only (set by themself; Dr Ng may not set them).
        await AssertErrorAsync(await ngClient.PutAsJsonAsync($"/api/schedule/hours/dentists/{lee}", new SetHours([])), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        hours = await ReadAsync<ScheduleHoursDto>(await leeClient.PutAsJsonAsync($"/api/schedule/hours/dentists/{lee}", new SetHours([new HoursInterval(2, "13:00", "24:00")])));
        Assert.That(hours.Dentists.Single(d => d.DentistId == lee).Intervals.Single(), Is.EqualTo(new HoursInterval(2, "13:00", "24:00")));
        await AssertRuleAsync(await BookWithAsync(staff, await CreatePatientAsync(), type.Id, monday, "09:00", lee), BookingRuleNames.DentistHours);
        await AssertRuleAsync(await BookWithAsync(staff, await CreatePatientAsync(), type.Id, tuesday, "12:30", lee), BookingRuleNames.DentistHours);
        await ReadAsync<AppointmentDto>(await BookWithAsync(staff, await CreatePatientAsync(), type.Id, tuesday, "23:00", lee), HttpStatusCode.Created);

        // Time off: Dr Ng on Tuesday (asked by Dr Ng; staff may not).
        await AssertErrorAsync(await staff.PostAsJsonAsync("/api/schedule/closures", new CreateClosure(Iso(tuesday), Iso(tuesday), ng, "Course")),
            HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        await AssertErrorAsync(await ngClient.PostAsJsonAsync("/api/schedule/closures", new CreateClosure(Iso(tuesday), Iso(tuesday), null, "Party")),
            HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        var off = await ReadAsync<ClosureDto>(await ngClient.PostAsJsonAsync("/api/schedule/closures", new CreateClosure(Iso(tuesday), Iso(tuesday), ng, "Course")), HttpStatusCode.Created);
        var refused = await AssertRuleAsync(await BookWithAsync(staff, await CreatePatientAsync(), type.Id, tuesday, "09:00", ng), BookingRuleNames.TimeOff);
        Assert.That(refused.Message, Does.Contain("Course"));
        await ReadAsync<AppointmentDto>(await BookWithAsync(staff, await CreatePatientAsync(), type.Id, tuesday, "09:00"), HttpStatusCode.Created);

        // The whole clinic closed on Monday: no booking at all, with a dentist or without.
        await AssertErrorAsync(await Admin.PostAsJsonAsync("/api/schedule/closures", new CreateClosure(Iso(monday), Iso(monday.AddDays(-1)), null, null)),
            HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "to");
        var closed = await ReadAsync<ClosureDto>(await Admin.PostAsJsonAsync("/api/schedule/closures", new CreateClosure(Iso(monday), Iso(monday), null, "Holiday")), HttpStatusCode.Created);
        await AssertRuleAsync(await BookWithAsync(staff, await CreatePatientAsync(), type.Id, monday, "08:00"), BookingRuleNames.Closure);
        await AssertRuleAsync(await BookWithAsync(staff, await CreatePatientAsync(), type.Id, monday, "08:00", ng), BookingRuleNames.Closure);
        var listed = await ReadAsync<List<ClosureDto>>(await staff.GetAsync($"/api/schedule/closures?from={Iso(monday)}&to={Iso(tuesday)}"));
        Assert.That(listed.Select(c => c.Id), Is.EqualTo(new[] { closed.Id, off.Id }));
        Assert.That(await ReadAsync<List<ClosureDto>>(await staff.GetAsync($"/api/schedule/closures?from={Iso(monday.AddDays(2))}")), Is.Empty);

        // An override books anyway; removing the closure reopens the day.
        await ReadAsync<AppointmentDto>(await BookWithAsync(Admin, await CreatePatientAsync(), type.Id, monday, "08:00", allowOverlap: true), HttpStatusCode.Created);
        await AssertErrorAsync(await ngClient.DeleteAsync($"/api/schedule/closures/{closed.Id}"), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        Assert.That((await Admin.DeleteAsync($"/api/schedule/closures/{closed.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await ReadAsync<AppointmentDto>(await BookWithAsync(staff, await CreatePatientAsync(), type.Id, monday, "09:00"), HttpStatusCode.Created);
        Assert.That((await ngClient.DeleteAsync($"/api/schedule/closures/{off.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        // Without clinic hours a dentist without hours of their own has no hours rule.
        await ReadAsync<ScheduleHoursDto>(await Admin.PutAsJsonAsync("/api/schedule/hours/clinic", new SetHours([])));
        await ReadAsync<AppointmentDto>(await BookWithAsync(staff, await CreatePatientAsync(), type.Id, monday.AddDays(6), "03:00", ng), HttpStatusCode.Created);
    }
}
