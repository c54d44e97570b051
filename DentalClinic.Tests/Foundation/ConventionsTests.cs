using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DentalClinic.ServiceModel;
using DentalClinic.Tests.Support;

namespace DentalClinic.Tests.Foundation;

/// <summary>The HTTP contract for every request, including those no endpoint handles.</summary>
public sealed class ConventionsTests(string provider) : ApiTest(provider)
{
    [Test]
    public async Task Unknown_route_is_404_envelope()
    {
        await AssertErrorAsync(await (await As(Roles.Staff)).GetAsync("/api/no-such-thing"), HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await AssertErrorAsync(await Anonymous().GetAsync("/nowhere"), HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }

    [Test]
    public async Task Wrong_method_is_405_envelope()
    {
        var response = await Anonymous().DeleteAsync("/api/auth/login");
        await AssertErrorAsync(response, HttpStatusCode.MethodNotAllowed, ErrorCodes.MethodNotAllowed);
        Assert.That(response.Content.Headers.Allow, Does.Contain("POST"));
    }

    [Test]
    public async Task Malformed_json_is_400_bad_request()
    {
        var response = await Anonymous().PostAsync("/api/auth/login", new StringContent("{\"email\": ", Encoding.UTF8, "application/json"));
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.BadRequest);
    }

    [Test]
    public async Task A_value_of_the_wrong_type_names_its_field()
    {
        var admin = await As(Roles.Admin);
        var response = await admin.PutAsync($"/api/users/{Guid.NewGuid()}",
            new StringContent("{\"active\": \"maybe\"}", Encoding.UTF8, "application/json"));
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.BadRequest, "active");
    }

    [Test]
    public async Task A_query_value_of_the_wrong_type_is_a_validation_error_naming_the_parameter()
    {
        var staff = await As(Roles.Staff);
        var limit = await AssertErrorAsync(await staff.GetAsync("/api/patients?limit=abc"), HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "limit");
        Assert.That(limit.Details.Single().Message, Is.EqualTo("Limit must be a whole number"));
        var patient = await AssertErrorAsync(await staff.GetAsync("/api/appointments?patientId=xyz"), HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "patientId");
        Assert.That(patient.Details.Single().Message, Does.StartWith("Patient must be an id"));
    }

    [Test]
    public async Task An_empty_body_is_a_validation_error_saying_a_body_is_required()
    {
        var staff = await As(Roles.Staff);
        foreach (var content in new HttpContent?[] { new StringContent("", Encoding.UTF8, "application/json"), null })
        {
            var error = await AssertErrorAsync(await staff.PostAsync("/api/patients", content), HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "body");
            Assert.That(error.Details.Single().Message, Is.EqualTo("A request body is required"));
        }
    }

    [Test]
    public async Task Non_json_body_is_415()
    {
        var response = await Anonymous().PostAsync("/api/auth/login", new StringContent("email=a&password=b", Encoding.UTF8, "application/x-www-form-urlencoded"));
        await AssertErrorAsync(response, HttpStatusCode.UnsupportedMediaType, ErrorCodes.UnsupportedMediaType);
    }

