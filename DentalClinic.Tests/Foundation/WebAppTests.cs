using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DentalClinic.ServiceModel;
using DentalClinic.Tests.MedicalHistory;
using DentalClinic.Tests.Support;

namespace DentalClinic.Tests.Foundation;

/// <summary>The API serves the built web app (Configure.WebApp.cs) from its own origin, behind the API's own paths.</summary>
public sealed class WebAppTests(string provider) : ApiTest(provider)
{
    private static readonly Lazy<string> Root = new(() =>
    {
        var root = Path.Combine(TestDatabases.TempDirectory, "webapp-out-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(root, "_next", "static", "chunks"));
        foreach (var page in new[] { "index", "sign-in", "patients", "medical-history", "404" })
            File.WriteAllText(Path.Combine(root, page + ".html"), $"<!DOCTYPE html><title>{page}</title>");
        File.WriteAllText(Path.Combine(root, "patients.txt"), "rsc payload of patients");
        File.WriteAllText(Path.Combine(root, "_next", "static", "chunks", "app-1234.js"), "console.log(1)");
        return root;
    });

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Test:Database"] = "webapp",
        ["WebApp:Root"] = Root.Value,
        ["Files:Local:Root"] = Path.Combine(TestDatabases.TempDirectory, $"files-webapp-{Provider}"),
    };

    private async Task<(HttpStatusCode Status, string Body, HttpResponseMessage Response)> GetAsync(string path)
    {
        var response = await Anonymous().GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    [Test]
    public async Task Pages_are_served_by_their_names_with_the_app_policy()
    {
        foreach (var (path, page) in new[] { ("/", "index"), ("/sign-in", "sign-in"), ("/patients", "patients"), ("/patients/", "patients") })
        {
            var (status, body, response) = await GetAsync(path);
            Assert.That(status, Is.EqualTo(HttpStatusCode.OK), path);
            Assert.That(body, Does.Contain($"<title>{page}</title>"), path);
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
            Assert.That(response.Headers.CacheControl?.NoCache, Is.True, "pages are revalidated");
            var policy = response.Headers.GetValues("Content-Security-Policy").Single();
            Assert.That(policy, Does.Contain("script-src 'self'").And.Contain("connect-src 'self'").And.Contain("frame-ancestors 'none'"));
        }
        var (payloadStatus, payload, _) = await GetAsync("/patients.txt");
        Assert.That((payloadStatus, payload), Is.EqualTo((HttpStatusCode.OK, "rsc payload of patients")));
    }

    [Test]
    public async Task Build_assets_are_cached_for_good()
    {
        var (status, body, response) = await GetAsync("/_next/static/chunks/app-1234.js");
        Assert.That((status, body), Is.EqualTo((HttpStatusCode.OK, "console.log(1)")));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/javascript"));
        Assert.That(response.Headers.CacheControl?.ToString(), Does.Contain("immutable"));
        Assert.That((await GetAsync("/_next/static/chunks/missing.js")).Status, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task The_form_page_answers_every_medical_history_link()
    {
        var (status, body, _) = await GetAsync("/medical-history/AbC_123-xyz");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body, Does.Contain("<title>medical-history</title>"));
    }

    [Test]
    public async Task An_unknown_page_is_the_apps_404_page()
    {
        var (status, body, _) = await GetAsync("/no-such-page");
        Assert.That(status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(body, Does.Contain("<title>404</title>"));
        Assert.That((await GetAsync("/../appsettings.json")).Status, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task The_apis_paths_keep_priority_and_their_error_envelope()
    {
        var unknown = await Anonymous().GetAsync("/api/no-such-route");
        await AssertErrorAsync(unknown, HttpStatusCode.NotFound, ErrorCodes.NotFound);
        Assert.That(unknown.Headers.GetValues("Content-Security-Policy").Single(), Does.StartWith("default-src 'none'"));
        var health = await Anonymous().GetAsync("/health/live");
        Assert.That(health.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(health.Content.Headers.ContentType?.MediaType, Is.Not.EqualTo("text/html"));
        var document = await Anonymous().GetAsync("/openapi/v1.json");
        Assert.That(document.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        // Writes never reach the app's files.
        var post = await Anonymous().PostAsync("/sign-in", new StringContent(""));
        Assert.That(post.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Medical_history_links_point_at_the_apps_own_form_page()
    {
        var patientId = await TestPatients.CreateAsync(App);
        var staff = await As(Roles.Staff);
        var response = await staff.PostAsJsonAsync($"/api/patients/{patientId}/medical-history-link", new CreateMedicalHistoryLink(48, null));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var link = (await response.Content.ReadFromJsonAsync<MedicalHistoryLinkDto>(Json))!;
        var origin = Anonymous().BaseAddress!.GetLeftPart(UriPartial.Authority);
        Assert.That(link.Url, Is.EqualTo($"{origin}/medical-history/{link.Token}"));
        var (status, body, _) = await GetAsync(new Uri(link.Url).PathAndQuery);
        Assert.That((status, body), Is.EqualTo((HttpStatusCode.OK, "<!DOCTYPE html><title>medical-history</title>")));
    }
}
