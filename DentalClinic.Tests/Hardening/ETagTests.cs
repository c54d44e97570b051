using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DentalClinic.ServiceModel;
using DentalClinic.Tests.Patients;
using DentalClinic.Tests.Support;

namespace DentalClinic.Tests.Hardening;

/// <summary>
/// Optimistic concurrency: records carry an ETag; a PUT with a stale If-Match is a 412 and changes
/// nothing; racing PUTs with the same If-Match — one wins; without If-Match a PUT works as before.
/// An application of its own: the settings and the questionnaire are changed here.
/// </summary>
public sealed class ETagTests(string provider) : ApiTest(provider)
{
    private ApiFactory app = null!;
    private HttpClient admin = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        app = ApiFactory.StartOwn(Provider);
        admin = await AuditChainTests.SignInAsync(app);
    }

    [OneTimeTearDown]
    public async Task Stop() => await app.DisposeAsync();

    private async Task<string> CreateAsync(string path, object body)
    {
        var created = await admin.PostAsJsonAsync(path, body);
        var json = await ReadAsync<JsonElement>(created, HttpStatusCode.Created);
        Assert.That(created.Headers.ETag, Is.Not.Null, "a created record carries its ETag");
        return $"{path}/{json.GetProperty("id").GetGuid()}";
    }

    private async Task<(string Id, string Type)> PatientAndTypeAsync()
    {
        var patient = await CreateAsync("/api/patients", PatientTestData.NewPatient());
        var type = await CreateAsync("/api/appointment-types", new { name = $"Type {Guid.NewGuid():N}"[..20], price = 50, duration = 30, color = "#3366CC" });
        return (patient.Split('/')[^1], type.Split('/')[^1]);
    }

    public static IEnumerable<string> Resources => ["patient", "appointment-type", "appointment", "treatment"];

    private async Task<(string Path, Func<int, object> Change)> RecordAsync(string kind)
    {
        var (patientId, typeId) = await PatientAndTypeAsync();
        return kind switch
        {
            "patient" => ($"/api/patients/{patientId}", i => PatientTestData.NewPatient(firstName: $"Renamed{(char)('a' + i)}")),
            "appointment-type" => ($"/api/appointment-types/{typeId}", i => new { price = 60 + i }),
            "appointment" => (await CreateAsync("/api/appointments", new
            {
                patientId, appointmentTypeId = typeId, date = $"{2300 + Random.Shared.Next(0, 600)}-0{Random.Shared.Next(1, 10)}-1{Random.Shared.Next(0, 10)}",
                time = "10:00", allowOverlap = true,
            }), i => new { notes = $"note {i}" }),
            "treatment" => (await CreateAsync("/api/treatments", new { patientId, toothNumber = 11, appointmentTypeId = typeId, totalPrice = 100, amountPaid = 0, discount = 0, date = "2025-12-20" }),
                i => new { notes = $"note {i}" }),
            _ => throw new ArgumentException(kind),
        };
    }

    [TestCaseSource(nameof(Resources))]
    public async Task A_stale_if_match_is_412_and_changes_nothing(string kind)
    {
        var (path, change) = await RecordAsync(kind);
        var read = await admin.GetAsync(path);
        var etag = read.Headers.ETag?.Tag;
        Assert.That(etag, Is.Not.Null, $"GET {path} carries an ETag");

        var first = await PutAsync(path, change(0), etag);
        var body = await first.Content.ReadAsStringAsync();
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK), body);
        var newEtag = first.Headers.ETag?.Tag;
        Assert.That(newEtag, Is.Not.Null.And.Not.EqualTo(etag));

        // Someone who read before that change: refused, and the record stays as the first writer left it.
        await AssertErrorAsync(await PutAsync(path, change(1), etag), HttpStatusCode.PreconditionFailed, ErrorCodes.PreconditionFailed);
        var after = await admin.GetAsync(path);
        Assert.That(after.Headers.ETag?.Tag, Is.EqualTo(newEtag));

        // With the current ETag, or without If-Match (as before), the change goes through.
        Assert.That((await PutAsync(path, change(2), newEtag)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await PutAsync(path, change(3), null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [TestCaseSource(nameof(Resources))]
    public async Task Racing_puts_with_the_same_if_match_let_one_through(string kind)
    {
        var (path, change) = await RecordAsync(kind);
        var etag = (await admin.GetAsync(path)).Headers.ETag!.Tag;
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => PutAsync(path, change(i), etag)));
        var statuses = responses.Select(r => r.StatusCode).ToList();
        Assert.That(statuses.Count(s => s == HttpStatusCode.OK), Is.EqualTo(1), string.Join(",", statuses));
        Assert.That(statuses.Where(s => s != HttpStatusCode.OK), Is.All.EqualTo(HttpStatusCode.PreconditionFailed));
    }

    [TestCaseSource(nameof(Resources))]
    public async Task Puts_with_and_without_if_match_racing_on_one_record_never_deadlock(string kind)
    {
        // A PUT with If-Match locks the record before it writes; one without locks it as it writes (for an appointment
        // after its date's booking lock), and both take the audit chain's lock as they commit: the two must not deadlock.
        var (path, change) = await RecordAsync(kind);
        for (var round = 0; round < 3; round++)
        {
            var etag = (await admin.GetAsync(path)).Headers.ETag!.Tag;
            var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => PutAsync(path, change(i), i % 2 == 0 ? etag : null)));
            var statuses = responses.Select(r => (int)r.StatusCode).ToList();
            Assert.That(statuses, Is.All.AnyOf(200, 412), string.Join(",", statuses) + "\n" +
                string.Join("\n", app.Logs.Entries.Where(e => e.Contains("Unhandled")).Take(2)));
            Assert.That(statuses.Where((_, i) => i % 2 == 1), Is.All.EqualTo(200), string.Join(",", statuses));
        }
    }

    [Test]
    public async Task Settings_and_the_questionnaire_carry_etags_and_refuse_stale_ones()
    {
        var settings = await admin.GetAsync("/api/settings");
        var etag = settings.Headers.ETag!.Tag;
        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(i =>
            PutAsync("/api/settings", new { clinicPhone = $"+1 555 010 00{i:D2}" }, etag)));
        Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.OK), Is.EqualTo(1),
            string.Join(",", responses.Select(r => (int)r.StatusCode)));
        await AssertErrorAsync(await PutAsync("/api/settings", new { clinicName = "Stale" }, etag), HttpStatusCode.PreconditionFailed, ErrorCodes.PreconditionFailed);
        Assert.That((await PutAsync("/api/settings", new { clinicName = "Fresh" }, null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var questions = await admin.GetAsync("/api/medical-history/questions");
        var qEtag = questions.Headers.ETag!.Tag;
        var replace = new[] { new { question = "Allergies?", type = "text", required = true, order = 1 } };
        var ok = await PutAsync("/api/medical-history/questions", replace, qEtag);
        Assert.That(ok.StatusCode, Is.EqualTo(HttpStatusCode.OK), await ok.Content.ReadAsStringAsync());
        await AssertErrorAsync(await PutAsync("/api/medical-history/questions", replace, qEtag), HttpStatusCode.PreconditionFailed, ErrorCodes.PreconditionFailed);
        Assert.That((await PutAsync("/api/medical-history/questions", replace, ok.Headers.ETag!.Tag)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    private Task<HttpResponseMessage> PutAsync(string path, object body, string? ifMatch)
    {
        var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = JsonContent.Create(body, body.GetType(), options: Json) };
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        return admin.SendAsync(request);
    }
}
