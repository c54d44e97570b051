using DentalClinic.ServiceInterface.AppointmentTypes;
using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceInterface.Infrastructure;
using DentalClinic.ServiceModel;
using Microsoft.EntityFrameworkCore;

namespace DentalClinic.ServiceInterface.Schedule;

/// <summary>An appointment that occupies time on its date, in minutes from midnight.</summary>
public sealed record Occupant(Guid Id, int Start, int End, Guid? DentistId, Guid? ChairId, Guid PatientId);

/// <summary>A booking to check: its start and end (minutes from midnight), who and where; the appointment itself when it is moved.</summary>
public readonly record struct Candidate(int Start, int End, Guid? DentistId, Guid? ChairId, Guid? PatientId, Guid? Self = null);

/// <summary>Why a booking is refused: the rule (<see cref="BookingRuleNames"/>), the appointment it clashes with (if any), a sentence.</summary>
public sealed record Violation(string Rule, Guid? ClashId, string Message);

/// <summary>
/// Everything the booking rules need to know about one date: the appointments that occupy time,
/// the capacity (active chairs, at least 1), the hours and closures that apply. Built by
/// <see cref="ScheduleRules.Day"/>; checked by <see cref="Check"/> (<see cref="Broken"/> without the words),
/// the one implementation of the rules that booking and free-slot search share.
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

    // Built on first use: free-slot search checks thousands of candidates against one day.
    private Occupant[]? all;
    private Dictionary<Guid, Occupant[]>? byDentist, byChair, byPatient;

    /// <summary>The first rule the candidate breaks, in the order: closure, time off, hours, dentist, chair, patient, capacity; null when it breaks none.</summary>
    public Violation? Check(Candidate c)
    {
        if (Broken(c) is not var (rule, clash)) return null;
        var date = Date.ToString("yyyy-MM-dd");
        var range = $"{BookingRules.Format(c.Start)}–{BookingRules.Format(c.End)} on {date}";
        return rule switch
        {
            BookingRuleNames.Closure => new Violation(rule, null, $"The clinic is closed on {date}{Because(ClinicClosure!.Reason)}"),
            BookingRuleNames.TimeOff => new Violation(rule, null, $"The dentist has time off on {date}{Because(TimeOff[c.DentistId!.Value].Reason)}"),
            BookingRuleNames.DentistHours => new Violation(rule, null, $"{range} is outside the dentist's working hours"),
            BookingRuleNames.ClinicHours => new Violation(rule, null, $"{range} is outside the clinic's opening hours"),
            BookingRuleNames.Dentist => Clash("the same dentist's appointment"),
            BookingRuleNames.Chair => Clash("an appointment in the same chair"),
            BookingRuleNames.Patient => Clash("the same patient's appointment"),
            _ => Clash(Capacity == 1 ? "appointment" : $"appointments filling all {Capacity} chairs, among them"),
        };

        Violation Clash(string what) => new(rule, clash!.Id,
            $"The appointment overlaps {what} {clash.Id} at {BookingRules.Format(clash.Start)} on {date}");
    }

    /// <summary>What <see cref="Check"/> reports — the rule and the clashing appointment — without building the sentence.</summary>
    public (string Rule, Occupant? Clash)? Broken(in Candidate c)
    {
        if (ClinicClosure is not null) return (BookingRuleNames.Closure, null);
        if (c.DentistId is { } dentist)
        {
            if (TimeOff.ContainsKey(dentist)) return (BookingRuleNames.TimeOff, null);
            if (DentistHours.TryGetValue(dentist, out var own))
            {
                if (!Within(own, c.Start, c.End)) return (BookingRuleNames.DentistHours, null);
            }
            else if (ClinicHours is { } clinic && !Within(clinic, c.Start, c.End))
                return (BookingRuleNames.ClinicHours, null);
        }
        else if (ClinicHours is { } clinic && !Within(clinic, c.Start, c.End))
            return (BookingRuleNames.ClinicHours, null);

        all ??= [.. Occupants];
        if (c.DentistId is { } d && FirstOverlap(Of(ref byDentist, o => o.DentistId, d), c) is { } sameDentist)
            return (BookingRuleNames.Dentist, sameDentist);
        if (c.ChairId is { } ch && FirstOverlap(Of(ref byChair, o => o.ChairId, ch), c) is { } sameChair)
            return (BookingRuleNames.Chair, sameChair);
        if (c.PatientId is { } p && FirstOverlap(Of(ref byPatient, o => o.PatientId, p), c) is { } samePatient)
            return (BookingRuleNames.Patient, samePatient);
        if (OverCapacity(c) is { } full) return (BookingRuleNames.Capacity, full);
        return null;
    }

    private Occupant[] Of(ref Dictionary<Guid, Occupant[]>? index, Func<Occupant, Guid?> key, Guid id)
    {
        index ??= all!.Where(o => key(o) is not null).GroupBy(o => key(o)!.Value).ToDictionary(g => g.Key, g => g.ToArray());
        return index.GetValueOrDefault(id) ?? [];
    }

    private static string Because(string? reason) => string.IsNullOrWhiteSpace(reason) ? "" : $" ({reason})";

    private static bool Overlaps(Occupant o, in Candidate c) => o.Id != c.Self && o.Start < c.End && c.Start < o.End;

    private static Occupant? FirstOverlap(Occupant[] occupants, in Candidate c)
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
    private Occupant? OverCapacity(in Candidate c)
    {
        var overlapping = 0;
        foreach (var o in all!)
            if (Overlaps(o, c)) overlapping++;
        if (overlapping < Capacity) return null;

        // The earliest instant at which Capacity others run; then the earliest (by start, then id) of those running.
        int? at = null;
        foreach (var o in all!)
        {
            if (!Overlaps(o, c)) continue;
            var t = Math.Max(o.Start, c.Start);
            if (at <= t) continue;
            var running = 0;
            foreach (var r in all!)
                if (Overlaps(r, c) && r.Start <= t && t < r.End) running++;
            if (running >= Capacity) at = t;
        }
        if (at is not { } instant) return null;
        Occupant? earliest = null;
        foreach (var r in all!)
            if (Overlaps(r, c) && r.Start <= instant && instant < r.End &&
                (earliest is null || r.Start < earliest.Start || (r.Start == earliest.Start && r.Id.CompareTo(earliest.Id) < 0))) earliest = r;
        return earliest;
    }

    /// <summary>Whether [start, end) lies inside the intervals (touching intervals join).</summary>
    private static bool Within(IReadOnlyList<(int Start, int End)> intervals, int start, int end)
    {
        var reached = start;
        for (var i = 0; i < intervals.Count; i++)
        {
            var (s, e) = intervals[i];
            if (s > reached) break;
            if (e > reached) reached = e;
            if (reached >= end) return true;
        }
        return false;
    }
}

