using System.Net;
using System.Net.Http.Json;
using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceInterface.Messaging;
using DentalClinic.ServiceInterface.Reminders;
using DentalClinic.ServiceModel;
using DentalClinic.Tests.Support;
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DentalClinic.Tests.Reminders;

/// <summary>E-mail reminders end to end: the real SMTP sink receives exactly one reminder per appointment version.</summary>
public sealed class AppointmentRemindersTests(string provider) : ReminderTest(provider)
{
    protected override IReadOnlyDictionary<string, string?> Settings => SinkSettings("reminders");

    [Test]
    public async Task Exactly_one_reminder_however_often_and_concurrently_the_dispatcher_runs()
    {
        var email = UniqueEmail();
        var date = FreshDate();
        var (patient, type, appointment) = await BookPatientAsync(email, date, "10:00");
        var start = Utc(date, "10:00");

        await DispatchAsync(start.AddHours(-24).AddMinutes(-1));   // not due yet (lead time 24 h)
        Assert.That(await ReminderRowsAsync(appointment.Id), Is.Zero);

        var due = start.AddHours(-23);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(i => DispatchAsync(due.AddSeconds(i))));
        await DispatchAsync(due.AddMinutes(1));
        await DispatchAsync(due.AddHours(2));

        var messages = SmtpSink.MessagesTo(email);
        Assert.That(messages, Has.Count.EqualTo(1));
        var data = messages[0].Data.Replace("=\r\n", "");
        Assert.That(messages[0].MailFrom, Is.EqualTo("clinic@clinic.test"));
        Assert.That(data, Does.Contain(ClinicName).And.Contain(patient.FirstName).And.Contain(type.Name)
            .And.Contain(date.ToString("dddd, d MMMM yyyy", System.Globalization.CultureInfo.InvariantCulture)).And.Contain("10:00"));
        Assert.That(data, Does.Contain("Message-Id: <reminder-").IgnoreCase, "a resent reminder keeps its Message-ID");

        var reminder = (await RemindersAsync(appointment.Id)).Single();
        Assert.That((reminder.Status, reminder.AttemptCount, reminder.Email), Is.EqualTo((ReminderStatus.Sent, 1, email)));
        Assert.That((reminder.AppointmentDate, reminder.AppointmentTime, reminder.DueAt), Is.EqualTo((date, "10:00", start.AddHours(-24))));
        Assert.That(reminder.SentAt, Is.Not.Null);
        var attempt = reminder.Attempts.Single();
        Assert.That((attempt.Outcome, attempt.Email, attempt.Error), Is.EqualTo((ReminderAttemptOutcome.Sent, email, (string?)null)));

