using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceInterface.Messaging;
using DentalClinic.ServiceInterface.Reminders;
using DentalClinic.ServiceModel;
using DentalClinic.Tests.Reminders;
using DentalClinic.Tests.Support;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DentalClinic.Tests.Hardening;

/// <summary>
/// Two API instances over one database, as behind a load balancer (each with its job server):
/// what must be shared is — sessions, lockouts, booking rules, reminders and the SMS outbox,
/// day calendars, data-protection keys.
/// </summary>
public sealed class TwoInstancesTests(string provider) : ReminderTest(provider)
{
    private const string SessionCacheTtl = "00:00:02";
    private ApiFactory a = null!;
    private ApiFactory b = null!;

    [OneTimeSetUp]
    public void StartBoth()
    {
        var settings = SinkSettings("two-instances");
        settings["Auth:SessionCacheTtl"] = SessionCacheTtl;
        a = ApiFactory.StartOwn(Provider, settings);
        b = ApiFactory.StartOwn(Provider, settings, a.ConnectionString);
    }

    [OneTimeTearDown]
    public async Task StopBoth()
    {
        await b.DisposeAsync();
        await a.DisposeAsync();
    }

    [Test]
    public async Task A_logout_on_one_instance_is_refused_on_the_other_within_the_session_cache_ttl()
    {
        var login = await ReadAsync<LoginResponse>(await a.CreateClient().PostAsJsonAsync("/api/auth/login", new Login(ApiFactory.AdminEmail, ApiFactory.AdminPassword)));
        var onB = b.CreateClient();
        onB.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", login.AccessToken);
        Assert.That((await onB.GetAsync("/api/auth/me")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "B has now seen the session as valid");

        var onA = a.CreateClient();
        onA.DefaultRequestHeaders.Authorization = onB.DefaultRequestHeaders.Authorization;
        var loggedOut = DateTime.UtcNow;
        Assert.That((await onA.PostAsJsonAsync("/api/auth/logout", new Logout(login.RefreshToken))).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        var ttl = TimeSpan.Parse(SessionCacheTtl);
        HttpStatusCode status;
        do
        {
            status = (await onB.GetAsync("/api/auth/me")).StatusCode;
            if (status == HttpStatusCode.Unauthorized) break;
            await Task.Delay(100);
        } while (DateTime.UtcNow - loggedOut < ttl + TimeSpan.FromSeconds(1));
        Assert.That(status, Is.EqualTo(HttpStatusCode.Unauthorized), "B still accepts the logged-out token after the TTL");
        // The refresh token died with the session, on both.
        Assert.That((await b.CreateClient().PostAsJsonAsync("/api/auth/refresh", new RefreshSession(login.RefreshToken))).StatusCode,
            Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task A_lockout_on_one_instance_holds_on_the_other()
    {
        var admin = await SignInAsync(a);
        var email = $"locked-{Guid.NewGuid():N}@clinic.test";
        await ReadAsync<UserDto>(await admin.PostAsJsonAsync("/api/users", new CreateUser("Locked", email, Roles.Staff, "Password-1234")), HttpStatusCode.Created);
        for (var i = 0; i < 5; i++)
            Assert.That((await a.CreateClient().PostAsJsonAsync("/api/auth/login", new Login(email, "Wrong-password-1"))).StatusCode,
                Is.EqualTo(HttpStatusCode.Unauthorized));
        var onB = await b.CreateClient().PostAsJsonAsync("/api/auth/login", new Login(email, "Password-1234"));
        await AssertErrorAsync(onB, HttpStatusCode.TooManyRequests, ErrorCodes.RateLimited);
        Assert.That(onB.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero));
    }

    [Test]
    public async Task Overlapping_bookings_racing_across_both_instances_give_one_201()
    {
        var (clientA, clientB) = (await SignInAsync(a), await SignInAsync(b));
        var patient = await CreatePatientAsync(clientA, null);
        var type = await CreateTypeAsync(clientA);
        var date = FreshDate().ToString("yyyy-MM-dd");
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            (i % 2 == 0 ? clientA : clientB).PostAsJsonAsync("/api/appointments",
                new { patientId = patient.Id, appointmentTypeId = type.Id, date, time = "10:00" })));
        var statuses = responses.Select(r => r.StatusCode).ToList();
        Assert.That(statuses.Count(s => s == HttpStatusCode.Created), Is.EqualTo(1), string.Join(",", statuses));
        Assert.That(statuses.Where(s => s != HttpStatusCode.Created), Is.All.EqualTo(HttpStatusCode.Conflict));
    }

    [Test]
    public async Task A_day_calendar_changed_through_one_instance_is_fresh_on_the_other()
    {
        var (clientA, clientB) = (await SignInAsync(a), await SignInAsync(b));
        var patient = await CreatePatientAsync(clientA, null);
        var type = await CreateTypeAsync(clientA);
        var date = FreshDate().ToString("yyyy-MM-dd");
        Assert.That(await DayAsync(clientB, date), Is.Empty, "B has read (and may keep) the empty day");

        var created = await clientA.PostAsJsonAsync("/api/appointments", new { patientId = patient.Id, appointmentTypeId = type.Id, date, time = "09:00" });
        var id = (await ReadAsync<JsonElement>(created, HttpStatusCode.Created)).GetProperty("id").GetGuid();
        Assert.That(await DayAsync(clientB, date), Is.EqualTo(new[] { (id, "09:00") }));

        await ReadAsync<JsonElement>(await clientA.PutAsJsonAsync($"/api/appointments/{id}", new { time = "11:30" }));
        Assert.That(await DayAsync(clientB, date), Is.EqualTo(new[] { (id, "11:30") }));
    }

    [Test]
    public async Task One_reminder_per_appointment_with_both_instances_running_the_reminder_job()
    {
        var date = FreshDate();
        var booked = new List<Guid>();
        var clientA = await SignInAsync(a);
        var type = await CreateTypeAsync(clientA);
        for (var i = 0; i < 3; i++)
        {
            var patient = await CreatePatientAsync(clientA, UniqueEmail());
            booked.Add((await BookAsync(clientA, patient.Id, type.Id, date, $"1{i}:00")).Id);
        }

        // Both instances' dispatchers run the same passes at the same time, as their job servers would.
        var sender = new CountingEmailSender();
        var now = Utc(date, "09:30");
        await Task.WhenAll(Enumerable.Range(0, 3).SelectMany(_ => new[]
        {
            WithDispatcherAsync(a, now, sender, d => d.DispatchAsync(CancellationToken.None)),
            WithDispatcherAsync(b, now, sender, d => d.DispatchAsync(CancellationToken.None)),
        }));

        await using var scope = a.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var rows = await db.Set<AppointmentReminder>().AsNoTracking().Where(r => booked.Contains(r.AppointmentId)).ToListAsync();
        Assert.That(rows.Select(r => r.AppointmentId), Is.EquivalentTo(booked), "one reminder row per appointment");
        Assert.That(rows.Select(r => (r.Status, r.Attempts)), Is.All.EqualTo((ReminderStatus.Sent, 1)));
        Assert.That(sender.Sent.Values, Is.All.EqualTo(1));
        Assert.That(sender.Sent.Keys, Is.EquivalentTo(rows.Select(r => r.Email)));
    }

    [Test]
    public async Task Each_sms_of_the_outbox_is_sent_once_with_both_instances_dispatching()
    {
        var ids = new List<Guid>();
        await using (var scope = a.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            for (var i = 0; i < 5; i++)
            {
                var message = new SmsOutboxMessage
                {
                    To = $"+1555{Random.Shared.Next(1000000, 9999999)}", Body = "Your link", Status = "pending", Purpose = "test",
                    CreatedAt = DateTime.UtcNow,
                };
                db.Add(message);
                ids.Add(message.Id);
            }
            await db.SaveChangesAsync();
        }

        var sender = new CountingSmsSender();
        async Task<int> Dispatch(ApiFactory app)
        {
            await using var scope = app.Services.CreateAsyncScope();
            return await ActivatorUtilities.CreateInstance<SmsOutboxDispatcher>(scope.ServiceProvider, (ISmsSender)sender).DispatchAsync(CancellationToken.None);
        }
        await Task.WhenAll(Enumerable.Range(0, 3).SelectMany(_ => new[] { Dispatch(a), Dispatch(b) }));

        await using var check = a.Services.CreateAsyncScope();
        var statuses = await check.ServiceProvider.GetRequiredService<AppDbContext>().Set<SmsOutboxMessage>().AsNoTracking()
            .Where(m => ids.Contains(m.Id)).Select(m => m.Status).ToListAsync();
        Assert.That(statuses, Has.Count.EqualTo(5).And.All.EqualTo("sent"));
        Assert.That(sender.Sent, Has.Count.EqualTo(5));
        Assert.That(sender.Sent.Values, Is.All.EqualTo(1));
    }

    [Test]
    public async Task Data_protection_keys_live_in_the_database_and_serve_both_instances()
    {
        var protectedOnA = a.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("two-instances-test").Protect("hello");
        Assert.That(b.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("two-instances-test").Unprotect(protectedOnA),
            Is.EqualTo("hello"));
        await using var scope = a.Services.CreateAsyncScope();
        Assert.That(await scope.ServiceProvider.GetRequiredService<AppDbContext>().DataProtectionKeys.CountAsync(), Is.GreaterThan(0));
    }

    private static async Task<List<(Guid, string?)>> DayAsync(HttpClient client, string date)
    {
        var day = await ReadAsync<JsonElement>(await client.GetAsync($"/api/appointments/by-date/{date}"));
        return day.EnumerateArray().Select(e => (e.GetProperty("id").GetGuid(), e.GetProperty("time").GetString())).ToList();
    }

    private sealed class CountingEmailSender : IEmailSender
    {
        public ConcurrentDictionary<string, int> Sent { get; } = new();

        public Task SendAsync(EmailMessage message, CancellationToken ct)
        {
            Sent.AddOrUpdate(message.To, 1, (_, n) => n + 1);
            return Task.CompletedTask;
        }
    }

    private sealed class CountingSmsSender : ISmsSender
    {
        public ConcurrentDictionary<string, int> Sent { get; } = new();

        public async Task<string> SendAsync(string toE164, string body, CancellationToken ct)
        {
            await Task.Delay(20, ct);
            Sent.AddOrUpdate(toE164, 1, (_, n) => n + 1);
            return Guid.NewGuid().ToString("N");
        }
    }
}
