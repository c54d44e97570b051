using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using DentalClinic.ServiceInterface.Data;
using DentalClinic.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace DentalClinic.Tests.MedicalHistory;

/// <summary>Settings of the medical-history, settings and file fixtures: a database and a file directory of their own.</summary>
internal static class FeatureSettings
{
    public static Dictionary<string, string?> For(string name, string provider) => new()
    {
        ["Test:Database"] = name,
        ["Files:Local:Root"] = Path.Combine(TestDatabases.TempDirectory, $"files-{name}-{provider}"),
        ["RateLimits:MedicalHistoryPerIpPerMinute"] = "100000",
        ["Frontend:BaseUrl"] = "https://app.clinic.test/",
    };
}

/// <summary>Patients are made straight in the database (the patients API is another feature).</summary>
internal static class TestPatients
{
    public static async Task<Guid> CreateAsync(ApiFactory app, DateOnly? dateOfBirth = null, string firstName = "Grace")
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var mobile = "+1555" + Random.Shared.NextInt64(1_000_000, 10_000_000);
        var patient = new Patient
        {
            FirstName = firstName, LastName = "Hopper", MobileNumber = mobile,
            MobileE164 = mobile, DateOfBirth = dateOfBirth,
        };
        db.Patients.Add(patient);
        await db.SaveChangesAsync();
        return patient.Id;
    }

    public static async Task<T> WithDbAsync<T>(ApiFactory app, Func<AppDbContext, Task<T>> action)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }
}

/// <summary>Real images, made byte by byte: PNGs of any size (padded with a private chunk) and a standard 125-byte JPEG.</summary>
internal static class TestImages
{
    public static byte[] Jpeg { get; } = Convert.FromHexString(
        "ffd8ffe000104a46494600010101004800480000ffdb004300030202020202030202020303030304060404040404080606050609080a0a090809090a0c0f0c0a0b0e0b09090d110d0e0f101011100a0c12131210130f101010ffc9000b080001000101011100ffcc000600101005ffda0008010100003f00d2cf20ffd9");

    public static byte[] Gif { get; } = Convert.FromBase64String("R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==");

    public static byte[] Svg { get; } = Encoding.UTF8.GetBytes("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1\" height=\"1\"><script>alert(1)</script></svg>");

    /// <summary>A PNG of the given pixel size, with an ancillary private chunk of <paramref name="padding"/> bytes.</summary>
    public static byte[] Png(int width = 2, int height = 2, int padding = 0, byte shade = 0x80)
    {
        using var output = new MemoryStream();
        output.Write([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), height);
        header[8] = 8; // bit depth
        header[9] = 2; // RGB
        Chunk(output, "IHDR", header);
        if (padding > 0) Chunk(output, "prVt", Enumerable.Range(0, padding).Select(i => (byte)(i * 31)).ToArray());
        using var pixels = new MemoryStream();
        using (var zlib = new ZLibStream(pixels, CompressionLevel.Optimal, leaveOpen: true))
            for (var y = 0; y < height; y++)
            {
                zlib.WriteByte(0);
                for (var x = 0; x < width * 3; x++) zlib.WriteByte((byte)(shade + x + y));
            }
        Chunk(output, "IDAT", pixels.ToArray());
        Chunk(output, "IEND", []);
        return output.ToArray();
    }

    /// <summary>A valid PNG of exactly <paramref name="size"/> bytes.</summary>
    public static byte[] PngOfSize(int size) => Png(padding: size - Png().Length - 12);

    public static string DataUrl(byte[] image, string type = "image/png") => $"data:{type};base64,{Convert.ToBase64String(image)}";

    private static void Chunk(Stream output, string type, byte[] data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        output.Write(number);
        var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
        output.Write(typed);
        BinaryPrimitives.WriteUInt32BigEndian(number, Crc32(typed));
        output.Write(number);
    }

    private static readonly uint[] CrcTable = Enumerable.Range(0, 256).Select(n =>
    {
        var c = (uint)n;
        for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
        return c;
    }).ToArray();

    private static uint Crc32(byte[] bytes)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in bytes) crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return crc ^ 0xFFFFFFFFu;
    }
}
