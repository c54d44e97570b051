using System.Collections.Concurrent;
using System.Text;
using DentalClinic.ServiceInterface.Messaging;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DentalClinic.Tests.Messaging;

/// <summary>The Twilio provider against a local stand-in of Twilio's Messages API on loopback.</summary>
public sealed class TwilioSmsSenderTests
{
    private const string AccountSid = "AC0123456789abcdef0123456789abcdef";
    private const string AuthToken = "test-auth-token";

    private WebApplication standIn = null!;
    private string baseUrl = null!;
    private readonly ConcurrentQueue<(string Path, string? Authorization, Dictionary<string, string> Form)> received = new();
    private readonly ConcurrentQueue<int> statusesToAnswer = new();

    [OneTimeSetUp]
    public async Task StartStandIn()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        standIn = builder.Build();
        standIn.MapPost("/2010-04-01/Accounts/{sid}/Messages.json", async (HttpContext context) =>
        {
            var form = (await context.Request.ReadFormAsync()).ToDictionary(f => f.Key, f => f.Value.ToString());
            received.Enqueue((context.Request.Path, context.Request.Headers.Authorization.ToString(), form));
            var status = statusesToAnswer.TryDequeue(out var s) ? s : 201;
            return status == 201
                ? Results.Json(new { sid = "SM" + Guid.NewGuid().ToString("N"), status = "queued" }, statusCode: 201)
                : Results.Json(new { code = 20500, message = "stand-in failure" }, statusCode: status);
        });
        await standIn.StartAsync();
        baseUrl = standIn.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    [OneTimeTearDown]
    public async Task StopStandIn() => await standIn.DisposeAsync();

    [SetUp]
    public void Reset()
    {
        received.Clear();
        statusesToAnswer.Clear();
    }

    private ISmsSender Sender(string from = "+15005550006") => new ServiceCollection()
        .AddLogging()
        .AddMessaging(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sms:Provider"] = "Twilio",
            ["Sms:Twilio:BaseUrl"] = baseUrl,
            ["Sms:Twilio:AccountSid"] = AccountSid,
            ["Sms:Twilio:AuthToken"] = AuthToken,
            ["Sms:Twilio:From"] = from,
            ["Sms:Twilio:RetryDelay"] = "00:00:00.010",
        }).Build())
        .BuildServiceProvider()
        .GetRequiredService<ISmsSender>();

    [Test]
    public async Task Sends_the_request_shape_twilio_expects_with_basic_auth()
    {
        var sid = await Sender().SendAsync("+15551234567", "Your form: https://clinic.test/medical-history/abc", CancellationToken.None);

        Assert.That(sid, Does.StartWith("SM"));
        Assert.That(received, Has.Count.EqualTo(1));
        var (path, authorization, form) = received.Single();
        Assert.That(path, Is.EqualTo($"/2010-04-01/Accounts/{AccountSid}/Messages.json"));
        Assert.That(authorization, Is.EqualTo("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{AccountSid}:{AuthToken}"))));
        Assert.That(form, Is.EquivalentTo(new Dictionary<string, string>
        {
            ["To"] = "+15551234567", ["From"] = "+15005550006", ["Body"] = "Your form: https://clinic.test/medical-history/abc",
        }));
    }

    [Test]
    public async Task A_messaging_service_sid_is_sent_as_such()
    {
        await Sender(from: "MG0123456789abcdef0123456789abcdef").SendAsync("+15551234567", "hi", CancellationToken.None);
        Assert.That(received.Single().Form["MessagingServiceSid"], Is.EqualTo("MG0123456789abcdef0123456789abcdef"));
        Assert.That(received.Single().Form.ContainsKey("From"), Is.False);
    }

    [Test]
    public async Task Server_errors_are_retried_until_accepted()
    {
        statusesToAnswer.Enqueue(500);
        statusesToAnswer.Enqueue(503);
        var sid = await Sender().SendAsync("+15551234567", "hi", CancellationToken.None);
        Assert.That(sid, Does.StartWith("SM"));
        Assert.That(received, Has.Count.EqualTo(3));
    }

    [Test]
    public void Persistent_server_errors_fail_as_retryable_after_the_retries()
    {
        for (var i = 0; i < 4; i++) statusesToAnswer.Enqueue(500);
        var error = Assert.ThrowsAsync<SmsException>(() => Sender().SendAsync("+15551234567", "hi", CancellationToken.None));
        Assert.That(error!.Permanent, Is.False);
        Assert.That(received, Has.Count.EqualTo(4));
    }

    [Test]
    public void A_client_error_is_permanent_and_not_retried()
    {
        statusesToAnswer.Enqueue(400);
        var error = Assert.ThrowsAsync<SmsException>(() => Sender().SendAsync("+1555", "hi", CancellationToken.None));
        Assert.That(error!.Permanent, Is.True);
        Assert.That(received, Has.Count.EqualTo(1));
    }
}
