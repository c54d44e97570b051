using System.Net;
using System.Net.Http.Json;
using DentalClinic.ServiceModel;
using DentalClinic.Tests.Support;

namespace DentalClinic.Tests.Account;

/// <summary>PUT /api/auth/me/password: every role changes its own password; their other sessions end, this one goes on.</summary>
public sealed class ChangePasswordTests(string provider) : ApiTest(provider)
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Auth:SessionCacheTtl"] = "00:00:00" };

    [TestCase(Roles.Staff)]
    [TestCase(Roles.Dentist)]
    [TestCase(Roles.Admin)]
    public async Task A_user_changes_their_own_password_and_their_other_sessions_end(string role)
    {
        var (user, first) = role == Roles.Admin
            ? await CreateAdminAsync()
            : await CreateUserAsync(role);
        var other = await LoginAsync(user.Email, "Password-1234");

        var response = await WithToken(first.AccessToken).PutAsJsonAsync("/api/auth/me/password",
            new ChangePassword("Password-1234", "Brand-new-secret-9"));
        var fresh = await ReadAsync<LoginResponse>(response);
        Assert.That(fresh.User.Id, Is.EqualTo(user.Id));

        // This device goes on with the new tokens; every other session has ended.
        Assert.That((await WithToken(fresh.AccessToken).GetAsync("/api/auth/me")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await AssertErrorAsync(await WithToken(other.AccessToken).GetAsync("/api/auth/me"), HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
        await AssertErrorAsync(await WithToken(first.AccessToken).GetAsync("/api/auth/me"), HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
        await AssertErrorAsync(await Anonymous().PostAsJsonAsync("/api/auth/refresh", new RefreshSession(other.RefreshToken)),
            HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
        Assert.That((await Anonymous().PostAsJsonAsync("/api/auth/refresh", new RefreshSession(fresh.RefreshToken))).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        // Only the new password signs in.
        await AssertErrorAsync(await Anonymous().PostAsJsonAsync("/api/auth/login", new Login(user.Email, "Password-1234")),
            HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
        await LoginAsync(user.Email, "Brand-new-secret-9");
    }

    [Test]
    public async Task A_wrong_current_password_or_a_weak_new_one_changes_nothing()
    {
        var (user, login) = await CreateUserAsync(Roles.Staff);
        var client = WithToken(login.AccessToken);
        await AssertErrorAsync(await client.PutAsJsonAsync("/api/auth/me/password", new ChangePassword("Wrong-password-1", "Brand-new-secret-9")),
            HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "currentPassword");
        await AssertErrorAsync(await client.PutAsJsonAsync("/api/auth/me/password", new ChangePassword("Password-1234", "short")),
            HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "newPassword");
        await AssertErrorAsync(await client.PutAsJsonAsync("/api/auth/me/password", new ChangePassword("Password-1234", "Password-1234")),
            HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "newPassword");
        await AssertErrorAsync(await client.PutAsJsonAsync("/api/auth/me/password", new { }),
            HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "currentPassword", "newPassword");
        await AssertErrorAsync(await Anonymous().PutAsJsonAsync("/api/auth/me/password", new ChangePassword("Password-1234", "Brand-new-secret-9")),
            HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);

        Assert.That((await client.GetAsync("/api/auth/me")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "the session goes on");
        await LoginAsync(user.Email, "Password-1234");
    }

    [Test]
    public async Task Changing_ones_password_while_an_admin_changes_it_never_deadlocks()
    {
        // Both end every session of the user (its refresh-token rows) and save the user (audited: the audit chain's
        // lock). On PostgreSQL the change of one's own password took the token rows first and the chain's lock at
        // its save, the admin's change the other way round: a deadlock. The chain's lock is taken at the commit now.
        var admin = await As(Roles.Admin);
        for (var round = 0; round < 8; round++)
        {
            var users = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => CreateUserAsync(Roles.Staff)));
            var responses = await Task.WhenAll(users.Select(async u =>
            {
                var pair = await Task.WhenAll(
                    WithToken(u.Login.AccessToken).PutAsJsonAsync("/api/auth/me/password", new ChangePassword("Password-1234", "Brand-new-secret-9")),
                    admin.PutAsJsonAsync($"/api/users/{u.User.Id}", new UpdateUser(null, null, "Admin-chosen-secret-7", null)));
                return (Own: pair[0], Admin: pair[1]);
            }));
            foreach (var (own, byAdmin) in responses)
            {
                // The admin's change first: the user's token or current password no longer holds (401 or 400).
                Assert.That((int)own.StatusCode, Is.AnyOf(200, 400, 401), $"round {round}: {await own.Content.ReadAsStringAsync()}");
                Assert.That((int)byAdmin.StatusCode, Is.EqualTo(200), $"round {round}: {await byAdmin.Content.ReadAsStringAsync()}");
            }
        }
    }

    private async Task<(UserDto User, LoginResponse Login)> CreateAdminAsync()
    {
        var email = $"admin-{Guid.NewGuid():N}@clinic.test";
        var response = await (await As(Roles.Admin)).PostAsJsonAsync("/api/users", new CreateUser("Second admin", email, Roles.Admin, "Password-1234"));
        var user = await ReadAsync<UserDto>(response, HttpStatusCode.Created);
        return (user, await LoginAsync(email, "Password-1234"));
    }
}
