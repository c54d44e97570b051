using System.Text.Json.Serialization;

namespace DentalClinic.ServiceModel;

/// <summary>The one error envelope every failing request answers with.</summary>
public record ErrorResponse(ErrorBody Error);

/// <summary>`details` is always present: an empty array when there is no field to name.</summary>
public record ErrorBody
{
    [JsonConstructor]
    public ErrorBody(string code, string message, IReadOnlyList<FieldError> details) =>
        (Code, Message, Details) = (code, message, details);

    public ErrorBody(string code, string message) : this(code, message, []) { }

    public string Code { get; init; }
    public string Message { get; init; }
    public IReadOnlyList<FieldError> Details { get; init; }
}

/// <param name="ExistingId">On a conflict with a record that already exists (a mobile number registered to
/// another patient): that record's id, so a client can open it. Left out otherwise.</param>
public record FieldError(
    string Field,
    string Message,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Guid? ExistingId = null);

public static class ErrorCodes
{
    public const string ValidationError = "VALIDATION_ERROR";
    public const string BadRequest = "BAD_REQUEST";
    public const string Unauthorized = "UNAUTHORIZED";
    public const string Forbidden = "FORBIDDEN";
    public const string NotFound = "NOT_FOUND";
    public const string MethodNotAllowed = "METHOD_NOT_ALLOWED";
    public const string Conflict = "CONFLICT";
    public const string Gone = "GONE";
    public const string PreconditionFailed = "PRECONDITION_FAILED";
    public const string PayloadTooLarge = "PAYLOAD_TOO_LARGE";
    public const string UnsupportedMediaType = "UNSUPPORTED_MEDIA_TYPE";
    public const string RateLimited = "RATE_LIMITED";
    public const string InternalError = "INTERNAL_ERROR";
    public const string ServiceUnavailable = "SERVICE_UNAVAILABLE";
}
