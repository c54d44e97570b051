using System.Net;
using System.Net.Http.Json;
using DentalClinic.ServiceModel;

namespace DentalClinic.Tests.Scheduling;

/// <summary>Free slots share the booking rules: every slot returned books, nothing left out would have booked.</summary>
public sealed class AvailabilityTests(string provider) : ConfiguredClinicTest(provider)
{
    private async Task<List<AvailableSlot>> SlotsAsync(Guid type, DateOnly from, DateOnly to, Guid? dentist = null, Guid? chair = null)
    {
        var query = $"/api/appointments/availability?appointmentTypeId={type}&from={Iso(from)}&to={Iso(to)}" +
                    (dentist is null ? "" : $"&dentistId={dentist}") + (chair is null ? "" : $"&chairId={chair}");
        return await ReadAsync<List<AvailableSlot>>(await (await As(Roles.Staff)).GetAsync(query));
    }

    /// <summary>
    /// A seeded clinic: hours Monday–Wednesday (a lunch break on Monday), two dentists (Dr Lee with hours
    /// of their own), two chairs, four appointments, the clinic closed on Wednesday, Dr Ng off on Tuesday.
    /// A grid of 60 minutes keeps the brute force short.
    /// </summary>
    private async Task<(DateOnly Monday, Guid Lee, Guid Ng, List<ChairDto> Chairs, AppointmentTypeDto Type)> SeedAsync()
    {
        var staff = await As(Roles.Staff);
        await ReadAsync<SettingsDto>(await Admin.PutAsJsonAsync("/api/settings", new { slotMinutes = 60 }));
        var (lee, _) = await CreateDentistAsync("Dr Lee");
        var (ng, _) = await CreateDentistAsync("Dr Ng");
        var chairs = await CreateChairsAsync(2);
        var type = await CreateTypeAsync(duration: 90);
        var monday = FreshWeek();
        await ReadAsync<ScheduleHoursDto>(await Admin.PutAsJsonAsync("/api/schedule/hours/clinic", new SetHours([
            new HoursInterval(1, "08:00", "12:00"), new HoursInterval(1, "13:00", "17:00"),
            new HoursInterval(2, "08:00", "14:00"), new HoursInterval(3, "08:00", "12:00")])));
        await ReadAsync<ScheduleHoursDto>(await Admin.PutAsJsonAsync($"/api/schedule/hours/dentists/{lee}", new SetHours([
            new HoursInterval(1, "09:00", "13:00"), new HoursInterval(2, "10:00", "18:00")])));
        await ReadAsync<ClosureDto>(await Admin.PostAsJsonAsync("/api/schedule/closures", new CreateClosure(Iso(monday.AddDays(2)), Iso(monday.AddDays(2)), null, "Inventory")), HttpStatusCode.Created);
        await ReadAsync<ClosureDto>(await Admin.PostAsJsonAsync("/api/schedule/closures", new CreateClosure(Iso(monday.AddDays(1)), Iso(monday.AddDays(1)), ng, null)), HttpStatusCode.Created);
        var other = await CreateTypeAsync(duration: 60);
        foreach (var (day, time, dentist, chair) in new (int, string, Guid?, int?)[]
                 { (0, "09:00", lee, 0), (0, "10:00", ng, 1), (0, "14:00", null, null), (1, "11:00", lee, 1) })
            await ReadAsync<AppointmentDto>(await BookWithAsync(staff, await CreatePatientAsync(), other.Id, monday.AddDays(day), time,
                dentist, chair is { } c ? chairs[c].Id : null), HttpStatusCode.Created);
        return (monday, lee, ng, chairs, type);
    }

