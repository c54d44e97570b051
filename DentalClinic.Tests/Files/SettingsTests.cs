using System.Net;
using System.Net.Http.Json;
using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceModel;
using DentalClinic.Tests.MedicalHistory;
using DentalClinic.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace DentalClinic.Tests.Files;

/// <summary>Settings are one per clinic: this fixture has its own database and resets it where it needs a known start.</summary>
public sealed class SettingsTests(string provider) : ApiTest(provider)
{
    protected override IReadOnlyDictionary<string, string?> Settings => FeatureSettings.For("settings", Provider);

    /// <summary>Without the reminder channels (a list, which record equality compares by reference).</summary>
    private static SettingsDto Plain(SettingsDto settings) => settings with { ReminderChannels = null };

    private Task ResetAsync() => TestPatients.WithDbAsync(App, db => db.Set<Setting>().ExecuteDeleteAsync());

    [Test]
    public async Task Settings_have_defaults_and_admins_change_them()
    {
        await ResetAsync();
        var admin = await As(Roles.Admin);
        var staff = await As(Roles.Staff);
        var defaults = await ReadAsync<SettingsDto>(await staff.GetAsync("/api/settings"));
        Assert.That(defaults.ReminderChannels, Is.EqualTo(new[] { "sms", "email" }));
        Assert.That(Plain(defaults), Is.EqualTo(new SettingsDto("Dental Clinic", "UTC", 24, null, null, null, null)));
        await AssertErrorAsync(await staff.GetAsync("/api/settings/logo"), HttpStatusCode.NotFound, ErrorCodes.NotFound);

        var updated = await ReadAsync<SettingsDto>(await admin.PutAsJsonAsync("/api/settings", new UpdateSettings(
            "  Smile Dental  ", "Europe/Berlin", 48, "+49 30 1234567", "desk@smile.test", "Hauptstraße 1\n10115 Berlin")));
        var expected = new SettingsDto("Smile Dental", "Europe/Berlin", 48, "+49 30 1234567", "desk@smile.test", "Hauptstraße 1\n10115 Berlin", null);
        Assert.That(Plain(updated), Is.EqualTo(expected));
        Assert.That(Plain(await ReadAsync<SettingsDto>(await staff.GetAsync("/api/settings"))), Is.EqualTo(expected));

        // Missing fields stay; an empty contact field is cleared.
        var partial = await ReadAsync<SettingsDto>(await admin.PutAsJsonAsync("/api/settings", new { timezone = "America/New_York", clinicPhone = "" }));
        Assert.That(Plain(partial), Is.EqualTo(expected with { Timezone = "America/New_York", ClinicPhone = null }));

        // The public form shows the clinic's name.
        var patientId = await TestPatients.CreateAsync(App);
        var link = await ReadAsync<MedicalHistoryLinkDto>(
            await staff.PostAsJsonAsync($"/api/patients/{patientId}/medical-history-link", new CreateMedicalHistoryLink(1, true)), HttpStatusCode.Created);
        var form = await ReadAsync<MedicalHistoryForm>(await Anonymous().GetAsync($"/api/medical-history/{link.Token}"));
        Assert.That(form.Clinic, Is.EqualTo(new FormClinic("Smile Dental", null)));
        var sms = await TestPatients.WithDbAsync(App, db => db.Set<SmsOutboxMessage>().SingleAsync(m => m.Id == link.Sms!.Id));
        Assert.That(sms.Body, Does.StartWith("Smile Dental: "));
    }

    [Test]
    public async Task Invalid_settings_name_their_fields()
    {
        var admin = await As(Roles.Admin);
        var response = await admin.PutAsJsonAsync("/api/settings", new UpdateSettings("", "Mars/Olympus_Mons", 0, "call me", "not-an-email", "a\u0007b"));
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.ValidationError,
            "clinicName", "timezone", "reminderLeadTimeHours", "clinicPhone", "clinicEmail", "clinicAddress");
        foreach (var zone in new[] { "Pacific Standard Time", "Europe/Nowhere", "../../etc/passwd", "" })
            await AssertErrorAsync(await admin.PutAsJsonAsync("/api/settings", new { timezone = zone }),
                HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "timezone");
        await AssertErrorAsync(await admin.PutAsJsonAsync("/api/settings", new { reminderLeadTimeHours = 169 }),
            HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "reminderLeadTimeHours");
    }

    [TestCase(Roles.Dentist)]
    [TestCase(Roles.Staff)]
    public async Task Only_admins_change_settings(string role)
    {
        var client = await As(role);
        await AssertErrorAsync(await client.PutAsJsonAsync("/api/settings", new UpdateSettings("Mine", null, null, null, null, null)),
            HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        Assert.That((await client.GetAsync("/api/settings")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await AssertErrorAsync(await Anonymous().GetAsync("/api/settings"), HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
    }
}
