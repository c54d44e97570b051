using System.Text.RegularExpressions;

namespace DentalClinic.ServiceInterface.Files;

/// <summary>
/// Where uploaded files live: the local disk (default) or any S3-compatible store (Files:Provider).
/// Nothing in the store is public by itself: the API serves public files (the logo) itself, and
/// private ones (signatures) only through URLs signed by <see cref="UrlSigner"/>, whichever the store.
/// </summary>
public interface IFileStore
{
    Task PutAsync(string key, byte[] content, string contentType, CancellationToken ct);

    /// <summary>
    /// Stores a stream (a large file such as a backup) without holding it in memory. The stream
    /// must be seekable with a known length (a file); readers never see half a file.
    /// </summary>
    Task PutAsync(string key, Stream content, string contentType, CancellationToken ct);

    /// <summary>Every file whose key starts with the prefix (e.g. "backups/"), ordered by key.</summary>
    Task<IReadOnlyList<StoredFileInfo>> ListAsync(string prefix, CancellationToken ct);

    /// <summary>The file, or null when there is none under the key. The caller disposes the stream.</summary>
    Task<StoredFile?> GetAsync(string key, CancellationToken ct);

    Task<bool> ExistsAsync(string key, CancellationToken ct);

    /// <summary>Removes the file; a missing file is not an error.</summary>
    Task DeleteAsync(string key, CancellationToken ct);
}

public sealed record StoredFile(Stream Content, string ContentType, long Length) : IDisposable
{
    public void Dispose() => Content.Dispose();
}

public sealed record StoredFileInfo(string Key, long Length);

public static partial class FileKeys
{
    /// <summary>Keys are chosen by the server: lower-case segments of [a-z0-9._-] separated by '/', never '..'.</summary>
    public static string Validate(string key) =>
        KeyPattern().IsMatch(key) && !key.Split('/').Any(s => s is "." or "..")
            ? key
            : throw new ArgumentException($"Invalid file key '{key}'", nameof(key));

    public static bool IsValid(string key) => KeyPattern().IsMatch(key) && !key.Split('/').Any(s => s is "." or "..");

    public static string ContentTypeOf(string key) => Path.GetExtension(key) switch
    {
        ".png" => "image/png",
        ".jpg" or ".jpeg" => "image/jpeg",
        _ => "application/octet-stream",
    };

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]*(/[a-z0-9][a-z0-9._-]*)*$")]
    private static partial Regex KeyPattern();
}
