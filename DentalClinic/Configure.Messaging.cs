using DentalClinic.ServiceInterface.Messaging;

namespace DentalClinic;

/// <summary>Outgoing e-mail (Email:Smtp:*, MailKit) and SMS (Sms:Provider = Log | Twilio); see MessagingServices.</summary>
public static class ConfigureMessaging
{
    public static void AddMessaging(this WebApplicationBuilder builder)
    {
        try
        {
            builder.Services.AddMessaging(builder.Configuration);
        }
        catch (InvalidOperationException e)
        {
            throw new StartupException(e.Message);
        }
    }
}
