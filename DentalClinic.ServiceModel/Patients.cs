namespace DentalClinic.ServiceModel;

/// <summary>
/// Patients, ordered by last name, first name, id; or, with <paramref name="Search"/>, best matches first.
/// Search terms are case- and accent-insensitive word prefixes over names and email; digits
/// (with or without phone punctuation, e.g. <c>555-123</c>) match anywhere inside the phone number.
/// <paramref name="Archived"/> (admins only) lists archived patients instead of active ones.
/// </summary>
public record QueryPatients(string? Search, int? Limit, string? Cursor, bool? Archived);

/// <param name="MobileNumber">Any common format; numbers without a leading <c>+</c> use the clinic's default region.</param>
/// <param name="DateOfBirth"><c>YYYY-MM-DD</c>.</param>
/// <param name="Address">Postal address, several lines.</param>
/// <param name="EmergencyContactPhone">Any common phone format, like the mobile number.</param>
public record CreatePatient(string? FirstName, string? LastName, string? MobileNumber, string? Email, string? DateOfBirth,
    string? Address = null, string? EmergencyContactName = null, string? EmergencyContactPhone = null)
    : IPatientFields;

/// <summary>Replaces the patient's details: an omitted optional field (email, date of birth, address, emergency contact) is cleared.</summary>
public record UpdatePatient(string? FirstName, string? LastName, string? MobileNumber, string? Email, string? DateOfBirth,
    string? Address = null, string? EmergencyContactName = null, string? EmergencyContactPhone = null)
    : IPatientFields;

/// <summary>The fields a patient is written with; create and update share their rules.</summary>
public interface IPatientFields
{
    string? FirstName { get; }
    string? LastName { get; }
    string? MobileNumber { get; }
    string? Email { get; }
    string? DateOfBirth { get; }
    string? Address { get; }
    string? EmergencyContactName { get; }
    string? EmergencyContactPhone { get; }
}

/// <param name="MobileNumber">As entered.</param>
/// <param name="ArchivedAt">Set only on archived patients (seen by admins with <c>?archived=true</c>).</param>
public record PatientDto(
    Guid Id,
    string FirstName,
    string LastName,
    string MobileNumber,
    string? Email,
    DateOnly? DateOfBirth,
    string? Address,
    string? EmergencyContactName,
    string? EmergencyContactPhone,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    DateTime? ArchivedAt);

/// <summary>A patient with the account summary of their treatments.</summary>
public record PatientDetailsDto(
    Guid Id,
    string FirstName,
    string LastName,
    string MobileNumber,
    string? Email,
    DateOnly? DateOfBirth,
    string? Address,
    string? EmergencyContactName,
    string? EmergencyContactPhone,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    DateTime? ArchivedAt,
    PatientAccount Account);

/// <summary>Sums over the patient's treatments; <c>balance = totalBilled − discounts − paid</c>.</summary>
public record PatientAccount(decimal TotalBilled, decimal Discounts, decimal Paid, decimal Balance);
