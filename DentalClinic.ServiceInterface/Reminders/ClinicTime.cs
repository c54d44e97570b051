namespace DentalClinic.ServiceInterface.Reminders;

/// <summary>The clinic's wall clock: appointments are written in clinic time, reminders are timed in UTC.</summary>
public static class ClinicTime
{
    /// <summary>The IANA zone (settings validate the id); UTC if this machine does not know it.</summary>
    public static TimeZoneInfo Zone(string timezone)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(timezone);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return TimeZoneInfo.Utc;
        }
    }

    /// <summary>
    /// The UTC instant of a date and time on the clinic's clock. A time that does not exist (the
    /// hour skipped when clocks go forward) is read as the first valid minute after it; a time that
    /// occurs twice (clocks go back) as its first occurrence.
    /// </summary>
    public static DateTime ToUtc(DateOnly date, TimeOnly time, TimeZoneInfo zone)
    {
        var local = date.ToDateTime(time, DateTimeKind.Unspecified);
        for (var i = 0; i < 24 * 4 && zone.IsInvalidTime(local); i++) local = local.AddMinutes(15 - local.Minute % 15);
        if (zone.IsAmbiguousTime(local))
        {
            var offset = zone.GetAmbiguousTimeOffsets(local).Max();
            return DateTime.SpecifyKind(local - offset, DateTimeKind.Utc);
        }
        return TimeZoneInfo.ConvertTimeToUtc(local, zone);
    }
}
