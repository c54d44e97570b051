using System.Globalization;
using DentalClinic.ServiceInterface.Infrastructure;
using DentalClinic.ServiceModel;
using FluentValidation;
using Microsoft.Extensions.Configuration;

namespace DentalClinic.ServiceInterface.Patients;

public sealed class CreatePatientValidator(IConfiguration config, TimeProvider clock) : PatientFieldsValidator<CreatePatient>(config, clock);

public sealed class UpdatePatientValidator(IConfiguration config, TimeProvider clock) : PatientFieldsValidator<UpdatePatient>(config, clock);

public sealed class QueryPatientsValidator : AbstractValidator<QueryPatients>
{
    public const int MaxSearchLength = 200;

    public QueryPatientsValidator()
    {
        RuleFor(x => x.Search).Cascade(CascadeMode.Stop).MaximumLength(MaxSearchLength)
            .Must(s => PatientSearch.CountTerms(s) <= PatientSearch.MaxTerms)
            .WithMessage($"Search must not have more than {PatientSearch.MaxTerms} terms");
    }
}

/// <summary>The rules of a patient's fields, shared by create and update.</summary>
public abstract class PatientFieldsValidator<T> : AbstractValidator<T> where T : IPatientFields
{
    public static readonly DateOnly EarliestDateOfBirth = new(1900, 1, 1);

    protected PatientFieldsValidator(IConfiguration config, TimeProvider clock)
    {
        var region = MobileNumbers.DefaultRegion(config);

        RuleFor(x => x.FirstName).Must(NotBlank).WithMessage("First name is required")
            .MaximumLength(100);
        RuleFor(x => x.LastName).Must(NotBlank).WithMessage("Last name is required")
            .MaximumLength(100);
        RuleFor(x => x.MobileNumber).Cascade(CascadeMode.Stop)
            .Must(NotBlank).WithMessage("Mobile number is required")
            .MaximumLength(40)
            .Must(n => MobileNumbers.Parse(n, region) is not null)
            .WithMessage("Mobile number is not a valid phone number (numbers without a leading + are read as " + region + " numbers)");
        RuleFor(x => x.Email).MaximumLength(254).EmailAddress().WithMessage("E-mail is not a valid e-mail address")
            .When(x => !string.IsNullOrWhiteSpace(x.Email));
        // Control characters: TextInput, for every field (an address spans lines: tab and line breaks allowed).
        RuleFor(x => x.Address).MaximumLength(500);
        RuleFor(x => x.EmergencyContactName).MaximumLength(200);
        RuleFor(x => x.EmergencyContactPhone).MaximumLength(40)
            .Must(n => MobileNumbers.Parse(n, region) is not null)
            .WithMessage("Emergency contact phone is not a valid phone number (numbers without a leading + are read as " + region + " numbers)")
            .When(x => !string.IsNullOrWhiteSpace(x.EmergencyContactPhone));
        RuleFor(x => x.DateOfBirth).Cascade(CascadeMode.Stop)
            .Must(d => ParseDate(d) is not null).WithMessage("Date of birth must be a date as YYYY-MM-DD")
            .Must(d => ParseDate(d) >= EarliestDateOfBirth).WithMessage("Date of birth must not be before 1900")
            // Not after today anywhere on Earth (the clinic's day may be ahead of UTC).
            .Must(d => ParseDate(d) <= DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime.AddHours(14)))
            .WithMessage("Date of birth must not be in the future")
            .When(x => !string.IsNullOrWhiteSpace(x.DateOfBirth));
    }

    private static bool NotBlank(string? value) => !string.IsNullOrWhiteSpace(value);

    /// <summary>A date of birth as <c>YYYY-MM-DD</c>, or null when it is missing or malformed.</summary>
    public static DateOnly? ParseDate(string? value) =>
        DateOnly.TryParseExact(value?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : null;
}
