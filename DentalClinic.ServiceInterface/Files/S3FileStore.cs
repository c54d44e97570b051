using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Options;

namespace DentalClinic.ServiceInterface.Files;

/// <summary>
/// Files in a bucket of AWS S3 or any S3-compatible server (Files:S3:*). Objects are written
/// without ACLs, so they are as private as the bucket; the API serves them (see <see cref="UrlSigner"/>).
/// </summary>
public sealed class S3FileStore(IAmazonS3 s3, IOptions<S3FileStoreOptions> options) : IFileStore
{
    private readonly S3FileStoreOptions settings = options.Value;

    public static AmazonS3Client CreateClient(S3FileStoreOptions o)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = o.ForcePathStyle,
            AuthenticationRegion = o.Region,
        };
        if (!string.IsNullOrEmpty(o.ServiceUrl)) config.ServiceURL = o.ServiceUrl;
        else config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(o.Region);
        return string.IsNullOrEmpty(o.AccessKey)
            ? new AmazonS3Client(config)
            : new AmazonS3Client(new Amazon.Runtime.BasicAWSCredentials(o.AccessKey, o.SecretKey), config);
    }

    public async Task PutAsync(string key, byte[] content, string contentType, CancellationToken ct)
    {
        using var stream = new MemoryStream(content, writable: false);
        await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = settings.Bucket,
            Key = FileKeys.Validate(key),
            InputStream = stream,
            ContentType = contentType,
            // Without it S3-compatible servers may keep the chunk-signature framing in the object.
            UseChunkEncoding = false,
        }, ct);
    }

    public async Task PutAsync(string key, Stream content, string contentType, CancellationToken ct)
    {
        // A single PUT (up to 5 GB): S3 makes the object visible only once it is whole.
        await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = settings.Bucket,
            Key = FileKeys.Validate(key),
            InputStream = content,
            AutoCloseStream = false,
            ContentType = contentType,
            UseChunkEncoding = false,
        }, ct);
    }

    public async Task<IReadOnlyList<StoredFileInfo>> ListAsync(string prefix, CancellationToken ct)
    {
        var files = new List<StoredFileInfo>();
        var request = new ListObjectsV2Request { BucketName = settings.Bucket, Prefix = prefix };
        ListObjectsV2Response response;
        do
        {
            response = await s3.ListObjectsV2Async(request, ct);
            files.AddRange((response.S3Objects ?? []).Select(o => new StoredFileInfo(o.Key, o.Size ?? 0)));
            request.ContinuationToken = response.NextContinuationToken;
        } while (response.IsTruncated == true);
        return files.OrderBy(f => f.Key, StringComparer.Ordinal).ToList();
    }

    public async Task<StoredFile?> GetAsync(string key, CancellationToken ct)
    {
        try
        {
            var response = await s3.GetObjectAsync(settings.Bucket, FileKeys.Validate(key), ct);
            return new StoredFile(new S3ObjectStream(response), response.Headers.ContentType ?? FileKeys.ContentTypeOf(key), response.ContentLength);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<bool> ExistsAsync(string key, CancellationToken ct)
    {
        try
        {
            await s3.GetObjectMetadataAsync(settings.Bucket, FileKeys.Validate(key), ct);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public Task DeleteAsync(string key, CancellationToken ct) =>
        s3.DeleteObjectAsync(settings.Bucket, FileKeys.Validate(key), ct);

    /// <summary>The object's body, disposing the whole response with it.</summary>
    private sealed class S3ObjectStream(GetObjectResponse response) : Stream
    {
        private readonly Stream inner = response.ResponseStream;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => response.ContentLength;
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) => inner.ReadAsync(buffer, ct);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => inner.ReadAsync(buffer, offset, count, ct);
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        protected override void Dispose(bool disposing)
        {
            if (disposing) response.Dispose();
            base.Dispose(disposing);
        }
    }
}
