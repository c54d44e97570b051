using DentalClinic.ServiceModel;
using Microsoft.AspNetCore.Http;

namespace DentalClinic.ServiceInterface.Infrastructure;

/// <summary>
/// A failure a service reports to the caller. The exception handler turns it into the
/// error envelope with its status; nothing else about the request is revealed.
/// </summary>
public sealed class ApiException(int status, string code, string message, IReadOnlyList<FieldError>? details = null)
    : Exception(message)
{
    public int Status { get; } = status;
    public string Code { get; } = code;
    public IReadOnlyList<FieldError>? Details { get; } = details;

    public static ApiException NotFound(string what = "Resource") =>
        new(StatusCodes.Status404NotFound, ErrorCodes.NotFound, $"{what} not found");

    public static ApiException Conflict(string field, string message) =>
        new(StatusCodes.Status409Conflict, ErrorCodes.Conflict, message, [new FieldError(field, message)]);

    public static ApiException Invalid(string field, string message) =>
        new(StatusCodes.Status400BadRequest, ErrorCodes.ValidationError, "Invalid input data", [new FieldError(field, message)]);

    public static ApiException BadRequest(string message) =>
        new(StatusCodes.Status400BadRequest, ErrorCodes.BadRequest, message);

    public static ApiException Unauthorized(string message = "Authentication required") =>
        new(StatusCodes.Status401Unauthorized, ErrorCodes.Unauthorized, message);

    public static ApiException Gone(string message) =>
        new(StatusCodes.Status410Gone, ErrorCodes.Gone, message);

    public static ApiException Forbidden(string message) =>
        new(StatusCodes.Status403Forbidden, ErrorCodes.Forbidden, message);

    public static ApiException TooLarge(string message) =>
        new(StatusCodes.Status413PayloadTooLarge, ErrorCodes.PayloadTooLarge, message);

    public static ApiException UnsupportedMediaType(string message) =>
        new(StatusCodes.Status415UnsupportedMediaType, ErrorCodes.UnsupportedMediaType, message);
}
