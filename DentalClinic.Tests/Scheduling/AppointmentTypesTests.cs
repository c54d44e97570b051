using System.Net;
using System.Net.Http.Json;
using DentalClinic.ServiceModel;

namespace DentalClinic.Tests.Scheduling;

public sealed class AppointmentTypesTests(string provider) : SchedulingTest(provider)
{
    [Test]
    public async Task Dentist_creates_a_type_with_location_and_reads_it_back()
    {
        var dentist = await As(Roles.Dentist);
        var name = UniqueName("Root canal");
        var response = await dentist.PostAsJsonAsync("/api/appointment-types", new { name = "  " + name + " ", price = 250.5m, duration = 90, color = "#FF8800" });
        var (json, fields) = await ReadObjectAsync(response, HttpStatusCode.Created);
        Assert.That(fields, Is.SupersetOf(new[] { "id", "name", "price", "duration", "color", "archived", "createdAt", "updatedAt" }));
        Assert.That(json.GetProperty("price").GetDecimal(), Is.EqualTo(250.5m));

        var created = await ReadAsync<AppointmentTypeDto>(await dentist.GetAsync(response.Headers.Location));
        Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"/api/appointment-types/{created.Id}"));
        Assert.That(created.Name, Is.EqualTo(name), "the name is stored trimmed");
        Assert.That((created.Price, created.Duration, created.Color, created.Archived), Is.EqualTo((250.5m, 90, "#FF8800", false)));

        var list = await ReadAsync<List<AppointmentTypeDto>>(await (await As(Roles.Staff)).GetAsync("/api/appointment-types"));
        Assert.That(list.Select(t => t.Id), Does.Contain(created.Id));
    }

    [Test]
    public async Task Every_invalid_field_is_reported()
    {
        var admin = await As(Roles.Admin);
        var response = await admin.PostAsJsonAsync("/api/appointment-types", new CreateAppointmentType("  ", -1m, 4, "red"));
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "name", "price", "duration", "color");
        var missing = await admin.PostAsJsonAsync("/api/appointment-types", new { });
        await AssertErrorAsync(missing, HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "name", "price", "duration", "color");
    }

    [TestCase(0, 5, "#000000", true)]
    [TestCase(1_000_000, 480, "#abcdef", true)]
    [TestCase(19.99, 30, "#ABCDEF", true)]
    [TestCase(1_000_000.01, 30, "#000000", false)]
    [TestCase(10.123, 30, "#000000", false)]
    [TestCase(-0.01, 30, "#000000", false)]
    [TestCase(10, 481, "#000000", false)]
    [TestCase(10, 4, "#000000", false)]
    [TestCase(10, 30, "#12345", false)]
    [TestCase(10, 30, "#1234567", false)]
    [TestCase(10, 30, "123456", false)]
    [TestCase(10, 30, "#GG0000", false)]
    public async Task Price_duration_and_colour_are_bounded(decimal price, int duration, string color, bool valid)
    {
        var response = await (await As(Roles.Admin)).PostAsJsonAsync("/api/appointment-types", new CreateAppointmentType(UniqueName(), price, duration, color));
        if (valid)
        {
            var type = await ReadAsync<AppointmentTypeDto>(response, HttpStatusCode.Created);
            Assert.That(type.Price, Is.EqualTo(price));
            return;
        }
        var field = price is < 0 or > 1_000_000 || decimal.Round(price, 2) != price ? "price" : duration is < 5 or > 480 ? "duration" : "color";
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.ValidationError, field);
    }

    [Test]
    public async Task A_name_longer_than_100_characters_is_refused()
    {
        var response = await (await As(Roles.Admin)).PostAsJsonAsync("/api/appointment-types", new CreateAppointmentType(new string('x', 101), 1m, 30, "#000000"));
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "name");
    }

    [Test]
    public async Task Names_are_unique_among_active_types_regardless_of_case()
    {
        var admin = await As(Roles.Admin);
        var first = await CreateTypeAsync(name: UniqueName("Cleaning"));
        var twin = await admin.PostAsJsonAsync("/api/appointment-types", new CreateAppointmentType(" " + first.Name.ToUpperInvariant() + " ", 10m, 30, "#000000"));
        await AssertErrorAsync(twin, HttpStatusCode.Conflict, ErrorCodes.Conflict, "name");

        var other = await CreateTypeAsync();
        await AssertErrorAsync(await admin.PutAsJsonAsync($"/api/appointment-types/{other.Id}", new UpdateAppointmentType(first.Name.ToLowerInvariant(), null, null, null)),
            HttpStatusCode.Conflict, ErrorCodes.Conflict, "name");

        // Renaming a type to its own name in another case is fine.
        var renamed = await ReadAsync<AppointmentTypeDto>(await admin.PutAsJsonAsync($"/api/appointment-types/{first.Id}", new UpdateAppointmentType(first.Name.ToUpperInvariant(), null, null, null)));
        Assert.That(renamed.Name, Is.EqualTo(first.Name.ToUpperInvariant()));

        // Once archived, the name is free again; restoring the old one then conflicts.
        Assert.That((await admin.DeleteAsync($"/api/appointment-types/{first.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        var successor = await ReadAsync<AppointmentTypeDto>(await admin.PostAsJsonAsync("/api/appointment-types", new CreateAppointmentType(first.Name, 10m, 30, "#000000")), HttpStatusCode.Created);
        await AssertErrorAsync(await admin.PostAsync($"/api/appointment-types/{first.Id}/restore", null), HttpStatusCode.Conflict, ErrorCodes.Conflict, "name");

        Assert.That((await admin.DeleteAsync($"/api/appointment-types/{successor.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        var restored = await ReadAsync<AppointmentTypeDto>(await admin.PostAsync($"/api/appointment-types/{first.Id}/restore", null));
        Assert.That(restored.Archived, Is.False);
    }

    [Test]
    public async Task Concurrent_creations_with_one_name_give_exactly_one_type()
    {
        var admin = await As(Roles.Admin);
        var name = UniqueName("Race");
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            admin.PostAsJsonAsync("/api/appointment-types", new CreateAppointmentType(i % 2 == 0 ? name : name.ToUpperInvariant(), 10m, 30, "#000000"))));
        Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.Created), Is.EqualTo(1));
        foreach (var r in responses.Where(r => r.StatusCode != HttpStatusCode.Created))
            await AssertErrorAsync(r, HttpStatusCode.Conflict, ErrorCodes.Conflict, "name");
    }

    [Test]
    public async Task Update_changes_only_the_fields_sent()
    {
        var admin = await As(Roles.Admin);
        var type = await CreateTypeAsync(duration: 45, price: 80m, color: "#112233");
        var updated = await ReadAsync<AppointmentTypeDto>(await admin.PutAsJsonAsync($"/api/appointment-types/{type.Id}", new { price = 95.25m }));
        Assert.That((updated.Name, updated.Price, updated.Duration, updated.Color), Is.EqualTo((type.Name, 95.25m, 45, "#112233")));
        Assert.That(updated.UpdatedAt, Is.GreaterThanOrEqualTo(type.UpdatedAt));
        Assert.That(updated.CreatedAt, Is.EqualTo(type.CreatedAt));

        await AssertErrorAsync(await admin.PutAsJsonAsync($"/api/appointment-types/{type.Id}", new UpdateAppointmentType("", 10.001m, 500, "blue")),
            HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "name", "price", "duration", "color");
    }

    [Test]
    public async Task Archiving_hides_a_type_and_stops_bookings_but_keeps_it_for_old_records()
    {
        var admin = await As(Roles.Admin);
        var type = await CreateTypeAsync(duration: 30);
        var patient = await CreatePatientAsync("Grace", "Hopper");
        var date = FreshDate();
        var appointment = await BookOkAsync(patient, type.Id, date, "09:00");

        Assert.That((await admin.DeleteAsync($"/api/appointment-types/{type.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await admin.DeleteAsync($"/api/appointment-types/{type.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent), "archiving twice is harmless");

        var list = await ReadAsync<List<AppointmentTypeDto>>(await admin.GetAsync("/api/appointment-types"));
        Assert.That(list.Select(t => t.Id), Does.Not.Contain(type.Id));
        var archivedList = await ReadAsync<List<AppointmentTypeDto>>(await admin.GetAsync("/api/appointment-types?archived=true"));
        Assert.That(archivedList.Select(t => t.Id), Does.Contain(type.Id));
        Assert.That(archivedList.All(t => t.Archived), Is.True);
        var archived = await ReadAsync<AppointmentTypeDto>(await (await As(Roles.Staff)).GetAsync($"/api/appointment-types/{type.Id}"));
        Assert.That(archived.Archived, Is.True);

        await AssertErrorAsync(await BookAsync(admin, patient, type.Id, FreshDate(), "10:00"), HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "appointmentTypeId");
        await AssertErrorAsync(await admin.PutAsJsonAsync($"/api/appointment-types/{type.Id}", new UpdateAppointmentType(null, 1m, null, null)),
            HttpStatusCode.Conflict, ErrorCodes.Conflict);

        var day = await ReadAsync<List<DayAppointmentDto>>(await admin.GetAsync($"/api/appointments/by-date/{Iso(date)}"));
        Assert.That(day.Single().AppointmentTypeName, Is.EqualTo(type.Name));
        var kept = await ReadAsync<AppointmentDto>(await admin.GetAsync($"/api/appointments/{appointment.Id}"));
        Assert.That(kept.AppointmentTypeId, Is.EqualTo(type.Id));
        // An appointment that already has the type can still be moved.
        var moved = await admin.PutAsJsonAsync($"/api/appointments/{appointment.Id}", new { time = "11:00" });
        Assert.That(moved.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Staff_reads_types_but_cannot_write_them()
    {
        var staff = await As(Roles.Staff);
        var type = await CreateTypeAsync();
        Assert.That((await staff.GetAsync("/api/appointment-types")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await staff.GetAsync($"/api/appointment-types/{type.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await AssertErrorAsync(await staff.PostAsJsonAsync("/api/appointment-types", new CreateAppointmentType(UniqueName(), 1m, 30, "#000000")),
            HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        await AssertErrorAsync(await staff.PutAsJsonAsync($"/api/appointment-types/{type.Id}", new UpdateAppointmentType(null, 2m, null, null)),
            HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        await AssertErrorAsync(await staff.DeleteAsync($"/api/appointment-types/{type.Id}"), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        await AssertErrorAsync(await staff.PostAsync($"/api/appointment-types/{type.Id}/restore", null), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        await AssertErrorAsync(await staff.GetAsync("/api/appointment-types?archived=true"), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        await AssertErrorAsync(await Anonymous().GetAsync("/api/appointment-types"), HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
        Assert.That((await ReadAsync<AppointmentTypeDto>(await staff.GetAsync($"/api/appointment-types/{type.Id}"))).Price, Is.EqualTo(type.Price));
    }

    [Test]
    public async Task Unknown_and_malformed_ids_are_404()
    {
        var admin = await As(Roles.Admin);
        var id = Guid.NewGuid();
        await AssertErrorAsync(await admin.GetAsync($"/api/appointment-types/{id}"), HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await AssertErrorAsync(await admin.GetAsync("/api/appointment-types/not-a-uuid"), HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await AssertErrorAsync(await admin.PutAsJsonAsync($"/api/appointment-types/{id}", new UpdateAppointmentType("X", null, null, null)), HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await AssertErrorAsync(await admin.DeleteAsync($"/api/appointment-types/{id}"), HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await AssertErrorAsync(await admin.PostAsync($"/api/appointment-types/{id}/restore", null), HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }
}
