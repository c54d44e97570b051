using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceInterface.Messaging;
using DentalClinic.ServiceModel;
using DentalClinic.Tests.MedicalHistory;
using DentalClinic.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DentalClinic.Tests.Messaging;

/// <summary>The medical-history link's SMS goes from the outbox through the Twilio provider to a stand-in of Twilio.</summary>
public sealed class SmsDeliveryTests(string provider) : ApiTest(provider)
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Sms:Provider"] = "Twilio",
        ["Sms:Twilio:BaseUrl"] = TwilioStandIn.Url,
        ["Sms:Twilio:AccountSid"] = "ACtest",
        ["Sms:Twilio:AuthToken"] = "secret",
        ["Sms:Twilio:From"] = "+15005550006",
        ["Sms:Twilio:Retries"] = "0",   // one HTTP attempt per delivery attempt, so the outbox's own retries are visible
        ["Frontend:BaseUrl"] = "https://app.clinic.test",
        // No job server: the tests run the dispatcher themselves, attempt by attempt.
        ["Jobs:Enabled"] = "false",
    };

    private async Task<(Guid PatientId, MedicalHistoryLinkDto Link)> LinkWithSmsAsync()
    {
        var patientId = await TestPatients.CreateAsync(App);
        var response = await (await As(Roles.Staff)).PostAsJsonAsync($"/api/patients/{patientId}/medical-history-link", new { sendSms = true });
        var link = await ReadAsync<MedicalHistoryLinkDto>(response, HttpStatusCode.Created);
        Assert.That(link.Sms?.Status, Is.EqualTo("pending"));
        return (patientId, link);
    }

    private async Task<int> DispatchAsync()
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SmsOutboxDispatcher>().DispatchAsync(CancellationToken.None);
    }

    private async Task<SmsDelivery> DeliveryAsync(Guid patientId)
    {
        var links = await ReadAsync<MedicalHistoryLinkStatus[]>(await (await As(Roles.Staff)).GetAsync($"/api/patients/{patientId}/medical-history-links"));
        return links.Single().Sms!;
    }

    private Task MakeDueAsync(Guid messageId) => TestPatients.WithDbAsync(App, db =>
        db.Set<SmsOutboxMessage>().Where(m => m.Id == messageId)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.NextAttemptAt, DateTime.UtcNow.AddSeconds(-1))));

    [Test]
    public async Task The_link_sms_is_delivered_once_and_its_body_cleared()
    {
        var (patientId, link) = await LinkWithSmsAsync();

        await DispatchAsync();
        await DispatchAsync();

        var received = TwilioStandIn.MessagesTo(link.Sms!.To);
        Assert.That(received, Has.Count.EqualTo(1));
        Assert.That(received[0]["Body"], Does.Contain(link.Url));
        var delivery = await DeliveryAsync(patientId);
        Assert.That((delivery.Status, delivery.Attempts, delivery.LastError), Is.EqualTo(("sent", 1, (string?)null)));
        Assert.That(delivery.SentAt, Is.Not.Null);
        var body = await TestPatients.WithDbAsync(App, db => db.Set<SmsOutboxMessage>().Where(m => m.Id == delivery.Id).Select(m => m.Body).SingleAsync());
        Assert.That(body, Is.Empty, "the token-bearing body is not kept after sending");
    }

    [Test]
    public async Task Server_errors_are_retried_with_back_off_and_every_outcome_recorded()
    {
        var (patientId, link) = await LinkWithSmsAsync();
        TwilioStandIn.FailNext(link.Sms!.To, HttpStatusCode.InternalServerError, times: 2);

        await DispatchAsync();
        var first = await DeliveryAsync(patientId);
        Assert.That((first.Status, first.Attempts), Is.EqualTo(("pending", 1)));
        Assert.That(first.LastError, Does.Contain("500"));

        await DispatchAsync();   // not due yet: back-off
        Assert.That((await DeliveryAsync(patientId)).Attempts, Is.EqualTo(1));

        await MakeDueAsync(first.Id);
        await DispatchAsync();
        Assert.That((await DeliveryAsync(patientId)).Attempts, Is.EqualTo(2));

        await MakeDueAsync(first.Id);
        await DispatchAsync();
        var last = await DeliveryAsync(patientId);
        Assert.That((last.Status, last.Attempts), Is.EqualTo(("sent", 3)));
        Assert.That(TwilioStandIn.MessagesTo(link.Sms.To), Has.Count.EqualTo(3));
    }

    [Test]
    public async Task A_refused_number_fails_without_retrying()
    {
        var (patientId, link) = await LinkWithSmsAsync();
        TwilioStandIn.FailNext(link.Sms!.To, HttpStatusCode.BadRequest, times: 1);

        await DispatchAsync();

        var delivery = await DeliveryAsync(patientId);
        Assert.That((delivery.Status, delivery.Attempts), Is.EqualTo(("failed", 1)));
    }

    [Test]
    public async Task Links_of_an_unknown_patient_are_404()
    {
        await AssertErrorAsync(await (await As(Roles.Staff)).GetAsync($"/api/patients/{Guid.NewGuid()}/medical-history-links"),
            HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }
}

