using DentalClinic.ServiceInterface.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DentalClinic.ServiceInterface.Appointments;

/// <summary>
/// What a day's calendar was last changed to: a random stamp per date, renewed by database triggers
/// (migration AddCalendarStamps) in the transaction of every insert, update or delete of one of the
/// date's appointments; the row of <see cref="EveryDay"/> is renewed when a patient's name, or an
/// appointment type's name, colour or duration, changes or the row goes. Triggers see every write —
/// the API's, another instance's, an operator's SQL — so a calendar cached under the stamps it was read
/// after (<see cref="DayCalendarCache"/>) is never served once either has changed. Stamps are random, not
/// counted, so they do not repeat, even after a restore brings back older ones. Not audited.
/// </summary>
[NotAudited]
public sealed class CalendarStamp
{
    /// <summary>The row of what every day shows; no appointment has this date (ClinicRules allows 1900–2999).
    /// Not DateOnly.MinValue: Npgsql sends that as -infinity.</summary>
    public static readonly DateOnly EveryDay = new(1000, 1, 1);

    /// <summary>
    /// The row renewed by every change to what free-slot search reads besides appointments (users, chairs,
    /// hours, closures, appointment types, settings; migration AddScheduleStamp): see <c>ScheduleSnapshotCache</c>.
    /// </summary>
    public static readonly DateOnly Schedule = new(1000, 1, 2);

    public DateOnly Date { get; set; }
    public long Stamp { get; set; }
}

internal sealed class CalendarStampConfiguration : IEntityTypeConfiguration<CalendarStamp>
{
    public void Configure(EntityTypeBuilder<CalendarStamp> b)
    {
        b.ToTable("calendar_stamps");
        b.HasKey(s => s.Date);
    }
}
