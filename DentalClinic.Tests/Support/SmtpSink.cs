using System.Text.Json;

namespace DentalClinic.Tests.Support;

/// <summary>The real SMTP server ./test.sh starts (tools/smtp_sink.py): messages land as JSON files in a folder.</summary>
public static class SmtpSink
{
    public sealed record Message(string MailFrom, string[] RcptTos, string Data);

    public static int Port => int.Parse(Required("TEST_SMTP_PORT"));
    private static string Folder => Required("TEST_SMTP_DIR");

    public static IReadOnlyList<Message> MessagesTo(string recipient)
    {
        if (!Directory.Exists(Folder)) return [];
        return Directory.GetFiles(Folder, "*.json")
            .Select(f => JsonDocument.Parse(File.ReadAllText(f)).RootElement)
            .Select(e => new Message(e.GetProperty("mail_from").GetString()!,
                e.GetProperty("rcpt_tos").EnumerateArray().Select(r => r.GetString()!).ToArray(),
                e.GetProperty("data").GetString()!))
            .Where(m => m.RcptTos.Contains(recipient, StringComparer.OrdinalIgnoreCase))
            .ToList();
    }

    /// <summary>Waits until <paramref name="count"/> messages reached the recipient (or the timeout passes) and returns them.</summary>
    public static async Task<IReadOnlyList<Message>> WaitForAsync(string recipient, int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var messages = MessagesTo(recipient);
            if (messages.Count >= count || DateTime.UtcNow > deadline) return messages;
            await Task.Delay(100);
        }
    }

    private static string Required(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set: run the suite with ./test.sh, which starts the SMTP sink.");
}
