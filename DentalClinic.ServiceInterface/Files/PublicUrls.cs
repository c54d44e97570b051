using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;

namespace DentalClinic.ServiceInterface.Files;

/// <summary>
/// Absolute URLs of this API (the logo, signed file URLs) for clients on other origins:
/// Api:PublicBaseUrl when set (behind a proxy or load balancer: the address clients use), otherwise
/// the address the server listens on (a wildcard host as <c>localhost</c>: with zero configuration
/// <c>http://localhost:5080</c>). Never the request's Host header, which any client can forge.
/// </summary>
public sealed class PublicUrls(IConfiguration config, IServer? server = null)
{
    private string? listening;

    public string Absolute(string url)
    {
        if (!url.StartsWith('/')) return url;
        return BaseUrl() + url;
    }

    private string BaseUrl()
    {
        var configured = config["Api:PublicBaseUrl"];
        if (!string.IsNullOrWhiteSpace(configured)) return configured.TrimEnd('/');
        return listening ??= ListeningAddress(server) ?? "http://localhost";
    }

    /// <summary>The server's first address (https preferred), with a wildcard host named localhost.</summary>
    public static string? ListeningAddress(IServer? server)
    {
        var addresses = server?.Features.Get<IServerAddressesFeature>()?.Addresses;
        if (addresses is not { Count: > 0 }) return null;
        var address = addresses.FirstOrDefault(a => a.StartsWith("https://", StringComparison.OrdinalIgnoreCase)) ?? addresses.First();
        if (!Uri.TryCreate(address.Replace("://+", "://localhost").Replace("://*", "://localhost"), UriKind.Absolute, out var uri)) return null;
        var host = uri.Host is "0.0.0.0" or "[::]" ? "localhost" : uri.Host;   // IPv6 hosts keep their brackets
        return $"{uri.Scheme}://{host}:{uri.Port}";
    }
}
