using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using DentalClinic.ServiceModel;
using DentalClinic.Tests.MedicalHistory;
using DentalClinic.Tests.Support;

namespace DentalClinic.Tests.Hardening;

/// <summary>
/// Behind a proxy (issue 13, item 13): X-Forwarded-For counts only from configured proxies, and
/// public URLs come from configuration or the listening address, never from the request's Host.
/// </summary>
public class ProxyTests(string provider) : ApiTest(provider)
{
    private const string Client = "203.0.113.7";

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["ForwardedHeaders:KnownProxies:0"] = "127.0.0.1",
    };

    /// <summary>Creates a patient through <paramref name="app"/> as if forwarded for <see cref="Client"/>; returns the audited IP.</summary>
    private static async Task<string?> AuditedIpAsync(ApiFactory app)
    {
        var client = app.CreateClient();
        var login = await client.PostAsJsonAsync("/api/auth/login", new Login(ApiFactory.AdminEmail, ApiFactory.AdminPassword));
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (await ReadAsync<LoginResponse>(login)).AccessToken);

        var digits = string.Concat(Enumerable.Range(0, 7).Select(_ => Random.Shared.Next(10)));
        using var create = new HttpRequestMessage(HttpMethod.Post, "/api/patients")
        {
            Content = JsonContent.Create(new CreatePatient("Proxy", "Client", $"+351 92 {digits}", null, null)),
        };
        create.Headers.Add("X-Forwarded-For", Client);
        var patient = await ReadAsync<PatientDto>(await client.SendAsync(create), HttpStatusCode.Created);

        var audit = await ReadAsync<PagedResult<AuditEntryDto>>(await client.GetAsync($"/api/admin/audit?table=patients&entityId={patient.Id}"));
        return audit.Data.Single().IpAddress;
    }

    [Test]
    public async Task Forwarded_for_is_believed_from_a_configured_proxy()
    {
        Assert.That(await AuditedIpAsync(App), Is.EqualTo(Client));
    }

    [Test]
    public async Task Forwarded_for_is_ignored_without_configuration_or_from_another_address()
    {
        Assert.That(await AuditedIpAsync(ApiFactory.For(Provider)), Is.EqualTo("127.0.0.1"));
        var otherProxy = ApiFactory.For(Provider, new Dictionary<string, string?> { ["ForwardedHeaders:KnownNetworks:0"] = "10.0.0.0/8" });
        Assert.That(await AuditedIpAsync(otherProxy), Is.EqualTo("127.0.0.1"));
    }

    [Test]
    public async Task A_forged_host_never_reaches_public_urls()
    {
        var admin = await As(Roles.Admin);
        using var upload = new MultipartFormDataContent { { new ByteArrayContent(TestImages.Png(shade: 0x31)), "file", "logo.png" } };
        using var put = new HttpRequestMessage(HttpMethod.Put, "/api/settings/logo") { Content = upload };
        put.Headers.Host = "evil.example";
        put.Headers.Add("X-Forwarded-Host", "evil.example");
        put.Headers.Add("X-Forwarded-Proto", "https");
        var uploaded = await ReadAsync<LogoDto>(await admin.SendAsync(put));

        using var get = new HttpRequestMessage(HttpMethod.Get, "/api/settings/logo");
        get.Headers.Host = "evil.example";
        var logo = await ReadAsync<LogoDto>(await admin.SendAsync(get));

        var server = admin.BaseAddress!.GetLeftPart(UriPartial.Authority);
        Assert.That(uploaded.Url, Does.StartWith(server + "/api/settings/logo/"));
        Assert.That(logo.Url, Is.EqualTo(uploaded.Url));
    }
}
