using System.Security.Claims;
using DentalClinic.ServiceInterface.Data;
using Microsoft.AspNetCore.Http;

namespace DentalClinic.ServiceInterface.Audit;

/// <summary>Who is acting, for the audit log.</summary>
public sealed record AuditActor(Guid? UserId, string Role, string? RequestId, string? IpAddress)
{
    public static readonly AuditActor System = new(null, AuditActors.System, null, null);
}

/// <summary>
/// The actor of the current request (JWT claims <c>sub</c> and <c>role</c>, the request id and the
/// caller's IP); outside a request — start-up, background jobs — the system.
/// </summary>
public sealed class CurrentAuditActor(IHttpContextAccessor accessor)
{
    public AuditActor Get()
    {
        if (accessor.HttpContext is not { } http) return AuditActor.System;
        var user = http.User;
        var userId = Guid.TryParse(user.FindFirstValue("sub"), out var id) ? id : (Guid?)null;
        var role = userId is null ? AuditActors.Anonymous : user.FindFirstValue("role") ?? AuditActors.Anonymous;
        var ip = http.Connection.RemoteIpAddress is { } address
            ? (address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address).ToString()
            : null;
        return new AuditActor(userId, role, http.TraceIdentifier, ip);
    }
}
