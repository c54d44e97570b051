using System.Text.Json;
using System.Text.RegularExpressions;
using DentalClinic.ServiceInterface.Appointments;
using DentalClinic.ServiceInterface.AppointmentTypes;
using DentalClinic.ServiceInterface.Infrastructure;
using DentalClinic.ServiceInterface.MedicalHistory;
using DentalClinic.ServiceInterface.Payments;
using DentalClinic.ServiceInterface.Schedule;
using DentalClinic.ServiceInterface.Settings;
using DentalClinic.ServiceModel;
using DentalClinic.Tests.Support;
using FluentValidation;
using FluentValidation.Validators;
using Microsoft.Extensions.DependencyInjection;

namespace DentalClinic.Tests.Hardening;

/// <summary>
/// The API document as a product (issue 13, item 17): what Spectral's OWASP rules ask of it and the
/// API really does. ./test.sh also lints the built document with Spectral (tools/spectral.yaml).
/// </summary>
public class ApiDocumentTests(string provider) : ApiTest(provider)
{
    private async Task<JsonElement> DocumentAsync() =>
        JsonDocument.Parse(await Anonymous().GetStringAsync("/openapi/v1.json")).RootElement;

    [Test]
    public async Task Sign_in_and_refresh_declare_their_401_and_other_public_operations_do_not()
    {
        var paths = (await DocumentAsync()).GetProperty("paths");
        Assert.That(paths.GetProperty("/api/auth/login").GetProperty("post").GetProperty("responses").TryGetProperty("401", out _), Is.True);
        Assert.That(paths.GetProperty("/api/auth/refresh").GetProperty("post").GetProperty("responses").TryGetProperty("401", out _), Is.True);
        Assert.That(paths.GetProperty("/api/medical-history/{token}").GetProperty("get").GetProperty("responses").TryGetProperty("401", out _), Is.False);
    }

    [Test]
    public async Task Security_requirements_list_the_roles_an_operation_admits()
    {
        var document = await DocumentAsync();
        var paths = document.GetProperty("paths");
        string[] Roles(string path, string method) => paths.GetProperty(path).GetProperty(method).GetProperty("security")[0]
            .GetProperty("Bearer").EnumerateArray().Select(r => r.GetString()!).ToArray();
        Assert.That(Roles("/api/admin/audit", "get"), Is.EqualTo(new[] { "admin" }));
        Assert.That(Roles("/api/treatments", "post"), Is.EquivalentTo(new[] { "admin", "dentist" }));
        Assert.That(Roles("/api/patients", "get"), Is.Empty, "every signed-in role");
        Assert.That(document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer")
            .GetProperty("description").GetString(), Does.Contain("RFC8725"));
    }

    [Test]
    public async Task Integers_are_bounded_and_validator_limits_reach_the_schemas()
    {
        var document = await DocumentAsync();
        var schemas = document.GetProperty("components").GetProperty("schemas");
        var tooth = schemas.GetProperty("CreateTreatment").GetProperty("properties").GetProperty("toothNumber");
        Assert.That(tooth.GetProperty("minimum").GetRawText(), Is.EqualTo("1"));
        Assert.That(tooth.GetProperty("maximum").GetRawText(), Is.EqualTo("32"));

        var integers = new List<JsonElement>();
        void Walk(JsonElement node)
        {
            if (node.ValueKind == JsonValueKind.Object)
            {
                if (node.TryGetProperty("type", out var type) && type.ToString().Contains("integer")) integers.Add(node);
                foreach (var property in node.EnumerateObject()) Walk(property.Value);
            }
            else if (node.ValueKind == JsonValueKind.Array)
                foreach (var item in node.EnumerateArray()) Walk(item);
        }
        Walk(document);
        Assert.That(integers, Is.Not.Empty);
        Assert.That(integers.Where(i => !i.TryGetProperty("minimum", out _) || !i.TryGetProperty("maximum", out _)).Select(i => i.GetRawText()), Is.Empty);
    }