    [Test]
    public async Task Nothing_availability_leaves_out_would_have_booked()
    {
        var (monday, lee, ng, chairs, type) = await SeedAsync();
        var slots = await SlotsAsync(type.Id, monday, monday.AddDays(2));
        Assert.That(slots, Is.Not.Empty);
        Assert.That(slots.Select(s => $"{Iso(s.Date)} {s.Time}"), Is.Ordered.Using((IComparer<string>)StringComparer.Ordinal));
        Assert.That(slots.Select(s => s.Date), Has.None.EqualTo(monday.AddDays(2)), "closed on Wednesday");
        Assert.That(slots.All(s => s.DentistId is not null && s.ChairId is not null));

        var offered = slots.Select(s => (s.Date, s.Time)).ToHashSet();
        var staff = await As(Roles.Staff);
        for (var date = monday; date <= monday.AddDays(2); date = date.AddDays(1))
            for (var minute = 0; minute + type.Duration <= 24 * 60; minute += 60)
            {
                var time = $"{minute / 60:00}:{minute % 60:00}";
                if (offered.Contains((date, time))) continue;
                foreach (var dentist in new[] { lee, ng })
                    foreach (var chair in chairs)
                    {
                        var response = await BookWithAsync(staff, await CreatePatientAsync(), type.Id, date, time, dentist, chair.Id);
                        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), $"{date} {time}: availability left out a bookable start");
                    }
            }
    }

    [Test]
    public async Task Every_slot_returned_books_and_is_gone_from_the_next_answer()
    {
        var (monday, lee, _, _, type) = await SeedAsync();
        var staff = await As(Roles.Staff);
        var slots = await SlotsAsync(type.Id, monday, monday.AddDays(2));
        var booked = 0;
        while (slots.Count > 0 && booked < 100)
        {
            var slot = slots[Random.Shared.Next(slots.Count)];
            await ReadAsync<AppointmentDto>(await BookWithAsync(staff, await CreatePatientAsync(), type.Id, slot.Date, slot.Time, slot.DentistId, slot.ChairId), HttpStatusCode.Created);
            booked++;
            var next = await SlotsAsync(type.Id, monday, monday.AddDays(2));
            Assert.That(next, Does.Not.Contain(slot));
            slots = next;
        }
        Assert.That(slots, Is.Empty, "booking the slots offered fills the days");
        Assert.That(booked, Is.GreaterThan(2));

        // Filters: one dentist's slots name that dentist.
        await ReadAsync<ScheduleHoursDto>(await Admin.PutAsJsonAsync($"/api/schedule/hours/dentists/{lee}", new SetHours([])));
        var sunday = monday.AddDays(6);
        await ReadAsync<ScheduleHoursDto>(await Admin.PutAsJsonAsync("/api/schedule/hours/clinic", new SetHours([new HoursInterval(7, "09:00", "12:00")])));
        var leeSlots = await SlotsAsync(type.Id, sunday, sunday, dentist: lee);
        Assert.That(leeSlots.Select(s => (s.Time, s.EndTime, s.DentistId)), Is.EqualTo(new[] { ("09:00", "10:30", (Guid?)lee), ("10:00", "11:30", lee) }));
    }

    [Test]
    public async Task Availability_without_any_configuration_is_the_whole_day_on_the_grid_never_in_the_past()
    {
        var type = await CreateTypeAsync(duration: 30);
        var date = FreshDate();
        var slots = await SlotsAsync(type.Id, date, date);
        Assert.That(slots, Has.Count.EqualTo(24 * 4 - 1));
        Assert.That(slots.All(s => s.DentistId is null && s.ChairId is null));
        await BookOkAsync(await CreatePatientAsync(), type.Id, date, "10:00");
        var after = await SlotsAsync(type.Id, date, date);
        Assert.That(after.Select(s => s.Time), Does.Not.Contain("09:45").And.Not.Contain("10:00").And.Not.Contain("10:15").And.Contain("10:30").And.Contain("09:30"));

        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        Assert.That(await SlotsAsync(type.Id, today.AddDays(-3), today.AddDays(-1)), Is.Empty);
        var now = DateTime.UtcNow;
        Assert.That((await SlotsAsync(type.Id, today, today)).Where(s => s.Date == DateOnly.FromDateTime(now)).Select(s => s.Time),
            Has.All.GreaterThan(now.AddMinutes(-1).ToString("HH:mm")));

        var staff = await As(Roles.Staff);
        await AssertErrorAsync(await staff.GetAsync($"/api/appointments/availability?appointmentTypeId={type.Id}&from={Iso(date)}&to={Iso(date.AddDays(31))}"),
            HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "to");
        await AssertErrorAsync(await staff.GetAsync($"/api/appointments/availability?from={Iso(date)}&to={Iso(date)}"),
            HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "appointmentTypeId");
        await AssertErrorAsync(await staff.GetAsync($"/api/appointments/availability?appointmentTypeId={Guid.NewGuid()}&from={Iso(date)}&to={Iso(date)}"),
            HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "appointmentTypeId");
        await AssertErrorAsync(await staff.GetAsync($"/api/appointments/availability?appointmentTypeId={type.Id}&from={Iso(date)}&to={Iso(date)}&dentistId={Guid.NewGuid()}"),
            HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "dentistId");
    }

    // Free-slot search keeps what it reads besides appointments in memory under a stamp that database
    // triggers renew: a change written by another instance or an operator is seen on the next search.
    [Test]
    public async Task A_schedule_change_written_straight_to_the_database_is_seen_on_the_next_search()
    {
        var type = await CreateTypeAsync(duration: 60);
        var date = FreshDate();
        async Task<List<AvailableSlot>> Slots() => await SlotsAsync(type.Id, date, date);
        Assert.That(await Slots(), Has.Count.EqualTo(24 * 4 - 3));

        await ExecuteAsync($"UPDATE appointment_types SET duration = 120 WHERE id = '{Id(type.Id)}'");
        Assert.That(await Slots(), Has.Count.EqualTo(24 * 4 - 7), "a type's duration");

        await ReadAsync<SettingsDto>(await Admin.PutAsJsonAsync("/api/settings", new { slotMinutes = 60 }));
        Assert.That(await Slots(), Has.Count.EqualTo(23));
        await ExecuteAsync("DELETE FROM settings WHERE key = 'slot_minutes'");
        Assert.That(await Slots(), Has.Count.EqualTo(24 * 4 - 7), "settings: back to the configured 15-minute grid");

        var (dentist, _) = await CreateDentistAsync("Dr Out-of-band");
        var chair = await CreateChairAsync();
        Assert.That((await Slots()).Select(s => (s.DentistId, s.ChairId)).Distinct(), Is.EqualTo(new[] { ((Guid?)dentist, (Guid?)chair.Id) }));
        await ExecuteAsync($"UPDATE users SET is_active = false WHERE id = '{Id(dentist)}'");
        Assert.That((await Slots()).Select(s => s.DentistId).Distinct(), Is.EqualTo(new Guid?[] { null }), "a dentist made inactive");
        await ExecuteAsync($"UPDATE chairs SET archived_at = CURRENT_TIMESTAMP WHERE id = '{Id(chair.Id)}'");
        Assert.That((await Slots()).Select(s => s.ChairId).Distinct(), Is.EqualTo(new Guid?[] { null }), "a chair archived");

        await ReadAsync<ScheduleHoursDto>(await Admin.PutAsJsonAsync("/api/schedule/hours/clinic",
            new SetHours([new HoursInterval(date.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)date.DayOfWeek, "09:00", "12:00")])));
        Assert.That((await Slots()).Select(s => s.Time), Is.EqualTo(new[] { "09:00", "09:15", "09:30", "09:45", "10:00" }));
        await ExecuteAsync("DELETE FROM schedule_intervals");
        Assert.That(await Slots(), Has.Count.EqualTo(24 * 4 - 7), "hours removed");

        await ReadAsync<ClosureDto>(await Admin.PostAsJsonAsync("/api/schedule/closures", new CreateClosure(Iso(date), Iso(date), null, null)), HttpStatusCode.Created);
        Assert.That(await Slots(), Is.Empty);
        await ExecuteAsync("DELETE FROM closures");
        Assert.That(await Slots(), Has.Count.EqualTo(24 * 4 - 7), "a closure removed");

        await ExecuteAsync($"UPDATE appointment_types SET archived_at = CURRENT_TIMESTAMP WHERE id = '{Id(type.Id)}'");
        await AssertErrorAsync(await (await As(Roles.Staff)).GetAsync($"/api/appointments/availability?appointmentTypeId={type.Id}&from={Iso(date)}&to={Iso(date)}"),
            HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "appointmentTypeId");
    }
}
