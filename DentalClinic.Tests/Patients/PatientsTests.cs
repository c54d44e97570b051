using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceInterface.Patients;
using DentalClinic.ServiceModel;
using Microsoft.EntityFrameworkCore;
using static DentalClinic.Tests.Patients.PatientTestData;

namespace DentalClinic.Tests.Patients;

public sealed class PatientsTests(string provider) : PatientsTest(provider)
{
    [Test]
    public async Task Fields_are_trimmed_and_a_date_of_birth_round_trips_as_a_date()
    {
        var mobile = Mobile();
        var created = await CreatePatientAsync(new CreatePatient("  Ada ", " Lovelace  ", $" {mobile} ", "  ", " 1985-12-10 "));
        Assert.That((created.FirstName, created.LastName, created.MobileNumber), Is.EqualTo(("Ada", "Lovelace", mobile)));
        Assert.That(created.Email, Is.Null, "a blank optional email is no email");
        Assert.That(created.DateOfBirth, Is.EqualTo(new DateOnly(1985, 12, 10)));
    }

    [Test]
    public async Task A_date_of_birth_is_written_and_read_as_yyyy_mm_dd()
    {
        var staff = await As(Roles.Staff);
        var created = await CreatePatientAsync(NewPatient(dateOfBirth: "1990-05-01"));
        var body = await (await staff.GetAsync($"/api/patients/{created.Id}")).Content.ReadAsStringAsync();
        Assert.That(body, Does.Contain("\"dateOfBirth\":\"1990-05-01\""));
    }

