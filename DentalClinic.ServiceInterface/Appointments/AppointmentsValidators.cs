using DentalClinic.ServiceInterface.AppointmentTypes;
using DentalClinic.ServiceModel;
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

    public static IRuleBuilderOptions<T, string?> IsStatus<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(s => s is null || AppointmentStatus.All.Contains(s))
            .WithMessage($"Status must be one of: {string.Join(", ", AppointmentStatus.All)}");
}
