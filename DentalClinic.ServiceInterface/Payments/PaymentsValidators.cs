using DentalClinic.ServiceInterface.AppointmentTypes;
using DentalClinic.ServiceInterface.Infrastructure;
using DentalClinic.ServiceModel;
using FluentValidation;

namespace DentalClinic.ServiceInterface.Payments;

public sealed class CreatePaymentValidator : AbstractValidator<CreatePayment>
{
    public const int MaxAllocations = 100;

    public CreatePaymentValidator()
    {
        RuleFor(x => x.PatientId).NotEmpty().WithMessage("Patient is required");
        RuleFor(x => x.Amount).NotNull().WithMessage("Amount is required").PositiveMoney();
        RuleFor(x => x.Method).NotEmpty().WithMessage("Method is required").IsPaymentMethod();
        RuleFor(x => x.Date).IsDate();
        RuleFor(x => x.Reference).MaximumLength(MoneyRules.MaxReferenceLength);
        RuleFor(x => x.Note).MaximumLength(MoneyRules.MaxNoteLength);
        RuleFor(x => x.Allocations).MaxItems(MaxAllocations).WithMessage($"At most {MaxAllocations} allocations");
        RuleForEach(x => x.Allocations).Cascade(CascadeMode.Continue).ChildRules(a =>   // every allocation is checked
        {
            a.RuleFor(x => x.TreatmentId).NotEmpty().WithMessage("Treatment is required");
            a.RuleFor(x => x.Amount).NotNull().WithMessage("Amount is required").PositiveMoney();
        });
    }
}

public sealed class VoidPaymentValidator : AbstractValidator<VoidPayment>
{
    public VoidPaymentValidator()
    {
        RuleFor(x => x.Reason).NotEmpty().WithMessage("A reason is required").MaximumLength(MoneyRules.MaxNoteLength);
    }
}

public sealed class RefundPaymentValidator : AbstractValidator<RefundPayment>
{
    public RefundPaymentValidator()
    {
        RuleFor(x => x.Amount).NotNull().WithMessage("Amount is required").PositiveMoney();
        RuleFor(x => x.Method).IsPaymentMethod();
        RuleFor(x => x.Reason).NotEmpty().WithMessage("A reason is required").MaximumLength(MoneyRules.MaxNoteLength);
    }
}

public sealed class QueryPaymentsValidator : AbstractValidator<QueryPayments>
{
    public QueryPaymentsValidator()
    {
        RuleFor(x => x.From).IsDate();
        RuleFor(x => x.To).IsDate()
            .Must((x, to) => ClinicRules.ParseDate(x.From) is not { } from || ClinicRules.ParseDate(to) is not { } end || end >= from)
            .WithMessage("To must not be before from");
        RuleFor(x => x.Method).IsPaymentMethod();
    }
}

public sealed class QueryDailyTakingsValidator : AbstractValidator<QueryDailyTakings>
{
    public QueryDailyTakingsValidator() => RuleFor(x => x.Date).IsDate();
}

internal static class PaymentFieldRules
{
    public static IRuleBuilderOptions<T, decimal?> PositiveMoney<T>(this IRuleBuilder<T, decimal?> rule) =>
        rule.Money(MoneyRules.Max).Must(v => v is null || v > 0m).WithMessage("{PropertyName} must be more than 0");

    public static IRuleBuilderOptions<T, string?> IsPaymentMethod<T>(this IRuleBuilder<T, string?> rule) =>
        rule.OneOf(PaymentMethods.All)
            .WithMessage($"{{PropertyName}} must be one of {string.Join(", ", PaymentMethods.All)}");
}
