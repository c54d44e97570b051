using DentalClinic.ServiceInterface.AppointmentTypes;
using DentalClinic.ServiceModel;
using DentalClinic.ServiceInterface.Infrastructure;
using FluentValidation;

namespace DentalClinic.ServiceInterface.Appointments;

public sealed class CreateAppointmentValidator : AbstractValidator<CreateAppointment>
{
    public CreateAppointmentValidator()
    {
        RuleFor(x => x.PatientId).NotEmpty().WithMessage("Patient is required");
        RuleFor(x => x.AppointmentTypeId).NotEmpty().WithMessage("Appointment type is required");
        RuleFor(x => x.Date).NotEmpty().WithMessage("Date is required").IsDate();
        RuleFor(x => x.Time).NotEmpty().WithMessage("Time is required").IsTime();
        RuleFor(x => x.Status).IsStatus();
        RuleFor(x => x.Notes).MaximumLength(AppointmentRules.MaxNotesLength);
        RuleFor(x => x.DentistId).NotEqual(Guid.Empty).WithMessage("Dentist must not be empty");
        RuleFor(x => x.ChairId).NotEqual(Guid.Empty).WithMessage("Chair must not be empty");
    }
}

public sealed class UpdateAppointmentValidator : AbstractValidator<UpdateAppointment>
{
    public UpdateAppointmentValidator()
    {
        RuleFor(x => x.PatientId).NotEqual(Guid.Empty).WithMessage("Patient must not be empty");
        RuleFor(x => x.AppointmentTypeId).NotEqual(Guid.Empty).WithMessage("Appointment type must not be empty");
        RuleFor(x => x.Date).IsDate();
        RuleFor(x => x.Time).IsTime();
        RuleFor(x => x.Status).IsStatus();
        RuleFor(x => x.Notes).MaximumLength(AppointmentRules.MaxNotesLength);
        RuleFor(x => x.CancelReason).MaximumLength(AppointmentRules.MaxReasonLength);
    }
}

public sealed class CancelAppointmentValidator : AbstractValidator<CancelAppointment>
{
    public CancelAppointmentValidator()
    {
        RuleFor(x => x.Reason).MaximumLength(AppointmentRules.MaxReasonLength);
    }
}

public sealed class QueryCalendarValidator : AbstractValidator<QueryCalendar>
{
    public QueryCalendarValidator()
    {
        RuleFor(x => x.From).NotEmpty().WithMessage("From is required").IsDate();
        RuleFor(x => x.To).NotEmpty().WithMessage("To is required").IsDate().IsWithinRange(x => x.From);
    }
}

public sealed class QueryAvailabilityValidator : AbstractValidator<QueryAvailability>
{
    public QueryAvailabilityValidator()
    {
        RuleFor(x => x.AppointmentTypeId).NotEmpty().WithMessage("Appointment type is required");
        RuleFor(x => x.From).NotEmpty().WithMessage("From is required").IsDate();
        RuleFor(x => x.To).NotEmpty().WithMessage("To is required").IsDate().IsWithinRange(x => x.From);
    }
}

public sealed class QueryAppointmentsValidator : AbstractValidator<QueryAppointments>
{
    public QueryAppointmentsValidator()
    {
        RuleFor(x => x.From).IsDate();
        RuleFor(x => x.To).IsDate()
            .Must((x, to) => ClinicRules.ParseDate(x.From) is not { } from || ClinicRules.ParseDate(to) is not { } end || end >= from)
            .WithMessage("To must not be before from");
        RuleFor(x => x.Status).IsStatus();
    }
}

internal static class AppointmentRules
{
    public const int MaxNotesLength = 2000;
    public const int MaxReasonLength = 500;

    /// <summary>Not before from, and at most <see cref="AppointmentsService.MaxRangeDays"/> days including both ends.</summary>
    public static IRuleBuilderOptions<T, string?> IsWithinRange<T>(this IRuleBuilder<T, string?> rule, Func<T, string?> from) =>
        rule.Must((x, to) => ClinicRules.ParseDate(from(x)) is not { } start || ClinicRules.ParseDate(to) is not { } end ||
                             (end >= start && end.DayNumber - start.DayNumber < AppointmentsService.MaxRangeDays))
            .WithMessage($"To must not be before from, and the range at most {AppointmentsService.MaxRangeDays} days");

    public static IRuleBuilderOptions<T, string?> IsStatus<T>(this IRuleBuilder<T, string?> rule) =>
        rule.OneOf(AppointmentStatus.All)
            .WithMessage($"Status must be one of: {string.Join(", ", AppointmentStatus.All)}");
}
