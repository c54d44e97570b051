using System.Collections;
using System.Text.RegularExpressions;
using FluentValidation;
using FluentValidation.Validators;

namespace DentalClinic.ServiceInterface.Infrastructure;

/// <summary>
/// A validator rule whose meaning the API document can state: the document transformer
/// (Configure.OpenApi) reads it from each request's validator and writes it as the field's
/// <c>format</c>, <c>pattern</c> or <c>maxItems</c>, so the document says what the server enforces.
/// </summary>
public interface IDocumentedRule
{
    /// <summary>A JSON Schema format the accepted values always have (<c>date</c>).</summary>
    string? Format { get; }

    /// <summary>An ECMA-262 pattern every accepted value matches.</summary>
    string? Pattern { get; }

    /// <summary>The most items an accepted list holds.</summary>
    int? MaxItems { get; }
}

/// <summary>A predicate rule (as <c>Must</c>) that also says, for the API document, what it accepts.</summary>
public sealed class DocumentedRule<T, TProperty>(Func<TProperty, bool> isValid) : PropertyValidator<T, TProperty>, IDocumentedRule
{
    public override string Name => "DocumentedRule";
    public string? Format { get; init; }
    public string? Pattern { get; init; }
    public int? MaxItems { get; init; }

    public override bool IsValid(ValidationContext<T> context, TProperty value) => isValid(value);

    protected override string GetDefaultMessageTemplate(string errorCode) => "{PropertyName} is not valid";
}

public static class DocumentedRules
{
    /// <summary>A list holds at most <paramref name="max"/> items (null passes).</summary>
    public static IRuleBuilderOptions<T, TList> MaxItems<T, TList>(this IRuleBuilder<T, TList> rule, int max) where TList : IEnumerable? =>
        rule.SetValidator(new DocumentedRule<T, TList>(list => list is null || list.Cast<object?>().Take(max + 1).Count() <= max) { MaxItems = max })
            .WithMessage($"At most {max} items");

    /// <summary>A text is null or matches <paramref name="pattern"/> (also declared as the field's pattern).</summary>
    public static IRuleBuilderOptions<T, string?> MatchesPattern<T>(this IRuleBuilder<T, string?> rule, string pattern) =>
        rule.SetValidator(new DocumentedRule<T, string?>(v => v is null || Regex.IsMatch(v, pattern, RegexOptions.None, TimeSpan.FromSeconds(1))) { Pattern = pattern });

    /// <summary>A text is null or one of <paramref name="values"/> (declared as a pattern listing them, so typed clients keep a plain string).</summary>
    public static IRuleBuilderOptions<T, string?> OneOf<T>(this IRuleBuilder<T, string?> rule, IReadOnlyCollection<string> values) =>
        rule.SetValidator(new DocumentedRule<T, string?>(v => v is null || values.Contains(v)) { Pattern = PatternOf(values) });

    /// <summary>Exactly one of <paramref name="values"/>, as a pattern.</summary>
    public static string PatternOf(IEnumerable<string> values) => "^(" + string.Join("|", values.Select(Regex.Escape)) + ")$";
}
