using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using DentalClinic.ServiceModel;
using DentalClinic.Tests.Support;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace DentalClinic.Tests.Foundation;

public sealed class AuthTests(string provider) : ApiTest(provider)
{
    [Test]
    public async Task Login_me_refresh_rotation_reuse_and_logout()
    {
        var (user, login) = await CreateUserAsync(Roles.Dentist);
        Assert.That(login.TokenType, Is.EqualTo("Bearer"));
        Assert.That(login.ExpiresIn, Is.EqualTo(24 * 3600));
        Assert.That(login.User.Email, Is.EqualTo(user.Email));

        var me = await ReadAsync<UserSummary>(await WithToken(login.AccessToken).GetAsync("/api/auth/me"));
        Assert.That(me, Is.EqualTo(new UserSummary(user.Id, user.Email, user.Name, Roles.Dentist)));

        var refreshed = await ReadAsync<LoginResponse>(await Anonymous().PostAsJsonAsync("/api/auth/refresh", new RefreshSession(login.RefreshToken)));
        Assert.That(refreshed.RefreshToken, Is.Not.EqualTo(login.RefreshToken));
        Assert.That((await WithToken(refreshed.AccessToken).GetAsync("/api/auth/me")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        // The rotated token is dead, and using it again ends the whole session.
        await AssertErrorAsync(await Anonymous().PostAsJsonAsync("/api/auth/refresh", new RefreshSession(login.RefreshToken)),
            HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
        await AssertErrorAsync(await Anonymous().PostAsJsonAsync("/api/auth/refresh", new RefreshSession(refreshed.RefreshToken)),
            HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
        await AssertErrorAsync(await WithToken(refreshed.AccessToken).GetAsync("/api/auth/me"), HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);

        // A new session: logout kills its access token at once, and its refresh token.
        var second = await LoginAsync(user.Email, "Password-1234");
        var client = WithToken(second.AccessToken);
        Assert.That((await client.GetAsync("/api/auth/me")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await client.PostAsJsonAsync("/api/auth/logout", new Logout(second.RefreshToken))).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await AssertErrorAsync(await client.GetAsync("/api/auth/me"), HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
        await AssertErrorAsync(await Anonymous().PostAsJsonAsync("/api/auth/refresh", new RefreshSession(second.RefreshToken)),
            HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
    }

    [Test]
    public async Task Logout_without_body_still_revokes_the_access_token()
    {
        var (_, login) = await CreateUserAsync(Roles.Staff);
        var client = WithToken(login.AccessToken);
        Assert.That((await client.PostAsync("/api/auth/logout", null)).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await AssertErrorAsync(await client.GetAsync("/api/auth/me"), HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
    }

    [Test]
    public async Task Unknown_email_and_wrong_password_get_the_same_401()
    {
        var (user, _) = await CreateUserAsync(Roles.Staff);
        var wrongPassword = await Anonymous().PostAsJsonAsync("/api/auth/login", new Login(user.Email, "Wrong-password-1"));
        var unknownEmail = await Anonymous().PostAsJsonAsync("/api/auth/login", new Login($"nobody-{Guid.NewGuid():N}@clinic.test", "Wrong-password-1"));
        var a = await AssertErrorAsync(wrongPassword, HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
        var b = await AssertErrorAsync(unknownEmail, HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
        Assert.That((a.Code, a.Message, a.Details.Count), Is.EqualTo((b.Code, b.Message, b.Details.Count)));
    }

    [Test]
    public async Task Email_is_case_insensitive_at_login()
    {
        var (user, _) = await CreateUserAsync(Roles.Staff);
        var login = await LoginAsync("  " + user.Email.ToUpperInvariant(), "Password-1234");
        Assert.That(login.User.Id, Is.EqualTo(user.Id));
    }

    [Test]
    public async Task Login_requires_email_and_password()
    {
        var response = await Anonymous().PostAsJsonAsync("/api/auth/login", new { });
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "email", "password");
    }

    [Test]
    public async Task Twenty_rapid_wrong_logins_meet_429_with_retry_after()
    {
        var (user, _) = await CreateUserAsync(Roles.Staff);
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 20; i++)
        {
            var response = await Anonymous().PostAsJsonAsync("/api/auth/login", new Login(user.Email, $"Wrong-password-{i}"));
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests) limited ??= response;
        }
        Assert.That(statuses.Take(5), Is.All.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(limited, Is.Not.Null, string.Join(",", statuses));
        Assert.That(limited!.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero));
        await AssertErrorAsync(limited, HttpStatusCode.TooManyRequests, ErrorCodes.RateLimited);
        // Locked even with the right password until the back-off ends.
        var right = await Anonymous().PostAsJsonAsync("/api/auth/login", new Login(user.Email, "Password-1234"));
        Assert.That(right.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
    }

    [Test]
    public async Task Forged_and_unusable_tokens_are_401_in_the_envelope()
    {
        var (user, login) = await CreateUserAsync(Roles.Staff);
        var valid = new JsonWebToken(login.AccessToken);
        var claims = valid.Claims.Where(c => c.Type is not ("exp" or "nbf" or "iat" or "aud" or "iss")).ToList();

        string Mint(string key, string audience = "DentalClinic", DateTime? expires = null, DateTime? issued = null) =>
            new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
            {
                Issuer = "DentalClinic",
                Audience = audience,
                IssuedAt = issued ?? DateTime.UtcNow,
                NotBefore = issued ?? DateTime.UtcNow,
                Expires = expires ?? DateTime.UtcNow.AddHours(1),
                Subject = new ClaimsIdentity(claims),
                SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
            });

        // The test mints a valid token the same way, so the failures below are each due to one defect.
        Assert.That((await WithToken(Mint(ApiFactory.SigningKey)).GetAsync("/api/auth/me")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var parts = login.AccessToken.Split('.');
        var tamperedPayload = Base64UrlEncoder.Encode(Base64UrlEncoder.Decode(parts[1]).Replace("\"staff\"", "\"admin\""));
        var algNone = Base64UrlEncoder.Encode("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + ".";

        var forged = new Dictionary<string, string>
        {
            ["expired"] = Mint(ApiFactory.SigningKey, expires: DateTime.UtcNow.AddHours(-1), issued: DateTime.UtcNow.AddHours(-2)),
            ["tampered"] = $"{parts[0]}.{tamperedPayload}.{parts[2]}",
            ["alg none"] = algNone,
            ["wrong key"] = Mint("another-signing-key-0123456789-0123456789-0123"),
            ["wrong audience"] = Mint(ApiFactory.SigningKey, audience: "SomeoneElse"),
            ["refresh token"] = login.RefreshToken,
            ["garbage"] = "not-a-token",
        };
        foreach (var (name, token) in forged)
        {
            var response = await WithToken(token).GetAsync("/api/auth/me");
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), name);
            await AssertErrorAsync(response, HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
        }
        Assert.That(user.Role, Is.EqualTo(Roles.Staff));
    }

    [Test]
    public async Task No_token_is_401_and_a_wrong_role_is_403()
    {
        await AssertErrorAsync(await Anonymous().GetAsync("/api/auth/me"), HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
        await AssertErrorAsync(await (await As(Roles.Staff)).GetAsync("/api/users"), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
    }

    [Test]
    public async Task Refresh_with_an_unknown_token_is_401()
    {
        var response = await Anonymous().PostAsJsonAsync("/api/auth/refresh", new RefreshSession("unknown-token"));
        await AssertErrorAsync(response, HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
    }
}
