using DentalClinic.ServiceInterface.Messaging;
using DentalClinic.Tests.Support;
using MailKit.Security;
using Microsoft.Extensions.Options;

namespace DentalClinic.Tests.Messaging;

public sealed class SmtpEmailSenderTests
{
    [Test]
    public async Task Delivers_to_a_real_smtp_server()
    {
        var sender = new SmtpEmailSender(Options.Create(new EmailOptions
        {
            From = "clinic@clinic.test",
            FromName = "Test Clinic",
            Smtp = new SmtpOptions { Host = "127.0.0.1", Port = SmtpSink.Port, Security = SecureSocketOptions.None },
        }));
        var to = $"patient-{Guid.NewGuid():N}@example.test";

        await sender.SendAsync(new EmailMessage(to, "Appointment reminder", "See you tomorrow at 14:30."), CancellationToken.None);

        var messages = await SmtpSink.WaitForAsync(to, 1);
        Assert.That(messages, Has.Count.EqualTo(1));
        Assert.That(messages[0].MailFrom, Is.EqualTo("clinic@clinic.test"));
        Assert.That(messages[0].Data, Does.Contain("Subject: Appointment reminder").And.Contain("See you tomorrow at 14:30."));
    }
}
