using DentalClinic.ServiceModel;
using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace DentalClinic.ServiceInterface.Infrastructure;

/// <summary>
/// Before the handler: checks every text the request carries (<see cref="TextInput"/>: query,
/// route and every string of its DTOs), then runs the FluentValidation validator of every argument
/// that has one, and answers 400 VALIDATION_ERROR listing every failing field.
/// </summary>
public static class ValidationFilter
{
    public static EndpointFilterDelegate Create(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        var registered = context.ApplicationServices.GetRequiredService<IServiceProviderIsService>();
        var parameters = context.MethodInfo.GetParameters();
        var validated = parameters
            .Select((p, index) => (index, validatorType: typeof(IValidator<>).MakeGenericType(p.ParameterType)))
            .Where(x => registered.IsService(x.validatorType))
            .ToArray();
        // Texts: the contract's DTOs are named by their properties, a plain string by its parameter.
        var texts = parameters
            .Select((p, index) => (index, path: p.ParameterType == typeof(string) ? p.Name ?? "" : "", applies: TextInput.Applies(p.ParameterType)))
            .Where(x => x.applies)
            .Select(x => (x.index, x.path))
            .ToArray();

        return async invocation =>
        {
            var failures = TextInput.CheckQueryAndRoute(invocation.HttpContext);
            if (failures.Count == 0)
                foreach (var (index, path) in texts)
                    TextInput.Check(invocation.Arguments[index], path, failures);
            // Validators are synchronous rules (none reaches the database): they run too, so every failing field is listed once.
            var flagged = failures.Select(f => f.Field).ToHashSet();

            foreach (var (index, validatorType) in validated)
            {
                var argument = invocation.Arguments[index];
                if (argument is null)
                {
                    failures.Add(new FieldError("body", "A request body is required"));
                    continue;
                }
                var validator = (IValidator)invocation.HttpContext.RequestServices.GetRequiredService(validatorType);
                var result = await validator.ValidateAsync(new ValidationContext<object>(argument), invocation.HttpContext.RequestAborted);
                failures.AddRange(result.Errors.Where(e => !flagged.Contains(e.PropertyName)).Select(e => new FieldError(e.PropertyName, e.ErrorMessage)));
            }
            if (failures.Count > 0) return Invalid(failures);
            return await next(invocation);
        };
    }

    private static IResult Invalid(List<FieldError> failures) =>
        TypedResults.Json(
            new ErrorResponse(new ErrorBody(ErrorCodes.ValidationError, "Invalid input data", failures)),
            statusCode: StatusCodes.Status400BadRequest);
}
