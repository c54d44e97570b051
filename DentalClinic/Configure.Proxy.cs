using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace DentalClinic;

/// <summary>
/// Behind a reverse proxy or load balancer: X-Forwarded-For and X-Forwarded-Proto are believed only
/// from the addresses in ForwardedHeaders:KnownProxies and the networks (CIDR) in
/// ForwardedHeaders:KnownNetworks, so per-IP rate limits, login throttling and audit IPs see the
/// client. Nothing configured: the headers are ignored and the connection's address is the client.
/// Public URLs never come from forwarded or Host headers (Api:PublicBaseUrl, see Files/PublicUrls).
/// </summary>
public static class ConfigureProxy
{
    public static void AddProxySupport(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection("ForwardedHeaders");
        var proxies = (section.GetSection("KnownProxies").Get<string[]>() ?? [])
            .Select(p => IPAddress.TryParse(p.Trim(), out var ip) ? ip
                : throw new StartupException($"ForwardedHeaders:KnownProxies: '{p}' is not an IP address."))
            .ToList();
        var networks = (section.GetSection("KnownNetworks").Get<string[]>() ?? [])
            .Select(n => System.Net.IPNetwork.TryParse(n.Trim(), out var network) ? network
                : throw new StartupException($"ForwardedHeaders:KnownNetworks: '{n}' is not a network in CIDR form (10.0.0.0/8)."))
            .ToList();

        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Not ASP.NET Core's default (loopback): only what the operator named is trusted.
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in proxies) o.KnownProxies.Add(proxy);
            foreach (var network in networks) o.KnownIPNetworks.Add(network);
            // Each trusted proxy in a chain removes one address from the end of X-Forwarded-For.
            o.ForwardLimit = section.GetValue("ForwardLimit", 1);
        });
        builder.Services.AddSingleton(new TrustedProxies(proxies.Count + networks.Count > 0));
    }

    public static void UseProxySupport(this WebApplication app)
    {
        if (app.Services.GetRequiredService<TrustedProxies>().Any) app.UseForwardedHeaders();
    }

    private sealed record TrustedProxies(bool Any);
}
