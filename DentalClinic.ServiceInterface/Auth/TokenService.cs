using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using DentalClinic.ServiceInterface.Data;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace DentalClinic.ServiceInterface.Auth;

/// <summary>Mints access JWTs and opaque refresh tokens.</summary>
public sealed class TokenService(IOptions<JwtOptions> options, IOptions<AuthOptions> auth, TimeProvider clock)
{
    public const string SecurityStampClaim = "sst";
    public const string FamilyClaim = "fam";

    private readonly JwtOptions jwt = options.Value;
    private readonly JsonWebTokenHandler handler = new();

    public static SymmetricSecurityKey SigningKey(string key) => new(Encoding.UTF8.GetBytes(key));

    public int AccessTokenSeconds => (int)jwt.AccessTokenLifetime.TotalSeconds;
    public TimeSpan AccessTokenLifetime => jwt.AccessTokenLifetime;

    public string CreateAccessToken(User user, Guid familyId)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = jwt.Issuer,
            Audience = jwt.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + jwt.AccessTokenLifetime,
            SigningCredentials = new SigningCredentials(SigningKey(jwt.SigningKey), SecurityAlgorithms.HmacSha256),
            Subject = new ClaimsIdentity(
            [
                new Claim(JwtRegisteredClaimNames.Sub, user.Id.ToString()),
                new Claim(JwtRegisteredClaimNames.Jti, Guid.NewGuid().ToString("N")),
                new Claim(JwtRegisteredClaimNames.Email, user.Email),
                new Claim("name", user.Name),
                new Claim("role", user.Role),
                new Claim(SecurityStampClaim, user.SecurityStamp.ToString("N")),
                new Claim(FamilyClaim, familyId.ToString("N")),
            ]),
        });
    }

    /// <summary>A refresh token of a session begun at <paramref name="sessionStartedAt"/>: it expires at the session's idle or absolute limit, whichever comes first.</summary>
    public (string Token, RefreshToken Row) CreateRefreshToken(Guid userId, Guid familyId, DateTime sessionStartedAt)
    {
        var token = WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        var now = clock.GetUtcNow().UtcDateTime;
        var idleEnd = now + auth.Value.SessionIdleTimeout;
        var absoluteEnd = sessionStartedAt + auth.Value.SessionAbsoluteLifetime;
        return (token, new RefreshToken
        {
            UserId = userId,
            FamilyId = familyId,
            TokenHash = Hash(token),
            CreatedAt = now,
            SessionStartedAt = sessionStartedAt,
            ExpiresAt = idleEnd < absoluteEnd ? idleEnd : absoluteEnd,
        });
    }

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
