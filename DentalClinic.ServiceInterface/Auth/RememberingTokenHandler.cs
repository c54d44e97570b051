using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace DentalClinic.ServiceInterface.Auth;

/// <summary>
/// The bearer tokens' validator: a <see cref="JsonWebTokenHandler"/> that remembers the tokens it found
/// valid, by their exact text, until they expire, so a client's next requests with the same token skip
/// parsing it and checking its signature again (about a tenth of the API's CPU on a cheap read).
/// Only the text that was validated is trusted (a changed byte is a different key); its lifetime is
/// checked on every use as the handler checks it; each request gets its own copy of the identity.
/// The session check that follows (logout, deactivation) still runs on every request.
/// </summary>
public sealed class RememberingTokenHandler : JsonWebTokenHandler
{
    /// <summary>Tokens remembered at most; all are forgotten when full.</summary>
    internal const int MaxEntries = 2_000;

    private readonly ConcurrentDictionary<string, Validated> valid = new(StringComparer.Ordinal);

    private sealed record Validated(ClaimsIdentity Identity, SecurityToken Token, string Issuer, string TokenType, DateTime Until);

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        if (valid.TryGetValue(token, out var known))
        {
            if (DateTime.UtcNow <= known.Until)
            {
                return new TokenValidationResult
                {
                    IsValid = true,
                    ClaimsIdentity = known.Identity.Clone(),
                    SecurityToken = known.Token,
                    Issuer = known.Issuer,
                    TokenType = known.TokenType,
                };
            }
            valid.TryRemove(token, out _);
        }

        var result = await base.ValidateTokenAsync(token, validationParameters);
        // A token without an expiry is never remembered (the parameters require one anyway).
        if (result.IsValid && result.SecurityToken.ValidTo != DateTime.MinValue)
        {
            if (valid.Count >= MaxEntries) valid.Clear();
            valid[token] = new Validated(result.ClaimsIdentity.Clone(), result.SecurityToken, result.Issuer, result.TokenType,
                result.SecurityToken.ValidTo + validationParameters.ClockSkew);
        }
        return result;
    }
}
