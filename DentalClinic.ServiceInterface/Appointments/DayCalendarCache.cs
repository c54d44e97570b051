using System.Collections.Concurrent;
using System.Globalization;
using DentalClinic.ServiceInterface.Schedule;
using DentalClinic.ServiceModel;
using Microsoft.Extensions.Caching.Memory;

namespace DentalClinic.ServiceInterface.Appointments;

/// <summary>
/// Day calendars, each kept as its items and as sent (UTF-8 JSON) with the <see cref="CalendarStamp"/>s
/// read before it was, and served only while the database still holds those stamps. At most 32 MB;
/// a day not asked for in 10 minutes is dropped.
/// </summary>
public sealed class DayCalendarCache
{
    public sealed record Day(IReadOnlyList<DayAppointmentDto> Items, byte[] Json)
    {
        private Occupant[]? occupants;

        /// <summary>The day's appointments that occupy time, as the booking rules see them (free-slot search reads these).</summary>
        public IReadOnlyList<Occupant> Occupants => occupants ??= Items.Where(a => AppointmentStatus.Occupies(a.Status)).Select(a =>
        {
            var start = BookingRules.Minutes(TimeOnly.ParseExact(a.Time, "HH:mm", CultureInfo.InvariantCulture));
            return new Occupant(a.Id, start, start + a.AppointmentTypeDuration, a.DentistId, a.ChairId, a.PatientId);
        }).ToArray();

        /// <summary>Free-slot search's answers for this day (<see cref="AvailabilityService"/>): kept as long as the day is.</summary>
        public ConcurrentDictionary<AvailabilityService.DayQuestion, AvailabilityService.FreeStart[]> FreeStarts { get; } = new();
    }

    private sealed record Entry(long? DayStamp, long? EveryDayStamp, Day Day);

    private readonly MemoryCache days = new(new MemoryCacheOptions { SizeLimit = 32 * 1024 * 1024 });

    public Day? Find(DateOnly date, long? dayStamp, long? everyDayStamp) =>
        days.TryGetValue(date, out Entry? entry) && entry!.DayStamp == dayStamp && entry.EveryDayStamp == everyDayStamp
            ? entry.Day
            : null;

    public Day Keep(DateOnly date, long? dayStamp, long? everyDayStamp, IReadOnlyList<DayAppointmentDto> items, byte[] json)
    {
        var day = new Day(items, json);
        // Items and JSON: the JSON's size twice is a fair estimate of both.
        days.Set(date, new Entry(dayStamp, everyDayStamp, day),
            new MemoryCacheEntryOptions { Size = 2L * json.Length + 64, SlidingExpiration = TimeSpan.FromMinutes(10) });
        return day;
    }
}
