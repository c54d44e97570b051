using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace DentalClinic.ServiceInterface.Infrastructure;

/// <summary>
/// Opaque keyset cursors: the position (a small record) as JSON, base64url, with an HMAC so
/// that a tampered cursor is refused with 400 instead of silently moving the page.
/// </summary>
public sealed class CursorCodec(byte[] key)
{
    private const int MacLength = 16;

    public string Encode<T>(T position)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(position);
        var mac = HMACSHA256.HashData(key, payload).AsSpan(0, MacLength);
        return WebEncoders.Base64UrlEncode([.. payload, .. mac]);
    }

    public T Decode<T>(string cursor)
    {
        try
        {
            var bytes = WebEncoders.Base64UrlDecode(cursor);
            if (bytes.Length <= MacLength) throw new FormatException();
            var payload = bytes.AsSpan(0, bytes.Length - MacLength);
            var expected = HMACSHA256.HashData(key, payload).AsSpan(0, MacLength);
            if (!CryptographicOperations.FixedTimeEquals(expected, bytes.AsSpan(bytes.Length - MacLength)))
                throw new FormatException();
            return JsonSerializer.Deserialize<T>(payload) ?? throw new FormatException();
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            throw ApiException.BadRequest("Invalid cursor");
        }
    }
}

public static class PageRequest
{
    /// <summary>The page size asked for: default 20, at most 100; below 1 is a validation error.</summary>
    public static int Limit(int? limit) => limit switch
    {
        null => ServiceModel.Paging.DefaultLimit,
        < 1 => throw ApiException.Invalid("limit", "Limit must be at least 1"),
        _ => Math.Min(limit.Value, ServiceModel.Paging.MaxLimit),
    };
}
