using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace DentalClinic.ServiceInterface.Files;

/// <summary>Files on the local disk under Files:Local:Root; nothing there is served statically.</summary>
public sealed class LocalFileStore(IOptions<LocalFileStoreOptions> options) : IFileStore
{
    private readonly string root = Path.GetFullPath(options.Value.Root);

    public string Root => root;

    public async Task PutAsync(string key, byte[] content, string contentType, CancellationToken ct)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Written aside and moved into place, so a reader never sees half a file.
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            await File.WriteAllBytesAsync(temp, content, ct);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    public async Task PutAsync(string key, Stream content, string contentType, CancellationToken ct)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
                await content.CopyToAsync(file, ct);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    public Task<IReadOnlyList<StoredFileInfo>> ListAsync(string prefix, CancellationToken ct)
    {
        // The prefix need not end at a directory: list the directory it names or lies in, then filter.
        var directory = Path.Combine(root, prefix.Contains('/') ? prefix[..prefix.LastIndexOf('/')] : "");
        if (!Directory.Exists(directory)) return Task.FromResult<IReadOnlyList<StoredFileInfo>>([]);
        var files = Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Select(path => (Path: path, Key: Path.GetRelativePath(root, path).Replace(Path.DirectorySeparatorChar, '/')))
            // Files being written (*.tmp, written aside) are not files of the store yet.
            .Where(f => f.Key.StartsWith(prefix, StringComparison.Ordinal) && FileKeys.IsValid(f.Key) && !f.Key.EndsWith(".tmp", StringComparison.Ordinal))
            .Select(f => new StoredFileInfo(f.Key, new FileInfo(f.Path).Length))
            .OrderBy(f => f.Key, StringComparer.Ordinal)
            .ToList();
        return Task.FromResult<IReadOnlyList<StoredFileInfo>>(files);
    }

    public Task<StoredFile?> GetAsync(string key, CancellationToken ct)
    {
        var path = PathOf(key);
        if (!File.Exists(path)) return Task.FromResult<StoredFile?>(null);
        try
        {
            var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, useAsync: true);
            return Task.FromResult<StoredFile?>(new StoredFile(stream, FileKeys.ContentTypeOf(key), stream.Length));
        }
        catch (FileNotFoundException)
        {
            return Task.FromResult<StoredFile?>(null);
        }
    }

    public Task<bool> ExistsAsync(string key, CancellationToken ct) => Task.FromResult(File.Exists(PathOf(key)));

    public Task DeleteAsync(string key, CancellationToken ct)
    {
        File.Delete(PathOf(key));
        return Task.CompletedTask;
    }

    private string PathOf(string key)
    {
        var path = Path.GetFullPath(Path.Combine(root, FileKeys.Validate(key)));
        if (!path.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            throw new ArgumentException($"Invalid file key '{key}'", nameof(key));
        return path;
    }
}

/// <summary>
/// HMAC-SHA256 signed, expiring, root-relative URLs to private files, served by GET /api/files/{key}
/// from whichever store is configured. (S3 pre-signed URLs are not used: they would need the store
/// reachable from browsers, and S3-compatible test servers such as s3rver do not check their signature.)
/// </summary>
public sealed class UrlSigner(byte[] key, TimeProvider clock)
{
    public const string RoutePrefix = "/api/files/";

    public string Sign(string fileKey, TimeSpan lifetime)
    {
        var expires = clock.GetUtcNow().Add(lifetime).ToUnixTimeSeconds();
        return $"{RoutePrefix}{FileKeys.Validate(fileKey)}?expires={expires}&signature={Mac(fileKey, expires)}";
    }

    public SignedUrlCheck Verify(string fileKey, string? expires, string? signature)
    {
        if (!long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var expiresAt) || signature is null)
            return SignedUrlCheck.Invalid;
        byte[] given;
        try { given = WebEncoders.Base64UrlDecode(signature); }
        catch (FormatException) { return SignedUrlCheck.Invalid; }
        var expected = WebEncoders.Base64UrlDecode(Mac(fileKey, expiresAt));
        if (!CryptographicOperations.FixedTimeEquals(expected, given)) return SignedUrlCheck.Invalid;
        return clock.GetUtcNow().ToUnixTimeSeconds() > expiresAt ? SignedUrlCheck.Expired : SignedUrlCheck.Valid;
    }

    private string Mac(string fileKey, long expires) =>
        WebEncoders.Base64UrlEncode(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"GET\n{fileKey}\n{expires}")));
}

public enum SignedUrlCheck { Valid, Invalid, Expired }
