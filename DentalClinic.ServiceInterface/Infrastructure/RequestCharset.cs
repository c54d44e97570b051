using DentalClinic.ServiceModel;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace DentalClinic.ServiceInterface.Infrastructure;

/// <summary>
/// Request bodies are UTF-8 (RFC 8259 for JSON): a Content-Type naming any other charset
/// (<c>charset=utf-7</c>, <c>ebcdic</c>, an unknown one) is answered 415 before any endpoint,
/// signed-in or anonymous, tries to decode it.
/// </summary>
public static class RequestCharset
{
    public static Task RequireUtf8(HttpContext context, Func<Task> next)
    {
        if (context.Request.ContentType is { Length: > 0 } contentType &&
            MediaTypeHeaderValue.TryParse(contentType, out var media) &&
            media?.Charset is { Length: > 0 } charset &&
            !IsUtf8(charset.ToString().Trim('"')))
        {
            return ErrorEnvelope.WriteAsync(context, StatusCodes.Status415UnsupportedMediaType, ErrorEnvelope.Create(
                StatusCodes.Status415UnsupportedMediaType, "Request bodies must be UTF-8",
                [new FieldError("Content-Type", "charset must be utf-8 (or left out)")]));
        }
        return next();
    }

    private static bool IsUtf8(string charset) => charset.Equals("utf-8", StringComparison.OrdinalIgnoreCase);
}
