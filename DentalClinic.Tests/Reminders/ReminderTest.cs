using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceInterface.Messaging;
using DentalClinic.ServiceInterface.Reminders;
using DentalClinic.ServiceModel;
using DentalClinic.Tests.Support;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DentalClinic.Tests.Reminders;

/// <summary>A clock the test sets: the dispatcher under test runs at exactly this instant.</summary>
public sealed class ManualClock(DateTime utcNow) : TimeProvider
{
    public DateTime UtcNow { get; set; } = DateTime.SpecifyKind(utcNow, DateTimeKind.Utc);
    public override DateTimeOffset GetUtcNow() => new(UtcNow);
}

/// <summary>
/// Reminder tests: the application sends through the real SMTP sink of ./test.sh. Patients, types and
/// appointments are made through the HTTP API; each test takes dates no other test uses, far from
/// today, so the application's own minutely job (real clock) never finds them due. The dispatcher
/// is run directly, at instants the test chooses.
/// </summary>
public abstract class ReminderTest(string provider) : ApiTest(provider)
{
    public const string ClinicName = "Smile Test Clinic";
    private static readonly ConcurrentDictionary<DateOnly, bool> UsedDates = new();

    /// <summary>Settings of an application that sends through the sink; <paramref name="name"/> gives it a database of its own.</summary>
    protected static Dictionary<string, string?> SinkSettings(string name) => new()
    {
        ["Test:Database"] = name,
        ["Email:From"] = "clinic@clinic.test",
        ["Email:FromName"] = ClinicName,
        ["Email:Smtp:Host"] = "127.0.0.1",
        ["Email:Smtp:Port"] = SmtpSink.Port.ToString(),
        ["Email:Smtp:Security"] = "None",
        ["Clinic:Name"] = ClinicName,
        ["Clinic:Timezone"] = "UTC",
        // The e-mail tests look at the e-mail channel alone; SmsReminderTests at both.
        ["Clinic:ReminderChannels"] = "email",
        ["Jobs:PollInterval"] = "00:00:01",
    };

    /// <summary>A date no other test of this run uses (2040–2099), so no other test's appointment is ever due with this one.</summary>
    protected static DateOnly FreshDate()
    {
        while (true)
        {
            var date = new DateOnly(2040, 1, 1).AddDays(Random.Shared.Next(0, 59 * 365));
            // A week to each side stays free: reminders are looked for up to a week ahead.
            if (Enumerable.Range(-8, 17).All(d => !UsedDates.ContainsKey(date.AddDays(d))) && UsedDates.TryAdd(date, true)) return date;
        }
    }

    protected static string UniqueEmail() => $"patient-{Guid.NewGuid():N}@example.test";

    protected static string UniqueFirstName() =>
        "Pat" + new string(Enumerable.Range(0, 8).Select(_ => (char)('a' + Random.Shared.Next(26))).ToArray());

    protected static async Task<HttpClient> SignInAsync(ApiFactory app)
    {
        var client = app.CreateClient();
        var login = await ReadAsync<LoginResponse>(await client.PostAsJsonAsync("/api/auth/login", new Login(ApiFactory.AdminEmail, ApiFactory.AdminPassword)));
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", login.AccessToken);
        return client;
    }

    protected static async Task<PatientDto> CreatePatientAsync(HttpClient client, string? email, string? firstName = null)
    {
        var mobile = $"+1 ({Random.Shared.Next(201, 990)}) {Random.Shared.Next(200, 1000)}-{Random.Shared.Next(0, 10000):D4}";
        var response = await client.PostAsJsonAsync("/api/patients", new CreatePatient(firstName ?? UniqueFirstName(), "Reminded", mobile, email, null));
        return await ReadAsync<PatientDto>(response, HttpStatusCode.Created);
    }

    protected static async Task<AppointmentTypeDto> CreateTypeAsync(HttpClient client, string? name = null)
    {
        var response = await client.PostAsJsonAsync("/api/appointment-types",
            new CreateAppointmentType(name ?? $"Cleaning {Guid.NewGuid():N}"[..20], 80m, 30, "#3366CC"));
        return await ReadAsync<AppointmentTypeDto>(response, HttpStatusCode.Created);
    }

