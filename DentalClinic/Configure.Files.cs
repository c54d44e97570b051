using System.Security.Cryptography;
using System.Text;
using Amazon.S3;
using DentalClinic.ServiceInterface.Auth;
using DentalClinic.ServiceInterface.Files;
using Microsoft.Extensions.Options;

namespace DentalClinic;

/// <summary>
/// File storage (logo, signatures): Files:Provider = Local (default; Files:Local:Root, default
/// ./data/files) or S3 (Files:S3:ServiceUrl, Bucket, AccessKey, SecretKey, Region, ForcePathStyle).
/// Private files are read through signed URLs that live Files:SignedUrlLifetime (default 5 minutes).
/// </summary>
public static class ConfigureFiles
{
    public static void AddFiles(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var section = builder.Configuration.GetSection("Files");
        services.Configure<FileStoreOptions>(section);
        services.Configure<LocalFileStoreOptions>(section.GetSection("Local"));
        services.Configure<S3FileStoreOptions>(section.GetSection("S3"));
        services.AddHttpContextAccessor();
        services.AddSingleton<PublicUrls>();
        // Local signed URLs carry an HMAC with a key derived from the JWT signing key (see Configure.Auth.cs).
        services.AddSingleton(sp => new UrlSigner(
            HMACSHA256.HashData(Encoding.UTF8.GetBytes(sp.GetRequiredService<IOptions<JwtOptions>>().Value.SigningKey), "signed-file-urls"u8),
            sp.GetRequiredService<TimeProvider>()));

        var provider = section["Provider"] ?? FileStoreOptions.Local;
        if (provider.Equals(FileStoreOptions.Local, StringComparison.OrdinalIgnoreCase))
        {
            services.AddSingleton<IFileStore, LocalFileStore>();
        }
        else if (provider.Equals(FileStoreOptions.S3, StringComparison.OrdinalIgnoreCase))
        {
            var s3 = section.GetSection("S3").Get<S3FileStoreOptions>() ?? new S3FileStoreOptions();
            if (string.IsNullOrWhiteSpace(s3.Bucket))
                throw new StartupException("Files:Provider is S3 but Files:S3:Bucket is not set (environment: Files__S3__Bucket).");
            services.AddSingleton<IAmazonS3>(_ => S3FileStore.CreateClient(s3));
            services.AddSingleton<IFileStore, S3FileStore>();
        }
        else
        {
            throw new StartupException(
                $"Files:Provider '{provider}' is not supported: use '{FileStoreOptions.Local}' or '{FileStoreOptions.S3}'.");
        }
    }
}
