using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using DentalClinic.ServiceInterface.Auth;
using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceModel;
using Hangfire.Dashboard;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace DentalClinic.ServiceInterface.Jobs;

/// <summary>
/// Who may open the Hangfire dashboard at <see cref="DashboardPath"/>: an active admin, shown
/// either by a bearer token in the Authorization header (tools) or — for browsers, which do not
/// send bearer headers — by a short-lived session cookie that POST /api/admin/jobs/session sets
/// for an admin's bearer token. The cookie is HttpOnly, SameSite=Strict, scoped to the dashboard,
/// and carries a JWT signed with a key of its own (so it is never usable as a bearer token). It
/// belongs to the admin's login session: logout, deactivation, a password or role change end it.
/// Dashboard writes are also checked against ASP.NET Core's anti-forgery token by Hangfire.
/// </summary>
public sealed class JobsDashboardAccess(AppDbContext db, AuthService auth, IOptions<JwtOptions> options, TimeProvider clock)
{
    public const string DashboardPath = "/admin/jobs";
    public const string CookieName = "dc_jobs_session";
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromMinutes(30);

    private const string Audience = "DentalClinic.JobsDashboard";
    private static readonly string[] CopiedClaims =
        [JwtRegisteredClaimNames.Sub, JwtRegisteredClaimNames.Jti, "role", TokenService.SecurityStampClaim, TokenService.FamilyClaim];

    private readonly JwtOptions jwt = options.Value;

    /// <summary>Sets the dashboard cookie for the admin of this (bearer-authenticated) request.</summary>
    public JobsDashboardSession StartSession(HttpContext http)
    {
        var principal = http.User;
        var now = clock.GetUtcNow().UtcDateTime;
        var expires = now + SessionLifetime;
        // Never outlive the access token it was exchanged for.
        if (long.TryParse(principal.FindFirstValue(JwtRegisteredClaimNames.Exp), out var exp) &&
            DateTimeOffset.FromUnixTimeSeconds(exp).UtcDateTime is var tokenExpiry && tokenExpiry < expires)
            expires = tokenExpiry;

        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = jwt.Issuer,
            Audience = Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = expires,
            SigningCredentials = new SigningCredentials(CookieKey(), SecurityAlgorithms.HmacSha256),
            Subject = new ClaimsIdentity(principal.Claims.Where(c => CopiedClaims.Contains(c.Type)).Select(c => new Claim(c.Type, c.Value))),
        });
        http.Response.Cookies.Append(CookieName, token, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = http.Request.IsHttps,
            Path = DashboardPath,
            Expires = expires,
            IsEssential = true,
        });
        return new JobsDashboardSession(DashboardPath, expires);
    }

    /// <summary>True when the request comes from an active admin, by bearer token or dashboard cookie.</summary>
    public async Task<bool> IsAllowedAsync(HttpContext http)
    {
        var principal = http.User.Identity?.IsAuthenticated == true
            ? http.User
            : await ReadCookieAsync(http.Request.Cookies[CookieName]);
        if (principal is null || !Guid.TryParse(principal.FindFirstValue(JwtRegisteredClaimNames.Sub), out var userId)) return false;
        var ct = http.RequestAborted;
        // Re-checked on every request: the session is alive and the user is still an active admin.
        return await auth.IsSessionValidAsync(principal, ct) &&
               await db.Users.AnyAsync(u => u.Id == userId && u.IsActive && u.Role == Roles.Admin, ct);
    }

    private async Task<ClaimsPrincipal?> ReadCookieAsync(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 4096) return null;
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = jwt.Issuer,
            ValidAudience = Audience,
            IssuerSigningKey = CookieKey(),
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            ClockSkew = TimeSpan.FromSeconds(30),
        });
        return result.IsValid ? new ClaimsPrincipal(result.ClaimsIdentity) : null;
    }

    /// <summary>A key derived from the JWT signing key for this one purpose.</summary>
    private SymmetricSecurityKey CookieKey() =>
        new(HMACSHA256.HashData(Encoding.UTF8.GetBytes(jwt.SigningKey), "jobs-dashboard-session"u8));
}

/// <summary>Hangfire's dashboard asks this filter on every request, pages and resources alike.</summary>
public sealed class JobsDashboardAuthorizationFilter : IDashboardAsyncAuthorizationFilter
{
    public Task<bool> AuthorizeAsync(DashboardContext context)
    {
        var http = context.GetHttpContext();
        return http.RequestServices.GetRequiredService<JobsDashboardAccess>().IsAllowedAsync(http);
    }
}
