using DentalClinic.ServiceInterface.AppointmentTypes;
using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceModel;
using Microsoft.EntityFrameworkCore;

namespace DentalClinic.ServiceInterface.Schedule;

/// <summary>An appointment that occupies time on its date, in minutes from midnight.</summary>
public sealed record Occupant(Guid Id, int Start, int End, Guid? DentistId, Guid? ChairId, Guid PatientId);

/// <summary>A booking to check: its start and end (minutes from midnight), who and where; the appointment itself when it is moved.</summary>
public sealed record Candidate(int Start, int End, Guid? DentistId, Guid? ChairId, Guid? PatientId, Guid? Self = null);

/// <summary>Why a booking is refused: the rule (<see cref="BookingRuleNames"/>), the appointment it clashes with (if any), a sentence.</summary>
public sealed record Violation(string Rule, Guid? ClashId, string Message);

/// <summary>
/// Everything the booking rules need to know about one date: the appointments that occupy time,
/// the capacity (active chairs, at least 1), the hours and closures that apply. Loaded by
/// <see cref="BookingRules.LoadAsync"/>; checked by <see cref="Check"/>, the one implementation of the
/// rules that booking and free-slot search share.
/// </summary>
public sealed class DaySchedule
{
    public required DateOnly Date { get; init; }
    public required IReadOnlyList<Occupant> Occupants { get; init; }
    public required int Capacity { get; init; }
    /// <summary>The clinic's intervals of this weekday; null when the clinic has no opening hours at all (no hours rule).</summary>
    public required IReadOnlyList<(int Start, int End)>? ClinicHours { get; init; }
    /// <summary>Dentists with hours of their own: their intervals of this weekday (empty: not working that day).</summary>
    public required IReadOnlyDictionary<Guid, IReadOnlyList<(int Start, int End)>> DentistHours { get; init; }
    /// <summary>The clinic's closure covering this date, if any.</summary>
    public required Closure? ClinicClosure { get; init; }
    /// <summary>Dentists' time off covering this date.</summary>
    public required IReadOnlyDictionary<Guid, Closure> TimeOff { get; init; }

    private ILookup<Guid?, Occupant>? byDentist, byChair;
    private ILookup<Guid, Occupant>? byPatient;

    /// <summary>The first rule the candidate breaks, in the order: closure, time off, hours, dentist, chair, patient, capacity; null when it breaks none.</summary>
    public Violation? Check(Candidate c)
    {
        var date = Date.ToString("yyyy-MM-dd");
        var range = $"{BookingRules.Format(c.Start)}–{BookingRules.Format(c.End)} on {date}";
        if (ClinicClosure is { } closure)
            return new Violation(BookingRuleNames.Closure, null,
                $"The clinic is closed on {date}{Because(closure.Reason)}");
        if (c.DentistId is { } dentist)
        {
            if (TimeOff.TryGetValue(dentist, out var off))
                return new Violation(BookingRuleNames.TimeOff, null, $"The dentist has time off on {date}{Because(off.Reason)}");
            if (DentistHours.TryGetValue(dentist, out var own))
            {
                if (!Within(own, c.Start, c.End))
                    return new Violation(BookingRuleNames.DentistHours, null, $"{range} is outside the dentist's working hours");
            }
            else if (ClinicHours is { } clinic && !Within(clinic, c.Start, c.End))
                return new Violation(BookingRuleNames.ClinicHours, null, $"{range} is outside the clinic's opening hours");
        }
        else if (ClinicHours is { } clinic && !Within(clinic, c.Start, c.End))
            return new Violation(BookingRuleNames.ClinicHours, null, $"{range} is outside the clinic's opening hours");

        byDentist ??= Occupants.Where(o => o.DentistId is not null).ToLookup(o => o.DentistId);
        byChair ??= Occupants.Where(o => o.ChairId is not null).ToLookup(o => o.ChairId);
        byPatient ??= Occupants.ToLookup(o => o.PatientId);

        if (c.DentistId is not null && FirstOverlap(byDentist[c.DentistId], c) is { } d)
            return Clash(BookingRuleNames.Dentist, d, "the same dentist's appointment");
        if (c.ChairId is not null && FirstOverlap(byChair[c.ChairId], c) is { } ch)
            return Clash(BookingRuleNames.Chair, ch, "an appointment in the same chair");
        if (c.PatientId is { } patient && FirstOverlap(byPatient[patient], c) is { } p)
            return Clash(BookingRuleNames.Patient, p, "the same patient's appointment");
        if (OverCapacity(c) is { } full)
            return Clash(BookingRuleNames.Capacity, full,
                Capacity == 1 ? "appointment" : $"appointments filling all {Capacity} chairs, among them");
        return null;

        Violation Clash(string rule, Occupant other, string what) => new(rule, other.Id,
            $"The appointment overlaps {what} {other.Id} at {BookingRules.Format(other.Start)} on {date}");
    }

    private static string Because(string? reason) => string.IsNullOrWhiteSpace(reason) ? "" : $" ({reason})";

    private static bool Overlaps(Occupant o, Candidate c) => o.Id != c.Self && o.Start < c.End && c.Start < o.End;

