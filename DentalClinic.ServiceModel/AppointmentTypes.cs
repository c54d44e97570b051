namespace DentalClinic.ServiceModel;

/// <summary>Active appointment types, by name. <c>archived=true</c> lists the archived ones instead (admins and dentists).</summary>
public record QueryAppointmentTypes(bool? Archived);

public record CreateAppointmentType(string? Name, decimal? Price, int? Duration, string? Color);

/// <summary>Every field is optional: a missing one is left unchanged.</summary>
public record UpdateAppointmentType(string? Name, decimal? Price, int? Duration, string? Color);

/// <summary>
/// An appointment type. <c>archived</c> is true once it was deleted: it is no longer listed or
/// bookable, but old appointments and treatments still refer to it and GET by id still shows it.
/// </summary>
public record AppointmentTypeDto(
    Guid Id,
    string Name,
    decimal Price,
    int Duration,
    string Color,
    bool Archived,
    DateTime CreatedAt,
    DateTime UpdatedAt);

public static class AppointmentTypeRules
{
    public const decimal MaxPrice = 1_000_000m;
    public const int MinDuration = 5;
    public const int MaxDuration = 480;
    public const int MaxNameLength = 100;
}
