using System.Net;
using System.Net.Http.Json;
using DentalClinic.ServiceModel;
using DentalClinic.Tests.Operations;
using DentalClinic.Tests.Support;

namespace DentalClinic.Tests.Hardening;

/// <summary>
/// Configuration independent of the working directory (issue 13, item 15) and the API document
/// switchable off or admin-only (item 16).
/// </summary>
public class OperationsHardeningTests(string provider) : ApiTest(provider)
{
    [Test]
    public async Task Appsettings_beside_the_executable_are_read_from_any_working_directory()
    {
        // CommandRunner starts `dotnet …/DentalClinic.dll` in an empty temporary directory.
        // appsettings.json quiets EF Core's per-statement log; without it `migrate` logs every SQL statement.
        var migrated = await CommandRunner.RunAsync(new Dictionary<string, string?>
        {
            ["Database__Provider"] = Provider,
            ["ConnectionStrings__Default"] = TestDatabases.Create(Provider),
            ["Logging__LogLevel__Default"] = "Information",
            ["Logging__Console__FormatterName"] = "simple",
            ["Jwt__SigningKey"] = ApiFactory.SigningKey,
        }, "migrate");
        Assert.That(migrated.ExitCode, Is.EqualTo(0), migrated.Output + migrated.Error);
        Assert.That(migrated.Output, Does.Not.Contain("Executed DbCommand"));

        // appsettings.Production.json: PostgreSQL unless told otherwise, never a silent SQLite under ./data.
        var production = await CommandRunner.RunAsync(new Dictionary<string, string?>
        {
            ["Jwt__SigningKey"] = ApiFactory.SigningKey,
        }, "migrate");
        Assert.That(production.ExitCode, Is.EqualTo(1), production.Output + production.Error);
        Assert.That(production.Error, Does.Contain("Database:Provider is PostgreSQL but ConnectionStrings:Default is not set"));
    }

    [Test]
    public async Task Api_docs_can_be_switched_off()
    {
        var off = ApiFactory.For(Provider, new Dictionary<string, string?> { ["ApiDocs:Access"] = "Off" }).CreateClient();
        await AssertErrorAsync(await off.GetAsync("/openapi/v1.json"), HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await AssertErrorAsync(await off.GetAsync("/docs"), HttpStatusCode.NotFound, ErrorCodes.NotFound);
        Assert.That((await off.GetAsync("/health/live")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Api_docs_can_be_restricted_to_admins()
    {
        var app = ApiFactory.For(Provider, new Dictionary<string, string?> { ["ApiDocs:Access"] = "Admin" });
        var anonymous = app.CreateClient();
        await AssertErrorAsync(await anonymous.GetAsync("/openapi/v1.json"), HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
        await AssertErrorAsync(await anonymous.GetAsync("/docs"), HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);

        var login = await ReadAsync<LoginResponse>(await anonymous.PostAsJsonAsync("/api/auth/login", new Login(ApiFactory.AdminEmail, ApiFactory.AdminPassword)));
        var admin = app.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new("Bearer", login.AccessToken);
        Assert.That((await admin.GetAsync("/openapi/v1.json")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        // /docs redirects to /docs/, and HttpClient drops the Authorization header on a redirect: ask for the page itself.
        Assert.That((await admin.GetAsync("/docs/")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var staffEmail = $"staff-{Guid.NewGuid():N}@clinic.test";
        Assert.That((await admin.PostAsJsonAsync("/api/users", new CreateUser("Docs Staff", staffEmail, Roles.Staff, "Password-1234"))).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var staffLogin = await ReadAsync<LoginResponse>(await anonymous.PostAsJsonAsync("/api/auth/login", new Login(staffEmail, "Password-1234")));
        var staff = app.CreateClient();
        staff.DefaultRequestHeaders.Authorization = new("Bearer", staffLogin.AccessToken);
        await AssertErrorAsync(await staff.GetAsync("/openapi/v1.json"), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
    }

    [Test]
    public async Task Api_docs_are_public_by_default()
    {
        Assert.That((await Anonymous().GetAsync("/openapi/v1.json")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await Anonymous().GetAsync("/docs")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
