namespace DentalClinic.ServiceModel;

public static class Roles
{
    public const string Admin = "admin";
    public const string Dentist = "dentist";
    public const string Staff = "staff";

    public static readonly IReadOnlyList<string> All = [Admin, Dentist, Staff];
}

public record QueryUsers(int? Limit, string? Cursor);

/// <summary><c>calendarColor</c> (#RRGGBB, optional): how calendars show a dentist.</summary>
public record CreateUser(string? Name, string? Email, string? Role, string? Password, string? CalendarColor = null);

/// <summary>Every field is optional: a missing one is left unchanged.</summary>
/// <c>calendarColor: ""</c> clears the calendar colour.
public record UpdateUser(string? Name, string? Role, string? Password, bool? Active, string? CalendarColor = null);

public record UserDto(
    Guid Id,
    string Email,
    string Name,
    string Role,
    bool Active,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    string? CalendarColor = null);
