using System.Text.Json;
using DentalClinic.Tests.Support;

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
}
