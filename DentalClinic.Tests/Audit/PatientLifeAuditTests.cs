using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DentalClinic.ServiceModel;
using DentalClinic.Tests.MedicalHistory;
using DentalClinic.Tests.Scheduling;

namespace DentalClinic.Tests.Audit;

/// <summary>
/// A patient's whole life — create, update, archive, restore, a visit, a signed medical history,
/// reading it, purge — read back through GET /api/admin/audit. On a database of its own, so the
/// questionnaire is this fixture's.
/// </summary>
public sealed class PatientLifeAuditTests(string provider) : SchedulingTest(provider)
{
    protected override IReadOnlyDictionary<string, string?> Settings => FeatureSettings.For("audit-life", Provider);

    private async Task<AuditEntryDto[]> AuditAsync(string table, Guid id)
    {
        var page = await ReadAsync<PagedResult<AuditEntryDto>>(
            await (await As(Roles.Admin)).GetAsync($"/api/admin/audit?table={table}&entityId={id}&limit=100"));
        return page.Data.Reverse().ToArray();   // oldest first
    }

    private static string? Column(JsonElement? image, string column) =>
        image is { } row && row.TryGetProperty(column, out var value) && value.ValueKind != JsonValueKind.Null ? value.ToString() : null;

    [Test]
    public async Task A_patients_life_from_creation_to_purge_is_in_the_audit_log()
    {
        var staff = await As(Roles.Staff);
        var admin = await As(Roles.Admin);
        var staffId = (await ReadAsync<UserSummary>(await staff.GetAsync("/api/auth/me"))).Id;
        var adminId = (await ReadAsync<UserSummary>(await admin.GetAsync("/api/auth/me"))).Id;

        var created = await ReadAsync<PatientDto>(await staff.PostAsJsonAsync("/api/patients",
            new CreatePatient("Audrey", "Trail", "+351 91 555 0101", null, "1980-02-03")), HttpStatusCode.Created);
        var id = created.Id;
        await ReadAsync<PatientDto>(await staff.PutAsJsonAsync($"/api/patients/{id}",
            new UpdatePatient("Audrey", "Trail-Smith", "+351 91 555 0101", null, "1980-02-03")));
        Assert.That((await admin.DeleteAsync($"/api/patients/{id}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await ReadAsync<PatientDto>(await admin.PostAsync($"/api/patients/{id}/restore", null));

        var type = await CreateTypeAsync();
        var appointment = await BookOkAsync(id, type.Id, FreshDate(), "09:00");
        var treatment = await ReadAsync<TreatmentDto>(await admin.PostAsJsonAsync("/api/treatments",
            new CreateTreatment(id, 14, type.Id, 100m, 40m, 0m, "2030-01-02", null)), HttpStatusCode.Created);

        await admin.PutAsJsonAsync("/api/medical-history/questions", new[] { new QuestionInput(null, "Any allergies?", "text", null, false, 1) });
        var link = await ReadAsync<MedicalHistoryLinkDto>(await staff.PostAsJsonAsync($"/api/patients/{id}/medical-history-link", new { }), HttpStatusCode.Created);
        var submitted = await Anonymous().PostAsJsonAsync($"/api/medical-history/{link.Token}",
            new SubmitMedicalHistory(new DateOnly(1980, 2, 3), Convert.ToBase64String(TestImages.Png()), []));
        Assert.That(submitted.StatusCode, Is.EqualTo(HttpStatusCode.Created), await submitted.Content.ReadAsStringAsync());
        var history = await ReadAsync<JsonElement>(await admin.GetAsync($"/api/medical-history/patient/{id}"));
        var submissionId = history[0].GetProperty("id").GetGuid();

        Assert.That((await admin.DeleteAsync($"/api/patients/{id}?purge=true")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await admin.GetAsync($"/api/patients/{id}?archived=true")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));

        var life = await AuditAsync("patients", id);
        Assert.That(life.Select(e => e.Action), Is.EqualTo(new[] { "create", "update", "update", "update", "delete" }));
        Assert.That(life.Select(e => (e.UserId, e.UserRole)), Is.EqualTo(new[]
        {
            (staffId, Roles.Staff), (staffId, Roles.Staff), (adminId, Roles.Admin), (adminId, Roles.Admin), (adminId, Roles.Admin),
        }));
        Assert.That((Column(life[1].Before, "last_name"), Column(life[1].After, "last_name")), Is.EqualTo(("Trail", "Trail-Smith")));
        Assert.That((Column(life[2].Before, "archived_at"), Column(life[2].After, "archived_at")), Is.EqualTo(((string?)null, Column(life[2].After, "archived_at"))));
        Assert.That(Column(life[2].After, "archived_at"), Is.Not.Null, "archive");
        Assert.That(Column(life[3].After, "archived_at"), Is.Null, "restore");
        Assert.That(Column(life[4].Before, "last_name"), Is.EqualTo("Trail-Smith"), "the purge keeps what was erased");
        Assert.That(life[4].After, Is.Null);
        Assert.That(life.All(e => e.RequestId is { Length: > 0 }), Is.True);

        // The purge took every record of the patient with it, each deletion audited.
        Assert.That((await AuditAsync("appointments", appointment.Id)).Select(e => e.Action).Last(), Is.EqualTo("delete"));
        Assert.That((await AuditAsync("treatments", treatment.Id)).Select(e => e.Action).Last(), Is.EqualTo("delete"));
        var submission = await AuditAsync("medical_history_submissions", submissionId);
        Assert.That(submission.Select(e => e.Action), Is.EqualTo(new[] { "create", "access", "delete" }));
        Assert.That(submission[1].UserId, Is.EqualTo(adminId), "reading the answers is an access event");
        Assert.That(submission.SelectMany(e => new[] { Column(e.Before, "signature"), Column(e.After, "signature") }), Is.All.Null,
            "signature keys never enter the log");
    }
}