    [Test]
    public async Task Every_invalid_field_is_reported()
    {
        var response = await (await As(Roles.Staff)).PostAsJsonAsync("/api/patients",
            new CreatePatient("", new string('x', 101), "12345", "not-an-email", "1990-13-01"));
        var error = await AssertErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.ValidationError,
            "firstName", "lastName", "mobileNumber", "email", "dateOfBirth");
        Assert.That(error.Message, Is.EqualTo("Invalid input data"));
    }

    [Test]
    public async Task Required_fields_are_reported_when_missing()
    {
        var response = await (await As(Roles.Staff)).PostAsJsonAsync("/api/patients", new { email = "a@b.co" });
        var error = await AssertErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "firstName", "lastName", "mobileNumber");
        Assert.That(error.Details!.Single(d => d.Field == "mobileNumber").Message, Is.EqualTo("Mobile number is required"));
    }

    [TestCase("firstName", 100, true)]
    [TestCase("firstName", 101, false)]
    [TestCase("lastName", 100, true)]
    [TestCase("lastName", 101, false)]
    public async Task Names_are_at_most_100_characters(string field, int length, bool accepted)
    {
        var name = Name(Token(length));
        var patient = field == "firstName" ? NewPatient(firstName: name) : NewPatient(lastName: name);
        var response = await (await As(Roles.Staff)).PostAsJsonAsync("/api/patients", patient);
        if (accepted) Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        else await AssertErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.ValidationError, field);
    }

    [TestCase("firstName", "Jo\u0000hn")]
    [TestCase("lastName", "Do\ne")]
    [TestCase("firstName", "   ")]
    public async Task Names_without_text_or_with_control_characters_are_refused(string field, string value)
    {
        var patient = field == "firstName" ? NewPatient(firstName: value) : NewPatient(lastName: value);
        var response = await (await As(Roles.Staff)).PostAsJsonAsync("/api/patients", patient);
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.ValidationError, field);
    }

    [TestCase("12345")]
    [TestCase("not a phone")]
    [TestCase("+1 555")]
    [TestCase("+999 123 456 789")]
    [TestCase("07911 123456")]
    [TestCase("+1 (555) 123-4567 ext\u0007")]
    public async Task A_mobile_number_must_be_a_real_phone_number(string mobile)
    {
        var response = await (await As(Roles.Staff)).PostAsJsonAsync("/api/patients", NewPatient(mobile: mobile));
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "mobileNumber");
    }

    [Test]
    public async Task A_number_without_a_plus_is_read_in_the_default_region()
    {
        var mobile = Mobile();
        var national = $"({NationalDigits(mobile)[..3]}) {NationalDigits(mobile)[3..6]}-{NationalDigits(mobile)[6..]}";
        var created = await CreatePatientAsync(NewPatient(mobile: national));
        Assert.That(created.MobileNumber, Is.EqualTo(national));
        var e164 = await WithDbAsync(db => db.Patients.Where(p => p.Id == created.Id).Select(p => p.MobileE164).SingleAsync());
        Assert.That(e164, Is.EqualTo("+1" + NationalDigits(mobile)));
    }

    [TestCase("not-an-email")]
    [TestCase("@example.com")]
    [TestCase("a@b@example.com")]
    public async Task An_email_must_be_valid(string email)
    {
        var response = await (await As(Roles.Staff)).PostAsJsonAsync("/api/patients", NewPatient(email: email));
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "email");
    }

    [TestCase(254, true)]
    [TestCase(255, false)]
    public async Task An_email_is_at_most_254_characters(int length, bool accepted)
    {
        var domain = "@example.com";
        var email = Token(length - domain.Length) + domain;
        var response = await (await As(Roles.Staff)).PostAsJsonAsync("/api/patients", NewPatient(email: email));
        if (accepted) Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        else await AssertErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "email");
    }

    [TestCase("01/02/1990")]
    [TestCase("1990-2-1")]
    [TestCase("1990-02-30")]
    [TestCase("yesterday")]
    [TestCase("1899-12-31")]
    public async Task A_date_of_birth_must_be_a_date_from_1900(string dateOfBirth)
    {
        var response = await (await As(Roles.Staff)).PostAsJsonAsync("/api/patients", NewPatient(dateOfBirth: dateOfBirth));
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "dateOfBirth");
    }

    [Test]
    public async Task A_date_of_birth_must_not_be_in_the_future()
    {
        var staff = await As(Roles.Staff);
        var future = DateTime.UtcNow.AddDays(2).ToString("yyyy-MM-dd");
        await AssertErrorAsync(await staff.PostAsJsonAsync("/api/patients", NewPatient(dateOfBirth: future)),
            HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "dateOfBirth");
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd");
        var created = await CreatePatientAsync(NewPatient(dateOfBirth: today));
        Assert.That(created.DateOfBirth, Is.EqualTo(DateOnly.Parse(today)));
        await CreatePatientAsync(NewPatient(dateOfBirth: "1900-01-01"));
    }

    [Test]
    public async Task A_mobile_number_is_unique_after_normalisation()
    {
        var mobile = Mobile();
        var digits = NationalDigits(mobile);
        var existing = await CreatePatientAsync(NewPatient(mobile: mobile));
        foreach (var same in new[] { "+1" + digits, digits, $"{digits[..3]}.{digits[3..6]}.{digits[6..]}", $"1 {digits}", $"011 1 {digits}" })
        {
            var response = await (await As(Roles.Staff)).PostAsJsonAsync("/api/patients", NewPatient(mobile: same));
            var error = await AssertErrorAsync(response, HttpStatusCode.Conflict, ErrorCodes.Conflict, "mobileNumber");
            Assert.That(error.Details, Has.Count.EqualTo(1));
            Assert.That(error.Details[0].ExistingId, Is.EqualTo(existing.Id), "the desk can open the patient who has the number");
        }
        // Changing another patient to that number names the holder too.
        var other = await CreatePatientAsync(NewPatient());
        var update = await (await As(Roles.Staff)).PutAsJsonAsync($"/api/patients/{other.Id}", NewPatient(mobile: "+1" + digits));
        Assert.That((await AssertErrorAsync(update, HttpStatusCode.Conflict, ErrorCodes.Conflict, "mobileNumber")).Details[0].ExistingId, Is.EqualTo(existing.Id));
    }

    [Test]
    public async Task Six_concurrent_creations_of_one_number_give_exactly_one_patient()
    {
        var staff = await As(Roles.Staff);
        var digits = NationalDigits(Mobile());
        string[] formats =
        [
            $"+1 ({digits[..3]}) {digits[3..6]}-{digits[6..]}", "+1" + digits, digits,
            $"{digits[..3]}-{digits[3..6]}-{digits[6..]}", $"({digits[..3]}) {digits[3..6]} {digits[6..]}", $"+1.{digits[..3]}.{digits[3..6]}.{digits[6..]}",
        ];
        var responses = await Task.WhenAll(formats.Select(f => staff.PostAsJsonAsync("/api/patients", NewPatient(mobile: f))));
        var statuses = responses.Select(r => r.StatusCode).ToList();
        Assert.That(statuses.Count(s => s == HttpStatusCode.Created), Is.EqualTo(1), string.Join(", ", statuses));
        Assert.That(statuses.Count(s => s == HttpStatusCode.Conflict), Is.EqualTo(5), string.Join(", ", statuses));
        var winner = await ReadAsync<PatientDto>(responses.Single(r => r.StatusCode == HttpStatusCode.Created), HttpStatusCode.Created);
        foreach (var conflict in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
            Assert.That((await AssertErrorAsync(conflict, HttpStatusCode.Conflict, ErrorCodes.Conflict, "mobileNumber")).Details[0].ExistingId,
                Is.EqualTo(winner.Id), "also when the race is lost at the unique index");
        var count = await WithDbAsync(db => db.Patients.CountAsync(p => p.MobileE164 == "+1" + digits));
        Assert.That(count, Is.EqualTo(1));
    }

    [Test]
    public async Task Update_replaces_the_details()
    {
        var staff = await As(Roles.Staff);
        var created = await CreatePatientAsync(NewPatient(email: $"{Token()}@example.com", dateOfBirth: "1980-01-02"));
        await Task.Delay(5);
        var mobile = Mobile();
        var updated = await ReadAsync<PatientDto>(await staff.PutAsJsonAsync($"/api/patients/{created.Id}",
            new UpdatePatient("Grace", "Hopper", mobile, null, null)));
        Assert.That((updated.Id, updated.FirstName, updated.LastName, updated.MobileNumber), Is.EqualTo((created.Id, "Grace", "Hopper", mobile)));
        Assert.That(updated.Email, Is.Null, "an omitted email is cleared");
        Assert.That(updated.DateOfBirth, Is.Null, "an omitted date of birth is cleared");
        Assert.That(updated.CreatedAt, Is.EqualTo(created.CreatedAt));
        Assert.That(updated.UpdatedAt, Is.GreaterThan(created.UpdatedAt));

        var read = await ReadAsync<PatientDetailsDto>(await staff.GetAsync($"/api/patients/{created.Id}"));
        Assert.That((read.FirstName, read.MobileNumber, read.Email), Is.EqualTo(("Grace", mobile, (string?)null)));
    }

    [Test]
    public async Task Update_keeps_its_own_number_in_another_format_but_not_another_patients()
    {
        var staff = await As(Roles.Staff);
        var mine = await CreatePatientAsync(NewPatient());
        var other = await CreatePatientAsync(NewPatient());
        var reformatted = "+1" + NationalDigits(mine.MobileNumber);
        var kept = await ReadAsync<PatientDto>(await staff.PutAsJsonAsync($"/api/patients/{mine.Id}",
            new UpdatePatient(mine.FirstName, mine.LastName, reformatted, null, null)));
        Assert.That(kept.MobileNumber, Is.EqualTo(reformatted));

        var response = await staff.PutAsJsonAsync($"/api/patients/{mine.Id}",
            new UpdatePatient(mine.FirstName, mine.LastName, NationalDigits(other.MobileNumber), null, null));
        await AssertErrorAsync(response, HttpStatusCode.Conflict, ErrorCodes.Conflict, "mobileNumber");
    }

    [Test]
    public async Task Update_is_validated_like_create()
    {
        var created = await CreatePatientAsync(NewPatient());
        var response = await (await As(Roles.Staff)).PutAsJsonAsync($"/api/patients/{created.Id}",
            new UpdatePatient(" ", "Doe", "123", "x", "2999-01-01"));
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "firstName", "mobileNumber", "email", "dateOfBirth");
    }

    [Test]
    public async Task Unknown_and_malformed_ids_are_404()
    {
        var admin = await As(Roles.Admin);
        var unknown = Guid.NewGuid();
        await AssertErrorAsync(await admin.GetAsync($"/api/patients/{unknown}"), HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await AssertErrorAsync(await admin.GetAsync("/api/patients/not-a-uuid"), HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await AssertErrorAsync(await admin.PutAsJsonAsync($"/api/patients/{unknown}", NewPatient()), HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await AssertErrorAsync(await admin.DeleteAsync($"/api/patients/{unknown}"), HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await AssertErrorAsync(await admin.DeleteAsync($"/api/patients/{unknown}?purge=true"), HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await AssertErrorAsync(await admin.PostAsync($"/api/patients/{unknown}/restore", null), HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }

    [Test]
    public async Task Signing_in_is_required()
    {
        await AssertErrorAsync(await Anonymous().GetAsync("/api/patients"), HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
        await AssertErrorAsync(await Anonymous().PostAsJsonAsync("/api/patients", NewPatient()), HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
    }

    [Test]
    public async Task Staff_read_create_and_update_but_cannot_delete_restore_or_see_archived()
    {
        var staff = await As(Roles.Staff);
        var created = await CreatePatientAsync(NewPatient(), staff);
        Assert.That((await staff.GetAsync($"/api/patients/{created.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await staff.PutAsJsonAsync($"/api/patients/{created.Id}", NewPatient(mobile: created.MobileNumber))).StatusCode,
            Is.EqualTo(HttpStatusCode.OK));
        await AssertErrorAsync(await staff.DeleteAsync($"/api/patients/{created.Id}"), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        await AssertErrorAsync(await staff.DeleteAsync($"/api/patients/{created.Id}?purge=true"), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        await AssertErrorAsync(await staff.PostAsync($"/api/patients/{created.Id}/restore", null), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        await AssertErrorAsync(await staff.GetAsync("/api/patients?archived=true"), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        Assert.That((await staff.GetAsync($"/api/patients/{created.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "still there");
    }

    [Test]
    public async Task Delete_archives_the_patient_and_keeps_the_number_reserved()
    {
        var dentist = await As(Roles.Dentist);
        var staff = await As(Roles.Staff);
        var token = Token();
        var patient = await CreatePatientAsync(NewPatient(lastName: Name(token)));
        var treatment = await AddTreatmentAsync(patient.Id, 100m, 0m, 50m);

        Assert.That((await dentist.DeleteAsync($"/api/patients/{patient.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        await AssertErrorAsync(await staff.GetAsync($"/api/patients/{patient.Id}"), HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await AssertErrorAsync(await staff.PutAsJsonAsync($"/api/patients/{patient.Id}", NewPatient()), HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await AssertErrorAsync(await dentist.DeleteAsync($"/api/patients/{patient.Id}"), HttpStatusCode.NotFound, ErrorCodes.NotFound);
        Assert.That(await SearchIdsAsync(token), Is.Empty, "gone from search");
        Assert.That((await QueryAsync("limit=100&search=" + token, await As(Roles.Admin))).Data, Is.Empty, "gone from admins' search too");

        var again = await (await As(Roles.Staff)).PostAsJsonAsync("/api/patients", NewPatient(mobile: patient.MobileNumber));
        var error = await AssertErrorAsync(again, HttpStatusCode.Conflict, ErrorCodes.Conflict, "mobileNumber");
        Assert.That(error.Message, Does.Contain("archived"));
        Assert.That(error.Details[0].ExistingId, Is.Null, "staff cannot open an archived patient: no id");
        var asAdmin = await (await As(Roles.Admin)).PostAsJsonAsync("/api/patients", NewPatient(mobile: patient.MobileNumber));
        Assert.That((await AssertErrorAsync(asAdmin, HttpStatusCode.Conflict, ErrorCodes.Conflict, "mobileNumber")).Details[0].ExistingId,
            Is.EqualTo(patient.Id), "an admin can restore them");

        var kept = await WithDbAsync(async db => (await db.Patients.CountAsync(p => p.Id == patient.Id), await db.Treatments.CountAsync(t => t.Id == treatment)));
        Assert.That(kept, Is.EqualTo((1, 1)), "nothing is erased by archiving");
    }

    [Test]
    public async Task Admins_list_archived_patients_and_restore_them()
    {
        var admin = await As(Roles.Admin);
        var dentist = await As(Roles.Dentist);
        var token = Token();
        var archived = await CreatePatientAsync(NewPatient(lastName: Name(token)));
        var active = await CreatePatientAsync(NewPatient(lastName: Name(token)));
        Assert.That((await admin.DeleteAsync($"/api/patients/{archived.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        var listed = await QueryAsync("archived=true&search=" + token, admin);
        Assert.That(listed.Data.Select(p => p.Id), Is.EqualTo(new[] { archived.Id }));
        Assert.That(listed.Data[0].ArchivedAt, Is.Not.Null);
        Assert.That((await QueryAsync("search=" + token, admin)).Data.Select(p => p.Id), Is.EqualTo(new[] { active.Id }));

        await AssertErrorAsync(await dentist.PostAsync($"/api/patients/{archived.Id}/restore", null), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        var restored = await ReadAsync<PatientDto>(await admin.PostAsync($"/api/patients/{archived.Id}/restore", null));
        Assert.That(restored.ArchivedAt, Is.Null);
        var again = await ReadAsync<PatientDto>(await admin.PostAsync($"/api/patients/{archived.Id}/restore", null));
        Assert.That(again.Id, Is.EqualTo(archived.Id), "restoring an active patient changes nothing");

        Assert.That((await (await As(Roles.Staff)).GetAsync($"/api/patients/{archived.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await QueryAsync("search=" + token)).Data.Select(p => p.Id), Is.EquivalentTo(new[] { archived.Id, active.Id }));
        Assert.That((await QueryAsync("archived=true&search=" + token, admin)).Data, Is.Empty);
    }

    [Test]
    public async Task Purge_erases_the_patient_and_all_of_their_records_and_frees_the_number()
    {
        var admin = await As(Roles.Admin);
        var patient = await CreatePatientAsync(NewPatient());
        var bystander = await CreatePatientAsync(NewPatient());
        await AddTreatmentAsync(patient.Id, 100m, 10m, 20m);
        await AddTreatmentAsync(patient.Id, 200m, 0m, 0m);
        await AddAppointmentAsync(patient.Id);
        var keptTreatment = await AddTreatmentAsync(bystander.Id, 50m, 0m, 0m);
        var keptAppointment = await AddAppointmentAsync(bystander.Id);

        await AssertErrorAsync(await (await As(Roles.Dentist)).DeleteAsync($"/api/patients/{patient.Id}?purge=true"),
            HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        Assert.That((await admin.DeleteAsync($"/api/patients/{patient.Id}?purge=true")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        await AssertErrorAsync(await admin.GetAsync($"/api/patients/{patient.Id}"), HttpStatusCode.NotFound, ErrorCodes.NotFound);
        var remaining = await WithDbAsync(async db => new
        {
            Patients = await db.Patients.CountAsync(p => p.Id == patient.Id),
            Treatments = await db.Treatments.CountAsync(t => t.PatientId == patient.Id),
            Appointments = await db.Appointments.CountAsync(a => a.PatientId == patient.Id),
            Bystander = await db.Treatments.CountAsync(t => t.Id == keptTreatment) + await db.Appointments.CountAsync(a => a.Id == keptAppointment),
        });
        Assert.That(remaining, Is.EqualTo(new { Patients = 0, Treatments = 0, Appointments = 0, Bystander = 2 }));
        Assert.That(await CountReferencingRowsAsync(patient.Id), Is.Zero, "no table of the model refers to the purged patient");
        Assert.That(await CountSearchRowsAsync(patient.Id), Is.Zero, "its search rows go with it (they have no foreign key)");
        Assert.That(await CountSearchRowsAsync(bystander.Id), Is.GreaterThan(0));

        var reused = await CreatePatientAsync(NewPatient(mobile: patient.MobileNumber));
        Assert.That(reused.Id, Is.Not.EqualTo(patient.Id), "the number is free again");
    }

    [Test]
    public async Task Purge_erases_an_archived_patient()
    {
        var admin = await As(Roles.Admin);
        var patient = await CreatePatientAsync(NewPatient());
        await AddAppointmentAsync(patient.Id);
        Assert.That((await admin.DeleteAsync($"/api/patients/{patient.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(await CountSearchRowsAsync(patient.Id), Is.GreaterThan(0), "an archived patient keeps its word-prefix rows");
        Assert.That((await admin.DeleteAsync($"/api/patients/{patient.Id}?purge=true")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That(await WithDbAsync(db => db.Patients.CountAsync(p => p.Id == patient.Id)), Is.Zero);
        Assert.That(await CountSearchRowsAsync(patient.Id), Is.Zero);
        await AssertErrorAsync(await admin.DeleteAsync($"/api/patients/{patient.Id}?purge=true"), HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }

    [Test]
    public async Task The_account_summary_sums_treatments_exactly()
    {
        var staff = await As(Roles.Staff);
        var patient = await CreatePatientAsync(NewPatient());
        var empty = await ReadAsync<PatientDetailsDto>(await staff.GetAsync($"/api/patients/{patient.Id}"));
        Assert.That(empty.Account, Is.EqualTo(new PatientAccount(0m, 0m, 0m, 0m)));

        await AddTreatmentAsync(patient.Id, 0.1m, 0m, 0.1m);
        await AddTreatmentAsync(patient.Id, 0.2m, 0m, 0.2m);
        await AddTreatmentAsync(patient.Id, 800m, 50m, 400m);
        await AddTreatmentAsync(patient.Id, 99999.99m, 0.01m, 0.01m);
        await AddTreatmentAsync((await CreatePatientAsync(NewPatient())).Id, 1000m, 0m, 0m);

        var response = await staff.GetAsync($"/api/patients/{patient.Id}");
        var read = await ReadAsync<PatientDetailsDto>(response);
        Assert.That(read.Account, Is.EqualTo(new PatientAccount(100800.29m, 50.01m, 400.31m, 100349.97m)));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var account = json.RootElement.GetProperty("account");
        Assert.That(account.GetProperty("totalBilled").ValueKind, Is.EqualTo(JsonValueKind.Number));
        Assert.That(account.GetProperty("balance").GetRawText(), Does.Match(@"^100349\.97$"));
    }

    [Test]
    public async Task Paid_in_tenths_the_balance_is_exactly_zero()
    {
        var patient = await CreatePatientAsync(NewPatient());
        await AddTreatmentAsync(patient.Id, 0.3m, 0m, 0.1m);
        await AddTreatmentAsync(patient.Id, 0m, 0m, 0.2m);
        var read = await ReadAsync<PatientDetailsDto>(await (await As(Roles.Staff)).GetAsync($"/api/patients/{patient.Id}"));
        Assert.That(read.Account.Balance, Is.EqualTo(0m));
        Assert.That(read.Account.Paid, Is.EqualTo(0.3m));
    }

    [Test]
    public async Task The_OpenAPI_document_describes_the_patients_endpoints()
    {
        using var doc = JsonDocument.Parse(await (await Anonymous().GetAsync("/openapi/v1.json")).Content.ReadAsStringAsync());
        var paths = doc.RootElement.GetProperty("paths");
        var create = paths.GetProperty("/api/patients").GetProperty("post");
        Assert.That(create.GetProperty("operationId").GetString(), Is.EqualTo("CreatePatient"));
        Assert.That(create.GetProperty("responses").EnumerateObject().Select(r => r.Name), Is.SupersetOf(new[] { "201", "400", "409" }));
        // Query binding ignores case; the document currently spells them as the DTO's properties.
        var query = paths.GetProperty("/api/patients").GetProperty("get").GetProperty("parameters").EnumerateArray()
            .Select(p => p.GetProperty("name").GetString()!.ToLowerInvariant());
        Assert.That(query, Is.SupersetOf(new[] { "search", "limit", "cursor", "archived" }));
        Assert.That(paths.GetProperty("/api/patients/{id}").TryGetProperty("delete", out _), Is.True);
        Assert.That(paths.GetProperty("/api/patients/{id}/restore").TryGetProperty("post", out _), Is.True);
    }

    private Task<Guid> AddTreatmentAsync(Guid patientId, decimal total, decimal discount, decimal paid) => WithDbAsync(async db =>
    {
        var type = await TypeAsync(db);
        var treatment = new Treatment
        {
            PatientId = patientId, AppointmentTypeId = type, ToothNumber = 14, Date = new DateOnly(2025, 12, 20),
            TotalPrice = total, Discount = discount, AmountPaid = paid,
        };
        db.Treatments.Add(treatment);
        await db.SaveChangesAsync();
        return treatment.Id;
    });

    private Task<Guid> AddAppointmentAsync(Guid patientId) => WithDbAsync(async db =>
    {
        var appointment = new Appointment
        {
            PatientId = patientId, AppointmentTypeId = await TypeAsync(db), Date = new DateOnly(2025, 12, 25),
            Time = new TimeOnly(14, 30), Status = "pending",
        };
        db.Appointments.Add(appointment);
        await db.SaveChangesAsync();
        return appointment.Id;
    });

    private static async Task<Guid> TypeAsync(AppDbContext db)
    {
        var type = new AppointmentType { Name = "Filling " + Token(6), Price = 100m, Duration = 30, Color = "#112233" };
        db.AppointmentTypes.Add(type);
        await db.SaveChangesAsync();
        return type.Id;
    }

    /// <summary>Rows that refer to the patient through any foreign key of the model.</summary>
    private Task<int> CountSearchRowsAsync(Guid patientId) => WithDbAsync(async db =>
        await db.Set<PatientSearchPrefix>().CountAsync(s => s.PatientId == patientId) + await db.Set<PatientSearchDigits>().CountAsync(s => s.PatientId == patientId));

    private Task<int> CountReferencingRowsAsync(Guid patientId) => WithDbAsync(async db =>
    {
        var patientType = db.Model.FindEntityType(typeof(Patient))!;
        var total = 0;
        foreach (var fk in patientType.GetReferencingForeignKeys())
        {
            var table = fk.DeclaringEntityType.GetTableName()!;
            var column = fk.Properties.Single().GetColumnName(Microsoft.EntityFrameworkCore.Metadata.StoreObjectIdentifier.Table(table, null))!;
            var sql = "SELECT COUNT(*) AS \"Value\" FROM " + table + " WHERE " + column + " = {0}";
            total += await db.Database.SqlQueryRaw<int>(sql, patientId).SingleAsync();
        }
        Assert.That(patientType.GetReferencingForeignKeys().Count(), Is.GreaterThanOrEqualTo(2), "appointments and treatments at least");
        return total;
    });
}
