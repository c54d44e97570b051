using System.Security.Claims;
using System.Text;
using DentalClinic.ServiceInterface.Auth;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace DentalClinic.Tests.Foundation;

public sealed class RememberingTokenHandlerTests
{
    private static readonly SymmetricSecurityKey Key = new(Encoding.UTF8.GetBytes("remembering-handler-test-key-0123456789-0123456789"));

    private static readonly TokenValidationParameters Parameters = new()
    {
        ValidIssuer = "DentalClinic",
        ValidAudience = "DentalClinic",
        IssuerSigningKey = Key,
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        RequireExpirationTime = true,
        ClockSkew = TimeSpan.Zero,
        NameClaimType = "sub",
        RoleClaimType = "role",
    };

    private static string Mint(DateTime expires) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = "DentalClinic",
        Audience = "DentalClinic",
        NotBefore = DateTime.UtcNow.AddMinutes(-1),
        IssuedAt = DateTime.UtcNow.AddMinutes(-1),
        Expires = expires,
        Subject = new ClaimsIdentity([new Claim("sub", "user-1"), new Claim("role", "staff")]),
        SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.HmacSha256),
    });

    [Test]
    public async Task A_token_found_valid_is_accepted_again_and_each_request_gets_its_own_identity()
    {
        var handler = new RememberingTokenHandler { MapInboundClaims = false };
        var token = Mint(DateTime.UtcNow.AddHours(1));

        var first = await handler.ValidateTokenAsync(token, Parameters);
        var second = await handler.ValidateTokenAsync(token, Parameters);
        Assert.That(first.IsValid && second.IsValid, Is.True, first.Exception?.Message);
        Assert.That(second.ClaimsIdentity.FindFirst("sub")?.Value, Is.EqualTo("user-1"));
        Assert.That(new ClaimsPrincipal(second.ClaimsIdentity).IsInRole("staff"), Is.True, "the role claim type is kept");
        Assert.That(second.SecurityToken.ValidTo, Is.EqualTo(first.SecurityToken.ValidTo));

        // A claim one request adds never reaches the next one.
        second.ClaimsIdentity.AddClaim(new Claim("role", "admin"));
        var third = await handler.ValidateTokenAsync(token, Parameters);
        Assert.That(third.ClaimsIdentity, Is.Not.SameAs(second.ClaimsIdentity));
        Assert.That(new ClaimsPrincipal(third.ClaimsIdentity).IsInRole("admin"), Is.False);
    }

    [Test]
    public async Task A_remembered_token_is_refused_once_it_expires()
    {
        var handler = new RememberingTokenHandler { MapInboundClaims = false };
        var token = Mint(DateTime.UtcNow.AddSeconds(2));
        var result = await handler.ValidateTokenAsync(token, Parameters);
        Assert.That(result.IsValid, Is.True, result.Exception?.Message);

        while (DateTime.UtcNow <= result.SecurityToken.ValidTo) await Task.Delay(100);
        Assert.That((await handler.ValidateTokenAsync(token, Parameters)).IsValid, Is.False);
    }

    [Test]
    public async Task A_token_that_differs_by_one_character_is_checked_afresh()
    {
        var handler = new RememberingTokenHandler { MapInboundClaims = false };
        var token = Mint(DateTime.UtcNow.AddHours(1));
        Assert.That((await handler.ValidateTokenAsync(token, Parameters)).IsValid, Is.True);

        // A character inside the signature (the last one may carry only padding bits).
        var at = token.Length - 5;
        var changed = token[..at] + (token[at] == 'A' ? 'B' : 'A') + token[(at + 1)..];
        Assert.That((await handler.ValidateTokenAsync(changed, Parameters)).IsValid, Is.False);
    }
}
