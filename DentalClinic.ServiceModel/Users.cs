namespace DentalClinic.ServiceModel;

public static class Roles
{
    public const string Admin = "admin";
    public const string Dentist = "dentist";
    public const string Staff = "staff";

    public static readonly IReadOnlyList<string> All = [Admin, Dentist, Staff];
}

public record QueryUsers(int? Limit, string? Cursor);

public record CreateUser(string? Name, string? Email, string? Role, string? Password);

/// <summary>Every field is optional: a missing one is left unchanged.</summary>
public record UpdateUser(string? Name, string? Role, string? Password, bool? Active);

public record UserDto(
    Guid Id,
    string Email,
    string Name,
    string Role,
    bool Active,
    DateTime CreatedAt,
    DateTime UpdatedAt);
