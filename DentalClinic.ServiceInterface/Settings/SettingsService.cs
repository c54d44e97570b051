using System.Security.Cryptography;
using System.Text.Json;
using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceInterface.Files;
using DentalClinic.ServiceInterface.Infrastructure;
using DentalClinic.ServiceModel;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace DentalClinic.ServiceInterface.Settings;

/// <summary>
/// The clinic's settings, one row per key in the settings table (value: JSON). Missing keys fall
/// back to Clinic:* configuration, then to built-in defaults.
/// </summary>
public sealed class SettingsService(
    AppDbContext db, IFileStore files, PublicUrls urls, IConfiguration config, TimeProvider clock, ILogger<SettingsService> logger)
{
    public const string LogoRoute = "/api/settings/logo/";
    internal const string Lock = "settings";
    private const string LogoPrefix = "logos/";

    internal static class Keys
    {
        public const string ClinicName = "clinic_name";
        public const string Timezone = "timezone";
        public const string ReminderLeadTimeHours = "reminder_lead_time_hours";
        public const string ClinicPhone = "clinic_phone";
        public const string ClinicEmail = "clinic_email";
        public const string ClinicAddress = "clinic_address";
        public const string Logo = "doctor_logo";
        public const string SlotMinutes = "slot_minutes";
        public const string ReminderChannels = "reminder_channels";
    }

    private sealed record StoredLogo(string Key, string ContentType, long Size, DateTime UpdatedAt);

    public Task<SettingsDto> GetAsync(CancellationToken ct) => ReadAsync(includeLogo: true, ct);

    /// <summary>
    /// The settings without the logo (<c>Logo</c> is null): usable outside a request — by jobs —
    /// where the logo's absolute URL cannot be built without Api:PublicBaseUrl.
    /// </summary>
    public Task<SettingsDto> GetWithoutLogoAsync(CancellationToken ct) => ReadAsync(includeLogo: false, ct);

    private async Task<SettingsDto> ReadAsync(bool includeLogo, CancellationToken ct)
    {
        var values = await db.Set<Setting>().AsNoTracking().ToDictionaryAsync(s => s.Key, s => s.Value, ct);
        T? Read<T>(string key) => values.TryGetValue(key, out var json) ? JsonSerializer.Deserialize<T>(json) : default;
        var logo = includeLogo ? Read<StoredLogo>(Keys.Logo) : null;
        return new SettingsDto(
            Read<string>(Keys.ClinicName) ?? config["Clinic:Name"] ?? "Dental Clinic",
            Read<string>(Keys.Timezone) ?? config["Clinic:Timezone"] ?? "UTC",
            Read<int?>(Keys.ReminderLeadTimeHours) ?? config.GetValue("Clinic:ReminderLeadTimeHours", 24),
            Read<string>(Keys.ClinicPhone),
            Read<string>(Keys.ClinicEmail),
            Read<string>(Keys.ClinicAddress),
            logo is null ? null : ToDto(logo),
            // A configured default obeys the same rules as a saved setting (the API document's bounds rely on them).
            Read<int?>(Keys.SlotMinutes) ?? (config.GetValue("Clinic:SlotMinutes", 15) is var slot && UpdateSettingsValidator.IsSlotMinutes(slot) ? slot : 15),
            Read<List<string>>(Keys.ReminderChannels) ?? (config["Clinic:ReminderChannels"] is { } channels
                ? ReminderChannel.All.Where(channels.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Contains).ToList()
                : [.. ReminderChannel.All]));
    }

    public async Task<SettingsDto> UpdateAsync(UpdateSettings request, CancellationToken ct)
    {
        await using var tx = await db.BeginLockedTransactionAsync(Lock, ct);
        if (request.ClinicName is not null) await SetAsync(Keys.ClinicName, request.ClinicName.Trim(), ct);
        if (request.Timezone is not null) await SetAsync(Keys.Timezone, request.Timezone, ct);
        if (request.ReminderLeadTimeHours is { } hours) await SetAsync(Keys.ReminderLeadTimeHours, hours, ct);
        if (request.ClinicPhone is not null) await SetAsync(Keys.ClinicPhone, Blank(request.ClinicPhone), ct);
        if (request.ClinicEmail is not null) await SetAsync(Keys.ClinicEmail, Blank(request.ClinicEmail), ct);
        if (request.ClinicAddress is not null) await SetAsync(Keys.ClinicAddress, Blank(request.ClinicAddress), ct);
        if (request.SlotMinutes is { } slot) await SetAsync(Keys.SlotMinutes, slot, ct);
        if (request.ReminderChannels is { } reminderChannels)
            await SetAsync(Keys.ReminderChannels, ReminderChannel.All.Where(reminderChannels.Contains).ToList(), ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return await GetAsync(ct);
    }

    public async Task<LogoDto> GetLogoAsync(CancellationToken ct) =>
        (await GetAsync(ct)).Logo ?? throw ApiException.NotFound("Logo");

    /// <summary>
    /// Stores the multipart field <c>file</c> as the logo: PNG or JPEG by its bytes, at most 5 MB, under
    /// a name derived from its SHA-256. Nothing is stored unless every check passes.
    /// </summary>
    public async Task<LogoDto> UploadLogoAsync(HttpRequest request, CancellationToken ct)
    {
        if (!request.HasFormContentType)
            throw ApiException.UnsupportedMediaType("Send the logo as multipart/form-data with a field named file");
        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(ct);
        }
        catch (Exception e) when (e is InvalidDataException or IOException and not BadHttpRequestException && !ct.IsCancellationRequested)
        {
            throw ApiException.BadRequest("The multipart body is malformed");
        }
        var file = form.Files.GetFile("file") ?? throw ApiException.Invalid("file", "A file is required");
        if (file.Length == 0) throw ApiException.Invalid("file", "The file is empty");
        if (file.Length > FileLimits.MaxLogoBytes) throw ApiException.TooLarge("The logo must be at most 5 MB");

        var bytes = new byte[file.Length];
        await using (var stream = file.OpenReadStream()) await stream.ReadExactlyAsync(bytes, ct);
        var format = ImageFormats.Detect(bytes) ?? throw ApiException.UnsupportedMediaType("The logo must be a PNG or JPEG image");
        if (!ImageFormats.LooksComplete(bytes, format)) throw ApiException.Invalid("file", "The image is damaged or incomplete");

        var key = $"{LogoPrefix}{Convert.ToHexStringLower(SHA256.HashData(bytes))}.{format.Extension}";
        await files.PutAsync(key, bytes, format.ContentType, ct);

        var logo = new StoredLogo(key, format.ContentType, bytes.LongLength, Now());
        StoredLogo? previous;
        await using (var tx = await db.BeginLockedTransactionAsync(Lock, ct))
        {
            previous = await db.Set<Setting>().Where(s => s.Key == Keys.Logo).Select(s => s.Value).FirstOrDefaultAsync(ct) is { } json
                ? JsonSerializer.Deserialize<StoredLogo>(json)
                : null;
            await SetAsync(Keys.Logo, logo, ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        if (previous is not null && previous.Key != key)
        {
            try { await files.DeleteAsync(previous.Key, ct); }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Could not delete the previous logo {Key}", previous.Key);
            }
        }
        return ToDto(logo);
    }

    /// <summary>A public logo file (GET /api/settings/logo/{fileName}); null when there is none of that name.</summary>
    public async Task<StoredFile?> OpenLogoFileAsync(string fileName, CancellationToken ct)
    {
        if (!IsLogoFileName(fileName)) return null;
        return await files.GetAsync(LogoPrefix + fileName, ct);
    }

    public static bool IsLogoFileName(string fileName) =>
        fileName.Length == 68 && fileName[..64].All(char.IsAsciiHexDigitLower) && fileName[64..] is ".png" or ".jpg";

    private LogoDto ToDto(StoredLogo logo) =>
        new(urls.Absolute(LogoRoute + logo.Key[LogoPrefix.Length..]), logo.ContentType, logo.Size, logo.UpdatedAt);

    private async Task SetAsync<T>(string key, T value, CancellationToken ct)
    {
        var json = JsonSerializer.Serialize(value);
        var row = await db.Set<Setting>().FirstOrDefaultAsync(s => s.Key == key, ct);
        if (row is null) db.Set<Setting>().Add(new Setting { Key = key, Value = json, UpdatedAt = Now() });
        else
        {
            row.Value = json;
            row.UpdatedAt = Now();
        }
    }

    private static string? Blank(string value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private DateTime Now()
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return now.AddTicks(-(now.Ticks % 10));
    }
}
