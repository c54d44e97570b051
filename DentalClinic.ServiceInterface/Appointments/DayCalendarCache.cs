using Microsoft.Extensions.Caching.Memory;

namespace DentalClinic.ServiceInterface.Appointments;

/// <summary>
/// Day calendars as sent (UTF-8 JSON), each kept with the <see cref="CalendarStamp"/>s read before
/// it was, and served only while the database still holds those stamps. At most 32 MB; a day not
/// asked for in 10 minutes is dropped.
/// </summary>
public sealed class DayCalendarCache
{
    private sealed record Entry(long? DayStamp, long? EveryDayStamp, byte[] Json);

    private readonly MemoryCache days = new(new MemoryCacheOptions { SizeLimit = 32 * 1024 * 1024 });

    public byte[]? Find(DateOnly date, long? dayStamp, long? everyDayStamp) =>
        days.TryGetValue(date, out Entry? entry) && entry!.DayStamp == dayStamp && entry.EveryDayStamp == everyDayStamp
            ? entry.Json
            : null;

    public void Keep(DateOnly date, long? dayStamp, long? everyDayStamp, byte[] json) =>
        days.Set(date, new Entry(dayStamp, everyDayStamp, json),
            new MemoryCacheEntryOptions { Size = json.Length, SlidingExpiration = TimeSpan.FromMinutes(10) });
}
