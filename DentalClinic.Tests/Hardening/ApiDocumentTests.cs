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
}
