using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace DentalClinic.ServiceInterface.Files;

/// <summary>
/// Absolute URLs of this API for clients on other origins: Api:PublicBaseUrl when set (behind a
/// proxy or load balancer), otherwise the scheme and host of the current request.
/// </summary>
public sealed class PublicUrls(IConfiguration config, IHttpContextAccessor http)
{
    public string Absolute(string url)
    {
        if (!url.StartsWith('/')) return url;
        var configured = config["Api:PublicBaseUrl"];
        if (!string.IsNullOrWhiteSpace(configured)) return configured.TrimEnd('/') + url;
        var request = http.HttpContext?.Request
                      ?? throw new InvalidOperationException("Api:PublicBaseUrl must be set to build URLs outside a request.");
        return $"{request.Scheme}://{request.Host}{request.PathBase}{url}";
    }
}
