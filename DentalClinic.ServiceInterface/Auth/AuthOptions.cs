namespace DentalClinic.ServiceInterface.Auth;

/// <summary>Configuration section "Jwt".</summary>
public sealed class JwtOptions
{
    public string Issuer { get; set; } = "DentalClinic";
    public string Audience { get; set; } = "DentalClinic";
    /// <summary>HMAC-SHA256 key, at least 32 bytes. Only Development has a default.</summary>
    public string SigningKey { get; set; } = "";
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(24);
    /// <summary>Obsolete: a refresh token now lives until the session's idle or absolute limit (Auth:SessionIdleTimeout, Auth:SessionAbsoluteLifetime).</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(30);
    /// <summary>Tolerated clock difference when checking a token's lifetime.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>Configuration section "Auth".</summary>
public sealed class AuthOptions
{
    /// <summary>bcrypt cost; each +1 doubles the time of a login.</summary>
    public int BcryptWorkFactor { get; set; } = 11;
    /// <summary>Failed logins for one email from one client (IP address), within <see cref="LoginFailureWindow"/>, before that pair is locked out.</summary>
    public int MaxLoginFailures { get; set; } = 5;
    /// <summary>Failed logins for one email from all clients together before the email is locked out for everyone.</summary>
    public int MaxLoginFailuresPerEmail { get; set; } = 50;
    /// <summary>How long a failed login counts.</summary>
    public TimeSpan LoginFailureWindow { get; set; } = TimeSpan.FromHours(1);
    /// <summary>A session whose refresh token has not been used for this long has ended (refresh → 401).</summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromHours(12);
    /// <summary>A session ends this long after its login, however active (refresh → 401).</summary>
    public TimeSpan SessionAbsoluteLifetime { get; set; } = TimeSpan.FromDays(30);
    /// <summary>How long a valid session check is remembered (see SessionCache); 0 asks the database on every request.</summary>
    public TimeSpan SessionCacheTtl { get; set; } = TimeSpan.FromSeconds(5);
}
