namespace DentalClinic.ServiceInterface.Files;

/// <summary>The Files configuration section.</summary>
public sealed class FileStoreOptions
{
    public const string Local = "Local";
    public const string S3 = "S3";

    /// <summary>Local | S3.</summary>
    public string Provider { get; set; } = Local;

    /// <summary>How long a signed URL to a private file (a signature image) stays valid.</summary>
    public TimeSpan SignedUrlLifetime { get; set; } = TimeSpan.FromMinutes(5);
}

public sealed class LocalFileStoreOptions
{
    /// <summary>The directory of the local store; relative paths are relative to the working directory.</summary>
    public string Root { get; set; } = "data/files";
}

public sealed class S3FileStoreOptions
{
    /// <summary>The endpoint of an S3-compatible server (e.g. http://127.0.0.1:9000); empty for AWS itself.</summary>
    public string? ServiceUrl { get; set; }
    public string Bucket { get; set; } = "";
    public string? AccessKey { get; set; }
    public string? SecretKey { get; set; }
    public string Region { get; set; } = "us-east-1";
    /// <summary>Path-style addressing (http://host/bucket/key), which most S3-compatible servers need.</summary>
    public bool ForcePathStyle { get; set; } = true;
}
