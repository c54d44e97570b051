using DentalClinic.ServiceInterface.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

using DentalClinic.ServiceInterface.Audit;

namespace DentalClinic.ServiceInterface.Files;

/// <summary>Private files (signatures), reachable only through URLs signed by <see cref="UrlSigner"/>.</summary>
public static class FilesApi
{
    public static void MapFilesApi(this IEndpointRouteBuilder api)
    {
        api.MapGet("/files/{**key}", GetSigned).AllowAnonymous().WithTags("Files")
            .WithName("GetSignedFile").WithSummary("A private file through a signed, expiring URL");
    }

    private static async Task<FileStreamHttpResult> GetSigned(
        string key, string? expires, string? signature, UrlSigner signer, IFileStore store, AuditLog audit, HttpResponse response, CancellationToken ct)
    {
        if (!FileKeys.IsValid(key)) throw ApiException.NotFound("File");
        switch (signer.Verify(key, expires, signature))
        {
            case SignedUrlCheck.Invalid: throw ApiException.Forbidden("The file link is not valid");
            case SignedUrlCheck.Expired: throw ApiException.Forbidden("The file link has expired");
        }
        var file = await store.GetAsync(key, ct) ?? throw ApiException.NotFound("File");
        await audit.RecordAccessAsync("files", key, ct: ct);
        response.Headers.CacheControl = "private, no-store";
        return TypedResults.Stream(file.Content, file.ContentType);
    }
}
