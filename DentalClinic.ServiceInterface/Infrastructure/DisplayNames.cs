using System.Reflection;
using System.Text.RegularExpressions;

namespace DentalClinic.ServiceInterface.Infrastructure;

/// <summary>
/// The name of a field as a person reads it on the form, for validation messages: <c>TotalPrice</c> →
/// "Total price", <c>PatientId</c> → "Patient", <c>ClinicEmail</c> → "Clinic e-mail". Details still name
/// the JSON field (<c>totalPrice</c>); this is only the wording of the message.
/// </summary>
public static partial class DisplayNames
{
    private static readonly Dictionary<string, string> Words = new(StringComparer.Ordinal)
    {
        ["Email"] = "E-mail",
        ["ClinicEmail"] = "Clinic e-mail",
        ["SendSms"] = "Send SMS",
    };

    /// <summary>FluentValidation's <c>DisplayNameResolver</c>.</summary>
    public static string? Resolve(Type type, MemberInfo? member, System.Linq.Expressions.LambdaExpression? expression) =>
        member is null ? null : For(member.Name);

    public static string For(string memberName)
    {
        if (Words.TryGetValue(memberName, out var known)) return known;
        var name = memberName.Length > 2 && memberName.EndsWith("Id", StringComparison.Ordinal) ? memberName[..^2] : memberName;
        var words = WordStart().Split(name).Where(w => w.Length > 0).ToArray();
        if (words.Length == 0) return memberName;
        return string.Join(' ', words.Select((w, i) => i == 0 ? char.ToUpperInvariant(w[0]) + w[1..] : w.ToLowerInvariant()));
    }

    [GeneratedRegex("(?<=[a-z0-9])(?=[A-Z])")]
    private static partial Regex WordStart();
}
