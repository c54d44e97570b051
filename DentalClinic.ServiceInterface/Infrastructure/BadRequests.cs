using System.Text.Json;
using System.Text.RegularExpressions;
using DentalClinic.ServiceModel;
using Microsoft.AspNetCore.Http;

namespace DentalClinic.ServiceInterface.Infrastructure;

/// <summary>
/// Turns ASP.NET Core's binding failures into answers that name what is wrong: a query or route value
/// of the wrong type (<c>?limit=abc</c>) or a missing one is a 400 VALIDATION_ERROR on that parameter, and
/// a missing body is one on <c>body</c>. Null for every other bad request (malformed JSON and the like).
/// </summary>
public static partial class BadRequests
{
    public static ErrorResponse? AsValidationError(BadHttpRequestException bad)
    {
        if (bad.StatusCode != StatusCodes.Status400BadRequest) return null;
        if (BindingFailed().Match(bad.Message) is { Success: true } failed)
            return Invalid(Field(failed.Groups["name"].Value), $"{DisplayNames.For(failed.Groups["name"].Value)} must be {Expected(failed.Groups["type"].Value)}");
        if (NoBody().IsMatch(bad.Message) || RequiredNotProvided().Match(bad.Message) is { Success: true, Groups: var g } && g["source"].Value == "body")
            return Invalid("body", "A request body is required");
        if (RequiredNotProvided().Match(bad.Message) is { Success: true } missing)
            return Invalid(Field(missing.Groups["name"].Value), $"{DisplayNames.For(missing.Groups["name"].Value)} is required");
        return null;
    }

    private static ErrorResponse Invalid(string field, string message) =>
        new(new ErrorBody(ErrorCodes.ValidationError, "Invalid input data", [new FieldError(field, message)]));

    private static string Field(string name) => JsonNamingPolicy.CamelCase.ConvertName(name);

    /// <summary>What a value of the parameter's type looks like, in words.</summary>
    private static string Expected(string type) => type.Replace("Nullable<", "").TrimEnd('?', '>') switch
    {
        "int" or "long" or "short" or "Int32" or "Int64" or "Int16" => "a whole number",
        "decimal" or "double" or "float" or "Decimal" or "Double" or "Single" => "a number",
        "bool" or "Boolean" => "true or false",
        "Guid" => "an id (a UUID such as 0190a5c2-7b1e-7c3d-9f00-123456789abc)",
        "DateOnly" => "a date written YYYY-MM-DD",
        "TimeOnly" => "a time written HH:mm",
        "DateTime" or "DateTimeOffset" => "a date or an ISO-8601 timestamp",
        _ => "a valid value",
    };

    // Failed to bind parameter "int? Limit" from "abc".
    [GeneratedRegex("""^Failed to bind parameter "(?<type>[^"]+) (?<name>[^" ]+)" from """)]
    private static partial Regex BindingFailed();

    // Required parameter "int limit" was not provided from query string.
    [GeneratedRegex("""^Required parameter "(?<type>[^"]+) (?<name>[^" ]+)" was not provided from (?<source>[a-z ]+)""")]
    private static partial Regex RequiredNotProvided();

    // Implicit body inferred for parameter "request" but no body was provided.
    [GeneratedRegex("""^Implicit body inferred for parameter "[^"]+" but no body was provided""")]
    private static partial Regex NoBody();
}
