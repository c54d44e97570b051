namespace DentalClinic.ServiceModel;

/// <summary>An active user with role dentist, as calendars show them.</summary>
public record DentistDto(Guid Id, string Name, string? CalendarColor);

/// <summary>A chair (operatory). <c>archived</c>: deleted while it had appointments; no longer bookable.</summary>
public record ChairDto(Guid Id, string Name, string Color, int DisplayOrder, bool Archived, DateTime CreatedAt, DateTime UpdatedAt);

/// <summary><c>name</c> unique among active chairs, <c>color</c> #RRGGBB, <c>displayOrder</c> (default 0) orders the calendar's columns.</summary>
public record CreateChair(string? Name, string? Color, int? DisplayOrder);

/// <summary>Every field is optional: a missing one is left unchanged.</summary>
public record UpdateChair(string? Name, string? Color, int? DisplayOrder);

/// <summary>GET /api/chairs: active chairs by display order; <c>archived=true</c> lists archived ones instead.</summary>
public record QueryChairs(bool? Archived);

/// <summary>A working interval on an ISO weekday (1 = Monday … 7 = Sunday), in the clinic's timezone, HH:mm.</summary>
public record HoursInterval(int? Weekday, string? Start, string? End);

public record DentistHours(Guid DentistId, IReadOnlyList<HoursInterval> Intervals);

/// <summary>
/// The opening hours of the clinic and the working hours of dentists who have their own. No clinic
/// intervals: no opening-hours rule. A dentist without intervals works the clinic's hours.
/// </summary>
public record ScheduleHoursDto(IReadOnlyList<HoursInterval> Clinic, IReadOnlyList<DentistHours> Dentists);

/// <summary>PUT body: the whole list of intervals (an empty list removes them all).</summary>
public record SetHours(IReadOnlyList<HoursInterval>? Intervals);

/// <summary>
/// A closure of the whole clinic (<c>dentistId</c> null) or a dentist's time off, every day from
/// <c>from</c> to <c>to</c> inclusive.
/// </summary>
public record CreateClosure(string? From, string? To, Guid? DentistId, string? Reason);

public record ClosureDto(Guid Id, DateOnly From, DateOnly To, Guid? DentistId, string? Reason, DateTime CreatedAt);

/// <summary>Closures and time off that touch the dates <c>from</c>..<c>to</c> (both optional), by start date.</summary>
public record QueryClosures(string? From, string? To);

/// <summary>The names of the booking rules, as a 409's details give them (field <c>rule</c>).</summary>
public static class BookingRuleNames
{
    public const string Dentist = "dentist";
    public const string Chair = "chair";
    public const string Patient = "patient";
    public const string Capacity = "capacity";
    public const string ClinicHours = "clinicHours";
    public const string DentistHours = "dentistHours";
    public const string Closure = "closure";
    public const string TimeOff = "timeOff";
}
