using Microsoft.Extensions.Configuration;
using PhoneNumbers;

namespace DentalClinic.ServiceInterface.Patients;

/// <summary>
/// Phone numbers through libphonenumber: numbers without a leading <c>+</c> are read in the
/// region of <c>Patients:DefaultPhoneRegion</c> (ISO 3166 code, default <c>US</c>).
/// </summary>
public static class MobileNumbers
{
    public const string RegionKey = "Patients:DefaultPhoneRegion";
    public const string FallbackRegion = "US";
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    public static string DefaultRegion(IConfiguration config) =>
        config[RegionKey] is { Length: > 0 } region ? region.ToUpperInvariant() : FallbackRegion;

    /// <summary>
    /// The number, when it is a complete number of a possible length for its country.
    /// (Length, not allocation: the specification's own example, a fictional 555 number, is accepted.)
    /// </summary>
    public static PhoneNumber? Parse(string? input, string defaultRegion)
    {
        if (string.IsNullOrWhiteSpace(input) || !input.Any(char.IsAsciiDigit)) return null;
        try
        {
            var number = Util.Parse(input, defaultRegion);
            return Util.IsPossibleNumberWithReason(number) == PhoneNumberUtil.ValidationResult.IS_POSSIBLE ? number : null;
        }
        catch (NumberParseException)
        {
            return null;
        }
    }

    public static string E164(PhoneNumber number) => Util.Format(number, PhoneNumberFormat.E164);

    /// <summary>The digits a person may type to find the number: international, and national with its trunk prefix.</summary>
    public static IEnumerable<string> SearchDigits(PhoneNumber number)
    {
        var international = E164(number).TrimStart('+');
        yield return international;
        var national = new string(Util.Format(number, PhoneNumberFormat.NATIONAL).Where(char.IsAsciiDigit).ToArray());
        if (national.Length > 0 && !international.Contains(national, StringComparison.Ordinal)) yield return national;
    }
}
