using DentalClinic.ServiceModel;
using Microsoft.AspNetCore.Http;

namespace DentalClinic.ServiceInterface.Infrastructure;

/// <summary>The code and default message for each status of the HTTP contract (docs/architecture.md).</summary>
public static class ErrorEnvelope
{
    public static (string Code, string Message) ForStatus(int status) => status switch
    {
        400 => (ErrorCodes.BadRequest, "The request is malformed"),
        401 => (ErrorCodes.Unauthorized, "Authentication required"),
        403 => (ErrorCodes.Forbidden, "You are not allowed to do this"),
        404 => (ErrorCodes.NotFound, "Resource not found"),
        405 => (ErrorCodes.MethodNotAllowed, "Method not allowed"),
        409 => (ErrorCodes.Conflict, "Conflict"),
        410 => (ErrorCodes.Gone, "Gone"),
        412 => (ErrorCodes.PreconditionFailed, "Precondition failed"),
        413 => (ErrorCodes.PayloadTooLarge, "Request body too large"),
        415 => (ErrorCodes.UnsupportedMediaType, "Unsupported media type"),
        429 => (ErrorCodes.RateLimited, "Too many requests"),
        503 => (ErrorCodes.ServiceUnavailable, "The service is temporarily unavailable; try again shortly"),
        >= 500 => (ErrorCodes.InternalError, "An unexpected error occurred"),
        _ => (ErrorCodes.BadRequest, "The request could not be processed"),
    };

    public static ErrorResponse Create(int status, string? message = null, IReadOnlyList<FieldError>? details = null)
    {
        var (code, defaultMessage) = ForStatus(status);
        return new ErrorResponse(new ErrorBody(code, message ?? defaultMessage, details ?? []));
    }

    public static Task WriteAsync(HttpContext context, int status, ErrorResponse body)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(body, context.RequestAborted);
    }
}