/// <summary>A stand-in of Twilio's Messages API on loopback, shared by the fixtures of a run; behaviour is set per recipient.</summary>
internal static class TwilioStandIn
{
    private static readonly ConcurrentDictionary<string, ConcurrentQueue<HttpStatusCode>> Failures = new();
    private static readonly ConcurrentQueue<Dictionary<string, string>> Received = new();
    private static readonly Lazy<string> Server = new(Start);

    public static string Url => Server.Value;

    public static void FailNext(string to, HttpStatusCode status, int times)
    {
        var queue = Failures.GetOrAdd(to, _ => new ConcurrentQueue<HttpStatusCode>());
        for (var i = 0; i < times; i++) queue.Enqueue(status);
    }

    public static IReadOnlyList<Dictionary<string, string>> MessagesTo(string to) => Received.Where(m => m["To"] == to).ToList();

    private static string Start()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.MapPost("/2010-04-01/Accounts/{sid}/Messages.json", async (HttpContext context) =>
        {
            var form = (await context.Request.ReadFormAsync()).ToDictionary(f => f.Key, f => f.Value.ToString());
            Received.Enqueue(form);
            if (Failures.TryGetValue(form["To"], out var queue) && queue.TryDequeue(out var status))
                return Results.Json(new { code = 1, message = "stand-in failure" }, statusCode: (int)status);
            return Results.Json(new { sid = "SM" + Guid.NewGuid().ToString("N") }, statusCode: 201);
        });
        app.StartAsync().GetAwaiter().GetResult();
        return app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }
}

/// <summary>
/// With the job server running (the default), a link's SMS goes out by itself — here through the default
/// development provider, which only logs it: its status says "logged", never "sent".
/// </summary>
public sealed class SmsDeliveryByJobServerTests(string provider) : ApiTest(provider)
{
    [Test]
    public async Task The_job_server_sends_a_new_links_sms_without_anyone_asking()
    {
        var patientId = await TestPatients.CreateAsync(App);
        var staff = await As(Roles.Staff);
        var link = await ReadAsync<MedicalHistoryLinkDto>(
            await staff.PostAsJsonAsync($"/api/patients/{patientId}/medical-history-link", new { sendSms = true }), HttpStatusCode.Created);
        Assert.That(link.Sms?.Status, Is.EqualTo("pending"));

        var deadline = DateTime.UtcNow.AddSeconds(30);
        SmsDelivery? delivery;
        do
        {
            await Task.Delay(200);
            var links = await ReadAsync<MedicalHistoryLinkStatus[]>(await staff.GetAsync($"/api/patients/{patientId}/medical-history-links"));
            delivery = links.Single().Sms;
        } while (delivery?.Status is "pending" or "sending" && DateTime.UtcNow < deadline);
        Assert.That(delivery?.Status, Is.EqualTo("logged"));
        Assert.That(delivery!.Attempts, Is.EqualTo(1));
        Assert.That(delivery.SentAt, Is.Not.Null);
        var body = await TestPatients.WithDbAsync(App, db => db.Set<SmsOutboxMessage>().Where(m => m.Id == delivery.Id).Select(m => m.Body).SingleAsync());
        Assert.That(body, Is.Empty, "the token-bearing body is not kept after logging either");
    }
}
