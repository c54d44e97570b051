using System.Net;
using System.Net.Http.Json;
using DentalClinic.ServiceInterface.Reminders;
using DentalClinic.ServiceModel;
using DentalClinic.Tests.Support;

namespace DentalClinic.Tests.Reminders;

/// <summary>The clinic's timezone and lead time, set through PUT /api/settings, decide when a reminder is due (an application of its own).</summary>
public sealed class ReminderTimezoneTests(string provider) : ReminderTest(provider)
{
    protected override IReadOnlyDictionary<string, string?> Settings => SinkSettings("reminders-timezone");

    [Test]
    public async Task The_clinic_timezone_and_lead_time_decide_when_a_reminder_is_due()
    {
        var update = await (await As(Roles.Admin)).PutAsJsonAsync("/api/settings",
            new UpdateSettings(null, "America/New_York", 2, null, null, null));
        Assert.That(update.StatusCode, Is.EqualTo(HttpStatusCode.OK), await update.Content.ReadAsStringAsync());

        var email = UniqueEmail();
        var date = FreshDate();
        var (_, _, appointment) = await BookPatientAsync(email, date, "09:00");
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var start = TimeZoneInfo.ConvertTimeToUtc(date.ToDateTime(new TimeOnly(9, 0)), zone);

        await DispatchAsync(Utc(date, "09:00").AddHours(-2));    // 09:00 read as UTC would be due now: it is not
        await DispatchAsync(start.AddHours(-23));                // the default 24 h lead would be due: it is not
        await DispatchAsync(start.AddHours(-2).AddMinutes(-1));
        Assert.That(await RemindersAsync(appointment.Id), Is.Empty);
        Assert.That(SmtpSink.MessagesTo(email), Is.Empty);

        await DispatchAsync(start.AddHours(-2));

        var reminder = (await RemindersAsync(appointment.Id)).Single();
        Assert.That((reminder.Status, reminder.DueAt), Is.EqualTo((ReminderStatus.Sent, start.AddHours(-2))));
        var messages = SmtpSink.MessagesTo(email);
        Assert.That(messages, Has.Count.EqualTo(1));
        Assert.That(messages[0].Data, Does.Contain("09:00"), "the e-mail shows the clinic's own time");
    }
}

public sealed class ClinicTimeTests
{
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    [Test]
    public void Clinic_time_is_converted_with_daylight_saving()
    {
        Assert.That(ClinicTime.ToUtc(new DateOnly(2031, 1, 15), new TimeOnly(10, 0), Berlin), Is.EqualTo(new DateTime(2031, 1, 15, 9, 0, 0, DateTimeKind.Utc)));
        Assert.That(ClinicTime.ToUtc(new DateOnly(2031, 7, 15), new TimeOnly(10, 0), Berlin), Is.EqualTo(new DateTime(2031, 7, 15, 8, 0, 0, DateTimeKind.Utc)));
    }

    [Test]
    public void A_skipped_hour_is_read_as_the_first_valid_time_after_it_and_a_repeated_hour_as_its_first_occurrence()
    {
        // 30 March 2031: Berlin's clocks go from 02:00 to 03:00; 26 October 2031: from 03:00 back to 02:00.
        Assert.That(ClinicTime.ToUtc(new DateOnly(2031, 3, 30), new TimeOnly(2, 30), Berlin), Is.EqualTo(new DateTime(2031, 3, 30, 1, 0, 0, DateTimeKind.Utc)));
        Assert.That(ClinicTime.ToUtc(new DateOnly(2031, 10, 26), new TimeOnly(2, 30), Berlin), Is.EqualTo(new DateTime(2031, 10, 26, 0, 30, 0, DateTimeKind.Utc)));
    }

    [Test]
    public void An_unknown_zone_falls_back_to_utc() =>
        Assert.That(ClinicTime.Zone("Mars/Olympus_Mons"), Is.EqualTo(TimeZoneInfo.Utc));
}
