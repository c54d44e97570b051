using System.ComponentModel.DataAnnotations;

namespace DentalClinic.ServiceModel;

public static class AppointmentStatus
{
    public const string Pending = "pending";
    public const string Confirmed = "confirmed";
    public const string Arrived = "arrived";
    public const string Completed = "completed";
    public const string Cancelled = "cancelled";
    public const string NoShow = "no-show";

    public static readonly IReadOnlyList<string> All = [Pending, Confirmed, Arrived, Completed, Cancelled, NoShow];

    /// <summary>Statuses whose appointment occupies its time (every status but cancelled and no-show).</summary>
    public static bool Occupies(string status) => status is not (Cancelled or NoShow);
}

/// <summary>
/// Appointments ordered by date, time, id. <c>from</c>/<c>to</c> are inclusive dates (YYYY-MM-DD);
/// <c>dentistId</c>, <c>chairId</c> keep one dentist's or one chair's appointments.
/// </summary>
public record QueryAppointments(string? From, string? To, Guid? PatientId, string? Status, Guid? DentistId, Guid? ChairId, int? Limit, string? Cursor);

/// <summary>
/// <c>date</c> is YYYY-MM-DD, <c>time</c> HH:mm (24 h). <c>status</c> defaults to pending.
/// <c>dentistId</c> (an active dentist) and <c>chairId</c> (an active chair) are optional.
/// A booking that breaks a scheduling rule (same dentist, same chair, same patient, more at once
/// than the clinic has chairs, outside hours, in a closure or time off) is refused with 409
/// unless <c>allowOverlap</c> is true (admins and dentists only).
/// </summary>
public record CreateAppointment(
    Guid? PatientId,
    Guid? AppointmentTypeId,
    string? Date,
    string? Time,
    [property: AllowedValues(AppointmentStatus.Pending, AppointmentStatus.Confirmed, AppointmentStatus.Arrived, AppointmentStatus.Completed, AppointmentStatus.Cancelled, AppointmentStatus.NoShow)] string? Status,
    string? Notes,
    bool? AllowOverlap,
    Guid? DentistId = null,
    Guid? ChairId = null);

/// <summary>
/// Every field is optional: a missing one is left unchanged; <c>notes: ""</c> clears the notes,
/// <c>dentistId</c>/<c>chairId</c> set to the empty UUID (00000000-0000-0000-0000-000000000000) clear them.
/// The scheduling rules are checked again when the date, time, type, patient, dentist or chair
/// changes, or when the appointment occupies its time again (from cancelled or no-show).
/// </summary>
public record UpdateAppointment(
    Guid? PatientId,
    Guid? AppointmentTypeId,
    string? Date,
    string? Time,
    [property: AllowedValues(AppointmentStatus.Pending, AppointmentStatus.Confirmed, AppointmentStatus.Arrived, AppointmentStatus.Completed, AppointmentStatus.Cancelled, AppointmentStatus.NoShow)] string? Status,
    string? Notes,
    bool? AllowOverlap,
    Guid? DentistId = null,
    Guid? ChairId = null,
    string? CancelReason = null);

/// <summary>POST /api/appointments/{id}/cancel: cancels, keeping the reason on the appointment.</summary>
public record CancelAppointment(string? Reason);

public record AppointmentDto(
    Guid Id,
    Guid PatientId,
    Guid AppointmentTypeId,
    DateOnly Date,
    string Time,
    [property: AllowedValues(AppointmentStatus.Pending, AppointmentStatus.Confirmed, AppointmentStatus.Arrived, AppointmentStatus.Completed, AppointmentStatus.Cancelled, AppointmentStatus.NoShow)] string Status,
    string? Notes,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    Guid? DentistId = null,
    Guid? ChairId = null,
    string? CancelReason = null);

/// <summary>One appointment of a day's calendar, with what a calendar shows of its patient, type, dentist and chair.</summary>
public record DayAppointmentDto(
    Guid Id,
    Guid PatientId,
    Guid AppointmentTypeId,
    DateOnly Date,
    string Time,
    string EndTime,
    [property: AllowedValues(AppointmentStatus.Pending, AppointmentStatus.Confirmed, AppointmentStatus.Arrived, AppointmentStatus.Completed, AppointmentStatus.Cancelled, AppointmentStatus.NoShow)] string Status,
    string? Notes,
    string PatientFirstName,
    string PatientLastName,
    string PatientName,
    string AppointmentTypeName,
    string AppointmentTypeColor,
    int AppointmentTypeDuration,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    Guid? DentistId = null,
    string? DentistName = null,
    string? DentistColor = null,
    Guid? ChairId = null,
    string? ChairName = null,
    string? ChairColor = null,
    string? CancelReason = null);

/// <summary>
/// GET /api/appointments/calendar: the by-date items of every day from <c>from</c> to <c>to</c>
/// (inclusive, at most 31 days), ordered by date and time; optionally one dentist's or one chair's.
/// </summary>
public record QueryCalendar(string? From, string? To, Guid? DentistId, Guid? ChairId);

/// <summary>
/// GET /api/appointments/availability: the start times at which the type can be booked between
/// <c>from</c> and <c>to</c> (inclusive, at most 31 days), optionally with one dentist or in one chair.
/// </summary>
public record QueryAvailability(Guid? AppointmentTypeId, string? From, string? To, Guid? DentistId, Guid? ChairId);

/// <summary>A bookable start: date, time, and a dentist and chair free for it (null when the clinic has none).</summary>
public record AvailableSlot(DateOnly Date, string Time, string EndTime, Guid? DentistId, Guid? ChairId);
