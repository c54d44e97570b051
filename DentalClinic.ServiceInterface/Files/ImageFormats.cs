using System.Buffers.Binary;

namespace DentalClinic.ServiceInterface.Files;

/// <summary>PNG or JPEG, told by the bytes themselves, never by a file name or a declared type.</summary>
public static class ImageFormats
{
    public sealed record ImageFormat(string ContentType, string Extension);

    public static readonly ImageFormat Png = new("image/png", "png");
    public static readonly ImageFormat Jpeg = new("image/jpeg", "jpg");

    private static ReadOnlySpan<byte> PngSignature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>The format when the bytes start like a PNG or a JPEG; null for anything else (SVG, GIF, text…).</summary>
    public static ImageFormat? Detect(ReadOnlySpan<byte> bytes)
    {
        if (bytes.StartsWith(PngSignature)) return Png;
        if (bytes.Length >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF) return Jpeg;
        return null;
    }

    /// <summary>
    /// Whether a detected image is structurally whole: a PNG with a sane IHDR header and an IEND chunk,
    /// a JPEG with its end-of-image marker. Catches truncated uploads and forged headers.
    /// </summary>
    public static bool LooksComplete(ReadOnlySpan<byte> bytes, ImageFormat format)
    {
        if (format == Png)
        {
            // signature(8) + IHDR: length(4)=13, "IHDR", width(4), height(4), …; IEND chunk at the end (12 bytes).
            if (bytes.Length < 8 + 25 + 12) return false;
            var ihdr = bytes[8..];
            if (BinaryPrimitives.ReadUInt32BigEndian(ihdr) != 13 || !ihdr[4..8].SequenceEqual("IHDR"u8)) return false;
            var width = BinaryPrimitives.ReadUInt32BigEndian(ihdr[8..]);
            var height = BinaryPrimitives.ReadUInt32BigEndian(ihdr[12..]);
            if (width is 0 or > 20_000 || height is 0 or > 20_000) return false;
            return bytes[^8..^4].SequenceEqual("IEND"u8);
        }
        return bytes.Length >= 4 && bytes[^2] == 0xFF && bytes[^1] == 0xD9;
    }
}
