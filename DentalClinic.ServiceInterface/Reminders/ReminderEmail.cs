using System.Globalization;
using System.Text;
using DentalClinic.ServiceInterface.Messaging;
using DentalClinic.ServiceModel;

namespace DentalClinic.ServiceInterface.Reminders;

/// <summary>The reminder's text: clinic name, patient's first name, the appointment's date, time and type.</summary>
public static class ReminderEmail
{
    public static EmailMessage Compose(
        Guid reminderId, string to, string fromAddress, SettingsDto clinic, string firstName, string typeName, DateOnly date, TimeOnly time)
    {
        var when = $"{date.ToString("dddd, d MMMM yyyy", CultureInfo.InvariantCulture)} at {time.ToString("HH:mm", CultureInfo.InvariantCulture)}";
        var body = new StringBuilder()
            .AppendLine($"Dear {firstName},")
            .AppendLine()
            .AppendLine($"This is a reminder of your {typeName} appointment at {clinic.ClinicName} on {when}.")
            .AppendLine();
        if (clinic.ClinicAddress is { } address) body.AppendLine($"Address: {address}");
        body.AppendLine(clinic.ClinicPhone is { } phone
            ? $"If you cannot come, please call us on {phone}."
            : "If you cannot come, please let us know.");
        body.AppendLine().AppendLine(clinic.ClinicName);

        var at = fromAddress.LastIndexOf('@');
        var domain = at >= 0 && at < fromAddress.Length - 1 ? fromAddress[(at + 1)..] : "dentalclinic.local";
        return new EmailMessage(to, $"Reminder: your appointment at {clinic.ClinicName} on {when}", body.ToString(),
            MessageId: $"reminder-{reminderId:N}@{domain}");
    }
}