    [Test]
    public async Task Body_over_one_megabyte_is_413()
    {
        var huge = JsonSerializer.Serialize(new { email = "a@b.c", password = new string('x', 1_100_000) });
        // As a client uploading a large body should: it waits for the server's go-ahead, and the 413 comes instead.
        // Without it the server may answer and close while the client is still writing (a broken pipe in one full run).
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login") { Content = new StringContent(huge, Encoding.UTF8, "application/json") };
        request.Headers.ExpectContinue = true;
        var response = await Anonymous().SendAsync(request);
        await AssertErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, ErrorCodes.PayloadTooLarge);
    }

    [Test]
    public async Task A_crash_is_500_without_internals_and_with_a_request_id()
    {
        var response = await Anonymous().GetAsync("/api/test/crash");
        var body = await response.Content.ReadAsStringAsync();
        await AssertErrorAsync(response, HttpStatusCode.InternalServerError, ErrorCodes.InternalError);
        Assert.That(body, Does.Not.Contain("SELECT").And.Not.Contain("/var/lib").And.Not.Contain("Exception").And.Not.Contain(" at "));
        Assert.That(response.Headers.GetValues("X-Request-Id").Single(), Is.Not.Empty);
    }

    [Test]
    public async Task Responses_carry_security_headers_and_a_request_id()
    {
        var response = await Anonymous().GetAsync("/health/live");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Headers.GetValues("X-Content-Type-Options").Single(), Is.EqualTo("nosniff"));
        Assert.That(response.Headers.GetValues("Referrer-Policy").Single(), Is.EqualTo("no-referrer"));
        Assert.That(response.Headers.GetValues("Content-Security-Policy").Single(), Does.StartWith("default-src 'none'"));
        Assert.That(response.Headers.GetValues("X-Request-Id").Single(), Is.Not.Empty);
        Assert.That(response.Headers.Contains("Strict-Transport-Security"), Is.False, "HSTS only applies to HTTPS requests");
    }

    [Test]
    public async Task Health_ready_checks_the_database()
    {
        var response = await Anonymous().GetAsync("/health/ready");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("Healthy"));
    }

    [Test]
    public async Task Cors_allows_only_configured_origins()
    {
        async Task<HttpResponseMessage> Preflight(string origin)
        {
            var request = new HttpRequestMessage(HttpMethod.Options, "/api/auth/login");
            request.Headers.Add("Origin", origin);
            request.Headers.Add("Access-Control-Request-Method", "POST");
            request.Headers.Add("Access-Control-Request-Headers", "content-type,authorization");
            return await Anonymous().SendAsync(request);
        }
        var allowed = await Preflight("http://localhost:3000");
        Assert.That(allowed.Headers.GetValues("Access-Control-Allow-Origin").Single(), Is.EqualTo("http://localhost:3000"));
        Assert.That(allowed.Headers.Contains("Access-Control-Allow-Credentials"), Is.False);
        var refused = await Preflight("https://evil.example");
        Assert.That(refused.Headers.Contains("Access-Control-Allow-Origin"), Is.False);
    }

    [Test]
    public async Task OpenApi_document_describes_endpoints_errors_and_bearer_security()
    {
        var response = await Anonymous().GetAsync("/openapi/v1.json");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = doc.RootElement;
        Assert.That(root.GetProperty("openapi").GetString(), Does.StartWith("3.1"));
        Assert.That(root.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer").GetProperty("scheme").GetString(), Is.EqualTo("bearer"));
        Assert.That(root.GetProperty("components").GetProperty("schemas").TryGetProperty("ErrorResponse", out _), Is.True);

        var createUser = root.GetProperty("paths").GetProperty("/api/users").GetProperty("post");
        Assert.That(createUser.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _), Is.True);
        Assert.That(createUser.GetProperty("responses").TryGetProperty("201", out _), Is.True);
        Assert.That(createUser.GetProperty("responses").TryGetProperty("400", out _), Is.True);
        Assert.That(createUser.GetProperty("responses").TryGetProperty("403", out _), Is.True);
        Assert.That(createUser.TryGetProperty("security", out _), Is.True);

        // Required is what the validator always requires; a status is one of its allowed values.
        var schemas = root.GetProperty("components").GetProperty("schemas");
        Assert.That(schemas.GetProperty("CreateAppointment").GetProperty("required").EnumerateArray().Select(e => e.GetString()),
            Is.EquivalentTo(new[] { "patientId", "appointmentTypeId", "date", "time" }));
        Assert.That(schemas.GetProperty("UpdateUser").TryGetProperty("required", out var none) ? none.GetArrayLength() : 0, Is.EqualTo(0));
        Assert.That(schemas.GetProperty("AppointmentDto").GetProperty("properties").GetProperty("status").GetProperty("enum")
            .EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { "pending", "confirmed", "arrived", "completed", "cancelled", "no-show" }));
        Assert.That(root.GetProperty("paths").GetProperty("/api/patients").GetProperty("get").GetProperty("parameters")
            .EnumerateArray().Select(p => p.GetProperty("name").GetString()), Does.Contain("search").And.Contain("cursor"));

        var login = root.GetProperty("paths").GetProperty("/api/auth/login").GetProperty("post");
        Assert.That(login.GetProperty("security").GetArrayLength(), Is.Zero, "public: an explicit empty requirement");
        Assert.That(root.GetProperty("paths").TryGetProperty("/api/test/crash", out _), Is.False);
    }

    [Test]
    public async Task Api_reference_is_served_with_a_content_security_policy()
    {
        var response = await Anonymous().GetAsync("/docs");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
        Assert.That(response.Headers.GetValues("Content-Security-Policy").Single(), Does.Contain("frame-ancestors 'none'"));
    }
}

