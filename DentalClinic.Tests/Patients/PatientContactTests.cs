using System.Net;
using System.Net.Http.Json;
using DentalClinic.ServiceModel;
using static DentalClinic.Tests.Patients.PatientTestData;

namespace DentalClinic.Tests.Patients;

/// <summary>A patient's postal address and emergency contact: optional, validated like the other texts and phone numbers.</summary>
public sealed class PatientContactTests(string provider) : PatientsTest(provider)
{
    [Test]
    public async Task Address_and_emergency_contact_are_kept_shown_and_cleared_by_a_put_without_them()
    {
        var staff = await As(Roles.Staff);
        var mobile = Mobile();
        var created = await ReadAsync<PatientDto>(await staff.PostAsJsonAsync("/api/patients",
            new CreatePatient("Ana", "Lima", mobile, null, null, "12 Harbour Road\r\nFlat 3\nPortsmouth  ", " Rui Lima ", "+44 7911 123456")),
            HttpStatusCode.Created);
        Assert.That((created.Address, created.EmergencyContactName, created.EmergencyContactPhone),
            Is.EqualTo(("12 Harbour Road\nFlat 3\nPortsmouth", "Rui Lima", "+44 7911 123456")));

        var read = await ReadAsync<PatientDetailsDto>(await staff.GetAsync($"/api/patients/{created.Id}"));
        Assert.That((read.Address, read.EmergencyContactName, read.EmergencyContactPhone), Is.EqualTo((created.Address, created.EmergencyContactName, created.EmergencyContactPhone)));
        var listed = await QueryAsync("search=" + Uri.EscapeDataString(mobile));
        Assert.That(listed.Data.Single().EmergencyContactPhone, Is.EqualTo("+44 7911 123456"));

        var cleared = await ReadAsync<PatientDto>(await staff.PutAsJsonAsync($"/api/patients/{created.Id}", new UpdatePatient("Ana", "Lima", mobile, null, null)));
        Assert.That((cleared.Address, cleared.EmergencyContactName, cleared.EmergencyContactPhone), Is.EqualTo(((string?)null, (string?)null, (string?)null)));
    }

    [Test]
    public async Task Invalid_contact_fields_are_refused_by_name()
    {
        var staff = await As(Roles.Staff);
        var error = await AssertErrorAsync(await staff.PostAsJsonAsync("/api/patients",
                new CreatePatient("Ana", "Lima", Mobile(), null, null, "Road\u0007", "Rui\u0000", "not a phone")),
            HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "address", "emergencyContactName", "emergencyContactPhone");
        Assert.That(error.Details.Single(d => d.Field == "emergencyContactPhone").Message, Does.StartWith("Emergency contact phone is not a valid phone number"));
        await AssertErrorAsync(await staff.PostAsJsonAsync("/api/patients",
                new CreatePatient("Ana", "Lima", Mobile(), null, null, new string('a', 501), new string('b', 201), null)),
            HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "address", "emergencyContactName");
    }
}
