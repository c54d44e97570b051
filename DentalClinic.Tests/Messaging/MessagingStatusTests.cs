using System.Net;
using System.Net.Http.Json;
using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceModel;
using DentalClinic.Tests.Reminders;
using DentalClinic.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace DentalClinic.Tests.Messaging;

/// <summary>GET /api/admin/messaging: reminders and the SMS outbox as admins see them, on a database of its own.</summary>
public sealed class MessagingStatusTests(string provider) : ReminderTest(provider)
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(SinkSettings("messaging-status"))
    {
        // No job server: nothing sends or skips behind the test's back.
        ["Jobs:Enabled"] = "false",
    };

    [Test]
    public async Task Admins_see_counts_per_status_and_the_latest_reminders_and_sms_without_their_body()
    {
        var admin = await As(Roles.Admin);
        var before = await ReadAsync<MessagingStatusDto>(await admin.GetAsync("/api/admin/messaging"));
        Assert.That(before.Reminders.Select(c => c.Status), Is.EqualTo(ReminderStatus.All));
        Assert.That(before.Sms.Select(c => c.Status), Is.EqualTo(SmsStatus.All));

        // A reminder skipped for want of an e-mail address, and a form link sent by SMS (pending).
        var date = FreshDate();
        var (patient, _, appointment) = await BookPatientAsync(null, date, "12:00");
        await DispatchAsync(Utc(date, "12:00").AddHours(-1));
        var link = await ReadAsync<MedicalHistoryLinkDto>(
            await admin.PostAsJsonAsync($"/api/patients/{patient.Id}/medical-history-link", new { sendSms = true }), HttpStatusCode.Created);
        // And one that failed for good.
        await WithDbAsync(db => db.Set<SmsOutboxMessage>().Where(m => m.Id == link.Sms!.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Attempts, 5).SetProperty(m => m.LastError, "Twilio 400: unknown number")));
        var failed = await ReadAsync<MedicalHistoryLinkDto>(
            await admin.PostAsJsonAsync($"/api/patients/{patient.Id}/medical-history-link", new { sendSms = true }), HttpStatusCode.Created);
        await WithDbAsync(db => db.Set<SmsOutboxMessage>().Where(m => m.Id == failed.Sms!.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, SmsStatus.Failed).SetProperty(m => m.LastError, "Twilio 400: unknown number")));

        // And one the log provider only recorded.
        var logged = await ReadAsync<MedicalHistoryLinkDto>(
            await admin.PostAsJsonAsync($"/api/patients/{patient.Id}/medical-history-link", new { sendSms = true }), HttpStatusCode.Created);
        await WithDbAsync(db => db.Set<SmsOutboxMessage>().Where(m => m.Id == logged.Sms!.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, SmsStatus.Logged)));

        var response = await admin.GetAsync("/api/admin/messaging");
        var raw = await response.Content.ReadAsStringAsync();
        var after = await ReadAsync<MessagingStatusDto>(response);
        int Count(IReadOnlyList<StatusCount> counts, string status) => counts.Single(c => c.Status == status).Count;
        Assert.That(Count(after.Reminders, ReminderStatus.Skipped), Is.EqualTo(Count(before.Reminders, ReminderStatus.Skipped) + 1));
        Assert.That(Count(after.Sms, SmsStatus.Pending), Is.EqualTo(Count(before.Sms, SmsStatus.Pending) + 1));
        Assert.That(Count(after.Sms, SmsStatus.Failed), Is.EqualTo(Count(before.Sms, SmsStatus.Failed) + 1));
        Assert.That(Count(after.Sms, SmsStatus.Logged), Is.EqualTo(Count(before.Sms, SmsStatus.Logged) + 1));

        var reminder = after.LatestReminders.Single(r => r.AppointmentId == appointment.Id);
        Assert.That((reminder.Status, reminder.AppointmentDate, reminder.AppointmentTime, reminder.Reason),
            Is.EqualTo((ReminderStatus.Skipped, date, "12:00", "The patient has no e-mail address")));
        Assert.That(after.LatestSms.Take(3).Select(m => m.Id), Is.EqualTo(new[] { logged.Sms!.Id, failed.Sms!.Id, link.Sms!.Id }), "newest first");
        var pending = after.LatestSms.Single(m => m.Id == link.Sms!.Id);
        Assert.That((pending.Status, pending.To, pending.Purpose, pending.Attempts, pending.LastError),
            Is.EqualTo((SmsStatus.Pending, link.Sms!.To, "medical_history_link", 5, "Twilio 400: unknown number")));
        Assert.That(after.LatestSms.Single(m => m.Id == failed.Sms!.Id).Status, Is.EqualTo(SmsStatus.Failed));
        // The text carries the form link's token: it never leaves the database through this endpoint.
        Assert.That(raw, Does.Not.Contain(link.Token).And.Not.Contain(failed.Token).And.Not.Contain(logged.Token).And.Not.Contain("\"body\""));
    }

    [TestCase(Roles.Staff)]
    [TestCase(Roles.Dentist)]
    public async Task Only_admins_may_read_it(string role)
    {
        await AssertErrorAsync(await (await As(role)).GetAsync("/api/admin/messaging"), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        Assert.That((await Anonymous().GetAsync("/api/admin/messaging")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }
}
