using System.Globalization;
using DentalClinic.ServiceModel;

namespace DentalClinic.ServiceInterface.Reminders;

/// <summary>The reminder as a text message: short, with the clinic, the first name, the type, date and time.</summary>
public static class ReminderSms
{
    public static string Compose(SettingsDto clinic, string firstName, string typeName, DateOnly date, TimeOnly time)
    {
        var when = $"{date.ToString("ddd d MMM", CultureInfo.InvariantCulture)} at {time.ToString("HH:mm", CultureInfo.InvariantCulture)}";
        var cancel = clinic.ClinicPhone is { } phone ? $" If you cannot come, call {phone}." : "";
        return $"{clinic.ClinicName}: Hi {firstName}, a reminder of your {typeName} appointment on {when}.{cancel}";
    }
}
