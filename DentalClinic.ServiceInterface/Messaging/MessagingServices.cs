using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace DentalClinic.ServiceInterface.Messaging;

public static class MessagingServices
{
    /// <summary>
    /// E-mail over SMTP (Email:*) and SMS through Sms:Provider — "Log" (development default:
    /// nothing is sent) or "Twilio" (Sms:Twilio:*; 5xx, 429 and network failures retried with
    /// exponential back-off, Sms:Twilio:Retries times).
    /// </summary>
    public static IServiceCollection AddMessaging(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<EmailOptions>(configuration.GetSection("Email"));
        services.Configure<SmsOptions>(configuration.GetSection("Sms"));
        services.AddSingleton<IEmailSender, SmtpEmailSender>();
        services.AddScoped<SmsOutboxDispatcher>();
        services.AddScoped<MessagingStatusService>();

        var provider = configuration["Sms:Provider"] ?? "Log";
        if (provider.Equals("Twilio", StringComparison.OrdinalIgnoreCase))
        {
            var http = services.AddHttpClient<ISmsSender, TwilioSmsSender>();
            var retries = configuration.GetValue("Sms:Twilio:Retries", 3);
            if (retries > 0)
                http.AddResilienceHandler("twilio", pipeline => pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = retries,
                    BackoffType = DelayBackoffType.Exponential,
                    Delay = configuration.GetValue("Sms:Twilio:RetryDelay", TimeSpan.FromSeconds(1)),
                    UseJitter = true,
                }));
        }
        else if (provider.Equals("Log", StringComparison.OrdinalIgnoreCase))
        {
            services.AddSingleton<ISmsSender, LogSmsSender>();
        }
        else
        {
            throw new InvalidOperationException($"Sms:Provider '{provider}' is not supported: use 'Log' or 'Twilio'.");
        }
        return services;
    }
}
