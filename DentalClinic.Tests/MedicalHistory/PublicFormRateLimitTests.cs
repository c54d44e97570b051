using System.Net;
using DentalClinic.ServiceModel;
using DentalClinic.Tests.Support;

namespace DentalClinic.Tests.MedicalHistory;

/// <summary>The public form's per-IP ceiling, on an application of its own.</summary>
public sealed class PublicFormRateLimitTests(string provider) : ApiTest(provider)
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(FeatureSettings.For("medical-history-rate", Provider))
    {
        ["RateLimits:MedicalHistoryPerIpPerMinute"] = "3",
    };

    [Test]
    public async Task The_public_form_is_rate_limited_per_ip()
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++) statuses.Add((await Anonymous().GetAsync($"/api/medical-history/unknown-{i}")).StatusCode);
        Assert.That(statuses, Is.All.EqualTo(HttpStatusCode.NotFound));
        var limited = await Anonymous().GetAsync("/api/medical-history/unknown-4");
        await AssertErrorAsync(limited, HttpStatusCode.TooManyRequests, ErrorCodes.RateLimited);
        Assert.That(limited.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero));
    }
}
