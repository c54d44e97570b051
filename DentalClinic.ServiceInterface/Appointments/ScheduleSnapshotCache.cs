using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceInterface.Schedule;
using DentalClinic.ServiceInterface.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DentalClinic.ServiceInterface.Appointments;

/// <summary>
/// What free-slot search reads besides appointments, kept under the <see cref="CalendarStamp.Schedule"/>
/// stamp read before it and served only while the database still holds that stamp. Database triggers
/// renew the stamp on every change to users, chairs, hours, closures, appointment types and settings,
/// whoever makes it (migration AddScheduleStamp). Settings not stored fall back to configuration, which
/// can be reloaded: those configured defaults are part of the key.
/// </summary>
public sealed class ScheduleSnapshotCache
{
    /// <param name="Dentists">Active dentists by name.</param>
    /// <param name="Chairs">Active chairs by display order and name.</param>
    /// <param name="Durations">The active appointment types' durations.</param>
    /// <param name="Rules">Chair count, hours, and every closure and time off.</param>
    public sealed record Snapshot(int SlotMinutes, string Timezone, IReadOnlyList<Guid> Dentists, IReadOnlyList<Guid> Chairs,
        IReadOnlyDictionary<Guid, int> Durations, ScheduleRules Rules);

    public sealed record Key(long? Stamp, string? ConfiguredSlotMinutes, string? ConfiguredTimezone);

    private sealed record Entry(Key Key, Snapshot Snapshot);

    private volatile Entry? entry;

    public Snapshot? Find(Key key) => entry is { } e && e.Key == key ? e.Snapshot : null;

    public Snapshot Keep(Key key, Snapshot snapshot)
    {
        entry = new Entry(key, snapshot);
        return snapshot;
    }

    /// <summary>The snapshot under the schedule stamp just read: kept, or read now (then never older than the stamp).</summary>
    public async Task<Snapshot> GetAsync(long? scheduleStamp, AppDbContext db, IServiceProvider services, CancellationToken ct)
    {
        var config = services.GetRequiredService<IConfiguration>();
        var key = new Key(scheduleStamp, config["Clinic:SlotMinutes"], config["Clinic:Timezone"]);
        return Find(key) ?? Keep(key, await LoadAsync(db, services, ct));
    }

    private static async Task<Snapshot> LoadAsync(AppDbContext db, IServiceProvider services, CancellationToken ct)
    {
        var clinic = await services.GetRequiredService<SettingsService>().GetWithoutLogoAsync(ct);
        var schedule = services.GetRequiredService<ScheduleService>();
        return new Snapshot(
            clinic.SlotMinutes, clinic.Timezone,
            (await schedule.DentistsAsync(ct)).Select(d => d.Id).ToList(),
            (await schedule.ChairsAsync(archived: false, ct)).Select(c => c.Id).ToList(),
            await db.AppointmentTypes.Where(t => t.ArchivedAt == null).ToDictionaryAsync(t => t.Id, t => t.Duration, ct),
            await ScheduleRules.LoadAsync(db, null, null, ct));
    }
}