/// <summary>
/// What the rules read besides appointments — the active chairs' count, opening and working hours,
/// closures and time off — ready to make any date's <see cref="DaySchedule"/>.
/// </summary>
public sealed class ScheduleRules
{
    private readonly int capacity;
    private readonly IReadOnlyList<(int Start, int End)>?[] clinicHours = new IReadOnlyList<(int, int)>?[8];
    private readonly Dictionary<Guid, IReadOnlyList<(int Start, int End)>>[] dentistHours = new Dictionary<Guid, IReadOnlyList<(int, int)>>[8];
    private readonly IReadOnlyList<Closure> closures;

    public ScheduleRules(int activeChairs, IReadOnlyList<ScheduleInterval> intervals, IReadOnlyList<Closure> closures)
    {
        capacity = Math.Max(1, activeChairs);
        this.closures = closures;
        var clinic = intervals.Where(i => i.DentistId is null).ToList();
        var dentists = intervals.Where(i => i.DentistId is not null).GroupBy(i => i.DentistId!.Value).ToList();
        for (var weekday = 1; weekday <= 7; weekday++)
        {
            clinicHours[weekday] = clinic.Count == 0 ? null : OfWeekday(clinic, weekday);
            var w = weekday;
            dentistHours[weekday] = dentists.ToDictionary(g => g.Key, g => OfWeekday(g, w));
        }
    }

    /// <summary>Reads them; the closures read are those touching <paramref name="first"/>..<paramref name="last"/>, or all of them.</summary>
    public static async Task<ScheduleRules> LoadAsync(AppDbContext db, DateOnly? first, DateOnly? last, CancellationToken ct) => new(
        await db.Chairs.CountAsync(c => c.ArchivedAt == null, ct),
        await db.ScheduleIntervals.AsNoTracking().ToListAsync(ct),
        await db.Closures.AsNoTracking().Where(c => (last == null || c.From <= last) && (first == null || c.To >= first)).ToListAsync(ct));

