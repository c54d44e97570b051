using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DentalClinic.ServiceModel;
using DentalClinic.Tests.Support;

namespace DentalClinic.Tests.Scheduling;

/// <summary>Statuses and their moves, cancelling with a reason, deleting an appointment entered in error, the multi-day calendar.</summary>
public sealed class AppointmentLifecycleTests(string provider) : SchedulingTest(provider)
{
    [Test]
    public async Task An_appointment_goes_from_pending_to_arrived_to_completed_and_never_back()
    {
        var staff = await As(Roles.Staff);
        var type = await CreateTypeAsync();
        var past = FreshPastDate();
        var appointment = await BookOkAsync(await CreatePatientAsync(), type.Id, past, "09:00");
        Assert.That(appointment.Status, Is.EqualTo("pending"));
        foreach (var status in new[] { "confirmed", "arrived", "completed" })
            Assert.That((await ReadAsync<AppointmentDto>(await staff.PutAsJsonAsync($"/api/appointments/{appointment.Id}", new { status }))).Status, Is.EqualTo(status));
        foreach (var status in new[] { "pending", "confirmed", "arrived", "cancelled", "no-show" })
            await AssertErrorAsync(await staff.PutAsJsonAsync($"/api/appointments/{appointment.Id}", new { status }), HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "status");
        await AssertErrorAsync(await staff.PostAsJsonAsync($"/api/appointments/{appointment.Id}/cancel", new CancelAppointment("late")),
            HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "status");
        await AssertErrorAsync(await staff.PutAsJsonAsync($"/api/appointments/{appointment.Id}", new { status = "done" }),
            HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "status");
    }

