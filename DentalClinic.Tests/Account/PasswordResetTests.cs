using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceModel;
using DentalClinic.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DentalClinic.Tests.Account;

/// <summary>Forgot password → an e-mailed, single-use, 30-minute link (through the real SMTP sink) → a new password.</summary>
public sealed partial class PasswordResetTests(string provider) : ApiTest(provider)
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Email:From"] = "clinic@clinic.test",
        ["Email:Smtp:Host"] = "127.0.0.1",
        ["Email:Smtp:Port"] = SmtpSink.Port.ToString(),
        ["Email:Smtp:Security"] = "None",
        ["Frontend:BaseUrl"] = "https://app.clinic.test",
        ["Auth:SessionCacheTtl"] = "00:00:00",
    };

    private static async Task<string> LinkTokenAsync(string email, int count = 1)
    {
        var messages = await SmtpSink.WaitForAsync(email, count);
        Assert.That(messages, Has.Count.EqualTo(count));
        var match = LinkPattern().Match(messages[^1].Data.Replace("=\r\n", ""));
        Assert.That(match.Success, Is.True, messages[^1].Data);
        return match.Groups["token"].Value;
    }

    [Test]
    public async Task A_forgotten_password_is_reset_through_an_emailed_single_use_link()
    {
        var (user, session) = await CreateUserAsync(Roles.Staff);
        var known = await Anonymous().PostAsJsonAsync("/api/auth/forgot-password", new ForgotPassword(user.Email.ToUpperInvariant()));
        var unknown = await Anonymous().PostAsJsonAsync("/api/auth/forgot-password", new ForgotPassword($"nobody-{Guid.NewGuid():N}@clinic.test"));
        Assert.That(known.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(await known.Content.ReadAsStringAsync(), Is.EqualTo(await unknown.Content.ReadAsStringAsync()), "the same answer either way");
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));

        var token = await LinkTokenAsync(user.Email);
        var stored = await WithDbAsync(db => db.Set<PasswordResetToken>().Where(t => t.UserId == user.Id).Select(t => new { t.TokenHash, t.ExpiresAt, t.CreatedAt }).SingleAsync());
        Assert.That(stored.TokenHash, Is.Not.EqualTo(token).And.Length.EqualTo(64), "only a hash is kept");
        Assert.That(stored.ExpiresAt - stored.CreatedAt, Is.EqualTo(TimeSpan.FromMinutes(30)));

        var reset = await Anonymous().PostAsJsonAsync("/api/auth/reset-password", new ResetPassword(token, "Chosen-again-42"));
        Assert.That(reset.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), await reset.Content.ReadAsStringAsync());
        await LoginAsync(user.Email, "Chosen-again-42");
        await AssertErrorAsync(await WithToken(session.AccessToken).GetAsync("/api/auth/me"), HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);

        // Single use.
        await AssertErrorAsync(await Anonymous().PostAsJsonAsync("/api/auth/reset-password", new ResetPassword(token, "Another-one-43")),
            HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "token");
    }

    [Test]
    public async Task Expired_unknown_and_weak_resets_are_refused()
    {
        var (user, _) = await CreateUserAsync(Roles.Dentist);
        await Anonymous().PostAsJsonAsync("/api/auth/forgot-password", new ForgotPassword(user.Email));
        var token = await LinkTokenAsync(user.Email);

        await AssertErrorAsync(await Anonymous().PostAsJsonAsync("/api/auth/reset-password", new ResetPassword(token, "weak")),
            HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "newPassword");
        await AssertErrorAsync(await Anonymous().PostAsJsonAsync("/api/auth/reset-password", new ResetPassword("not-a-token", "Chosen-again-42")),
            HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "token");

        await WithDbAsync(async db =>
        {
            foreach (var t in await db.Set<PasswordResetToken>().Where(t => t.UserId == user.Id).ToListAsync()) t.ExpiresAt = DateTime.UtcNow.AddMinutes(-1);
            await db.SaveChangesAsync();
            return 0;
        });
        await AssertErrorAsync(await Anonymous().PostAsJsonAsync("/api/auth/reset-password", new ResetPassword(token, "Chosen-again-42")),
            HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "token");
        await LoginAsync(user.Email, "Password-1234");
    }

    [Test]
    public async Task Requests_are_throttled_per_user_and_admins_can_send_a_link()
    {
        var (user, _) = await CreateUserAsync(Roles.Staff);
        for (var i = 0; i < 5; i++)
            Assert.That((await Anonymous().PostAsJsonAsync("/api/auth/forgot-password", new ForgotPassword(user.Email))).StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        var count = await WithDbAsync(db => db.Set<PasswordResetToken>().CountAsync(t => t.UserId == user.Id));
        Assert.That(count, Is.EqualTo(3), "at most 3 links an hour");
        await SmtpSink.WaitForAsync(user.Email, 3);

        var sent = await (await As(Roles.Admin)).PostAsync($"/api/users/{user.Id}/password-reset", null);
        Assert.That(sent.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await sent.Content.ReadAsStringAsync());
        var token = await LinkTokenAsync(user.Email, 4);
        Assert.That((await Anonymous().PostAsJsonAsync("/api/auth/reset-password", new ResetPassword(token, "Chosen-again-42"))).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        await AssertErrorAsync(await (await As(Roles.Dentist)).PostAsync($"/api/users/{user.Id}/password-reset", null), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        await AssertErrorAsync(await (await As(Roles.Admin)).PostAsync($"/api/users/{Guid.NewGuid()}/password-reset", null), HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }

    [Test]
    public async Task A_reset_racing_an_admins_change_of_the_same_user_never_deadlocks()
    {
        // Both end the user's sessions (refresh-token rows) and save the user (audited: the chain's lock). The reset
        // took the rows first and deadlocked with the admin's change on PostgreSQL when the chain's lock was taken at
        // the save; it is taken at the commit now, after every row lock.
        var admin = await As(Roles.Admin);
        for (var round = 0; round < 4; round++)
        {
            var users = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => CreateUserAsync(Roles.Staff)));
            var tokens = new List<string>();
            foreach (var (user, _) in users)
            {
                Assert.That((await Anonymous().PostAsJsonAsync("/api/auth/forgot-password", new ForgotPassword(user.Email))).StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
                tokens.Add(await LinkTokenAsync(user.Email));
            }
            var responses = await Task.WhenAll(users.Select(async (u, i) =>
            {
                var pair = await Task.WhenAll(
                    Anonymous().PostAsJsonAsync("/api/auth/reset-password", new ResetPassword(tokens[i], "Chosen-again-42")),
                    admin.PutAsJsonAsync($"/api/users/{u.User.Id}", new UpdateUser(null, null, "Admin-chosen-secret-7", null)));
                return (Reset: pair[0], Admin: pair[1]);
            }));
            foreach (var (reset, byAdmin) in responses)
            {
                Assert.That(reset.StatusCode, Is.EqualTo(HttpStatusCode.NoContent), $"round {round}: {await reset.Content.ReadAsStringAsync()}");
                Assert.That(byAdmin.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"round {round}: {await byAdmin.Content.ReadAsStringAsync()}");
            }
        }
    }

    private async Task<T> WithDbAsync<T>(Func<AppDbContext, Task<T>> work)
    {
        await using var scope = App.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    [GeneratedRegex(@"https://app\.clinic\.test/reset-password\?token=(?<token>[A-Za-z0-9_-]{43})")]
    private static partial Regex LinkPattern();
}
