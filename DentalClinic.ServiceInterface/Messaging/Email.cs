using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace DentalClinic.ServiceInterface.Messaging;

/// <param name="MessageId">
/// The Message-ID header (without angle brackets); when set, a message sent again carries the same
/// id, so mail systems that de-duplicate by it show it once. Null: MimeKit generates one.
/// </param>
public sealed record EmailMessage(string To, string Subject, string TextBody, string? MessageId = null);

public interface IEmailSender
{
    Task SendAsync(EmailMessage message, CancellationToken ct);
}

/// <summary>Configuration section "Email".</summary>
public sealed class EmailOptions
{
    public string From { get; set; } = "clinic@localhost";
    public string FromName { get; set; } = "DentalClinic";
    public SmtpOptions Smtp { get; set; } = new();
}

public sealed class SmtpOptions
{
    /// <summary>Empty: e-mail is not configured (reminders are recorded as skipped).</summary>
    public string Host { get; set; } = "";
    public int Port { get; set; } = 587;
    /// <summary>None | Auto | StartTls | StartTlsWhenAvailable | SslOnConnect.</summary>
    public SecureSocketOptions Security { get; set; } = SecureSocketOptions.StartTls;
    public string User { get; set; } = "";
    public string Password { get; set; } = "";
}

/// <summary>SMTP through MailKit: one connection per message (reminders are few and spread over the day).</summary>
public sealed class SmtpEmailSender(IOptions<EmailOptions> options) : IEmailSender
{
    public async Task SendAsync(EmailMessage message, CancellationToken ct)
    {
        var config = options.Value;
        var mime = new MimeMessage();
        mime.From.Add(new MailboxAddress(config.FromName, config.From));
        mime.To.Add(MailboxAddress.Parse(message.To));
        mime.Subject = message.Subject;
        mime.Body = new TextPart("plain") { Text = message.TextBody };
        if (message.MessageId is { Length: > 0 } messageId) mime.MessageId = messageId;

        using var client = new SmtpClient();
        await client.ConnectAsync(config.Smtp.Host, config.Smtp.Port, config.Smtp.Security, ct);
        if (!string.IsNullOrEmpty(config.Smtp.User))
            await client.AuthenticateAsync(config.Smtp.User, config.Smtp.Password, ct);
        await client.SendAsync(mime, ct);
        await client.DisconnectAsync(quit: true, ct);
    }
}
