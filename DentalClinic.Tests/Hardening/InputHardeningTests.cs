using System.Net;
using System.Net.Http.Json;
using System.Text;
using DentalClinic.ServiceModel;
using DentalClinic.Tests.Scheduling;
using DentalClinic.Tests.Support;

namespace DentalClinic.Tests.Hardening;

/// <summary>Input that used to reach a 500 (or differ between providers) is answered in the envelope (issue 13, items 1, 2, 4).</summary>
public class InputHardeningTests(string provider) : SchedulingTest(provider)
{
    private static StringContent Body(string json, string contentType = "application/json") =>
        new(json, Encoding.UTF8) { Headers = { ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType) } };

    [TestCase("application/json; charset=ebcdic")]
    [TestCase("application/json; charset=utf-7")]
    [TestCase("application/json; charset=x-unknown")]
    [TestCase("application/json; charset=\"iso-8859-1\"")]
    [TestCase("application/json; charset=utf8")]
    public async Task A_body_in_another_charset_is_415_on_anonymous_and_signed_in_endpoints(string contentType)
    {
        var login = await Anonymous().PostAsync("/api/auth/login",
            Body($$"""{"email":"{{ApiFactory.AdminEmail}}","password":"{{ApiFactory.AdminPassword}}"}""", contentType));
        await AssertErrorAsync(login, HttpStatusCode.UnsupportedMediaType, ErrorCodes.UnsupportedMediaType);

        var patient = await (await As(Roles.Staff)).PostAsync("/api/patients",
            Body("""{"firstName":"Ada","lastName":"Lovelace","mobileNumber":"+351 91 000 0000"}""", contentType));
        await AssertErrorAsync(patient, HttpStatusCode.UnsupportedMediaType, ErrorCodes.UnsupportedMediaType);
    }

    [TestCase("application/json; charset=utf-8")]
    [TestCase("application/json; charset=UTF-8")]
    [TestCase("application/json")]
    public async Task Utf8_or_no_charset_is_accepted(string contentType)
    {
        var login = await Anonymous().PostAsync("/api/auth/login",
            Body($$"""{"email":"{{ApiFactory.AdminEmail}}","password":"{{ApiFactory.AdminPassword}}"}""", contentType));
        Assert.That(login.StatusCode, Is.EqualTo(HttpStatusCode.OK), await login.Content.ReadAsStringAsync());
    }

    [TestCase("table", "a%00b")]
    [TestCase("entityId", "a%00b")]
    [TestCase("table", "patients%1B")]
    [TestCase("from", "2025-01-01%0A")]
    public async Task A_control_character_in_a_query_parameter_is_400_naming_it(string parameter, string value)
    {
        var response = await (await As(Roles.Admin)).GetAsync($"/api/admin/audit?{parameter}={value}");
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.ValidationError, parameter);
    }

    [Test]
    public async Task A_control_character_in_a_search_or_an_unknown_parameter_is_400()
    {
        var staff = await As(Roles.Staff);
        await AssertErrorAsync(await staff.GetAsync("/api/patients?search=ada%00"), HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "search");
        await AssertErrorAsync(await staff.GetAsync("/api/appointment-types?whatever=%07"), HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "whatever");
    }

    [Test]
    public async Task A_nul_in_a_login_email_is_400_naming_email()
    {
        var response = await Anonymous().PostAsync("/api/auth/login", Body("""{"email":"a\u0000@x.test","password":"whatever-1"}"""));
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "email");
    }

    [TestCase("Ada\\u0000")]
    [TestCase("Ada\\u0007")]
    [TestCase("Ada\\u007f")]
    [TestCase("Ada\\u0085")]
    [TestCase("Ada\\nLovelace")]
    [TestCase("Ada\\tLovelace")]
    public async Task Single_line_text_refuses_control_characters_and_lone_surrogates(string firstName)
    {
        var response = await (await As(Roles.Staff)).PostAsync("/api/patients",
            Body($$"""{"firstName":"{{firstName}}","lastName":"Lovelace","mobileNumber":"+351 91 000 0001"}"""));
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "firstName");
    }

    [Test]
    public async Task Appointment_notes_refuse_nul_but_keep_tabs_and_line_breaks()
    {
        var patient = await CreatePatientAsync();
        var type = await CreateTypeAsync();
        var staff = await As(Roles.Staff);
        var date = Iso(FreshDate());

        var nul = await staff.PostAsync("/api/appointments",
            Body($$"""{"patientId":"{{patient}}","appointmentTypeId":"{{type.Id}}","date":"{{date}}","time":"10:00","notes":"a\u0000b"}"""));
        await AssertErrorAsync(nul, HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "notes");

        var multiLine = await staff.PostAsync("/api/appointments",
            Body($$"""{"patientId":"{{patient}}","appointmentTypeId":"{{type.Id}}","date":"{{date}}","time":"10:00","notes":"first line\r\n\tsecond"}"""));
        var created = await ReadAsync<AppointmentDto>(multiLine, HttpStatusCode.Created);
        Assert.That(created.Notes, Is.EqualTo("first line\r\n\tsecond"));

        var update = await staff.PutAsync($"/api/appointments/{created.Id}", Body("""{"notes":"x\u0001"}"""));
        await AssertErrorAsync(update, HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "notes");
    }

    [Test]
    public async Task Treatment_notes_refuse_nul_but_keep_line_breaks()
    {
        var patient = await CreatePatientAsync();
        var type = await CreateTypeAsync();
        var dentist = await As(Roles.Dentist);
        var body = (string notes) => Body($$"""{"patientId":"{{patient}}","toothNumber":8,"appointmentTypeId":"{{type.Id}}","totalPrice":100,"amountPaid":0,"date":"2025-01-02","notes":"{{notes}}"}""");

        await AssertErrorAsync(await dentist.PostAsync("/api/treatments", body("a\\u0000b")), HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "notes");
        var created = await ReadAsync<TreatmentDto>(await dentist.PostAsync("/api/treatments", body("crown\\nfollow-up")), HttpStatusCode.Created);
        Assert.That(created.Notes, Is.EqualTo("crown\nfollow-up"));
    }

    [Test]
    public async Task Addresses_follow_the_one_multi_line_rule_tab_and_line_breaks_allowed_nul_refused()
    {
        // One rule for control characters (TextInput), not one per validator: an address is multi-line text like notes.
        var staff = await As(Roles.Staff);
        var created = await staff.PostAsync("/api/patients",
            Body("""{"firstName":"Ada","lastName":"Lovelace","mobileNumber":"+351 91 000 0002","address":"1 Main St\r\n\tFlat 2"}"""));
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        var nul = await staff.PostAsync("/api/patients",
            Body("""{"firstName":"Ada","lastName":"Lovelace","mobileNumber":"+351 91 000 0003","address":"1 Main St\u0000"}"""));
        var error = await AssertErrorAsync(nul, HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "address");
        Assert.That(error.Details!.Single().Message, Is.EqualTo("Address must not contain control characters"));

        var settings = await (await As(Roles.Admin)).PutAsync("/api/settings", Body("""{"clinicAddress":"1 Main St\r\n\tLisbon"}"""));
        Assert.That(settings.StatusCode, Is.EqualTo(HttpStatusCode.OK), await settings.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task No_text_is_longer_than_10000_characters_unless_its_field_says_so()
    {
        // A field without a length rule of its own (a password), a query value and a list item: all capped.
        var login = await Anonymous().PostAsync("/api/auth/login",
            Body($$"""{"email":"{{ApiFactory.AdminEmail}}","password":"{{new string('p', 10_001)}}"}"""));
        var error = await AssertErrorAsync(login, HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "password");
        Assert.That(error.Details!.Single().Message, Is.EqualTo("Password must be at most 10,000 characters"));
        await AssertErrorAsync(await (await As(Roles.Staff)).GetAsync("/api/appointment-types?whatever=" + new string('w', 10_001)),
            HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "whatever");
    }

    [Test]
    public async Task A_lone_surrogate_is_400_naming_the_field()
    {
        var response = await (await As(Roles.Staff)).PostAsync("/api/patients",
            Body("""{"firstName":"Ada\ud800","lastName":"Lovelace","mobileNumber":"+351 91 000 0001"}"""));
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), body);
        Assert.That(body, Does.Contain("\"field\":\"firstName\""));
    }

    [Test]
    public async Task Strings_inside_lists_and_free_json_answers_are_named_by_their_path()
    {
        var questions = await (await As(Roles.Dentist)).PutAsync("/api/medical-history/questions",
            Body("""[{"question":"Allergies?","type":"radio","options":["yes","n\u0000o"],"required":true,"order":1}]"""));
        await AssertErrorAsync(questions, HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "[0].options[1]");

        // The public form: the rule runs before the (here unknown) token is looked up.
        var answers = await Anonymous().PostAsync("/api/medical-history/unknown-token",
            Body($$"""{"dateOfBirth":"1990-01-01","answers":[{"questionId":"{{Guid.NewGuid()}}","answer":["ok","b\u0000"]}]}"""));
        await AssertErrorAsync(answers, HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "answers[0].answer[1]");

        var multiLineAnswer = await Anonymous().PostAsync("/api/medical-history/unknown-token",
            Body($$"""{"dateOfBirth":"1990-01-01","answers":[{"questionId":"{{Guid.NewGuid()}}","answer":"line one\nline two"}]}"""));
        var error = await AssertErrorAsync(multiLineAnswer, HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "signature");
        Assert.That(error.Details!.Select(d => d.Field), Has.None.StartsWith("answers"));
    }

    [Test]
    public async Task A_10000_character_search_is_answered_by_the_api_not_refused_by_the_server()
    {
        var response = await (await As(Roles.Staff)).GetAsync("/api/patients?search=" + new string('a', 10_000));
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "search");
    }
}