        // Logs name ids only: neither the address nor the patient's name.
        Assert.That(App.Logs.Entries.Where(e => e.Contains(email) || e.Contains(patient.FirstName)), Is.Empty);
    }

    [Test]
    public async Task A_reminder_is_sent_once_when_the_application_restarts_between_scheduling_and_sending()
    {
        var email = UniqueEmail();
        var otherEmail = UniqueEmail();
        var date = FreshDate();
        var due = Utc(date, "10:00").AddHours(-23);

        string connectionString;
        Guid scheduledId, notYetScheduledId;
        var first = ApiFactory.StartOwn(Provider, Settings);
        try
        {
            connectionString = first.ConnectionString;
            scheduledId = (await BookPatientAsync(email, date, "10:00", first)).Appointment.Id;
            notYetScheduledId = (await BookPatientAsync(otherEmail, date, "11:00", first)).Appointment.Id;
            // The first instance schedules the first reminder, then stops before sending anything.
            var scheduled = await WithDispatcherAsync(first, due, null, d => d.ScheduleAsync(CancellationToken.None));
            Assert.That(scheduled, Is.EqualTo(2));
            await WithDbAsync(first, async db =>
            {
                var other = await db.Set<AppointmentReminder>().SingleAsync(r => r.AppointmentId == notYetScheduledId);
                db.Remove(other);   // as if the first instance stopped right after scheduling the first one
                return await db.SaveChangesAsync();
            });
        }
        finally
        {
            await first.DisposeAsync();
        }
        Assert.That(SmtpSink.MessagesTo(email), Is.Empty);

        await using var second = ApiFactory.StartOwn(Provider, Settings, connectionString);
        await DispatchAsync(second, due.AddMinutes(1));
        await DispatchAsync(second, due.AddMinutes(2));

        Assert.That(SmtpSink.MessagesTo(email), Has.Count.EqualTo(1));
        Assert.That(SmtpSink.MessagesTo(otherEmail), Has.Count.EqualTo(1));
        var client = await SignInAsync(second);
        foreach (var id in new[] { scheduledId, notYetScheduledId })
        {
            var reminder = (await RemindersAsync(id, client)).Single();
            Assert.That((reminder.Status, reminder.AttemptCount), Is.EqualTo((ReminderStatus.Sent, 1)));
        }
    }

    private static async Task<T> WithDbAsync<T>(ApiFactory app, Func<AppDbContext, Task<T>> action)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    [Test]
    public async Task A_cancelled_appointment_gets_no_reminder()
    {
        var email = UniqueEmail();
        var date = FreshDate();
        var (_, _, appointment) = await BookPatientAsync(email, date, "09:30");
        Assert.That((await (await As(Roles.Staff)).PostAsJsonAsync($"/api/appointments/{appointment.Id}/cancel", new CancelAppointment(null))).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        await DispatchAsync(Utc(date, "09:30").AddHours(-2));

        Assert.That(await RemindersAsync(appointment.Id), Is.Empty);
        Assert.That(SmtpSink.MessagesTo(email), Is.Empty);
    }

    [Test]
    public async Task Deleting_an_appointment_removes_its_reminders_and_their_attempts()
    {
        var email = UniqueEmail();
        var date = FreshDate();
        var (_, _, appointment) = await BookPatientAsync(email, date, "09:30");
        await DispatchAsync(Utc(date, "09:30").AddHours(-20));
        Assert.That(await SmtpSink.WaitForAsync(email, 1), Has.Count.EqualTo(1));
        Assert.That((await RemindersAsync(appointment.Id)).Single().Attempts, Has.Count.EqualTo(1));

        Assert.That((await (await As(Roles.Staff)).DeleteAsync($"/api/appointments/{appointment.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await AssertErrorAsync(await (await As(Roles.Staff)).GetAsync($"/api/appointments/{appointment.Id}/reminders"), HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await using var scope = App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.That(await db.Set<AppointmentReminder>().CountAsync(r => r.AppointmentId == appointment.Id), Is.Zero);
        Assert.That(await db.Set<AppointmentReminderAttempt>().CountAsync(a => a.AppointmentId == appointment.Id), Is.Zero);
    }

    [Test]
    public async Task A_reminder_scheduled_before_its_appointment_was_cancelled_is_not_sent()
    {
        var email = UniqueEmail();
        var date = FreshDate();
        var (_, _, appointment) = await BookPatientAsync(email, date, "09:30");
        var due = Utc(date, "09:30").AddHours(-20);
        await WithDispatcherAsync(App, due, null, d => d.ScheduleAsync(CancellationToken.None));
        await (await As(Roles.Staff)).PostAsJsonAsync($"/api/appointments/{appointment.Id}/cancel", new CancelAppointment("ill"));

        await DispatchAsync(due.AddMinutes(1));

        var reminder = (await RemindersAsync(appointment.Id)).Single();
        Assert.That((reminder.Status, reminder.AttemptCount, reminder.Reason), Is.EqualTo((ReminderStatus.Cancelled, 0, "The appointment was cancelled")));
        Assert.That(SmtpSink.MessagesTo(email), Is.Empty);
    }

    [Test]
    public async Task A_rescheduled_appointment_gets_a_new_reminder_for_its_new_time()
    {
        var email = UniqueEmail();
        var date = FreshDate();
        var (_, _, appointment) = await BookPatientAsync(email, date, "10:00");
        await DispatchAsync(Utc(date, "10:00").AddHours(-23));
        Assert.That(SmtpSink.MessagesTo(email), Has.Count.EqualTo(1));

        var newDate = FreshDate();
        var moved = await (await As(Roles.Staff)).PutAsJsonAsync($"/api/appointments/{appointment.Id}",
            new UpdateAppointment(null, null, newDate.ToString("yyyy-MM-dd"), "15:45", null, null, true));
        Assert.That(moved.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        await DispatchAsync(Utc(date, "10:00").AddHours(-22));       // the old time never gets another
        await DispatchAsync(Utc(newDate, "15:45").AddHours(-25));    // the new one: not due yet
        Assert.That(SmtpSink.MessagesTo(email), Has.Count.EqualTo(1));
        await DispatchAsync(Utc(newDate, "15:45").AddHours(-24));
        await DispatchAsync(Utc(newDate, "15:45").AddHours(-23));

        var messages = SmtpSink.MessagesTo(email);
        Assert.That(messages, Has.Count.EqualTo(2));
        Assert.That(messages.Count(m => m.Data.Contains("15:45")), Is.EqualTo(1));
        var reminders = await RemindersAsync(appointment.Id);
        Assert.That(reminders.Select(r => (r.AppointmentDate, r.AppointmentTime, r.Status)),
            Is.EquivalentTo(new[] { (date, "10:00", ReminderStatus.Sent), (newDate, "15:45", ReminderStatus.Sent) }));
    }

    [Test]
    public async Task An_appointment_moved_before_its_reminder_went_out_gets_one_only_for_its_new_time()
    {
        var email = UniqueEmail();
        var date = FreshDate();
        var (_, _, appointment) = await BookPatientAsync(email, date, "08:00");
        var due = Utc(date, "08:00").AddHours(-12);
        await WithDispatcherAsync(App, due, null, d => d.ScheduleAsync(CancellationToken.None));
        await (await As(Roles.Staff)).PutAsJsonAsync($"/api/appointments/{appointment.Id}",
            new UpdateAppointment(null, null, null, "16:00", null, null, true));

        await DispatchAsync(due.AddMinutes(1));

        var reminders = await RemindersAsync(appointment.Id);
        Assert.That(reminders.Select(r => (r.AppointmentTime, r.Status)),
            Is.EquivalentTo(new[] { ("08:00", ReminderStatus.Cancelled), ("16:00", ReminderStatus.Sent) }));
        var messages = SmtpSink.MessagesTo(email);
        Assert.That(messages, Has.Count.EqualTo(1));
        Assert.That(messages[0].Data, Does.Contain("16:00").And.Not.Contain("08:00 "));
    }

    [Test]
    public async Task A_patient_without_email_is_recorded_as_skipped()
    {
        var date = FreshDate();
        var (_, _, appointment) = await BookPatientAsync(null, date, "12:00");

        var result = await DispatchAsync(Utc(date, "12:00").AddHours(-1));
        await DispatchAsync(Utc(date, "12:00").AddMinutes(-30));

        Assert.That(result.Skipped, Is.GreaterThanOrEqualTo(1));
        var reminder = (await RemindersAsync(appointment.Id)).Single();
        Assert.That((reminder.Status, reminder.AttemptCount, reminder.Reason), Is.EqualTo((ReminderStatus.Skipped, 0, "The patient has no e-mail address")));
        Assert.That(reminder.Attempts, Is.Empty);
    }

    [Test]
    public async Task Past_appointments_get_no_reminder()
    {
        var email = UniqueEmail();
        var date = FreshDate();
        var (_, _, appointment) = await BookPatientAsync(email, date, "10:00");

        await DispatchAsync(Utc(date, "10:00"));
        await DispatchAsync(Utc(date, "10:00").AddHours(3));

        Assert.That(await RemindersAsync(appointment.Id), Is.Empty);
        Assert.That(SmtpSink.MessagesTo(email), Is.Empty);
    }

    [Test]
    public async Task Smtp_failures_are_retried_with_back_off_and_every_attempt_recorded()
    {
        var email = UniqueEmail();
        var date = FreshDate();
        var (_, _, appointment) = await BookPatientAsync(email, date, "14:00");
        var refusing = SmtpSenderOn(ClosedPort());
        var t0 = Utc(date, "14:00").AddHours(-20);

        var first = await DispatchAsync(t0, refusing);
        Assert.That((first.Scheduled, first.Retrying), Is.EqualTo((1, 1)));
        var reminder = (await RemindersAsync(appointment.Id)).Single();
        Assert.That((reminder.Status, reminder.AttemptCount, reminder.NextAttemptAt), Is.EqualTo((ReminderStatus.Scheduled, 1, (DateTime?)t0.AddMinutes(1))));
        Assert.That(reminder.LastError, Is.Not.Empty);

        await DispatchAsync(t0.AddSeconds(59), refusing);               // back-off: not yet
        Assert.That((await RemindersAsync(appointment.Id)).Single().AttemptCount, Is.EqualTo(1));

        await DispatchAsync(t0.AddMinutes(1), refusing);                // attempt 2, then 2 minutes
        reminder = (await RemindersAsync(appointment.Id)).Single();
        Assert.That((reminder.AttemptCount, reminder.NextAttemptAt), Is.EqualTo((2, (DateTime?)t0.AddMinutes(3))));

        await DispatchAsync(t0.AddMinutes(2), SmtpSenderOn(SmtpSink.Port));   // still backing off
        Assert.That(SmtpSink.MessagesTo(email), Is.Empty);
        await DispatchAsync(t0.AddMinutes(3), SmtpSenderOn(SmtpSink.Port));   // attempt 3 reaches the server
        await DispatchAsync(t0.AddMinutes(30), SmtpSenderOn(SmtpSink.Port));

        Assert.That(SmtpSink.MessagesTo(email), Has.Count.EqualTo(1));
        reminder = (await RemindersAsync(appointment.Id)).Single();
        Assert.That((reminder.Status, reminder.AttemptCount, reminder.LastError, reminder.SentAt),
            Is.EqualTo((ReminderStatus.Sent, 3, (string?)null, (DateTime?)t0.AddMinutes(3))));
        Assert.That(reminder.Attempts.Select(a => (a.AttemptedAt, a.Email, a.Outcome)), Is.EqualTo(new[]
        {
            (t0, email, ReminderAttemptOutcome.Failed),
            (t0.AddMinutes(1), email, ReminderAttemptOutcome.Failed),
            (t0.AddMinutes(3), email, ReminderAttemptOutcome.Sent),
        }));
        Assert.That(reminder.Attempts.Take(2).Select(a => a.Error), Has.All.Not.Empty);
    }

    [Test]
    public async Task A_reminder_that_keeps_failing_gives_up_after_the_last_attempt()
    {
        var email = UniqueEmail();
        var date = FreshDate();
        var (_, _, appointment) = await BookPatientAsync(email, date, "14:00");
        var refusing = SmtpSenderOn(ClosedPort());
        var t0 = Utc(date, "14:00").AddHours(-20);

        // Attempts at 0, 1, 3, 7 and 15 minutes (back-off 1, 2, 4, 8), then no more.
        foreach (var minutes in new[] { 0, 1, 3, 7, 15, 60 }) await DispatchAsync(t0.AddMinutes(minutes), refusing);
        await DispatchAsync(t0.AddMinutes(90), SmtpSenderOn(SmtpSink.Port));

        var reminder = (await RemindersAsync(appointment.Id)).Single();
        Assert.That((reminder.Status, reminder.AttemptCount, reminder.NextAttemptAt),
            Is.EqualTo((ReminderStatus.Failed, AppointmentReminderDispatcher.MaxAttempts, (DateTime?)null)));
        Assert.That(reminder.Attempts.Select(a => a.AttemptedAt), Is.EqualTo(new[] { 0, 1, 3, 7, 15 }.Select(m => t0.AddMinutes(m))));
        Assert.That(reminder.Attempts, Has.All.Matches<ReminderAttemptDto>(a => a.Outcome == ReminderAttemptOutcome.Failed));
        Assert.That(SmtpSink.MessagesTo(email), Is.Empty);
    }

    [Test]
    public async Task A_reminder_left_sending_by_a_crash_is_recorded_as_interrupted_and_sent_again_later()
    {
        var email = UniqueEmail();
        var date = FreshDate();
        var (_, _, appointment) = await BookPatientAsync(email, date, "11:00");
        var t0 = Utc(date, "11:00").AddHours(-20);
        await WithDispatcherAsync(App, t0, null, d => d.ScheduleAsync(CancellationToken.None));
        // The state a crash during the SMTP call leaves: claimed, never finished.
        await WithDbAsync(async db =>
        {
            var row = await db.Set<AppointmentReminder>().SingleAsync(r => r.AppointmentId == appointment.Id);
            (row.Status, row.ClaimedAt, row.Attempts, row.Email) = (ReminderStatus.Sending, t0, 1, email);
            return await db.SaveChangesAsync();
        });

        await DispatchAsync(t0.AddMinutes(5));   // it might still be sending: left alone
        Assert.That((await RemindersAsync(appointment.Id)).Single().Status, Is.EqualTo(ReminderStatus.Sending));

        await DispatchAsync(t0 + AppointmentReminderDispatcher.StuckAfter + TimeSpan.FromMinutes(1));

        var reminder = (await RemindersAsync(appointment.Id)).Single();
        Assert.That((reminder.Status, reminder.AttemptCount), Is.EqualTo((ReminderStatus.Sent, 2)));
        Assert.That(reminder.Attempts.Select(a => (a.AttemptedAt, a.Outcome)), Is.EqualTo(new[]
        {
            (t0, ReminderAttemptOutcome.Interrupted),
            (t0 + AppointmentReminderDispatcher.StuckAfter + TimeSpan.FromMinutes(1), ReminderAttemptOutcome.Sent),
        }));
        Assert.That(SmtpSink.MessagesTo(email), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Without_smtp_configuration_reminders_are_recorded_as_skipped()
    {
        await using var app = ApiFactory.StartOwn(Provider, new Dictionary<string, string?>(SinkSettings("reminders-no-smtp")) { ["Email:Smtp:Host"] = "" });
        var email = UniqueEmail();
        var date = FreshDate();
        var (_, _, appointment) = await BookPatientAsync(email, date, "10:00", app);

        await DispatchAsync(app, Utc(date, "10:00").AddHours(-1));

        var reminder = (await RemindersAsync(appointment.Id, await SignInAsync(app))).Single();
        Assert.That((reminder.Status, reminder.Reason), Is.EqualTo((ReminderStatus.Skipped, "E-mail is not configured (Email:Smtp:Host)")));
        Assert.That(SmtpSink.MessagesTo(email), Is.Empty);
    }

    [Test]
    public async Task Reminders_of_an_unknown_appointment_are_404()
    {
        await AssertErrorAsync(await (await As(Roles.Staff)).GetAsync($"/api/appointments/{Guid.NewGuid()}/reminders"),
            HttpStatusCode.NotFound, ErrorCodes.NotFound);
        Assert.That((await Anonymous().GetAsync($"/api/appointments/{Guid.NewGuid()}/reminders")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task The_dispatcher_runs_every_minute_as_a_recurring_job()
    {
        var page = await (await (await As(Roles.Admin)).GetAsync("/admin/jobs/recurring")).Content.ReadAsStringAsync();
        Assert.That(page, Does.Contain(AppointmentReminderDispatcher.RecurringJobId));
    }

    [Test]
    public async Task The_recurring_job_runs_the_dispatcher_through_hangfire()
    {
        var recurring = App.Services.GetRequiredService<IRecurringJobManagerV2>();
        var jobId = recurring.TriggerJob(AppointmentReminderDispatcher.RecurringJobId);
        var monitoring = App.Services.GetRequiredService<JobStorage>().GetMonitoringApi();

        var deadline = DateTime.UtcNow.AddSeconds(60);
        string? state = null;
        while (DateTime.UtcNow < deadline)
        {
            state = monitoring.JobDetails(jobId)?.History.FirstOrDefault()?.StateName;
            if (state is "Succeeded" or "Failed") break;
            await Task.Delay(250);
        }
        Assert.That(state, Is.EqualTo("Succeeded"), string.Join("\n", monitoring.JobDetails(jobId)?.History.Select(h => $"{h.StateName}: {h.Reason} {string.Join(", ", h.Data)}") ?? []));
    }

    [Test]
    public async Task An_address_the_server_refuses_for_good_fails_without_retrying()
    {
        var email = UniqueEmail();
        var date = FreshDate();
        var (_, _, appointment) = await BookPatientAsync(email, date, "13:00");
        await using var server = RefusingSmtpServer.Start("550 5.1.1 No such user");
        var t0 = Utc(date, "13:00").AddHours(-3);

        await DispatchAsync(t0, SmtpSenderOn(server.Port));
        await DispatchAsync(t0.AddMinutes(30), SmtpSenderOn(SmtpSink.Port));

        var reminder = (await RemindersAsync(appointment.Id)).Single();
        Assert.That((reminder.Status, reminder.AttemptCount, reminder.NextAttemptAt), Is.EqualTo((ReminderStatus.Failed, 1, (DateTime?)null)));
        Assert.That(reminder.Attempts.Single().Error, Does.Contain("No such user"));
        Assert.That(SmtpSink.MessagesTo(email), Is.Empty);
    }

    [Test]
    public async Task A_temporary_refusal_is_retried()
    {
        var email = UniqueEmail();
        var date = FreshDate();
        var (_, _, appointment) = await BookPatientAsync(email, date, "13:00");
        await using var server = RefusingSmtpServer.Start("451 4.3.0 Try again later");
        var t0 = Utc(date, "13:00").AddHours(-3);

        await DispatchAsync(t0, SmtpSenderOn(server.Port));
        await DispatchAsync(t0.AddMinutes(1), SmtpSenderOn(SmtpSink.Port));

        var reminder = (await RemindersAsync(appointment.Id)).Single();
        Assert.That(reminder.Attempts.Select(a => a.Outcome), Is.EqualTo(new[] { ReminderAttemptOutcome.Failed, ReminderAttemptOutcome.Sent }));
        Assert.That(SmtpSink.MessagesTo(email), Has.Count.EqualTo(1));
    }

    [Test]
    public void Back_off_doubles_from_one_minute()
    {
        Assert.That(Enumerable.Range(1, 4).Select(AppointmentReminderDispatcher.RetryDelay),
            Is.EqualTo(new[] { 1, 2, 4, 8 }.Select(m => TimeSpan.FromMinutes(m))));
    }

    [Test]
    public void A_malformed_address_is_refused_without_retrying_elsewhere()
    {
        IEmailSender sender = SmtpSenderOn(SmtpSink.Port);
        Assert.ThrowsAsync<MimeKit.ParseException>(() => sender.SendAsync(new EmailMessage("not an address", "s", "b"), CancellationToken.None));
    }
}

/// <summary>A minimal SMTP server on loopback that answers every RCPT TO with the given reply.</summary>
internal sealed class RefusingSmtpServer : IAsyncDisposable
{
    private readonly System.Net.Sockets.TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly string rcptReply;
    private Task? loop;

    private RefusingSmtpServer(string rcptReply) => this.rcptReply = rcptReply;

    public int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    public static RefusingSmtpServer Start(string rcptReply)
    {
        var server = new RefusingSmtpServer(rcptReply);
        server.listener.Start();
        server.loop = server.AcceptAsync();
        return server;
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var client = await listener.AcceptTcpClientAsync(stop.Token);
                _ = ServeAsync(client);
            }
        }
        catch (OperationCanceledException) { }
    }

    private async Task ServeAsync(System.Net.Sockets.TcpClient client)
    {
        try
        {
            await ConverseAsync(client);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException) { }
    }

    private async Task ConverseAsync(System.Net.Sockets.TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            using var reader = new StreamReader(stream);
            await using var writer = new StreamWriter(stream) { NewLine = "\r\n", AutoFlush = true };
            await writer.WriteLineAsync("220 refusing.test ESMTP");
            while (await reader.ReadLineAsync(stop.Token) is { } line)
            {
                var command = line.Split(' ', 2)[0].ToUpperInvariant();
                if (command == "QUIT")
                {
                    await writer.WriteLineAsync("221 Bye");
                    return;
                }
                await writer.WriteLineAsync(command switch
                {
                    "EHLO" or "HELO" => "250 refusing.test",
                    "RCPT" => rcptReply,
                    _ => "250 OK",
                });
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        if (loop is not null) await loop;
        stop.Dispose();
    }
}