    public DaySchedule Day(DateOnly date, IReadOnlyList<Occupant> occupants)
    {
        var weekday = BookingRules.IsoWeekday(date);
        return new DaySchedule
        {
            Date = date,
            Occupants = occupants,
            Capacity = capacity,
            ClinicHours = clinicHours[weekday],
            DentistHours = dentistHours[weekday],
            ClinicClosure = closures.Where(c => c.DentistId is null && c.From <= date && date <= c.To).OrderBy(c => c.From).FirstOrDefault(),
            TimeOff = closures.Where(c => c.DentistId is not null && c.From <= date && date <= c.To)
                .GroupBy(c => c.DentistId!.Value).ToDictionary(g => g.Key, g => g.OrderBy(c => c.From).First()),
        };
    }

    private static IReadOnlyList<(int Start, int End)> OfWeekday(IEnumerable<ScheduleInterval> intervals, int weekday) =>
        intervals.Where(i => i.Weekday == weekday).Select(i => (BookingRules.Minutes(i.Start), BookingRules.End(i.End))).OrderBy(i => i.Item1).ToList();
}

/// <summary>Minutes of the day, and the schedule of one date as a booking reads it.</summary>
public static class BookingRules
{
    public const int MinutesPerDay = 24 * 60;

    public static int Minutes(TimeOnly time) => time.Hour * 60 + time.Minute;

    public static string Format(int minutes) => $"{minutes / 60:00}:{minutes % 60:00}";

    /// <summary>The schedule of one date, read from the database (a booking does this inside its locked transaction).</summary>
    public static async Task<DaySchedule> LoadAsync(AppDbContext db, DateOnly date, CancellationToken ct)
    {
        var occupants = await OccupantsAsync(db, date, ct);
        return (await ScheduleRules.LoadAsync(db, date, date, ct)).Day(date, occupants);
    }

    /// <summary>The appointments that occupy time on the date.</summary>
    public static async Task<List<Occupant>> OccupantsAsync(AppDbContext db, DateOnly date, CancellationToken ct)
    {
        var occupants = new List<Occupant>();
        await foreach (var occupant in DayOccupants.For(db)(db, date).WithCancellation(ct)) occupants.Add(occupant);
        return occupants;
    }

    /// <summary>
    /// <see cref="OccupantsAsync"/> as PostgreSQL SQL (the date is $1), for a booking that reads it in one batch with
    /// its other reads; read each row with <see cref="ReadOccupant"/>. A test holds the two to the same rows.
    /// </summary>
    internal const string OccupantsSql = "SELECT a.id, a.time, t.duration, a.dentist_id, a.chair_id, a.patient_id FROM appointments AS a " +
        "JOIN appointment_types AS t ON a.appointment_type_id = t.id " +
        $"WHERE a.date = $1 AND a.status <> '{AppointmentStatus.Cancelled}' AND a.status <> '{AppointmentStatus.NoShow}'";

    internal static Occupant ReadOccupant(System.Data.Common.DbDataReader row)
    {
        var start = Minutes(row.GetFieldValue<TimeOnly>(1));
        return new Occupant(row.GetGuid(0), start, start + row.GetInt32(2), row.IsDBNull(3) ? null : row.GetGuid(3),
            row.IsDBNull(4) ? null : row.GetGuid(4), row.GetGuid(5));
    }

    // Compiled and prepared: every change of an appointment reads its date's occupants (and every booking on SQLite).
    private static readonly CompiledQuery<Func<AppDbContext, DateOnly, IAsyncEnumerable<Occupant>>> DayOccupants = new(() =>
        EF.CompileAsyncQuery((AppDbContext db, DateOnly date) =>
            from a in db.Appointments.AsNoTracking().TagWith(PreparedQueries.Tag)
            join t in db.AppointmentTypes.IgnoreQueryFilters() on a.AppointmentTypeId equals t.Id
            where a.Date == date && a.Status != AppointmentStatus.Cancelled && a.Status != AppointmentStatus.NoShow
            select new Occupant(a.Id, Minutes(a.Time), Minutes(a.Time) + t.Duration, a.DentistId, a.ChairId, a.PatientId)));

    /// <summary>An interval's end; 00:00 as an end means midnight (24:00).</summary>
    public static int End(TimeOnly end) => end == TimeOnly.MinValue ? MinutesPerDay : Minutes(end);

    /// <summary>ISO weekday: 1 = Monday … 7 = Sunday.</summary>
    public static int IsoWeekday(DateOnly date) => date.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)date.DayOfWeek;
}
