using DentalClinic.ServiceModel;
using FluentValidation;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace DentalClinic.ServiceInterface.Infrastructure;

/// <summary>
/// Runs the FluentValidation validator of every argument that has one, before the handler,
/// and answers 400 VALIDATION_ERROR listing every failing field.
/// </summary>
public static class ValidationFilter
{
    public static EndpointFilterDelegate Create(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        var registered = context.ApplicationServices.GetRequiredService<IServiceProviderIsService>();
        var validated = context.MethodInfo.GetParameters()
            .Select((p, index) => (index, validatorType: typeof(IValidator<>).MakeGenericType(p.ParameterType)))
            .Where(x => registered.IsService(x.validatorType))
            .ToArray();
        if (validated.Length == 0) return next;

        return async invocation =>
        {
            var failures = new List<FieldError>();
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
                failures.AddRange(result.Errors.Select(e => new FieldError(e.PropertyName, e.ErrorMessage)));
            }
            if (failures.Count > 0)
                return TypedResults.Json(
                    new ErrorResponse(new ErrorBody(ErrorCodes.ValidationError, "Invalid input data", failures)),
                    statusCode: StatusCodes.Status400BadRequest);
            return await next(invocation);
        };
    }
}
