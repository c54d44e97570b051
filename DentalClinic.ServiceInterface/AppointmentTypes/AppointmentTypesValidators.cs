using DentalClinic.ServiceInterface.Infrastructure;
using DentalClinic.ServiceModel;
using FluentValidation;

namespace DentalClinic.ServiceInterface.AppointmentTypes;

public sealed class CreateAppointmentTypeValidator : AbstractValidator<CreateAppointmentType>
{
    public CreateAppointmentTypeValidator()
    {
        RuleFor(x => x.Name).NotEmpty().WithMessage("Name is required");
        RuleFor(x => x.Price).NotNull().WithMessage("Price is required");
        RuleFor(x => x.Duration).NotNull().WithMessage("Duration is required");
        RuleFor(x => x.Color).NotEmpty().WithMessage("Color is required");
        this.FieldRules(x => x.Name, x => x.Price, x => x.Duration, x => x.Color);
    }
}

public sealed class UpdateAppointmentTypeValidator : AbstractValidator<UpdateAppointmentType>
{
    public UpdateAppointmentTypeValidator()
    {
        this.FieldRules(x => x.Name, x => x.Price, x => x.Duration, x => x.Color);
    }
}

internal static class AppointmentTypeFieldRules
{
    /// <summary>The rules of each field when present (create also requires them).</summary>
    public static void FieldRules<T>(
        this AbstractValidator<T> v,
        System.Linq.Expressions.Expression<Func<T, string?>> name,
        System.Linq.Expressions.Expression<Func<T, decimal?>> price,
        System.Linq.Expressions.Expression<Func<T, int?>> duration,
        System.Linq.Expressions.Expression<Func<T, string?>> color)
    {
        v.RuleFor(name).Must(n => n is null || n.Trim().Length > 0).WithMessage("Name must not be blank")
            .MaximumLength(AppointmentTypeRules.MaxNameLength);
        v.RuleFor(price).Money(AppointmentTypeRules.MaxPrice);
        v.RuleFor(duration).InclusiveBetween(AppointmentTypeRules.MinDuration, AppointmentTypeRules.MaxDuration)
            .WithMessage($"Duration must be between {AppointmentTypeRules.MinDuration} and {AppointmentTypeRules.MaxDuration} minutes");
        v.RuleFor(color).IsColor();
    }
}