    private static Occupant? FirstOverlap(IEnumerable<Occupant> occupants, Candidate c)
    {
        Occupant? first = null;
        foreach (var o in occupants)
            if (Overlaps(o, c) && (first is null || o.Start < first.Start || (o.Start == first.Start && o.Id.CompareTo(first.Id) < 0))) first = o;
        return first;
    }

    /// <summary>
    /// When, at some instant of the candidate's time, <see cref="Capacity"/> others already run: the
    /// earliest of those running at the first such instant. Instants to test: the candidate's start
    /// and every other's start inside it (the count only rises at a start).
    /// </summary>
    private Occupant? OverCapacity(Candidate c)
    {
        var overlapping = Occupants.Where(o => Overlaps(o, c)).ToList();
        if (overlapping.Count < Capacity) return null;
        var instants = overlapping.Select(o => Math.Max(o.Start, c.Start)).Distinct().Order();
        foreach (var t in instants)
        {
            var running = overlapping.Where(o => o.Start <= t && t < o.End).ToList();
            if (running.Count >= Capacity) return running.OrderBy(o => o.Start).ThenBy(o => o.Id).First();
        }
        return null;
    }

    /// <summary>Whether [start, end) lies inside the intervals (touching intervals join).</summary>
    private static bool Within(IReadOnlyList<(int Start, int End)> intervals, int start, int end)
    {
        var reached = start;
        foreach (var (s, e) in intervals)
        {
            if (s > reached) break;
            if (e > reached) reached = e;
            if (reached >= end) return true;
        }
        return false;
    }
}

/// <summary>Loads <see cref="DaySchedule"/>s: one query per kind of data, whatever the number of days.</summary>
public static class BookingRules
{
    public const int MinutesPerDay = 24 * 60;

    public static int Minutes(TimeOnly time) => time.Hour * 60 + time.Minute;

    public static string Format(int minutes) => $"{minutes / 60:00}:{minutes % 60:00}";

    /// <summary>The schedules of every date from <paramref name="from"/> to <paramref name="to"/> inclusive.</summary>
    public static async Task<IReadOnlyDictionary<DateOnly, DaySchedule>> LoadAsync(AppDbContext db, DateOnly first, DateOnly last, CancellationToken ct)
    {
        var rows = await (
            from a in db.Appointments.AsNoTracking()
            join t in db.AppointmentTypes.IgnoreQueryFilters() on a.AppointmentTypeId equals t.Id
            where a.Date >= first && a.Date <= last && a.Status != AppointmentStatus.Cancelled && a.Status != AppointmentStatus.NoShow
            select new { a.Id, a.Date, a.Time, t.Duration, a.DentistId, a.ChairId, a.PatientId }).ToListAsync(ct);
        var chairs = await db.Chairs.CountAsync(c => c.ArchivedAt == null, ct);
        var intervals = await db.ScheduleIntervals.AsNoTracking().ToListAsync(ct);
        var closures = await db.Closures.AsNoTracking().Where(c => c.From <= last && c.To >= first).ToListAsync(ct);

        var byDate = rows.ToLookup(r => r.Date);
        var clinicIntervals = intervals.Where(i => i.DentistId is null).ToList();
        var dentistIntervals = intervals.Where(i => i.DentistId is not null).GroupBy(i => i.DentistId!.Value).ToList();
        var days = new Dictionary<DateOnly, DaySchedule>();
        for (var date = first; date <= last; date = date.AddDays(1))
        {
            var weekday = IsoWeekday(date);
            var d = date;
            days[date] = new DaySchedule
            {
                Date = date,
                Occupants = byDate[date].Select(r =>
                {
                    var start = Minutes(r.Time);
                    return new Occupant(r.Id, start, start + r.Duration, r.DentistId, r.ChairId, r.PatientId);
                }).ToList(),
                Capacity = Math.Max(1, chairs),
                ClinicHours = clinicIntervals.Count == 0 ? null : OfWeekday(clinicIntervals, weekday),
                DentistHours = dentistIntervals.ToDictionary(g => g.Key, g => OfWeekday(g, weekday)),
                ClinicClosure = closures.Where(c => c.DentistId is null && c.From <= d && d <= c.To).OrderBy(c => c.From).FirstOrDefault(),
                TimeOff = closures.Where(c => c.DentistId is not null && c.From <= d && d <= c.To)
                    .GroupBy(c => c.DentistId!.Value).ToDictionary(g => g.Key, g => g.OrderBy(c => c.From).First()),
            };
        }
        return days;
    }

    private static IReadOnlyList<(int Start, int End)> OfWeekday(IEnumerable<ScheduleInterval> intervals, int weekday) =>
        intervals.Where(i => i.Weekday == weekday).Select(i => (Minutes(i.Start), End(i.End))).OrderBy(i => i.Item1).ToList();

    /// <summary>An interval's end; 00:00 as an end means midnight (24:00).</summary>
    public static int End(TimeOnly end) => end == TimeOnly.MinValue ? MinutesPerDay : Minutes(end);

    /// <summary>ISO weekday: 1 = Monday … 7 = Sunday.</summary>
    public static int IsoWeekday(DateOnly date) => date.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)date.DayOfWeek;
}
