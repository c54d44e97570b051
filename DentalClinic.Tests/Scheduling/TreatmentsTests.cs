using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceModel;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DentalClinic.Tests.Scheduling;

public sealed class TreatmentsTests(string provider) : SchedulingTest(provider)
{
    private async Task<(Guid Patient, Guid Type)> PatientAndTypeAsync() => (await CreatePatientAsync(), (await CreateTypeAsync()).Id);

    private async Task<HttpResponseMessage> RecordAsync(HttpClient client, Guid patient, Guid type, decimal total, decimal paid,
        decimal? discount = null, string date = "2031-05-01", int tooth = 14) =>
        await client.PostAsJsonAsync("/api/treatments", new CreateTreatment(patient, tooth, type, total, paid, discount, date, null));

    private async Task<TreatmentDto> RecordOkAsync(Guid patient, Guid type, decimal total = 100m, decimal paid = 0m, string date = "2031-05-01") =>
        await ReadAsync<TreatmentDto>(await RecordAsync(await As(Roles.Dentist), patient, type, total, paid, date: date), HttpStatusCode.Created);

    [Test]
    public async Task The_specification_example_gives_exactly_its_fields_and_a_balance()
    {
        var (patient, type) = await PatientAndTypeAsync();
        var dentist = await As(Roles.Dentist);
        var body = $$"""
            {"patientId":"{{patient}}","toothNumber":14,"appointmentTypeId":"{{type}}","totalPrice":800,"amountPaid":400,"discount":50,"date":"2025-12-20"}
            """;
        var response = await dentist.PostAsync("/api/treatments", new StringContent(body, Encoding.UTF8, "application/json"));
        var (json, fields) = await ReadObjectAsync(response, HttpStatusCode.Created);
        Assert.That(fields, Is.SupersetOf(new[] { "id", "patientId", "toothNumber", "appointmentTypeId", "totalPrice", "amountPaid", "discount", "date", "notes", "createdAt", "updatedAt" }));
        Assert.That(json.GetProperty("patientId").GetString(), Is.EqualTo(patient.ToString()));
        Assert.That(json.GetProperty("appointmentTypeId").GetString(), Is.EqualTo(type.ToString()));
        Assert.That(json.GetProperty("toothNumber").GetInt32(), Is.EqualTo(14));
        Assert.That(json.GetProperty("totalPrice").GetDecimal(), Is.EqualTo(800m));
        Assert.That(json.GetProperty("amountPaid").GetDecimal(), Is.EqualTo(400m));
        Assert.That(json.GetProperty("discount").GetDecimal(), Is.EqualTo(50m));
        Assert.That(json.GetProperty("balance").GetDecimal(), Is.EqualTo(350m));
        Assert.That(json.GetProperty("date").GetString(), Is.EqualTo("2025-12-20"));
        Assert.That(json.GetProperty("notes").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(json.GetProperty("createdAt").GetString(), Does.EndWith("Z"));

        var id = json.GetProperty("id").GetGuid();
        Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"/api/treatments/{id}"));
        var read = await ReadAsync<TreatmentDto>(await (await As(Roles.Staff)).GetAsync($"/api/treatments/{id}"));
        Assert.That((read.TotalPrice, read.AmountPaid, read.Discount, read.Balance, read.Date), Is.EqualTo((800m, 400m, 50m, 350m, new DateOnly(2025, 12, 20))));
    }

    [Test]
    public async Task Money_is_exact_paying_point_one_and_point_two_against_point_three_leaves_nothing()
    {
        var (patient, type) = await PatientAndTypeAsync();
        var dentist = await As(Roles.Dentist);
        var first = await ReadAsync<TreatmentDto>(await RecordAsync(dentist, patient, type, 0.3m, 0.1m), HttpStatusCode.Created);
        Assert.That(first.Balance, Is.EqualTo(0.2m));

        // The second payment is added on the server's numbers: 0.1 + 0.2 as JSON number text.
        var paid = first.AmountPaid + 0.2m;
        var response = await dentist.PutAsync($"/api/treatments/{first.Id}",
            new StringContent($"{{\"amountPaid\": {paid.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}", Encoding.UTF8, "application/json"));
        var raw = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), raw);
        var balance = JsonDocument.Parse(raw).RootElement.GetProperty("balance");
        Assert.That(balance.GetDecimal(), Is.EqualTo(0m));
        Assert.That(balance.GetRawText(), Does.Match("^0(\\.0+)?$"), "no binary floating-point residue such as 5.551115123125783E-17");

        // Stored exactly as well, not as a float.
        using var scope = App.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var row = await db.Treatments.AsNoTracking().SingleAsync(t => t.Id == first.Id);
        Assert.That(row.TotalPrice - row.AmountPaid - row.Discount, Is.EqualTo(0m));
        Assert.That(row.AmountPaid, Is.EqualTo(0.3m));

        // And a cent more than owed is refused.
        await AssertErrorAsync(await dentist.PutAsJsonAsync($"/api/treatments/{first.Id}", new { amountPaid = 0.31m }),
            HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "amountPaid");
    }

    [Test]
    public async Task Every_invalid_field_is_reported()
    {
        var dentist = await As(Roles.Dentist);
        var missing = await dentist.PostAsJsonAsync("/api/treatments", new { notes = new string('n', 2001) });
        await AssertErrorAsync(missing, HttpStatusCode.BadRequest, ErrorCodes.ValidationError,
            "patientId", "toothNumber", "appointmentTypeId", "totalPrice", "date", "notes");
        var invalid = await dentist.PostAsJsonAsync("/api/treatments",
            new CreateTreatment(Guid.NewGuid(), 33, Guid.NewGuid(), -1m, 1.001m, 0.005m, "2025-12-20T10:00", null));
        await AssertErrorAsync(invalid, HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "toothNumber", "totalPrice", "amountPaid", "discount", "date");
    }

    [TestCase(0, false)]
    [TestCase(1, true)]
    [TestCase(32, true)]
    [TestCase(33, false)]
    [TestCase(-5, false)]
    public async Task Tooth_numbers_run_from_1_to_32(int tooth, bool valid)
    {
        var (patient, type) = await PatientAndTypeAsync();
        var response = await RecordAsync(await As(Roles.Dentist), patient, type, 10m, 0m, tooth: tooth);
        if (valid) Assert.That((await ReadAsync<TreatmentDto>(response, HttpStatusCode.Created)).ToothNumber, Is.EqualTo(tooth));
        else await AssertErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "toothNumber");
    }

    [TestCase(100, 0, 100, true)]
    [TestCase(100, 0, 100.01, false)]
    [TestCase(100, 40, 60, true)]
    [TestCase(100, 40, 60.01, false)]
    [TestCase(100, 100.01, 0, false)]
    [TestCase(0, 0, 0, true)]
    [TestCase(10000000, 0, 0, true)]
    [TestCase(10000000.01, 0, 0, false)]
    public async Task Discount_and_payment_never_exceed_the_price(decimal total, decimal discount, decimal paid, bool valid)
    {
        var (patient, type) = await PatientAndTypeAsync();
        var response = await RecordAsync(await As(Roles.Dentist), patient, type, total, paid, discount);
        if (valid)
        {
            var treatment = await ReadAsync<TreatmentDto>(response, HttpStatusCode.Created);
            Assert.That(treatment.Balance, Is.EqualTo(total - discount - paid));
            return;
        }
        var field = total > 10_000_000m ? "totalPrice" : discount > total ? "discount" : "amountPaid";
        var error = await AssertErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.ValidationError, field);
        Assert.That(error.Details, Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Discount_defaults_to_zero()
    {
        var (patient, type) = await PatientAndTypeAsync();
        var treatment = await ReadAsync<TreatmentDto>(await RecordAsync(await As(Roles.Admin), patient, type, 120m, 20m), HttpStatusCode.Created);
        Assert.That((treatment.Discount, treatment.Balance), Is.EqualTo((0m, 100m)));
    }

    [Test]
    public async Task Update_checks_the_amounts_as_they_end_up()
    {
        var (patient, type) = await PatientAndTypeAsync();
        var dentist = await As(Roles.Dentist);
        var treatment = await ReadAsync<TreatmentDto>(await RecordAsync(dentist, patient, type, 500m, 300m, 100m), HttpStatusCode.Created);

        await AssertErrorAsync(await dentist.PutAsJsonAsync($"/api/treatments/{treatment.Id}", new { discount = 250m }),
            HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "amountPaid");
        await AssertErrorAsync(await dentist.PutAsJsonAsync($"/api/treatments/{treatment.Id}", new { totalPrice = 50m }),
            HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "discount");
        await AssertErrorAsync(await dentist.PutAsJsonAsync($"/api/treatments/{treatment.Id}", new { toothNumber = 0, totalPrice = 1.234m, date = "soon" }),
            HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "toothNumber", "totalPrice", "date");

        var other = await CreateTypeAsync();
        var updated = await ReadAsync<TreatmentDto>(await dentist.PutAsJsonAsync($"/api/treatments/{treatment.Id}",
            new { amountPaid = 400m, notes = "Crown fitted", toothNumber = 3, appointmentTypeId = other.Id, date = "2031-06-02" }));
        Assert.That((updated.TotalPrice, updated.Discount, updated.AmountPaid, updated.Balance), Is.EqualTo((500m, 100m, 400m, 0m)));
        Assert.That((updated.Notes, updated.ToothNumber, updated.AppointmentTypeId, updated.Date), Is.EqualTo(("Crown fitted", 3, other.Id, new DateOnly(2031, 6, 2))));
        var cleared = await ReadAsync<TreatmentDto>(await dentist.PutAsJsonAsync($"/api/treatments/{treatment.Id}", new { notes = "" }));
        Assert.That(cleared.Notes, Is.Null);

        await AssertErrorAsync(await dentist.PutAsJsonAsync($"/api/treatments/{treatment.Id}", new { patientId = Guid.NewGuid() }),
            HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "patientId");
    }

    [Test]
    public async Task A_missing_or_archived_patient_or_type_is_400_on_that_field()
    {
        var dentist = await As(Roles.Dentist);
        var patient = await CreatePatientAsync();
        var archivedPatient = await CreatePatientAsync(archived: true);
        var type = await CreateTypeAsync();
        await AssertErrorAsync(await RecordAsync(dentist, Guid.NewGuid(), type.Id, 1m, 0m), HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "patientId");
        await AssertErrorAsync(await RecordAsync(dentist, archivedPatient, type.Id, 1m, 0m), HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "patientId");
        await AssertErrorAsync(await RecordAsync(dentist, patient, Guid.NewGuid(), 1m, 0m), HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "appointmentTypeId");

        var treatment = await RecordOkAsync(patient, type.Id);
        Assert.That((await dentist.DeleteAsync($"/api/appointment-types/{type.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await AssertErrorAsync(await RecordAsync(dentist, patient, type.Id, 1m, 0m), HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "appointmentTypeId");
        // The old treatment keeps its archived type and can still be paid.
        var paid = await ReadAsync<TreatmentDto>(await dentist.PutAsJsonAsync($"/api/treatments/{treatment.Id}", new { amountPaid = 100m, appointmentTypeId = type.Id }));
        Assert.That((paid.AppointmentTypeId, paid.Balance), Is.EqualTo((type.Id, 0m)));
    }

    [Test]
    public async Task Staff_reads_treatments_but_cannot_write_them()
    {
        var staff = await As(Roles.Staff);
        var (patient, type) = await PatientAndTypeAsync();
        var treatment = await RecordOkAsync(patient, type);
        await AssertErrorAsync(await RecordAsync(staff, patient, type, 1m, 0m), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        await AssertErrorAsync(await staff.PutAsJsonAsync($"/api/treatments/{treatment.Id}", new { amountPaid = 1m }), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        await AssertErrorAsync(await staff.DeleteAsync($"/api/treatments/{treatment.Id}"), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        Assert.That((await ReadAsync<TreatmentDto>(await staff.GetAsync($"/api/treatments/{treatment.Id}"))).AmountPaid, Is.EqualTo(0m));
        Assert.That(await ReadAsync<List<TreatmentDto>>(await staff.GetAsync($"/api/treatments/patient/{patient}")), Has.Count.EqualTo(1));
        Assert.That((await staff.GetAsync("/api/treatments")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task A_patients_treatments_come_newest_first()
    {
        var (patient, type) = await PatientAndTypeAsync();
        var other = await CreatePatientAsync();
        var older = await RecordOkAsync(patient, type, date: "2031-01-10");
        var newest = await RecordOkAsync(patient, type, date: "2031-03-01");
        var sameDayLater = await RecordOkAsync(patient, type, date: "2031-01-10");
        await RecordOkAsync(other, type);

        var list = await ReadAsync<List<TreatmentDto>>(await (await As(Roles.Staff)).GetAsync($"/api/treatments/patient/{patient}"));
        Assert.That(list.Select(t => t.Id), Is.EqualTo(new[] { newest.Id, sameDayLater.Id, older.Id }));
        Assert.That(await ReadAsync<List<TreatmentDto>>(await (await As(Roles.Staff)).GetAsync($"/api/treatments/patient/{await CreatePatientAsync()}")), Is.Empty);
        await AssertErrorAsync(await (await As(Roles.Staff)).GetAsync($"/api/treatments/patient/{Guid.NewGuid()}"), HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }

    [Test]
    public async Task The_list_is_filtered_and_paged_newest_first()
    {
        var staff = await As(Roles.Staff);
        var (patient, type) = await PatientAndTypeAsync();
        var created = new List<TreatmentDto>();
        foreach (var date in new[] { "2032-01-05", "2032-01-01", "2032-02-01", "2032-01-05", "2031-12-31", "2032-03-01" })
            created.Add(await RecordOkAsync(patient, type, date: date));
        await RecordOkAsync(await CreatePatientAsync(), type, date: "2032-01-05");

        var expected = created.Where(t => t.Date >= new DateOnly(2032, 1, 1) && t.Date <= new DateOnly(2032, 2, 1))
            .OrderByDescending(t => t.Date).ThenByDescending(t => t.Id.ToString(), StringComparer.Ordinal).Select(t => t.Id).ToList();
        var seen = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await ReadAsync<PagedResult<TreatmentDto>>(await staff.GetAsync(
                $"/api/treatments?patientId={patient}&from=2032-01-01&to=2032-02-01&limit=2" + (cursor is null ? "" : "&cursor=" + cursor)));
            Assert.That(page.Data, Has.Count.EqualTo(2), "a page boundary falls between the two of 2032-01-05");
            Assert.That(page.Data.All(t => t.Balance == t.TotalPrice - t.Discount - t.AmountPaid), Is.True);
            seen.AddRange(page.Data.Select(t => t.Id));
            cursor = page.Pagination.NextCursor;
        } while (cursor is not null);
        Assert.That(seen, Is.EqualTo(expected));

        await AssertErrorAsync(await staff.GetAsync("/api/treatments?from=2032-1-1&to=x"), HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "from", "to");
        await AssertErrorAsync(await staff.GetAsync("/api/treatments?cursor=bogus"), HttpStatusCode.BadRequest, ErrorCodes.BadRequest);
        await AssertErrorAsync(await staff.GetAsync("/api/treatments?from=2032-01-02&to=2032-01-01"), HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "to");
    }

    [Test]
    public async Task Delete_archives_the_treatment_out_of_every_list()
    {
        var dentist = await As(Roles.Dentist);
        var (patient, type) = await PatientAndTypeAsync();
        var kept = await RecordOkAsync(patient, type);
        var removed = await RecordOkAsync(patient, type);
        Assert.That((await dentist.DeleteAsync($"/api/treatments/{removed.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        await AssertErrorAsync(await dentist.GetAsync($"/api/treatments/{removed.Id}"), HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await AssertErrorAsync(await dentist.DeleteAsync($"/api/treatments/{removed.Id}"), HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await AssertErrorAsync(await dentist.PutAsJsonAsync($"/api/treatments/{removed.Id}", new { amountPaid = 1m }), HttpStatusCode.NotFound, ErrorCodes.NotFound);
        var list = await ReadAsync<List<TreatmentDto>>(await dentist.GetAsync($"/api/treatments/patient/{patient}"));
        Assert.That(list.Select(t => t.Id), Is.EqualTo(new[] { kept.Id }));
        var page = await ReadAsync<PagedResult<TreatmentDto>>(await dentist.GetAsync($"/api/treatments?patientId={patient}"));
        Assert.That(page.Data.Select(t => t.Id), Is.EqualTo(new[] { kept.Id }));

        // Nothing financial is lost: the row is still in the database.
        using var scope = App.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var row = await db.Treatments.IgnoreQueryFilters().AsNoTracking().SingleAsync(t => t.Id == removed.Id);
        Assert.That(row.ArchivedAt, Is.Not.Null);
    }

    [Test]
    public async Task Unknown_and_malformed_ids_are_404()
    {
        var dentist = await As(Roles.Dentist);
        await AssertErrorAsync(await dentist.GetAsync($"/api/treatments/{Guid.NewGuid()}"), HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await AssertErrorAsync(await dentist.GetAsync("/api/treatments/not-a-uuid"), HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await AssertErrorAsync(await dentist.GetAsync("/api/treatments/patient/not-a-uuid"), HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }
}
