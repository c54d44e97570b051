using Microsoft.Extensions.DependencyInjection;
using DentalClinic.ServiceInterface.Infrastructure;
using DentalClinic.ServiceModel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace DentalClinic.ServiceInterface.Settings;

public static class SettingsApi
{
    /// <summary>A 5 MB logo plus room for the multipart framing; a larger file part is refused with 413 by the service.</summary>
    public const long LogoRequestLimit = FileLimits.MaxLogoBytes + 64 * 1024;

    public static void MapSettingsApi(this IEndpointRouteBuilder api)
    {
        // The settings are one document: its ETag is its representation's hash, read under the settings' write lock.
        var group = api.MapGroup("/settings").WithTags("Settings")
            .WithETags(v => v is SettingsDto s ? Preconditions.OfJson(s) : null,
                async (_, http, ct) => Preconditions.OfJson(await http.RequestServices.GetRequiredService<SettingsService>().GetAsync(ct)),
                SettingsService.Lock);

        group.MapGet("/", Get).WithName("GetSettings").WithSummary("The clinic's settings, with the logo's metadata");
        group.MapPut("/", Update).RequireAuthorization(Policies.Admin)
            .WithName("UpdateSettings").WithSummary("Change clinic name, timezone, reminder lead time or contact details");
        group.MapGet("/logo", GetLogo).WithName("GetLogo").WithSummary("The logo's public URL and metadata; 404 when there is none");
        group.MapPut("/logo", UploadLogo).RequireAuthorization(Policies.Clinician)
            .WithMetadata(new RequestSizeLimitAttribute(LogoRequestLimit))
            .Accepts<LogoUploadForm>("multipart/form-data")
            .Produces(StatusCodes.Status413PayloadTooLarge).Produces(StatusCodes.Status415UnsupportedMediaType)
            .WithName("UploadLogo").WithSummary("Upload the logo: multipart field 'file', PNG or JPEG, at most 5 MB");
        group.MapGet("/logo/{fileName}", DownloadLogo).AllowAnonymous()
            .WithName("DownloadLogo").WithSummary("The logo image itself: public and cacheable (the name changes with the content)");
    }

    private static async Task<Ok<SettingsDto>> Get(SettingsService settings, CancellationToken ct) =>
        TypedResults.Ok(await settings.GetAsync(ct));

    private static async Task<Ok<SettingsDto>> Update(UpdateSettings request, SettingsService settings, CancellationToken ct) =>
        TypedResults.Ok(await settings.UpdateAsync(request, ct));

    private static async Task<Ok<LogoDto>> GetLogo(SettingsService settings, CancellationToken ct) =>
        TypedResults.Ok(await settings.GetLogoAsync(ct));

    private static async Task<Ok<LogoDto>> UploadLogo(HttpRequest request, SettingsService settings, CancellationToken ct) =>
        TypedResults.Ok(await settings.UploadLogoAsync(request, ct));

    private static async Task<Results<FileStreamHttpResult, StatusCodeHttpResult>> DownloadLogo(
        string fileName, SettingsService settings, HttpContext context, CancellationToken ct)
    {
        var etag = $"\"{fileName}\"";
        if (SettingsService.IsLogoFileName(fileName) && context.Request.Headers.IfNoneMatch == etag)
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        var file = await settings.OpenLogoFileAsync(fileName, ct) ?? throw ApiException.NotFound("Logo");
        var headers = context.Response.Headers;
        // The name is the content's hash: the same URL always serves the same bytes.
        headers.CacheControl = "public, max-age=31536000, immutable";
        headers.ETag = etag;
        headers["Cross-Origin-Resource-Policy"] = "cross-origin";
        return TypedResults.Stream(file.Content, file.ContentType);
    }
}

/// <summary>The shape of the logo upload, for the API document only (the service reads the form itself).</summary>
internal sealed record LogoUploadForm(IFormFile File);
