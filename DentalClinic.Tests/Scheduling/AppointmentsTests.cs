using System.Net;
using System.Net.Http.Json;
using System.Text;
using DentalClinic.ServiceModel;

namespace DentalClinic.Tests.Scheduling;

public sealed class AppointmentsTests(string provider) : SchedulingTest(provider)
{
    [Test]
    public async Task The_specification_example_gives_exactly_its_fields()
    {
        var patient = await CreatePatientAsync();
        var type = await CreateTypeAsync(duration: 30);
        var staff = await As(Roles.Staff);
        // The example's request, on a date of this test's own (other tests use the example's date too).
        var date = Iso(FreshDate());
        var response = await staff.PostAsJsonAsync("/api/appointments", new
        {
            patientId = patient,
            appointmentTypeId = type.Id,
            date,
            time = "14:30",
            notes = "Patient requested afternoon slot",
        });
        var (json, fields) = await ReadObjectAsync(response, HttpStatusCode.Created);
        Assert.That(fields, Is.SupersetOf(new[] { "id", "patientId", "appointmentTypeId", "date", "time", "status", "notes", "createdAt", "updatedAt" }));
        Assert.That(json.GetProperty("patientId").GetString(), Is.EqualTo(patient.ToString()));
        Assert.That(json.GetProperty("appointmentTypeId").GetString(), Is.EqualTo(type.Id.ToString()));
        Assert.That(json.GetProperty("date").GetString(), Is.EqualTo(date));
        Assert.That(json.GetProperty("time").GetString(), Is.EqualTo("14:30"));
        Assert.That(json.GetProperty("status").GetString(), Is.EqualTo("pending"));
        Assert.That(json.GetProperty("notes").GetString(), Is.EqualTo("Patient requested afternoon slot"));
        Assert.That(json.GetProperty("createdAt").GetString(), Does.EndWith("Z"));
        Assert.That(json.GetProperty("updatedAt").GetDateTime(), Is.EqualTo(json.GetProperty("createdAt").GetDateTime()));

        var id = json.GetProperty("id").GetString();
        Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"/api/appointments/{id}"));
        var read = await ReadAsync<AppointmentDto>(await staff.GetAsync($"/api/appointments/{id}"));
        Assert.That(read, Is.EqualTo(await ReadAsync<AppointmentDto>(response, HttpStatusCode.Created)));
    }

    [Test]
    public async Task Status_defaults_to_pending_and_must_be_a_known_one()
    {
        var staff = await As(Roles.Staff);
        var patient = await CreatePatientAsync();
        var type = await CreateTypeAsync(duration: 15);
        var date = FreshDate();
        var confirmed = await ReadAsync<AppointmentDto>(await BookAsync(staff, patient, type.Id, date, "08:00", status: "confirmed"), HttpStatusCode.Created);
        Assert.That(confirmed.Status, Is.EqualTo("confirmed"));
        var pending = await ReadAsync<AppointmentDto>(await BookAsync(staff, patient, type.Id, date, "09:00"), HttpStatusCode.Created);
        Assert.That(pending.Status, Is.EqualTo("pending"));
        await AssertErrorAsync(await BookAsync(staff, patient, type.Id, date, "10:00", status: "done"), HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "status");
        await AssertErrorAsync(await BookAsync(staff, patient, type.Id, date, "10:00", status: "Confirmed"), HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "status");
        await AssertErrorAsync(await staff.PutAsJsonAsync($"/api/appointments/{pending.Id}", new { status = "noshow" }), HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "status");
    }

    [TestCase("2025-13-01", "14:30", "date")]
    [TestCase("2025-02-30", "14:30", "date")]
    [TestCase("25-12-2025", "14:30", "date")]
    [TestCase("2025-12-25T00:00:00", "14:30", "date")]
    [TestCase("1899-12-31", "14:30", "date")]
    [TestCase("2025-12-25", "24:00", "time")]
    [TestCase("2025-12-25", "9:30", "time")]
    [TestCase("2025-12-25", "14:30:00", "time")]
    [TestCase("2025-12-25", "14:60", "time")]
    [TestCase("2025-12-25", "2pm", "time")]
    public async Task Dates_and_times_in_another_format_are_400_on_that_field(string date, string time, string field)
    {
        var response = await (await As(Roles.Staff)).PostAsJsonAsync("/api/appointments",
            new CreateAppointment(Guid.NewGuid(), Guid.NewGuid(), date, time, null, null, null));
        var error = await AssertErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.ValidationError, field);
        Assert.That(error.Details!.Select(d => d.Field), Is.EquivalentTo(new[] { field }));
    }

    [TestCase("3026-01-15")]
    [TestCase("1899-12-31")]
    public async Task A_date_out_of_range_is_400_naming_the_range(string date)
    {
        var staff = await As(Roles.Staff);
        var error = await AssertErrorAsync(await staff.PostAsJsonAsync("/api/appointments",
            new CreateAppointment(Guid.NewGuid(), Guid.NewGuid(), date, "09:00", null, null, null)), HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "date");
        Assert.That(error.Details!.Single().Message, Does.Contain("from 1900-01-01 to 2999-12-31"));
        error = await AssertErrorAsync(await staff.GetAsync($"/api/appointments/by-date/{date}"), HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "date");
        Assert.That(error.Details!.Single().Message, Does.Contain("from 1900-01-01 to 2999-12-31"));
    }

    [Test]
    public async Task Missing_fields_are_each_reported()
    {
        var response = await (await As(Roles.Staff)).PostAsJsonAsync("/api/appointments", new { notes = new string('x', 2001) });
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "patientId", "appointmentTypeId", "date", "time", "notes");
        var malformed = await (await As(Roles.Staff)).PostAsync("/api/appointments",
            new StringContent("{\"patientId\":\"not-a-uuid\"}", Encoding.UTF8, "application/json"));
        await AssertErrorAsync(malformed, HttpStatusCode.BadRequest, ErrorCodes.BadRequest, "patientId");
    }

    [Test]
    public async Task A_missing_or_archived_patient_or_type_is_400_on_that_field()
    {
        var staff = await As(Roles.Staff);
        var patient = await CreatePatientAsync();
        var archivedPatient = await CreatePatientAsync(archived: true);
        var type = await CreateTypeAsync();
        var date = FreshDate();
        var both = await AssertErrorAsync(await BookAsync(staff, Guid.NewGuid(), Guid.NewGuid(), date, "10:00"),
            HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "patientId", "appointmentTypeId");
        Assert.That(both.Details, Has.Count.EqualTo(2));
        await AssertErrorAsync(await BookAsync(staff, archivedPatient, type.Id, date, "10:00"), HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "patientId");
        await AssertErrorAsync(await BookAsync(staff, patient, Guid.NewGuid(), date, "10:00"), HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "appointmentTypeId");

        var appointment = await BookOkAsync(patient, type.Id, date, "10:00");
        await AssertErrorAsync(await staff.PutAsJsonAsync($"/api/appointments/{appointment.Id}", new { patientId = archivedPatient }),
            HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "patientId");
        await AssertErrorAsync(await staff.PutAsJsonAsync($"/api/appointments/{appointment.Id}", new { appointmentTypeId = Guid.NewGuid() }),
            HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "appointmentTypeId");
    }

    [Test]
    public async Task An_overlapping_booking_is_409_naming_the_other_appointment()
    {
        var staff = await As(Roles.Staff);
        var patient = await CreatePatientAsync();
        var hour = await CreateTypeAsync(duration: 60);
        var half = await CreateTypeAsync(duration: 30);
        var date = FreshDate();
        var first = await BookOkAsync(patient, hour.Id, date, "10:00");

        // Starts inside the other's hour.
        var clash = await AssertErrorAsync(await BookAsync(staff, patient, half.Id, date, "10:59"), HttpStatusCode.Conflict, ErrorCodes.Conflict);
        Assert.That(clash.Message, Does.Contain(first.Id.ToString()));
        Assert.That(clash.Details!.Select(d => d.Message), Does.Contain(first.Id.ToString()));
        // Ends inside it: the new one's own duration counts too.
        await AssertErrorAsync(await BookAsync(staff, patient, hour.Id, date, "09:01"), HttpStatusCode.Conflict, ErrorCodes.Conflict);
        // Encloses it.
        await AssertErrorAsync(await BookAsync(staff, patient, await TypeId(180), date, "09:00"), HttpStatusCode.Conflict, ErrorCodes.Conflict);
        // Touching ends do not overlap.
        await BookOkAsync(patient, half.Id, date, "09:30");
        await BookOkAsync(patient, half.Id, date, "11:00");
        // Another date is another day.
        await BookOkAsync(patient, hour.Id, FreshDate(), "10:00");
        // Unless the request allows it.
        var allowed = await BookOkAsync(patient, half.Id, date, "10:15", allowOverlap: true);
        Assert.That(allowed.Time, Is.EqualTo("10:15"));
        var explicitFalse = await BookAsync(staff, patient, half.Id, date, "10:20", allowOverlap: false);
        await AssertErrorAsync(explicitFalse, HttpStatusCode.Conflict, ErrorCodes.Conflict);
    }

    private async Task<Guid> TypeId(int duration) => (await CreateTypeAsync(duration: duration)).Id;

    [Test]
    public async Task Cancelled_appointments_do_not_block_a_slot_and_a_cancelled_booking_blocks_nothing()
    {
        var staff = await As(Roles.Staff);
        var patient = await CreatePatientAsync();
        var type = await CreateTypeAsync(duration: 60);
        var date = FreshDate();
        var first = await BookOkAsync(patient, type.Id, date, "14:00");
        var cancelledBooking = await ReadAsync<AppointmentDto>(await BookAsync(staff, patient, type.Id, date, "14:30", status: "cancelled"), HttpStatusCode.Created);
        Assert.That(cancelledBooking.Status, Is.EqualTo("cancelled"));

        await ReadAsync<AppointmentDto>(await staff.PostAsJsonAsync($"/api/appointments/{first.Id}/cancel", new CancelAppointment(null)));
        var second = await BookOkAsync(patient, type.Id, date, "14:15");

        // Bringing the cancelled one back would overlap the new one.
        var back = await staff.PutAsJsonAsync($"/api/appointments/{first.Id}", new { status = "confirmed" });
        var error = await AssertErrorAsync(back, HttpStatusCode.Conflict, ErrorCodes.Conflict);
        Assert.That(error.Message, Does.Contain(second.Id.ToString()));
        await AssertErrorAsync(await staff.PutAsJsonAsync($"/api/appointments/{first.Id}", new { status = "confirmed", allowOverlap = true }),
            HttpStatusCode.Forbidden, ErrorCodes.Forbidden, "allowOverlap", "rule");
        var forced = await ReadAsync<AppointmentDto>(await (await As(Roles.Dentist)).PutAsJsonAsync($"/api/appointments/{first.Id}", new { status = "confirmed", allowOverlap = true }));
        Assert.That(forced.Status, Is.EqualTo("confirmed"));
    }

    [Test]
    public async Task Moving_an_appointment_follows_the_overlap_rule_but_editing_notes_does_not()
    {
        var staff = await As(Roles.Staff);
        var patient = await CreatePatientAsync();
        var type = await CreateTypeAsync(duration: 30);
        var longType = await CreateTypeAsync(duration: 120);
        var date = FreshDate();
        var first = await BookOkAsync(patient, type.Id, date, "09:00");
        var second = await BookOkAsync(patient, type.Id, date, "10:00");

        await AssertErrorAsync(await staff.PutAsJsonAsync($"/api/appointments/{second.Id}", new { time = "09:15" }), HttpStatusCode.Conflict, ErrorCodes.Conflict);
        await AssertErrorAsync(await staff.PutAsJsonAsync($"/api/appointments/{first.Id}", new { appointmentTypeId = longType.Id }), HttpStatusCode.Conflict, ErrorCodes.Conflict);
        // Moving within its own slot never clashes with itself.
        var shifted = await ReadAsync<AppointmentDto>(await staff.PutAsJsonAsync($"/api/appointments/{second.Id}", new { time = "10:10" }));
        Assert.That(shifted.Time, Is.EqualTo("10:10"));

        var otherDate = FreshDate();
        var elsewhere = await BookOkAsync(patient, type.Id, otherDate, "09:10");
        await AssertErrorAsync(await staff.PutAsJsonAsync($"/api/appointments/{first.Id}", new { date = Iso(otherDate) }), HttpStatusCode.Conflict, ErrorCodes.Conflict);
        var moved = await ReadAsync<AppointmentDto>(await (await As(Roles.Admin)).PutAsJsonAsync($"/api/appointments/{first.Id}", new { date = Iso(otherDate), allowOverlap = true }));
        Assert.That((moved.Date, moved.Time), Is.EqualTo((otherDate, "09:00")));

        // It now overlaps `elsewhere`; its notes can still be edited, and cleared.
        var noted = await ReadAsync<AppointmentDto>(await staff.PutAsJsonAsync($"/api/appointments/{first.Id}", new { notes = "Bring X-rays" }));
        Assert.That(noted.Notes, Is.EqualTo("Bring X-rays"));
        Assert.That(noted.UpdatedAt, Is.GreaterThanOrEqualTo(moved.UpdatedAt));
        var cleared = await ReadAsync<AppointmentDto>(await staff.PutAsJsonAsync($"/api/appointments/{first.Id}", new { notes = "" }));
        Assert.That(cleared.Notes, Is.Null);
        Assert.That(elsewhere.Id, Is.Not.EqualTo(first.Id));

        var bad = await staff.PutAsJsonAsync($"/api/appointments/{first.Id}", new { date = "2025-02-29", time = "7:00" });
        await AssertErrorAsync(bad, HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "date", "time");
    }

    [Test]
    public async Task An_appointment_ends_by_midnight_of_its_date()
    {
        var staff = await As(Roles.Staff);
        var patient = await CreatePatientAsync();
        var hour = await CreateTypeAsync(duration: 60);
        var date = FreshDate();
        await AssertErrorAsync(await BookAsync(staff, patient, hour.Id, date, "23:01"), HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "time");
        var last = await BookOkAsync(patient, hour.Id, date, "23:00");
        var day = await ReadAsync<List<DayAppointmentDto>>(await staff.GetAsync($"/api/appointments/by-date/{Iso(date)}"));
        Assert.That((day.Single().Time, day.Single().EndTime), Is.EqualTo(("23:00", "24:00")));

        await AssertErrorAsync(await staff.PutAsJsonAsync($"/api/appointments/{last.Id}", new { time = "23:30" }),
            HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "time");
        // Also for a cancelled one: it could be brought back later.
        await AssertErrorAsync(await staff.PutAsJsonAsync($"/api/appointments/{last.Id}", new { time = "23:30", status = "cancelled" }),
            HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "time");

        // A type lengthened after booking: the day still ends at midnight ("24:00", not "25:00").
        var admin = await As(Roles.Admin);
        Assert.That((await admin.PutAsJsonAsync($"/api/appointment-types/{hour.Id}", new UpdateAppointmentType(null, null, 120, null))).StatusCode,
            Is.EqualTo(HttpStatusCode.OK));
        day = await ReadAsync<List<DayAppointmentDto>>(await staff.GetAsync($"/api/appointments/by-date/{Iso(date)}"));
        Assert.That((day.Single().Time, day.Single().EndTime, day.Single().AppointmentTypeDuration), Is.EqualTo(("23:00", "24:00", 120)));
    }

    // An admin erases a patient while the front desk books them: the booking is refused (400) or gets in and is
    // erased with the patient; never a 500, never an appointment left behind.
    [Test]
    public async Task A_booking_racing_the_purge_of_its_patient_is_refused_or_erased_with_it()
    {
        var admin = await As(Roles.Admin);
        var staff = await As(Roles.Staff);
        var type = await CreateTypeAsync(duration: 30);
        for (var round = 0; round < 3; round++)
        {
            var patients = new List<Guid>();
            for (var i = 0; i < 8; i++) patients.Add(await CreatePatientAsync());
            var date = FreshDate();
            var races = patients.Select(async (patient, i) =>
            {
                var booking = BookAsync(staff, patient, type.Id, date, $"{8 + i:00}:00");
                var purge = admin.DeleteAsync($"/api/patients/{patient}?purge=true");
                Assert.That((await purge).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
                return await booking;
            });
            foreach (var response in await Task.WhenAll(races))
                Assert.That(response.StatusCode, Is.AnyOf(HttpStatusCode.Created, HttpStatusCode.BadRequest),
                    $"round {round}: {await response.Content.ReadAsStringAsync()}");
            await using var connection = await OpenAsync();
            await using var count = connection.CreateCommand();
            count.CommandText = $"SELECT count(*) FROM appointments WHERE patient_id IN ({string.Join(", ", patients.Select(p => $"'{Id(p)}'"))})";
            Assert.That(Convert.ToInt64(await count.ExecuteScalarAsync()), Is.Zero, $"round {round}: a booking that got in is erased with its patient");
        }
    }

    [Test]
    public async Task Two_concurrent_overlapping_bookings_cannot_both_succeed()
    {
        var patient = await CreatePatientAsync();
        var type = await CreateTypeAsync(duration: 45);
        var clients = new[] { await As(Roles.Staff), await As(Roles.Dentist), await As(Roles.Admin) };
        for (var round = 0; round < 5; round++)
        {
            var date = FreshDate();
            var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
                BookAsync(clients[i % clients.Length], patient, type.Id, date, i % 2 == 0 ? "10:00" : "10:30")));
            Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.Created), Is.EqualTo(1),
                string.Join(", ", responses.Select(r => (int)r.StatusCode)));
            foreach (var r in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
                await AssertErrorAsync(r, HttpStatusCode.Conflict, ErrorCodes.Conflict);
            var day = await ReadAsync<List<DayAppointmentDto>>(await clients[0].GetAsync($"/api/appointments/by-date/{Iso(date)}"));
            Assert.That(day, Has.Count.EqualTo(1));
        }
    }

    [Test]
    public async Task Cancel_keeps_the_appointment_on_record_with_its_reason()
    {
        var staff = await As(Roles.Staff);
        var appointment = await BookOkAsync(await CreatePatientAsync(), (await CreateTypeAsync()).Id, FreshDate(), "16:00");
        var cancelled = await ReadAsync<AppointmentDto>(await staff.PostAsJsonAsync($"/api/appointments/{appointment.Id}/cancel", new CancelAppointment("Patient phoned")));
        Assert.That((cancelled.Status, cancelled.CancelReason), Is.EqualTo(("cancelled", "Patient phoned")));
        // Cancelling again is harmless.
        await ReadAsync<AppointmentDto>(await staff.PostAsJsonAsync($"/api/appointments/{appointment.Id}/cancel", new CancelAppointment("Patient phoned")));
        var kept = await ReadAsync<AppointmentDto>(await staff.GetAsync($"/api/appointments/{appointment.Id}"));
        Assert.That(kept.Status, Is.EqualTo("cancelled"));
        var day = await ReadAsync<List<DayAppointmentDto>>(await staff.GetAsync($"/api/appointments/by-date/{Iso(appointment.Date)}"));
        Assert.That(day.Single() is var d && (d.Status, d.CancelReason) == ("cancelled", "Patient phoned"));
        await AssertErrorAsync(await staff.PostAsJsonAsync($"/api/appointments/{Guid.NewGuid()}/cancel", new CancelAppointment(null)),
            HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }

    [Test]
    public async Task By_date_lists_one_day_by_time_with_patient_and_type_details()
    {
        var staff = await As(Roles.Staff);
        var ada = await CreatePatientAsync("Ada", "Lovelace");
        var alan = await CreatePatientAsync("Alan", "Turing");
        var long_ = await CreateTypeAsync(duration: 90, color: "#AA0000");
        var short_ = await CreateTypeAsync(duration: 15, color: "#00BB00");
        var date = FreshDate();
        var late = await BookOkAsync(alan, short_.Id, date, "15:45");
        var early = await BookOkAsync(ada, long_.Id, date, "08:30");
        await BookOkAsync(ada, long_.Id, FreshDate(), "08:30");

        var response = await staff.GetAsync($"/api/appointments/by-date/{Iso(date)}");
        var day = await ReadAsync<List<DayAppointmentDto>>(response);
        Assert.That(day.Select(a => a.Id), Is.EqualTo(new[] { early.Id, late.Id }));
        var first = day[0];
        Assert.That((first.PatientFirstName, first.PatientLastName, first.PatientName), Is.EqualTo(("Ada", "Lovelace", "Ada Lovelace")));
        Assert.That((first.AppointmentTypeName, first.AppointmentTypeColor, first.AppointmentTypeDuration), Is.EqualTo((long_.Name, "#AA0000", 90)));
        Assert.That((first.Time, first.EndTime, first.Status, first.Date), Is.EqualTo(("08:30", "10:00", "pending", date)));
        Assert.That(day[1].PatientName, Is.EqualTo("Alan Turing"));

        var (_, fields) = await ReadObjectAsync(await staff.GetAsync($"/api/appointments/{early.Id}"), HttpStatusCode.OK);
        Assert.That(fields, Is.SupersetOf(new[] { "id", "patientId", "appointmentTypeId", "date", "time", "status", "notes", "createdAt", "updatedAt" }));

        Assert.That(await ReadAsync<List<DayAppointmentDto>>(await staff.GetAsync($"/api/appointments/by-date/{Iso(FreshDate())}")), Is.Empty);
        await AssertErrorAsync(await staff.GetAsync("/api/appointments/by-date/2025-12-32"), HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "date");
        await AssertErrorAsync(await staff.GetAsync("/api/appointments/by-date/tomorrow"), HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "date");
    }

    [Test]
    public async Task The_list_is_ordered_filtered_and_paged_without_gaps()
    {
        var staff = await As(Roles.Dentist);
        var patient = await CreatePatientAsync();
        var other = await CreatePatientAsync();
        var type = await CreateTypeAsync(duration: 10);
        var day1 = FreshDays(3);
        var day2 = day1.AddDays(1);
        var day3 = day1.AddDays(2);
        var booked = new List<AppointmentDto>();
        foreach (var (date, time) in new[] { (day2, "09:00"), (day1, "11:00"), (day1, "09:00"), (day3, "08:00"), (day2, "08:00") })
            booked.Add(await ReadAsync<AppointmentDto>(await BookAsync(staff, patient, type.Id, date, time, allowOverlap: true), HttpStatusCode.Created));
        // Two at the same minute: the id decides.
        booked.Add(await ReadAsync<AppointmentDto>(await BookAsync(staff, patient, type.Id, day1, "09:00", allowOverlap: true), HttpStatusCode.Created));
        var cancelled = await ReadAsync<AppointmentDto>(await BookAsync(staff, patient, type.Id, day2, "12:00", status: "cancelled"), HttpStatusCode.Created);
        await ReadAsync<AppointmentDto>(await BookAsync(staff, other, type.Id, day2, "13:00", allowOverlap: true), HttpStatusCode.Created);

        var expected = booked.Append(cancelled)
            .OrderBy(a => a.Date).ThenBy(a => a.Time, StringComparer.Ordinal).ThenBy(a => a.Id.ToString(), StringComparer.Ordinal)
            .Select(a => a.Id).ToList();

        var seen = new List<Guid>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var url = $"/api/appointments?patientId={patient}&from={Iso(day1)}&to={Iso(day3)}&limit=1" + (cursor is null ? "" : "&cursor=" + cursor);
            var page = await ReadAsync<PagedResult<AppointmentDto>>(await staff.GetAsync(url));
            Assert.That(page.Data, Has.Count.EqualTo(1));
            Assert.That(page.Pagination.HasMore, Is.EqualTo(page.Pagination.NextCursor is not null));
            seen.AddRange(page.Data.Select(a => a.Id));
            cursor = page.Pagination.NextCursor;
            pages++;
        } while (cursor is not null);
        Assert.That(seen, Is.EqualTo(expected));
        Assert.That(pages, Is.EqualTo(7), "one page per appointment, so that a page boundary falls between the two at the same minute");

        var onlyDay2 = await ReadAsync<PagedResult<AppointmentDto>>(await staff.GetAsync($"/api/appointments?from={Iso(day2)}&to={Iso(day2)}&patientId={patient}"));
        Assert.That(onlyDay2.Data.Select(a => a.Time), Is.EqualTo(new[] { "08:00", "09:00", "12:00" }));
        var onlyCancelled = await ReadAsync<PagedResult<AppointmentDto>>(await staff.GetAsync($"/api/appointments?from={Iso(day1)}&to={Iso(day3)}&status=cancelled"));
        Assert.That(onlyCancelled.Data.Select(a => a.Id), Is.EqualTo(new[] { cancelled.Id }));
        var byOther = await ReadAsync<PagedResult<AppointmentDto>>(await staff.GetAsync($"/api/appointments?patientId={other}"));
        Assert.That(byOther.Data.Select(a => a.Time), Is.EqualTo(new[] { "13:00" }));
        var unfiltered = await ReadAsync<PagedResult<AppointmentDto>>(await staff.GetAsync("/api/appointments"));
        Assert.That(unfiltered.Pagination.Limit, Is.EqualTo(20));
    }

    [Test]
    public async Task Bad_filters_and_cursors_are_400()
    {
        var staff = await As(Roles.Staff);
        await AssertErrorAsync(await staff.GetAsync("/api/appointments?from=2025-1-1&status=late"), HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "from", "status");
        await AssertErrorAsync(await staff.GetAsync("/api/appointments?to=yesterday"), HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "to");
        await AssertErrorAsync(await staff.GetAsync("/api/appointments?from=2031-02-02&to=2031-02-01"), HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "to");
        Assert.That((await staff.GetAsync("/api/appointments?from=2031-02-02&to=2031-02-02")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await AssertErrorAsync(await staff.GetAsync("/api/appointments?limit=0"), HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "limit");
        await AssertErrorAsync(await staff.GetAsync("/api/appointments?cursor=abc"), HttpStatusCode.BadRequest, ErrorCodes.BadRequest);

        var patient = await CreatePatientAsync();
        var type = await CreateTypeAsync();
        var date = FreshDate();
        await BookOkAsync(patient, type.Id, date, "08:00");
        await BookOkAsync(patient, type.Id, date, "09:00");
        var page = await ReadAsync<PagedResult<AppointmentDto>>(await staff.GetAsync($"/api/appointments?patientId={patient}&limit=1"));
        var cursor = page.Pagination.NextCursor!;
        var tampered = (cursor[0] == 'A' ? 'B' : 'A') + cursor[1..];
        await AssertErrorAsync(await staff.GetAsync("/api/appointments?cursor=" + tampered), HttpStatusCode.BadRequest, ErrorCodes.BadRequest);
    }

    [Test]
    public async Task Unknown_and_malformed_ids_are_404()
    {
        var staff = await As(Roles.Staff);
        var id = Guid.NewGuid();
        await AssertErrorAsync(await staff.GetAsync($"/api/appointments/{id}"), HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await AssertErrorAsync(await staff.GetAsync("/api/appointments/not-a-uuid"), HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await AssertErrorAsync(await staff.PutAsJsonAsync($"/api/appointments/{id}", new { time = "10:00" }), HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await AssertErrorAsync(await staff.PutAsJsonAsync($"/api/appointments/{id}", new { date = "2031-01-01" }), HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await AssertErrorAsync(await staff.DeleteAsync($"/api/appointments/{id}"), HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await AssertErrorAsync(await Anonymous().GetAsync("/api/appointments"), HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
    }
}
