using DentalClinic.ServiceInterface.AppointmentTypes;
using DentalClinic.ServiceInterface.Payments;
using DentalClinic.ServiceModel;
using FluentValidation;

namespace DentalClinic.ServiceInterface.Treatments;

public sealed class CreateTreatmentValidator : AbstractValidator<CreateTreatment>
{
    public CreateTreatmentValidator()
    {
        RuleFor(x => x.PatientId).NotEmpty().WithMessage("Patient is required");
        RuleFor(x => x.ToothNumber).NotNull().WithMessage("Tooth number is required").IsTooth();
        RuleFor(x => x.AppointmentTypeId).NotEmpty().WithMessage("Appointment type is required");
        RuleFor(x => x.TotalPrice).NotNull().WithMessage("Total price is required").Money(TreatmentRules.MaxAmount);
        RuleFor(x => x.AmountPaid).Money(TreatmentRules.MaxAmount);
        RuleFor(x => x.PaymentMethod).IsPaymentMethod();
        RuleFor(x => x.Discount).Money(TreatmentRules.MaxAmount);
        RuleFor(x => x.Date).NotEmpty().WithMessage("Date is required").IsDate();
        RuleFor(x => x.Notes).MaximumLength(TreatmentFieldRules.MaxNotesLength);
        RuleFor(x => x).Custom((x, context) =>
        {
            if (x.TotalPrice is not { } total) return;
            foreach (var error in TreatmentMoney.Check(total, x.AmountPaid ?? 0m, x.Discount ?? 0m))
                context.AddFailure(error.Field, error.Message);
        });
    }
}

public sealed class UpdateTreatmentValidator : AbstractValidator<UpdateTreatment>
{
    public UpdateTreatmentValidator()
    {
        RuleFor(x => x.PatientId).NotEqual(Guid.Empty).WithMessage("Patient must not be empty");
        RuleFor(x => x.ToothNumber).IsTooth();
        RuleFor(x => x.AppointmentTypeId).NotEqual(Guid.Empty).WithMessage("Appointment type must not be empty");
        RuleFor(x => x.TotalPrice).Money(TreatmentRules.MaxAmount);
        RuleFor(x => x.AmountPaid).Money(TreatmentRules.MaxAmount);
        RuleFor(x => x.PaymentMethod).IsPaymentMethod();
        RuleFor(x => x.Discount).Money(TreatmentRules.MaxAmount);
        RuleFor(x => x.Date).IsDate();
        RuleFor(x => x.Notes).MaximumLength(TreatmentFieldRules.MaxNotesLength);
    }
}

public sealed class QueryTreatmentsValidator : AbstractValidator<QueryTreatments>
{
    public QueryTreatmentsValidator()
    {
        RuleFor(x => x.From).IsDate();
        RuleFor(x => x.To).IsDate()
            .Must((x, to) => ClinicRules.ParseDate(x.From) is not { } from || ClinicRules.ParseDate(to) is not { } end || end >= from)
            .WithMessage("To must not be before from");
    }
}

internal static class TreatmentFieldRules
{
    public const int MaxNotesLength = 2000;

    public static IRuleBuilderOptions<T, int?> IsTooth<T>(this IRuleBuilder<T, int?> rule) =>
        rule.InclusiveBetween(TreatmentRules.MinTooth, TreatmentRules.MaxTooth)
            .WithMessage($"Tooth number must be between {TreatmentRules.MinTooth} and {TreatmentRules.MaxTooth}");
}
