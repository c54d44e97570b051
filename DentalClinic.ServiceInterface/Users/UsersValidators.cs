using DentalClinic.ServiceInterface.AppointmentTypes;
using DentalClinic.ServiceInterface.Auth;
using DentalClinic.ServiceInterface.Infrastructure;
using DentalClinic.ServiceModel;
using FluentValidation;

namespace DentalClinic.ServiceInterface.Users;

public sealed class CreateUserValidator : AbstractValidator<CreateUser>
{
    public CreateUserValidator()
    {
        RuleFor(x => x.Name).NotEmpty().WithMessage("Name is required").MaximumLength(100);
        RuleFor(x => x.Email).NotEmpty().WithMessage("E-mail is required").MaximumLength(254).EmailAddress();
        RuleFor(x => x.Role).NotEmpty().WithMessage("Role is required").IsRole();
        RuleFor(x => x.Password).NotEmpty().WithMessage("Password is required").StrongPassword();
        RuleFor(x => x.CalendarColor).IsColor().When(x => !string.IsNullOrEmpty(x.CalendarColor));
    }
}

public sealed class UpdateUserValidator : AbstractValidator<UpdateUser>
{
    public UpdateUserValidator()
    {
        RuleFor(x => x.Name).NotEmpty().MaximumLength(100).When(x => x.Name is not null);
        RuleFor(x => x.Role).IsRole().When(x => x.Role is not null);
        RuleFor(x => x.Password).StrongPassword().When(x => x.Password is not null);
        RuleFor(x => x.CalendarColor).IsColor().When(x => !string.IsNullOrEmpty(x.CalendarColor));
    }
}

internal static class UserRules
{
    public static IRuleBuilderOptions<T, string?> IsRole<T>(this IRuleBuilder<T, string?> rule) =>
        rule.OneOf(Roles.All)
            .WithMessage($"Role must be one of: {string.Join(", ", Roles.All)}");

    public static IRuleBuilderOptions<T, string?> StrongPassword<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(p => p is not null && p.Length <= 200 && Passwords.IsStrong(p))
            .WithMessage("Password must be at least 10 characters and mix letters, digits or symbols");
}