/// <summary>Rate limits at their production-like ceilings, on an application of their own.</summary>
public sealed class RateLimitTests(string provider) : ApiTest(provider)
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["RateLimits:PerUserPerMinute"] = "5",
        ["RateLimits:LoginPerIpPerMinute"] = "3",
    };

    [Test]
    public async Task Over_the_limit_is_429_with_retry_after()
    {
        // Anonymous requests share the caller's IP partition; login has its own stricter per-IP ceiling.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
            statuses.Add((await Anonymous().PostAsJsonAsync("/api/auth/login", new Login($"ip-{i}@clinic.test", "Wrong-password-1"))).StatusCode);
        Assert.That(statuses.Take(3), Is.All.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(statuses[3], Is.EqualTo(HttpStatusCode.TooManyRequests));

        HttpResponseMessage response;
        var attempts = 0;
        do response = await Anonymous().GetAsync("/api/nothing-here");
        while (response.StatusCode != HttpStatusCode.TooManyRequests && ++attempts < 10);
        await AssertErrorAsync(response, HttpStatusCode.TooManyRequests, ErrorCodes.RateLimited);
        Assert.That(response.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero));
        Assert.That(attempts, Is.LessThanOrEqualTo(5));

        // Health probes are never rate limited.
        Assert.That((await Anonymous().GetAsync("/health/live")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}

/// <summary>The IETF draft's RateLimit-* headers the limiter sends (issue 13, item 17), on an application of their own.</summary>
public sealed class RateLimitHeaderTests(string provider) : ApiTest(provider)
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["RateLimits:PerUserPerMinute"] = "6",
        ["RateLimits:LoginPerIpPerMinute"] = "3",
    };

    private static string Header(HttpResponseMessage response, string name) => response.Headers.GetValues(name).Single();

    [Test]
    public async Task Responses_say_where_the_caller_stands_in_ratelimit_headers()
    {
        // A signed-in user's own allowance (6 a minute here), counted down request by request.
        var login = await ReadAsync<LoginResponse>(await Anonymous().PostAsJsonAsync("/api/auth/login", new Login(ApiFactory.AdminEmail, ApiFactory.AdminPassword)));
        var admin = WithToken(login.AccessToken);
        var first = await admin.GetAsync("/api/auth/me");
        var second = await admin.GetAsync("/api/auth/me");
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(Header(first, "RateLimit-Limit"), Is.EqualTo("6"));
        Assert.That(Header(first, "RateLimit-Policy"), Is.EqualTo("6;w=60"));
        Assert.That(int.Parse(Header(second, "RateLimit-Remaining")), Is.EqualTo(int.Parse(Header(first, "RateLimit-Remaining")) - 1));
        Assert.That(int.Parse(Header(first, "RateLimit-Reset")), Is.InRange(1, 60));
        // An error in the envelope carries them too.
        var missing = await admin.GetAsync($"/api/patients/{Guid.NewGuid()}");
        Assert.That(missing.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(Header(missing, "RateLimit-Limit"), Is.EqualTo("6"));

        HttpResponseMessage response;
        var attempts = 0;
        do response = await admin.GetAsync("/api/auth/me");
        while (response.StatusCode != HttpStatusCode.TooManyRequests && ++attempts < 10);
        await AssertErrorAsync(response, HttpStatusCode.TooManyRequests, ErrorCodes.RateLimited);
        Assert.That(Header(response, "RateLimit-Remaining"), Is.EqualTo("0"));
        Assert.That(int.Parse(Header(response, "RateLimit-Reset")), Is.EqualTo((int)response.Headers.RetryAfter!.Delta!.Value.TotalSeconds).Within(1));

        // Sign-in reports its own, stricter per-IP limit (3 a minute) when it is the one closer to running out.
        var refresh = await Anonymous().PostAsJsonAsync("/api/auth/refresh", new RefreshSession(login.RefreshToken));
        Assert.That(Header(refresh, "RateLimit-Policy"), Is.EqualTo("3;w=60"));
        Assert.That(Header(refresh, "RateLimit-Limit"), Is.EqualTo("3"));
    }
}
