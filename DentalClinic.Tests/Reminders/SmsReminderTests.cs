using System.Collections.Concurrent;
using System.Net.Http.Json;
using DentalClinic.ServiceInterface.Messaging;
using DentalClinic.ServiceModel;
using DentalClinic.Tests.Support;

namespace DentalClinic.Tests.Reminders;

/// <summary>Records every text message; fails the first <c>failures</c> sends (for good when <c>permanent</c>).</summary>
public sealed class RecordingSmsSender(int failures = 0, bool permanent = false) : ISmsSender
{
    private int calls;
    public ConcurrentQueue<(string To, string Body)> Sent { get; } = new();

    public Task<string> SendAsync(string toE164, string body, CancellationToken ct)
    {
        if (Interlocked.Increment(ref calls) <= failures) throw new SmsException("The provider answered 503", permanent);
        Sent.Enqueue((toE164, body));
        return Task.FromResult("SM" + Guid.NewGuid().ToString("N"));
    }
}

/// <summary>Reminders by SMS and e-mail (settings reminderChannels, default both): exactly once per channel, every attempt recorded.</summary>
public sealed class SmsReminderTests(string provider) : ReminderTest(provider)
{
    protected override IReadOnlyDictionary<string, string?> Settings
    {
        get
        {
            var settings = SinkSettings("sms-reminders");
            settings.Remove("Clinic:ReminderChannels");
            return settings;
        }
    }

    private static string E164(PatientDto patient) => "+" + new string(patient.MobileNumber.Where(char.IsAsciiDigit).ToArray());

    [Test]
    public async Task By_default_a_reminder_goes_once_by_sms_and_once_by_email()
    {
        Assert.That((await ReadAsync<SettingsDto>(await (await As(Roles.Staff)).GetAsync("/api/settings"))).ReminderChannels, Is.EqualTo(new[] { "sms", "email" }));
        var email = UniqueEmail();
        var date = FreshDate();
        var (patient, type, appointment) = await BookPatientAsync(email, date, "10:00");
        var sms = new RecordingSmsSender();
        var due = Utc(date, "10:00").AddHours(-23);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => DispatchAsync(due.AddSeconds(i), sms)));
        await DispatchAsync(due.AddMinutes(5), sms);

        var text = sms.Sent.Where(m => m.To == E164(patient)).ToList();
        Assert.That(text, Has.Count.EqualTo(1));
        Assert.That(text[0].Body, Does.Contain(ClinicName).And.Contain(patient.FirstName).And.Contain(type.Name).And.Contain("10:00"));
        Assert.That(SmtpSink.MessagesTo(email), Has.Count.EqualTo(1));

        var reminders = await RemindersAsync(appointment.Id);
        Assert.That(reminders.Select(r => (r.Channel, r.Status, r.AttemptCount)).OrderBy(r => r.Channel),
            Is.EqualTo(new[] { ("email", ReminderStatus.Sent, 1), ("sms", ReminderStatus.Sent, 1) }));
        var bySms = reminders.Single(r => r.Channel == "sms");
        Assert.That((bySms.Phone, bySms.Email, bySms.Attempts.Single().Phone, bySms.Attempts.Single().Channel),
            Is.EqualTo((E164(patient), (string?)null, E164(patient), "sms")));
        Assert.That(App.Logs.Entries.Where(e => e.Contains(E164(patient)) || e.Contains(patient.FirstName)), Is.Empty);
    }

    [Test]
    public async Task A_patient_without_email_gets_the_sms_and_the_email_is_skipped()
    {
        var date = FreshDate();
        var (patient, _, appointment) = await BookPatientAsync(null, date, "11:00");
        var sms = new RecordingSmsSender();
        await DispatchAsync(Utc(date, "11:00").AddHours(-2), sms);
        Assert.That(sms.Sent.Count(m => m.To == E164(patient)), Is.EqualTo(1));
        var reminders = await RemindersAsync(appointment.Id);
        Assert.That(reminders.Select(r => (r.Channel, r.Status)).OrderBy(r => r.Channel),
            Is.EqualTo(new[] { ("email", ReminderStatus.Skipped), ("sms", ReminderStatus.Sent) }));
    }

    [Test]
    public async Task Sms_failures_are_retried_with_back_off_and_a_refused_number_fails_for_good()
    {
        var date = FreshDate();
        var (patient, _, appointment) = await BookPatientAsync(null, date, "15:00");
        var flaky = new RecordingSmsSender(failures: 2);
        var t0 = Utc(date, "15:00").AddHours(-20);
        await DispatchAsync(t0, flaky);
        await DispatchAsync(t0.AddSeconds(30), flaky);        // backing off
        await DispatchAsync(t0.AddMinutes(1), flaky);         // attempt 2 fails, then 2 minutes
        await DispatchAsync(t0.AddMinutes(3), flaky);         // attempt 3 goes out
        await DispatchAsync(t0.AddMinutes(30), flaky);
        Assert.That(flaky.Sent.Count(m => m.To == E164(patient)), Is.EqualTo(1));
        var reminder = (await RemindersAsync(appointment.Id)).Single(r => r.Channel == "sms");
        Assert.That(reminder.Attempts.Select(a => (a.AttemptedAt, a.Outcome)), Is.EqualTo(new[]
        {
            (t0, ReminderAttemptOutcome.Failed), (t0.AddMinutes(1), ReminderAttemptOutcome.Failed), (t0.AddMinutes(3), ReminderAttemptOutcome.Sent),
        }));

        var other = FreshDate();
        var (_, _, refused) = await BookPatientAsync(null, other, "15:00");
        var refusing = new RecordingSmsSender(failures: 100, permanent: true);
        await DispatchAsync(Utc(other, "15:00").AddHours(-20), refusing);
        await DispatchAsync(Utc(other, "15:00").AddHours(-19), refusing);
        var failed = (await RemindersAsync(refused.Id)).Single(r => r.Channel == "sms");
        Assert.That((failed.Status, failed.AttemptCount), Is.EqualTo((ReminderStatus.Failed, 1)));
    }

    [Test]
    public async Task Reminder_channels_are_a_setting()
    {
        var admin = await As(Roles.Admin);
        await AssertErrorAsync(await admin.PutAsJsonAsync("/api/settings", new { reminderChannels = new[] { "fax" } }),
            System.Net.HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "reminderChannels");
        var onlySms = await ReadAsync<SettingsDto>(await admin.PutAsJsonAsync("/api/settings", new { reminderChannels = new[] { "sms" } }));
        Assert.That(onlySms.ReminderChannels, Is.EqualTo(new[] { "sms" }));
        try
        {
            var email = UniqueEmail();
            var date = FreshDate();
            var (_, _, appointment) = await BookPatientAsync(email, date, "09:00");
            await DispatchAsync(Utc(date, "09:00").AddHours(-3), new RecordingSmsSender());
            Assert.That((await RemindersAsync(appointment.Id)).Select(r => r.Channel), Is.EqualTo(new[] { "sms" }));
            Assert.That(SmtpSink.MessagesTo(email), Is.Empty);
        }
        finally
        {
            await ReadAsync<SettingsDto>(await admin.PutAsJsonAsync("/api/settings", new { reminderChannels = new[] { "sms", "email" } }));
        }
    }
}
