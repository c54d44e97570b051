using FluentValidation;

namespace DentalClinic.ServiceInterface.Infrastructure;

/// <summary>Rules shared by validators of several features.</summary>
public static class ValidationRules
{
    public static IRuleBuilderOptions<T, string?> NoControlCharacters<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(s => s is null || !s.Any(char.IsControl)).WithMessage("{PropertyName} must not contain control characters");
}