    protected static async Task<AppointmentDto> BookAsync(HttpClient client, Guid patientId, Guid typeId, DateOnly date, string time)
    {
        var response = await client.PostAsJsonAsync("/api/appointments",
            new CreateAppointment(patientId, typeId, date.ToString("yyyy-MM-dd"), time, AppointmentStatus.Confirmed, null, true));
        return await ReadAsync<AppointmentDto>(response, HttpStatusCode.Created);
    }

    /// <summary>A patient (with <paramref name="email"/>), a type and an appointment on <paramref name="date"/> at <paramref name="time"/>.</summary>
    protected async Task<(PatientDto Patient, AppointmentTypeDto Type, AppointmentDto Appointment)> BookPatientAsync(
        string? email, DateOnly date, string time = "10:00", ApiFactory? app = null)
    {
        var client = app is null ? await As(Roles.Staff) : await SignInAsync(app);
        var admin = app is null ? await As(Roles.Admin) : client;
        var patient = await CreatePatientAsync(client, email);
        var type = await CreateTypeAsync(admin);
        return (patient, type, await BookAsync(client, patient.Id, type.Id, date, time));
    }

    /// <summary>The dispatcher of <paramref name="app"/> running at <paramref name="now"/>, optionally with another sender.</summary>
    protected static async Task<ReminderDispatchResult> DispatchAsync(ApiFactory app, DateTime now, IEmailSender? sender = null) =>
        await WithDispatcherAsync(app, now, sender, d => d.DispatchAsync(CancellationToken.None));

    protected static async Task<T> WithDispatcherAsync<T>(ApiFactory app, DateTime now, IEmailSender? sender,
        Func<AppointmentReminderDispatcher, Task<T>> action)
    {
        await using var scope = app.Services.CreateAsyncScope();
        object[] arguments = sender is null ? [new ManualClock(now)] : [new ManualClock(now), sender];
        var dispatcher = ActivatorUtilities.CreateInstance<AppointmentReminderDispatcher>(scope.ServiceProvider, arguments);
        return await action(dispatcher);
    }

    protected Task<ReminderDispatchResult> DispatchAsync(DateTime now, IEmailSender? sender = null) => DispatchAsync(App, now, sender);

    /// <summary>The dispatcher at <paramref name="now"/>, sending text messages through <paramref name="sms"/> (e-mail through the sink).</summary>
    protected async Task<ReminderDispatchResult> DispatchAsync(DateTime now, ISmsSender sms)
    {
        await using var scope = App.Services.CreateAsyncScope();
        var dispatcher = ActivatorUtilities.CreateInstance<AppointmentReminderDispatcher>(scope.ServiceProvider, new ManualClock(now), sms);
        return await dispatcher.DispatchAsync(CancellationToken.None);
    }

    /// <summary>A real SMTP sender of the application's kind, pointed at another port.</summary>
    protected static SmtpEmailSender SmtpSenderOn(int port) => new(Options.Create(new EmailOptions
    {
        From = "clinic@clinic.test",
        FromName = ClinicName,
        Smtp = new SmtpOptions { Host = "127.0.0.1", Port = port, Security = SecureSocketOptions.None },
    }));

    /// <summary>A loopback port nothing listens on: connections are refused.</summary>
    protected static int ClosedPort()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    protected async Task<IReadOnlyList<AppointmentReminderDto>> RemindersAsync(Guid appointmentId, HttpClient? client = null) =>
        await ReadAsync<IReadOnlyList<AppointmentReminderDto>>(await (client ?? await As(Roles.Staff)).GetAsync($"/api/appointments/{appointmentId}/reminders"));

    protected async Task<T> WithDbAsync<T>(Func<AppDbContext, Task<T>> action)
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    protected Task<int> ReminderRowsAsync(Guid appointmentId) =>
        WithDbAsync(db => db.Set<AppointmentReminder>().CountAsync(r => r.AppointmentId == appointmentId));

    /// <summary>The appointment's start in UTC when the clinic's clock is UTC.</summary>
    protected static DateTime Utc(DateOnly date, string time) => date.ToDateTime(TimeOnly.Parse(time), DateTimeKind.Utc);
}
