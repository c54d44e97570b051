using System.ComponentModel.DataAnnotations;

namespace DentalClinic.ServiceModel;

public static class AppointmentStatus
{
    public const string Confirmed = "confirmed";
    public const string Pending = "pending";
    public const string Cancelled = "cancelled";

    public static readonly IReadOnlyList<string> All = [Confirmed, Pending, Cancelled];
}

/// <summary>
/// Appointments ordered by date, time, id. <c>from</c>/<c>to</c> are inclusive dates (YYYY-MM-DD).
/// </summary>
public record QueryAppointments(string? From, string? To, Guid? PatientId, string? Status, int? Limit, string? Cursor);

/// <summary>
/// <c>date</c> is YYYY-MM-DD, <c>time</c> HH:mm (24 h). <c>status</c> defaults to pending.
/// An appointment overlapping another non-cancelled one on the same date is refused with 409
/// unless <c>allowOverlap</c> is true.
/// </summary>
public record CreateAppointment(
    Guid? PatientId,
    Guid? AppointmentTypeId,
    string? Date,
    string? Time,
    [property: AllowedValues(AppointmentStatus.Confirmed, AppointmentStatus.Pending, AppointmentStatus.Cancelled)] string? Status,
    string? Notes,
    bool? AllowOverlap);

/// <summary>
/// Every field is optional: a missing one is left unchanged; <c>notes: ""</c> clears the notes.
/// The overlap rule is checked again when the date, time, type or status changes.
/// </summary>
public record UpdateAppointment(
    Guid? PatientId,
    Guid? AppointmentTypeId,
    string? Date,
    string? Time,
    [property: AllowedValues(AppointmentStatus.Confirmed, AppointmentStatus.Pending, AppointmentStatus.Cancelled)] string? Status,
    string? Notes,
    bool? AllowOverlap);

public record AppointmentDto(
    Guid Id,
    Guid PatientId,
    Guid AppointmentTypeId,
    DateOnly Date,
    string Time,
    [property: AllowedValues(AppointmentStatus.Confirmed, AppointmentStatus.Pending, AppointmentStatus.Cancelled)] string Status,
    string? Notes,
    DateTime CreatedAt,
    DateTime UpdatedAt);

/// <summary>One appointment of a day's calendar, with what a calendar shows of its patient and type.</summary>
public record DayAppointmentDto(
    Guid Id,
    Guid PatientId,
    Guid AppointmentTypeId,
    DateOnly Date,
    string Time,
    string EndTime,
    [property: AllowedValues(AppointmentStatus.Confirmed, AppointmentStatus.Pending, AppointmentStatus.Cancelled)] string Status,
    string? Notes,
    string PatientFirstName,
    string PatientLastName,
    string PatientName,
    string AppointmentTypeName,
    string AppointmentTypeColor,
    int AppointmentTypeDuration,
    DateTime CreatedAt,
    DateTime UpdatedAt);
