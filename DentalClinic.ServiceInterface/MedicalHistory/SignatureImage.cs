using DentalClinic.ServiceInterface.Files;
using DentalClinic.ServiceModel;

namespace DentalClinic.ServiceInterface.MedicalHistory;

/// <summary>A signature drawn on a canvas: a PNG or JPEG data URL, or bare base64, checked by its bytes.</summary>
public sealed record SignatureImage(byte[] Bytes, ImageFormats.ImageFormat Format)
{
    private static readonly (string Prefix, ImageFormats.ImageFormat Format)[] DataUrlPrefixes =
    [
        ("data:image/png;base64,", ImageFormats.Png),
        ("data:image/jpeg;base64,", ImageFormats.Jpeg),
        ("data:image/jpg;base64,", ImageFormats.Jpeg),
    ];

    /// <summary>The longest text a signature may be: the longest data-URL prefix and the base64 of 1 MB, with room for line breaks.</summary>
    public const int MaxTextLength = 23 + (FileLimits.MaxSignatureBytes + 2) / 3 * 4 + 4096;

    /// <summary>The image, or the reason it is refused.</summary>
    public static (SignatureImage? Image, string? Error) Parse(string value)
    {
        var payload = value.Trim();
        ImageFormats.ImageFormat? declared = null;
        if (payload.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            var match = DataUrlPrefixes.FirstOrDefault(p => payload.StartsWith(p.Prefix, StringComparison.OrdinalIgnoreCase));
            if (match.Prefix is null) return (null, "Signature must be a data:image/png;base64, or data:image/jpeg;base64, URL");
            declared = match.Format;
            payload = payload[match.Prefix.Length..];
        }
        // Base64 of 1 MB is at most 1,398,104 characters (line breaks aside).
        if (payload.Length > (FileLimits.MaxSignatureBytes + 2) / 3 * 4 + 4096) return (null, "Signature must be at most 1 MB");
        var buffer = new byte[payload.Length * 3 / 4 + 3];
        if (!Convert.TryFromBase64String(payload, buffer, out var length) || length == 0)
            return (null, "Signature is not valid base64");
        if (length > FileLimits.MaxSignatureBytes) return (null, "Signature must be at most 1 MB");
        var bytes = buffer.AsSpan(0, length).ToArray();
        var format = ImageFormats.Detect(bytes);
        if (format is null) return (null, "Signature must be a PNG or JPEG image");
        if (declared is not null && declared != format) return (null, "Signature content does not match its declared image type");
        if (!ImageFormats.LooksComplete(bytes, format)) return (null, "Signature image is damaged or incomplete");
        return (new SignatureImage(bytes, format), null);
    }
}