    [Test]
    public async Task Arrived_completed_and_no_show_only_on_or_after_the_date()
    {
        var staff = await As(Roles.Staff);
        var type = await CreateTypeAsync();
        var future = await BookOkAsync(await CreatePatientAsync(), type.Id, FreshDate(), "09:00");
        foreach (var status in new[] { "arrived", "completed", "no-show" })
            await AssertErrorAsync(await staff.PutAsJsonAsync($"/api/appointments/{future.Id}", new { status }), HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "status");
        await AssertErrorAsync(await BookAsync(staff, await CreatePatientAsync(), type.Id, FreshDate(), "09:00", status: "completed"),
            HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "status");

        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        // Today (clinic time: UTC here) is allowed.
        var now = await BookOkAsync(await CreatePatientAsync(), (await CreateTypeAsync(duration: 5)).Id, today, "00:00", allowOverlap: true);
        Assert.That((await ReadAsync<AppointmentDto>(await staff.PutAsJsonAsync($"/api/appointments/{now.Id}", new { status = "arrived" }))).Status, Is.EqualTo("arrived"));
        Assert.That((await staff.DeleteAsync($"/api/appointments/{now.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
    }

    [Test]
    public async Task A_no_show_frees_its_time_and_can_be_booked_again_only_if_still_free()
    {
        var staff = await As(Roles.Staff);
        var type = await CreateTypeAsync(duration: 60);
        var past = FreshPastDate();
        var missed = await BookOkAsync(await CreatePatientAsync(), type.Id, past, "09:00");
        Assert.That((await ReadAsync<AppointmentDto>(await staff.PutAsJsonAsync($"/api/appointments/{missed.Id}", new { status = "no-show" }))).Status, Is.EqualTo("no-show"));
        var other = await BookOkAsync(await CreatePatientAsync(), type.Id, past, "09:30");
        var error = await AssertErrorAsync(await staff.PutAsJsonAsync($"/api/appointments/{missed.Id}", new { status = "arrived" }), HttpStatusCode.Conflict, ErrorCodes.Conflict, "rule");
        Assert.That(error.Message, Does.Contain(other.Id.ToString()));
    }

    [Test]
    public async Task Delete_removes_an_appointment_entered_in_error_keeping_its_before_image_in_the_audit_log()
    {
        var staff = await As(Roles.Staff);
        var type = await CreateTypeAsync(duration: 60);
        var date = FreshDate();
        var patient = await CreatePatientAsync();
        var wrong = await ReadAsync<AppointmentDto>(await BookAsync(staff, patient, type.Id, date, "10:00", notes: "entered in error"), HttpStatusCode.Created);
        Assert.That((await ReadAsync<List<DayAppointmentDto>>(await staff.GetAsync($"/api/appointments/by-date/{Iso(date)}"))).Select(a => a.Id), Is.EqualTo(new[] { wrong.Id }));

        Assert.That((await staff.DeleteAsync($"/api/appointments/{wrong.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await AssertErrorAsync(await staff.GetAsync($"/api/appointments/{wrong.Id}"), HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await AssertErrorAsync(await staff.DeleteAsync($"/api/appointments/{wrong.Id}"), HttpStatusCode.NotFound, ErrorCodes.NotFound);
        Assert.That(await ReadAsync<List<DayAppointmentDto>>(await staff.GetAsync($"/api/appointments/by-date/{Iso(date)}")), Is.Empty);
        Assert.That(await ReadAsync<List<DayAppointmentDto>>(await staff.GetAsync($"/api/appointments/calendar?from={Iso(date)}&to={Iso(date)}")), Is.Empty);
        Assert.That((await ReadAsync<PagedResult<AppointmentDto>>(await staff.GetAsync($"/api/appointments?patientId={patient}"))).Data, Is.Empty);
        // Its time is free.
        await BookOkAsync(await CreatePatientAsync(), type.Id, date, "10:00");

        var audit = await ReadAsync<PagedResult<AuditEntryDto>>(await (await As(Roles.Admin)).GetAsync($"/api/admin/audit?table=appointments&entityId={wrong.Id}"));
        var deleted = audit.Data.Single(e => e.Action == "delete");
        Assert.That(deleted.Before?.GetProperty("notes").GetString(), Is.EqualTo("entered in error"));
        Assert.That(deleted.After, Is.Null);
    }

    [Test]
    public async Task The_calendar_returns_the_by_date_items_of_every_day_in_order_and_follows_changes()
    {
        var staff = await As(Roles.Staff);
        var type = await CreateTypeAsync(duration: 30);
        var first = FreshDays(4);
        var booked = new List<AppointmentDto>();
        foreach (var (day, time) in new[] { (2, "09:00"), (0, "11:00"), (0, "08:00"), (3, "10:00") })
            booked.Add(await BookOkAsync(await CreatePatientAsync(), type.Id, first.AddDays(day), time));

        var calendar = await ReadAsync<List<DayAppointmentDto>>(await staff.GetAsync($"/api/appointments/calendar?from={Iso(first)}&to={Iso(first.AddDays(3))}"));
        var byDate = new List<DayAppointmentDto>();
        for (var d = 0; d < 4; d++)
            byDate.AddRange(await ReadAsync<List<DayAppointmentDto>>(await staff.GetAsync($"/api/appointments/by-date/{Iso(first.AddDays(d))}")));
        Assert.That(JsonSerializer.Serialize(calendar), Is.EqualTo(JsonSerializer.Serialize(byDate)));
        Assert.That(calendar.Select(a => (a.Date, a.Time)), Is.EqualTo(new[] { (first, "08:00"), (first, "11:00"), (first.AddDays(2), "09:00"), (first.AddDays(3), "10:00") }));

        // A change shows at once (the days are cached under their stamps).
        await ReadAsync<AppointmentDto>(await staff.PutAsJsonAsync($"/api/appointments/{booked[0].Id}", new { date = Iso(first.AddDays(1)), time = "07:00" }));
        calendar = await ReadAsync<List<DayAppointmentDto>>(await staff.GetAsync($"/api/appointments/calendar?from={Iso(first)}&to={Iso(first.AddDays(3))}"));
        Assert.That(calendar.Select(a => (a.Date, a.Time)), Is.EqualTo(new[] { (first, "08:00"), (first, "11:00"), (first.AddDays(1), "07:00"), (first.AddDays(3), "10:00") }));

        await AssertErrorAsync(await staff.GetAsync($"/api/appointments/calendar?from={Iso(first)}&to={Iso(first.AddDays(31))}"), HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "to");
        await AssertErrorAsync(await staff.GetAsync($"/api/appointments/calendar?from={Iso(first)}"), HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "to");
        Assert.That(await ReadAsync<List<DayAppointmentDto>>(await staff.GetAsync($"/api/appointments/calendar?from={Iso(first)}&to={Iso(first.AddDays(30))}&dentistId={Guid.NewGuid()}")), Is.Empty);
    }
}
