using System.Net;
using System.Net.Http.Json;
using DentalClinic.ServiceModel;
using DentalClinic.Tests.Support;

namespace DentalClinic.Tests.Operations;

/// <summary>
/// After a session that creates, finds, changes, duplicates and archives patients — and fails on
/// purpose along the way — nothing the application logged (at Debug, every category) contains a
/// patient's name, phone number or email.
/// </summary>
public sealed partial class LogPrivacyTests(string provider) : ApiTest(provider)
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Test:Database"] = "log-privacy" };

    [Test]
    public async Task Logs_carry_no_patient_names_phone_numbers_or_emails()
    {
        var staff = await As(Roles.Staff);
        var admin = await As(Roles.Admin);
        var suffix = Random.Shared.Next(1000, 9999);
        var (first, last, email) = ($"Quintessa{suffix}", $"Vandermolen{suffix}", $"quintessa.{suffix}@private.example");
        var mobile = $"+1 (415) 62{suffix / 1000}-{suffix:D4}";
        var e164 = $"+141562{suffix / 1000}{suffix:D4}";

        var created = await ReadAsync<PatientDto>(await staff.PostAsJsonAsync("/api/patients",
            new CreatePatient(first, last, mobile, email, "1975-06-07")), HttpStatusCode.Created);
        await staff.GetAsync($"/api/patients?search={first[..6]}");
        await staff.GetAsync($"/api/patients?search={suffix}");
        await staff.GetAsync($"/api/patients/{created.Id}");
        await staff.PutAsJsonAsync($"/api/patients/{created.Id}", new UpdatePatient(first, last + "-Smith", mobile, email, "1975-06-07"));
        // A duplicate number (409), an invalid one (400) and a bad date (400) are all logged paths.
        await staff.PostAsJsonAsync("/api/patients", new CreatePatient("Other", last, e164, null, null));
        await staff.PostAsJsonAsync("/api/patients", new CreatePatient(first, last, "not a phone " + suffix, email, "2999-01-01"));
        var link = await staff.PostAsJsonAsync($"/api/patients/{created.Id}/medical-history-link", new { sendSms = true });
        Assert.That(link.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        await admin.DeleteAsync($"/api/patients/{created.Id}");
        await admin.DeleteAsync($"/api/patients/{created.Id}?purge=true");

        var secrets = new[] { first, last, email, e164, e164.TrimStart('+'), mobile, $"{suffix:D4}62" };
        // Trace and span ids are hex: a run of digits can turn up inside one by chance, which is no leak.
        var leaks = App.Logs.Entries.Select(entry => HexIds().Replace(entry, ""))
            .Where(entry => secrets.Any(s => entry.Contains(s, StringComparison.OrdinalIgnoreCase))).ToList();
        Assert.That(App.Logs.Entries, Is.Not.Empty, "the capture works");
        Assert.That(leaks, Is.Empty);
    }

    [System.Text.RegularExpressions.GeneratedRegex("(?<![0-9a-fA-F])[0-9a-fA-F]{16,32}(?![0-9a-fA-F])")]
    private static partial System.Text.RegularExpressions.Regex HexIds();
}
