using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using DentalClinic.ServiceModel;
using Microsoft.AspNetCore.Http;

namespace DentalClinic.ServiceInterface.Infrastructure;

/// <summary>
/// The one rule every text the API receives obeys, whatever its validator says: no control
/// characters (U+0000–U+001F, U+007F–U+009F), no lone UTF-16 surrogates and at most
/// <see cref="MaxLength"/> characters, in every string of every request DTO (nested records, lists
/// and free JSON answers included) and in every query parameter and route value. Tab, line feed and
/// carriage return are allowed in multi-line text: the fields named in <see cref="MultiLineFields"/>
/// (notes, addresses, answers…). PostgreSQL cannot store U+0000 while SQLite can: rejecting it here
/// answers both providers the same. Validators set tighter lengths; the API document declares them
/// (and this one where a field has none).
/// </summary>
public static class TextInput
{
    /// <summary>Fields (by JSON name, any DTO) whose text may span lines.</summary>
    public static readonly IReadOnlySet<string> MultiLineFields = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "notes", "note", "address", "clinicAddress", "answer", "reason", "description", "comment", "comments",
    };

    /// <summary>The rule as the API document states it (ECMA-262): no control character (a lone surrogate is refused too, which a pattern cannot say).</summary>
    public const string SingleLinePattern = @"^[^\u0000-\u001F\u007F-\u009F]*$";

    /// <summary>The same for a multi-line field: tab, line feed and carriage return allowed.</summary>
    public const string MultiLinePattern = @"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$";

    /// <summary>The longest text any field or query value may hold, unless it is one of <see cref="LongFields"/>.</summary>
    public const int MaxLength = 10_000;

    /// <summary>Fields (by JSON name) whose text may be longer, with their own limit (a signature image as a data URL).</summary>
    public static readonly IReadOnlyDictionary<string, int> LongFields = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase)
    {
        ["signature"] = MedicalHistory.SignatureImage.MaxTextLength,
    };

    private const int MaxDepth = 16;
    private static readonly Assembly ContractAssembly = typeof(ErrorResponse).Assembly;
    private static readonly ConcurrentDictionary<Type, (string Name, PropertyInfo Property)[]> Properties = new();

    /// <summary>Whether the values of a handler parameter of this type are checked (strings and the DTOs of the contract).</summary>
    public static bool Applies(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string) || type == typeof(JsonElement)) return true;
        if (type.IsArray) return Applies(type.GetElementType()!);
        if (type.IsGenericType && typeof(IEnumerable).IsAssignableFrom(type)) return type.GetGenericArguments().Any(Applies);
        return type.Assembly == ContractAssembly;
    }

    /// <summary>The query parameters and route values that break the rule, each named as sent.</summary>
    public static List<FieldError> CheckQueryAndRoute(HttpContext context)
    {
        var failures = new List<FieldError>();
        foreach (var (key, values) in context.Request.Query)
        {
            if (Problem(key, multiLine: false) is { } keyProblem)
                failures.Add(new FieldError(Printable(key), keyProblem.Replace("{field}", Printable(key))));
            else if (values.Select(v => v is null ? null : Problem(v, multiLine: false)).FirstOrDefault(p => p is not null) is { } problem)
                failures.Add(new FieldError(key, problem.Replace("{field}", key)));
        }
        foreach (var (key, value) in context.Request.RouteValues)
            if (value is string text && Problem(text, multiLine: false) is { } problem)
                failures.Add(new FieldError(key, problem.Replace("{field}", key)));
        return failures;
    }

    /// <summary>Every string inside <paramref name="value"/> that breaks the rule, named by its JSON path (<c>answers[0].answer</c>).</summary>
    public static void Check(object? value, string path, List<FieldError> failures) =>
        Walk(value, path, MultiLineFields.Contains(path), failures, 0);

    private static int MaxLengthOf(string path)
    {
        var name = path[(path.LastIndexOf('.') + 1)..];
        return LongFields.TryGetValue(name, out var max) ? max : MaxLength;
    }

    private static void Walk(object? value, string path, bool multiLine, List<FieldError> failures, int depth)
    {
        if (value is null || depth > MaxDepth) return;
        switch (value)
        {
            case string text:
                if (Problem(text, multiLine, MaxLengthOf(path)) is { } problem) failures.Add(new FieldError(path, problem.Replace("{field}", Readable(path))));
                return;
            case JsonElement json:
                WalkJson(json, path, multiLine, failures, depth);
                return;
            case IDictionary dictionary:
                foreach (DictionaryEntry entry in dictionary)
                {
                    var key = entry.Key?.ToString() ?? "";
                    if (Problem(key, false) is { } keyProblem) failures.Add(new FieldError(Join(path, Printable(key)), keyProblem.Replace("{field}", Join(path, Printable(key)))));
                    else Walk(entry.Value, Join(path, key), multiLine, failures, depth + 1);
                }
                return;
            case IEnumerable items:
                var index = 0;
                foreach (var item in items) Walk(item, $"{path}[{index++}]", multiLine, failures, depth + 1);
                return;
        }
        var type = value.GetType();
        if (type.Assembly != ContractAssembly) return;
        foreach (var (name, property) in Properties.GetOrAdd(type, Describe))
            Walk(property.GetValue(value), Join(path, name), MultiLineFields.Contains(name), failures, depth + 1);
    }

    private static void WalkJson(JsonElement json, string path, bool multiLine, List<FieldError> failures, int depth)
    {
        if (depth > MaxDepth) return;
        switch (json.ValueKind)
        {
            case JsonValueKind.String:
                Walk(json.GetString(), path, multiLine, failures, depth);
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in json.EnumerateArray()) WalkJson(item, $"{path}[{index++}]", multiLine, failures, depth + 1);
                break;
            case JsonValueKind.Object:
                foreach (var property in json.EnumerateObject())
                {
                    if (Problem(property.Name, false) is { } nameProblem) failures.Add(new FieldError(Join(path, Printable(property.Name)), nameProblem.Replace("{field}", Join(path, Printable(property.Name)))));
                    else WalkJson(property.Value, Join(path, property.Name), multiLine, failures, depth + 1);
                }
                break;
        }
    }

    private static (string, PropertyInfo)[] Describe(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0 && p.GetCustomAttribute<System.Text.Json.Serialization.JsonIgnoreAttribute>() is null)
            .Select(p => (p.GetCustomAttribute<System.Text.Json.Serialization.JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(p.Name), p))
            .ToArray();

    /// <summary>Null when the text is acceptable, otherwise the failure message (with {field} to fill in).</summary>
    private static string? Problem(string text, bool multiLine, int maxLength = MaxLength)
    {
        if (text.Length > maxLength) return $"{{field}} must be at most {maxLength:N0} characters";
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsControl(c))
            {
                if (multiLine && c is '\t' or '\n' or '\r') continue;
                return "{field} must not contain control characters";
            }
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { i++; continue; }
            if (char.IsSurrogate(c)) return "{field} contains an invalid character (a lone UTF-16 surrogate)";
        }
        return null;
    }

    /// <summary>A top-level body field as a person reads it ("First name"); a nested path stays as it is.</summary>
    private static string Readable(string path) =>
        path.Length > 0 && path.All(char.IsAsciiLetterOrDigit) ? DisplayNames.For(char.ToUpperInvariant(path[0]) + path[1..]) : path;

    private static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;

    /// <summary>A name that itself holds control characters, made safe to echo back.</summary>
    private static string Printable(string name) =>
        new(name.Select(c => char.IsControl(c) || char.IsSurrogate(c) ? '?' : c).ToArray());
}