    [Test]
    public async Task Public_operations_state_an_empty_security_requirement()
    {
        var paths = (await DocumentAsync()).GetProperty("paths");
        foreach (var (path, method) in new[] { ("/api/auth/login", "post"), ("/api/auth/refresh", "post"), ("/api/auth/forgot-password", "post"),
                                               ("/api/auth/reset-password", "post"), ("/api/medical-history/{token}", "get"), ("/api/medical-history/{token}", "post") })
        {
            var security = paths.GetProperty(path).GetProperty(method).GetProperty("security");
            Assert.That(security.ValueKind, Is.EqualTo(JsonValueKind.Array), $"{method} {path}");
            Assert.That(security.GetArrayLength(), Is.Zero, $"{method} {path}");
        }
        // Every operation states its requirement: a bearer token, or none.
        foreach (var path in paths.EnumerateObject())
            foreach (var operation in path.Value.EnumerateObject())
                Assert.That(operation.Value.TryGetProperty("security", out _), Is.True, $"{operation.Name} {path.Name}");
    }

    [Test]
    public async Task Every_response_declares_the_ratelimit_headers_and_a_429_its_retry_after()
    {
        var document = await DocumentAsync();
        var headers = document.GetProperty("components").GetProperty("headers");
        foreach (var name in new[] { "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "RateLimit-Policy", "Retry-After" })
            Assert.That(headers.TryGetProperty(name, out _), Is.True, name);
        foreach (var path in document.GetProperty("paths").EnumerateObject())
            foreach (var operation in path.Value.EnumerateObject())
                foreach (var response in operation.Value.GetProperty("responses").EnumerateObject())
                {
                    var declared = response.Value.GetProperty("headers");
                    Assert.That(declared.TryGetProperty("RateLimit-Limit", out _) && declared.TryGetProperty("RateLimit-Reset", out _), Is.True,
                        $"{operation.Name} {path.Name} {response.Name}");
                    if (response.Name == "429") Assert.That(declared.TryGetProperty("Retry-After", out _), Is.True, $"{operation.Name} {path.Name}");
                }
    }

    [Test]
    public async Task Every_string_is_bounded_and_validator_lengths_reach_parameters()
    {
        var document = await DocumentAsync();
        var unbounded = new List<string>();
        void Walk(JsonElement node, string at)
        {
            if (node.ValueKind == JsonValueKind.Object)
            {
                if (node.TryGetProperty("type", out var type) && type.ValueKind is JsonValueKind.String or JsonValueKind.Array && type.ToString().Contains("string") &&
                    !node.TryGetProperty("maxLength", out _) && !node.TryGetProperty("enum", out _) && !node.TryGetProperty("const", out _))
                    unbounded.Add(at);
                foreach (var property in node.EnumerateObject()) Walk(property.Value, at + "/" + property.Name);
            }
            else if (node.ValueKind == JsonValueKind.Array)
            {
                var i = 0;
                foreach (var item in node.EnumerateArray()) Walk(item, $"{at}/{i++}");
            }
        }
        Walk(document, "");
        Assert.That(unbounded, Is.Empty);

        var search = document.GetProperty("paths").GetProperty("/api/patients").GetProperty("get").GetProperty("parameters")
            .EnumerateArray().Single(p => p.GetProperty("name").GetString() == "search");
        Assert.That(search.GetProperty("schema").GetProperty("maxLength").GetInt32(), Is.EqualTo(200));
        var schemas = document.GetProperty("components").GetProperty("schemas");
        Assert.That(schemas.GetProperty("UpdateUser").GetProperty("properties").GetProperty("name").GetProperty("maxLength").GetInt32(), Is.EqualTo(100));
        Assert.That(schemas.GetProperty("PatientDto").GetProperty("properties").GetProperty("id").GetProperty("maxLength").GetInt32(), Is.EqualTo(36));
    }

    private static JsonElement Property(JsonElement schemas, string schema, string property) =>
        schemas.GetProperty(schema).GetProperty("properties").GetProperty(property);

    [Test]
    public async Task Every_documented_validator_rule_reaches_its_field_in_the_document()
    {
        // Drift guard: every request DTO's validator, read as the server runs it; each format, pattern, list
        // limit and e-mail rule it holds must be the one the document states for that field.
        var document = await DocumentAsync();
        var schemas = document.GetProperty("components").GetProperty("schemas");
        var contract = typeof(ErrorResponse).Assembly;
        var requestTypes = typeof(DocumentedRules).Assembly.GetTypes()
            .Select(t => t.BaseType is { IsGenericType: true } b && b.GetGenericTypeDefinition() == typeof(AbstractValidator<>) ? b.GetGenericArguments()[0] : null)
            .OfType<Type>().Where(t => t.Assembly == contract && !t.IsGenericType && !t.IsArray).Distinct().ToList();
        Assert.That(requestTypes, Has.Count.GreaterThan(15));
        using var scope = App.Services.CreateScope();
        var checkedRules = 0;
        var queries = 0;
        foreach (var type in requestTypes)
        {
            // Query records ([AsParameters]) are not schemas: their fields are the operations' parameters (checked below).
            if (!schemas.TryGetProperty(type.Name, out _)) { queries++; continue; }
            var validator = (IValidator)scope.ServiceProvider.GetRequiredService(typeof(IValidator<>).MakeGenericType(type));
            foreach (var rule in validator.CreateDescriptor().Rules.Where(r => r.PropertyName is { Length: > 0 }))
            {
                var name = JsonNamingPolicy.CamelCase.ConvertName(rule.PropertyName);
                foreach (var component in rule.Components)
                {
                    var at = $"{type.Name}.{name}";
                    // A conditional rule (.When: a blank value is not checked) declares "blank, or what it accepts", and no format.
                    var conditional = component.HasCondition || component.HasAsyncCondition;
                    string Expected(string pattern) => conditional ? @"^\s*$|" + pattern : pattern;
                    switch (component.Validator)
                    {
                        case IDocumentedRule documented:
                            Assert.That(schemas.GetProperty(type.Name).GetProperty("properties").TryGetProperty(name, out var field), Is.True, at);
                            if (documented.MaxItems is { } max) Assert.That(field.GetProperty("maxItems").GetInt32(), Is.EqualTo(max), at);
                            if (documented.Pattern is { } pattern) Assert.That(field.GetProperty("pattern").GetString(), Is.EqualTo(Expected(pattern)), at);
                            if (documented.Format is { } format && !conditional) Assert.That(field.GetProperty("format").GetString(), Is.EqualTo(format), at);
                            checkedRules++;
                            break;
                        case IEmailValidator:
                            var email = Property(schemas, type.Name, name);
                            Assert.That(email.GetProperty("pattern").GetString(), Is.EqualTo(Expected("^[^@]+@[^@]+$")), at);
                            if (!conditional) Assert.That(email.GetProperty("format").GetString(), Is.EqualTo("email"), at);
                            else Assert.That(email.TryGetProperty("format", out _), Is.False, at + ": a blank e-mail is accepted, which format email would refuse");
                            checkedRules++;
                            break;
                    }
                }
            }
        }
        Assert.That(checkedRules, Is.GreaterThan(20));
        Assert.That(queries, Is.GreaterThan(3));

        // Query parameters take their record's rules too.
        var parameters = document.GetProperty("paths").GetProperty("/api/appointments/calendar").GetProperty("get").GetProperty("parameters")
            .EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("schema"));
        Assert.That(parameters["from"].GetProperty("format").GetString(), Is.EqualTo("date"));
        Assert.That(parameters["to"].GetProperty("format").GetString(), Is.EqualTo("date"));
        var status = document.GetProperty("paths").GetProperty("/api/appointments").GetProperty("get").GetProperty("parameters")
            .EnumerateArray().Single(p => p.GetProperty("name").GetString() == "status").GetProperty("schema");
        Assert.That(status.GetProperty("pattern").GetString(), Is.EqualTo(DocumentedRules.PatternOf(AppointmentStatus.All)));
    }

    [Test]
    public async Task Lists_colours_times_and_dates_carry_the_bounds_the_server_enforces()
    {
        var document = await DocumentAsync();
        var schemas = document.GetProperty("components").GetProperty("schemas");
        // Request lists: their validators' limits.
        Assert.That(Property(schemas, "SetHours", "intervals").GetProperty("maxItems").GetInt32(), Is.EqualTo(SetHoursValidator.MaxIntervals));
        Assert.That(Property(schemas, "CreatePayment", "allocations").GetProperty("maxItems").GetInt32(), Is.EqualTo(CreatePaymentValidator.MaxAllocations));
        Assert.That(Property(schemas, "QuestionInput", "options").GetProperty("maxItems").GetInt32(), Is.EqualTo(QuestionInputValidator.MaxOptions));
        Assert.That(Property(schemas, "SubmitMedicalHistory", "answers").GetProperty("maxItems").GetInt32(), Is.EqualTo(ReplaceQuestionsValidator.MaxQuestions));
        Assert.That(Property(schemas, "UpdateSettings", "reminderChannels").GetProperty("maxItems").GetInt32(), Is.EqualTo(ReminderChannel.All.Count));
        var paths = document.GetProperty("paths");
        Assert.That(paths.GetProperty("/api/medical-history/questions").GetProperty("put").GetProperty("requestBody").GetProperty("content")
            .GetProperty("application/json").GetProperty("schema").GetProperty("maxItems").GetInt32(), Is.EqualTo(ReplaceQuestionsValidator.MaxQuestions));
        // Responses: a page holds at most the page-size limit; the free slots of a 31-day window on the finest grid.
        Assert.That(Property(schemas, "PagedResultOfPatientDto", "data").GetProperty("maxItems").GetInt32(), Is.EqualTo(Paging.MaxLimit));
        Assert.That(paths.GetProperty("/api/appointments/availability").GetProperty("get").GetProperty("responses").GetProperty("200").GetProperty("content")
            .GetProperty("application/json").GetProperty("schema").GetProperty("maxItems").GetInt32(), Is.EqualTo(31 * 24 * 60 / 5));
        // Texts: colours, times, dates, e-mails, ids.
        Assert.That(Property(schemas, "CreateAppointmentType", "color").GetProperty("pattern").GetString(), Is.EqualTo("^#[0-9A-Fa-f]{6}$"));
        Assert.That(Property(schemas, "ChairDto", "color").GetProperty("pattern").GetString(), Is.EqualTo("^#[0-9A-Fa-f]{6}$"));
        Assert.That(Property(schemas, "CreateAppointment", "time").GetProperty("pattern").GetString(), Is.EqualTo(ClinicRules.TimePatternText));
        Assert.That(Property(schemas, "CreateAppointment", "date").GetProperty("format").GetString(), Is.EqualTo("date"));
        Assert.That(Property(schemas, "CreateUser", "email").GetProperty("format").GetString(), Is.EqualTo("email"));
        Assert.That(Property(schemas, "CreateUser", "role").GetProperty("pattern").GetString(), Is.EqualTo("^(admin|dentist|staff)$"));
        Assert.That(Property(schemas, "UpdateSettings", "timezone").GetProperty("pattern").GetString(), Does.EndWith("|" + UpdateSettingsValidator.TimezonePattern));
        // A colour may be sent blank to clear it (the validator's rule is conditional): the document must not refuse what the server takes.
        var calendarColor = Property(schemas, "UpdateUser", "calendarColor").GetProperty("pattern").GetString()!;
        Assert.That(Regex.IsMatch("", calendarColor) && Regex.IsMatch("#1a2B3c", calendarColor) && !Regex.IsMatch("red", calendarColor), Is.True, calendarColor);
        Assert.That(Property(schemas, "PatientDto", "id").GetProperty("format").GetString(), Is.EqualTo("uuid"));
        // Free text in a request: TextInput's rule, multi-line where it allows line breaks.
        Assert.That(Property(schemas, "CreatePatient", "firstName").GetProperty("pattern").GetString(), Is.EqualTo(TextInput.SingleLinePattern));
        Assert.That(Property(schemas, "CreatePatient", "address").GetProperty("pattern").GetString(), Is.EqualTo(TextInput.MultiLinePattern));
    }

    [Test]
    public void The_declared_text_patterns_mean_what_the_server_checks()
    {
        // Every IANA zone this system knows fits the declared time-zone pattern.
        foreach (var zone in TimeZoneInfo.GetSystemTimeZones().Where(z => z.HasIanaId))
            Assert.That(Regex.IsMatch(zone.Id, UpdateSettingsValidator.TimezonePattern), Is.True, zone.Id);
        Assert.That(Regex.IsMatch(@"C:\notes\today", TextInput.SingleLinePattern), Is.True, "a backslash is text");
        Assert.That(Regex.IsMatch("Anna\u0000", TextInput.SingleLinePattern), Is.False);
        Assert.That(Regex.IsMatch("Anna\u0085", TextInput.SingleLinePattern), Is.False);
        Assert.That(Regex.IsMatch("a\nb", TextInput.SingleLinePattern), Is.False);
        Assert.That(Regex.IsMatch("a\r\n\tb", TextInput.MultiLinePattern), Is.True);
        Assert.That(Regex.IsMatch("a\u001Bb", TextInput.MultiLinePattern), Is.False);
        Assert.That(Regex.IsMatch("24:00", ClinicRules.TimePatternText), Is.False);
    }
}
