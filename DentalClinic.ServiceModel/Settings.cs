namespace DentalClinic.ServiceModel;

/// <summary>
/// The clinic's settings (GET /api/settings, any signed-in role). <c>slotMinutes</c>: the grid of free-slot
/// search (default 15). <c>reminderChannels</c>: how reminders go, <c>sms</c> and/or <c>email</c>
/// (default both; each only where the patient has that contact; an empty list sends none).
/// </summary>
public record SettingsDto(
    string ClinicName,
    string Timezone,
    int ReminderLeadTimeHours,
    string? ClinicPhone,
    string? ClinicEmail,
    string? ClinicAddress,
    LogoDto? Logo,
    int SlotMinutes = 15,
    IReadOnlyList<string>? ReminderChannels = null);

/// <summary>PUT /api/settings (admin). Every field is optional: a missing one is left unchanged; an empty contact field clears it.</summary>
public record UpdateSettings(
    string? ClinicName,
    string? Timezone,
    int? ReminderLeadTimeHours,
    string? ClinicPhone,
    string? ClinicEmail,
    string? ClinicAddress,
    int? SlotMinutes = null,
    IReadOnlyList<string>? ReminderChannels = null);

/// <summary>The doctor's logo: a public, cacheable URL and what it holds.</summary>
public record LogoDto(string Url, string ContentType, long Size, DateTime UpdatedAt);

public static class FileLimits
{
    public const long MaxLogoBytes = 5 * 1024 * 1024;
    public const int MaxSignatureBytes = 1024 * 1024;
}
