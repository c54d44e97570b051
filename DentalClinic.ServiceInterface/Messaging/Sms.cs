using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DentalClinic.ServiceInterface.Messaging;

/// <summary>Sends one text message to an E.164 number. Throws <see cref="SmsException"/> when the provider refuses it.</summary>
public interface ISmsSender
{
    Task<string> SendAsync(string toE164, string body, CancellationToken ct);

    /// <summary>False for a provider that only records the message: nothing reaches a phone (status "logged").</summary>
    bool Delivers => true;
}

public sealed class SmsException(string message, bool permanent) : Exception(message)
{
    /// <summary>True when retrying cannot help (e.g. an invalid number).</summary>
    public bool Permanent { get; } = permanent;
}

/// <summary>Configuration section "Sms".</summary>
public sealed class SmsOptions
{
    /// <summary>"Log" (development: writes the message to the log) or "Twilio".</summary>
    public string Provider { get; set; } = "Log";
    public TwilioOptions Twilio { get; set; } = new();
}

public sealed class TwilioOptions
{
    public string BaseUrl { get; set; } = "https://api.twilio.com";
    public string AccountSid { get; set; } = "";
    public string AuthToken { get; set; } = "";
    /// <summary>The sending number (E.164) or a Messaging Service SID (MG…).</summary>
    public string From { get; set; } = "";
}

/// <summary>Development provider: nothing leaves the machine; only the recipient's last digits are logged.</summary>
public sealed class LogSmsSender(ILogger<LogSmsSender> logger) : ISmsSender
{
    public bool Delivers => false;

    public Task<string> SendAsync(string toE164, string body, CancellationToken ct)
    {
        var id = "log-" + Guid.NewGuid().ToString("N");
        logger.LogInformation("SMS {MessageId} to …{Last4} ({Length} characters) written to the log only", id, toE164[^Math.Min(4, toE164.Length)..], body.Length);
        return Task.FromResult(id);
    }
}

/// <summary>Twilio's Messages REST API over plain HTTP; 5xx and network failures are retried by the HttpClient pipeline.</summary>
public sealed class TwilioSmsSender(HttpClient http, IOptions<SmsOptions> options) : ISmsSender
{
    private sealed record TwilioMessage(string Sid);

    public async Task<string> SendAsync(string toE164, string body, CancellationToken ct)
    {
        var twilio = options.Value.Twilio;
        var form = new Dictionary<string, string> { ["To"] = toE164, ["Body"] = body };
        form[twilio.From.StartsWith("MG", StringComparison.Ordinal) ? "MessagingServiceSid" : "From"] = twilio.From;

        using var request = new HttpRequestMessage(HttpMethod.Post,
            $"{twilio.BaseUrl.TrimEnd('/')}/2010-04-01/Accounts/{Uri.EscapeDataString(twilio.AccountSid)}/Messages.json")
        {
            Content = new FormUrlEncodedContent(form),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{twilio.AccountSid}:{twilio.AuthToken}")));

        using var response = await http.SendAsync(request, ct);
        if (!response.IsSuccessStatusCode)
            throw new SmsException($"Twilio answered {(int)response.StatusCode}", permanent: (int)response.StatusCode is >= 400 and < 500 and not 429);
        var message = await response.Content.ReadFromJsonAsync<TwilioMessage>(ct);
        return message?.Sid ?? throw new SmsException("Twilio answered without a message sid", permanent: false);
    }
}
