using System.Net;
using System.Net.Http.Json;
using DentalClinic.ServiceInterface.Infrastructure;
using DentalClinic.ServiceModel;
using DentalClinic.Tests.Support;

namespace DentalClinic.Tests.Foundation;

/// <summary>Validation messages use the words of the form, and a field that breaks several rules gets one message.</summary>
public sealed class ValidationMessageTests(string provider) : ApiTest(provider)
{
    private static string MessageOf(ErrorBody error, string field) => error.Details.Single(d => d.Field == field).Message;

    [Test]
    public async Task Messages_name_fields_as_a_person_reads_them()
    {
        var dentist = await As(Roles.Dentist);
        var treatment = await AssertErrorAsync(await dentist.PostAsJsonAsync("/api/treatments",
            new { patientId = Guid.NewGuid(), toothNumber = 3, totalPrice = -1, amountPaid = -2, date = "2025-01-02" }),
            HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "totalPrice", "amountPaid");
        Assert.That(MessageOf(treatment, "totalPrice"), Does.StartWith("Total price must be"));
        Assert.That(MessageOf(treatment, "amountPaid"), Does.StartWith("Amount paid must be"));

        var settings = await AssertErrorAsync(await (await As(Roles.Admin)).PutAsJsonAsync("/api/settings", new { clinicEmail = "not an address" }),
            HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "clinicEmail");
        Assert.That(MessageOf(settings, "clinicEmail"), Does.Contain("Clinic e-mail").And.Not.Contain("clinic Email"));

        var patient = await AssertErrorAsync(await (await As(Roles.Staff)).PostAsJsonAsync("/api/patients",
            new { firstName = "Ann\u0007", lastName = "Lee", mobileNumber = "+1 212 555 0100" }),
            HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "firstName");
        Assert.That(MessageOf(patient, "firstName"), Is.EqualTo("First name must not contain control characters"));
    }

    [Test]
    public async Task An_empty_user_gets_one_message_per_field()
    {
        var error = await AssertErrorAsync(await (await As(Roles.Admin)).PostAsJsonAsync("/api/users", new { }),
            HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "name", "email", "role", "password");
        Assert.That(error.Details.Select(d => d.Field), Is.Unique, string.Join("; ", error.Details.Select(d => $"{d.Field}: {d.Message}")));
        Assert.That(MessageOf(error, "role"), Is.EqualTo("Role is required"));
        Assert.That(MessageOf(error, "password"), Is.EqualTo("Password is required"));
    }

    [TestCase("TotalPrice", "Total price")]
    [TestCase("AmountPaid", "Amount paid")]
    [TestCase("FirstName", "First name")]
    [TestCase("ClinicEmail", "Clinic e-mail")]
    [TestCase("AppointmentTypeId", "Appointment type")]
    [TestCase("ToothNumber", "Tooth number")]
    [TestCase("Id", "Id")]
    public void Display_names_are_words(string member, string expected) => Assert.That(DisplayNames.For(member), Is.EqualTo(expected));
}
