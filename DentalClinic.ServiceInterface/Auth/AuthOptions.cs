namespace DentalClinic.ServiceInterface.Auth;

/// <summary>Configuration section "Jwt".</summary>
public sealed class JwtOptions
{
    public string Issuer { get; set; } = "DentalClinic";
    public string Audience { get; set; } = "DentalClinic";
    /// <summary>HMAC-SHA256 key, at least 32 bytes. Only Development has a default.</summary>
    public string SigningKey { get; set; } = "";
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(24);
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(30);
    /// <summary>Tolerated clock difference when checking a token's lifetime.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Configuration section "Auth".</summary>
public sealed class AuthOptions
{
    /// <summary>bcrypt cost; each +1 doubles the time of a login.</summary>
    public int BcryptWorkFactor { get; set; } = 11;
    /// <summary>Failed logins for one email within <see cref="LoginFailureWindow"/> before it is throttled.</summary>
    public int MaxLoginFailures { get; set; } = 5;
    public TimeSpan LoginFailureWindow { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>How long a valid session check is remembered (see SessionCache); 0 asks the database on every request.</summary>
    public TimeSpan SessionCacheTtl { get; set; } = TimeSpan.FromSeconds(5);
}
