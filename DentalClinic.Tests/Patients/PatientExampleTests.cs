using System.Net;
using System.Text;
using System.Text.Json;
using DentalClinic.ServiceModel;

namespace DentalClinic.Tests.Patients;

/// <summary>The specification's own example, verbatim, on a database of its own (its number can be registered only once).</summary>
public sealed class PatientExampleTests(string provider) : PatientsTest(provider)
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Test:Database"] = "patient-example" };

    [Test]
    public async Task The_specification_example_gives_exactly_its_fields_with_the_number_as_entered()
    {
        var staff = await As(Roles.Staff);
        const string mobile = "+1 (555) 123-4567";
        const string email = "john.doe@email.com";
        var response = await staff.PostAsync("/api/patients", new StringContent("""
            {
              "firstName": "John",
              "lastName": "Doe",
              "mobileNumber": "+1 (555) 123-4567",
              "email": "john.doe@email.com"
            }
            """, Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), body);

        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        Assert.That(root.EnumerateObject().Select(p => p.Name),
            Is.SupersetOf(new[] { "id", "firstName", "lastName", "mobileNumber", "email", "dateOfBirth", "createdAt", "updatedAt" }));
        Assert.That(root.GetProperty("firstName").GetString(), Is.EqualTo("John"));
        Assert.That(root.GetProperty("lastName").GetString(), Is.EqualTo("Doe"));
        Assert.That(root.GetProperty("mobileNumber").GetString(), Is.EqualTo(mobile), "the number is returned as entered");
        Assert.That(root.GetProperty("email").GetString(), Is.EqualTo(email));
        Assert.That(root.GetProperty("dateOfBirth").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(root.GetProperty("createdAt").GetString(), Does.EndWith("Z"));
        Assert.That(root.GetProperty("updatedAt").GetString(), Is.EqualTo(root.GetProperty("createdAt").GetString()));
        var id = root.GetProperty("id").GetGuid();
        Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"/api/patients/{id}"));

        var read = await ReadAsync<PatientDetailsDto>(await staff.GetAsync($"/api/patients/{id}"));
        Assert.That((read.FirstName, read.LastName, read.MobileNumber, read.Email), Is.EqualTo(("John", "Doe", mobile, email)));

        // docs/architecture.md, data rules: "+1 (555) 123-4567 and +15551234567 are the same patient".
        var twin = await staff.PostAsync("/api/patients", new StringContent(
            """{"firstName":"Jane","lastName":"Doe","mobileNumber":"+15551234567"}""", Encoding.UTF8, "application/json"));
        await AssertErrorAsync(twin, HttpStatusCode.Conflict, ErrorCodes.Conflict, "mobileNumber");
    }
}
