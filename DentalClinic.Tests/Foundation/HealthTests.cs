using System.Net;
using DentalClinic.Tests.Support;

namespace DentalClinic.Tests.Foundation;

/// <summary>Ready covers the SMTP server when e-mail is configured: reachable → 200, unreachable → 503.</summary>
public sealed class SmtpReadinessTests(string provider) : ApiTest(provider)
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Email:Smtp:Host"] = "127.0.0.1", ["Email:Smtp:Port"] = SmtpSink.Port.ToString(), ["Email:Smtp:Security"] = "None",
    };

    [Test]
    public async Task Ready_when_the_smtp_server_answers() =>
        Assert.That((await Anonymous().GetAsync("/health/ready")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
}

public sealed class SmtpUnreachableReadinessTests(string provider) : ApiTest(provider)
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Email:Smtp:Host"] = "127.0.0.1", ["Email:Smtp:Port"] = "1", ["Email:Smtp:Security"] = "None",
    };

    [Test]
    public async Task Not_ready_when_the_smtp_server_is_down()
    {
        var response = await Anonymous().GetAsync("/health/ready");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That((await Anonymous().GetAsync("/health/live")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
