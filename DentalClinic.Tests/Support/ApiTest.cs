using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using DentalClinic.ServiceModel;

namespace DentalClinic.Tests.Support;

/// <summary>
/// Base of the HTTP tests: each fixture runs once per provider (PostgreSQL and SQLite) against
/// the real application over loopback HTTP. Tests make their own data and depend on no other test.
/// </summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.Providers))]
public abstract class ApiTest(string provider)
{
    public static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    protected string Provider { get; } = provider;
    protected ApiFactory App => ApiFactory.For(Provider, Settings);

    /// <summary>Extra configuration for this fixture's application; fixtures with the same settings share one.</summary>
    protected virtual IReadOnlyDictionary<string, string?>? Settings => null;

    private readonly ConcurrentDictionary<string, Task<HttpClient>> clients = new();

    protected HttpClient Anonymous() => App.CreateClient();

    protected HttpClient WithToken(string token)
    {
        var client = App.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A client signed in with the given role (one user per role per fixture).</summary>
    protected Task<HttpClient> As(string role) => clients.GetOrAdd(role, async r =>
    {
        if (r == Roles.Admin) return WithToken((await LoginAsync(ApiFactory.AdminEmail, ApiFactory.AdminPassword)).AccessToken);
        var (_, login) = await CreateUserAsync(r);
        return WithToken(login.AccessToken);
    });

    protected async Task<LoginResponse> LoginAsync(string email, string password)
    {
        var response = await Anonymous().PostAsJsonAsync("/api/auth/login", new Login(email, password));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<LoginResponse>(Json))!;
    }

    protected async Task<(UserDto User, LoginResponse Login)> CreateUserAsync(string role, string password = "Password-1234")
    {
        var admin = await As(Roles.Admin);
        var email = $"{role}-{Guid.NewGuid():N}@clinic.test";
        var response = await admin.PostAsJsonAsync("/api/users", new CreateUser($"Test {role}", email, role, password));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var user = (await response.Content.ReadFromJsonAsync<UserDto>(Json))!;
        return (user, await LoginAsync(email, password));
    }

    protected static async Task<T> ReadAsync<T>(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(expected), body);
        return JsonSerializer.Deserialize<T>(body, Json)!;
    }

    /// <summary>Asserts the error envelope: status, code and (when given) the fields named in details.</summary>
    protected static async Task<ErrorBody> AssertErrorAsync(HttpResponseMessage response, HttpStatusCode status, string code, params string[] fields)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status), body);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"), body);
        var error = JsonSerializer.Deserialize<ErrorResponse>(body, Json)!.Error;
        Assert.That(error.Code, Is.EqualTo(code), body);
        // `details` is always there, an empty array when there is nothing to name.
        using (var raw = JsonDocument.Parse(body))
            Assert.That(raw.RootElement.GetProperty("error").TryGetProperty("details", out var details) &&
                        details.ValueKind == JsonValueKind.Array, Is.True, body);
        Assert.That(error.Message, Is.Not.Empty);
        if (fields.Length > 0)
            Assert.That(error.Details?.Select(d => d.Field), Is.SupersetOf(fields), body);
        return error;
    }
}
