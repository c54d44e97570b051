using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace DentalClinic.ServiceInterface.Infrastructure;

/// <summary>
/// Money on the wire (DESIGN §3): one JSON form everywhere — a JSON number with exactly the
/// decimals of the value, trailing zeros dropped (<c>800</c>, <c>80.1</c>, <c>0.25</c>), whatever
/// scale the value had in memory or in the database. Every decimal the API reads or writes is money.
/// </summary>
public static class Money
{
    /// <summary>The value with no trailing zeros: 80.100000 → 80.1, 80.00 → 80.</summary>
    public static decimal Normalize(decimal value) => value / 1.000000000000000000000000000000000m;

    /// <summary>Two decimals for messages: 80.1 → "80.10".</summary>
    public static string Format(decimal value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    public static bool HasAtMostTwoDecimals(decimal value) => Normalize(value).Scale <= 2;
}

/// <summary>
/// Reads a decimal only from a JSON number whose value a decimal holds exactly (so <c>1e-300</c>
/// is refused instead of becoming 0, and a 30-digit fraction instead of being rounded), and writes
/// <see cref="Money.Normalize"/>d numbers. Whether a value has at most 2 decimals and is in range
/// is the validators' business (a 400 naming the field).
/// </summary>
public sealed class MoneyJsonConverter : JsonConverter<decimal>
{
    public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.Number) throw new JsonException("Money must be a JSON number");
        var text = Encoding.ASCII.GetString(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan);
        if (!decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !IsExact(text, value))
            throw new JsonException("Money must be a number with at most 2 decimals and at most 10000000");
        return value;
    }

    public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) =>
        writer.WriteNumberValue(Money.Normalize(value));

    /// <summary>True when <paramref name="value"/> has exactly the decimals the JSON literal has (nothing was rounded away).</summary>
    private static bool IsExact(string literal, decimal value)
    {
        var e = literal.IndexOfAny(['e', 'E']);
        var exponent = 0;
        if (e >= 0 && !int.TryParse(literal.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent)) return false;
        var mantissa = (e >= 0 ? literal[..e] : literal).TrimStart('-', '+');
        var dot = mantissa.IndexOf('.');
        var fraction = dot >= 0 ? mantissa[(dot + 1)..] : "";
        var digits = (dot >= 0 ? mantissa[..dot] : mantissa) + fraction;
        var decimals = (long)fraction.Length - exponent;
        var trimmed = digits.TrimEnd('0');
        if (trimmed.TrimStart('0').Length == 0) return true;   // zero, however written
        decimals -= digits.Length - trimmed.Length;
        return Money.Normalize(value).Scale == Math.Max(0, decimals);
    }
}
