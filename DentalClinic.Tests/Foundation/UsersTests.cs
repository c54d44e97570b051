using System.Net;
using System.Net.Http.Json;
using DentalClinic.ServiceModel;
using DentalClinic.Tests.Support;

namespace DentalClinic.Tests.Foundation;

public sealed class UsersTests(string provider) : ApiTest(provider)
{
    [TestCase(Roles.Staff)]
    [TestCase(Roles.Dentist)]
    public async Task Only_admins_manage_users(string role)
    {
        var client = await As(role);
        await AssertErrorAsync(await client.GetAsync("/api/users"), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        await AssertErrorAsync(await client.PostAsJsonAsync("/api/users", new CreateUser("X", "x@clinic.test", Roles.Admin, "Password-1234")),
            HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        await AssertErrorAsync(await client.DeleteAsync($"/api/users/{Guid.NewGuid()}"), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
    }

    [Test]
    public async Task Admin_creates_a_user_with_location_and_reads_it_back()
    {
        var admin = await As(Roles.Admin);
        var email = $"New.User-{Guid.NewGuid():N}@Clinic.Test";
        var response = await admin.PostAsJsonAsync("/api/users", new
        {
            name = "Dr. New", email, role = Roles.Dentist, password = "Password-1234",
            id = Guid.Empty, createdAt = "2000-01-01T00:00:00Z", active = false, unknownField = 1,
        });
        var created = await ReadAsync<UserDto>(response, HttpStatusCode.Created);
        Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"/api/users/{created.Id}"));
        Assert.That(created.Id, Is.Not.EqualTo(Guid.Empty));
        Assert.That(created.CreatedAt, Is.GreaterThan(DateTime.UtcNow.AddMinutes(-5)));
        Assert.That(created.Email, Is.EqualTo(email.ToLowerInvariant()));
        Assert.That(created.Active, Is.True);

        var read = await ReadAsync<UserDto>(await admin.GetAsync($"/api/users/{created.Id}"));
        Assert.That(read, Is.EqualTo(created));
    }

    [Test]
    public async Task Duplicate_email_is_409_regardless_of_case()
    {
        var (user, _) = await CreateUserAsync(Roles.Staff);
        var response = await (await As(Roles.Admin)).PostAsJsonAsync("/api/users",
            new CreateUser("Twin", user.Email.ToUpperInvariant(), Roles.Staff, "Password-1234"));
        await AssertErrorAsync(response, HttpStatusCode.Conflict, ErrorCodes.Conflict, "email");
    }

    [Test]
    public async Task Every_invalid_field_is_reported()
    {
        var response = await (await As(Roles.Admin)).PostAsJsonAsync("/api/users", new CreateUser("", "not-an-email", "owner", "short"));
        var error = await AssertErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "name", "email", "role", "password");
        Assert.That(error.Message, Is.EqualTo("Invalid input data"));
    }

    [TestCase("abcdefghijkl")]
    [TestCase("123456789012")]
    [TestCase("Short-1")]
    public async Task Weak_passwords_are_refused(string password)
    {
        var response = await (await As(Roles.Admin)).PostAsJsonAsync("/api/users",
            new CreateUser("Weak", $"weak-{Guid.NewGuid():N}@clinic.test", Roles.Staff, password));
        await AssertErrorAsync(response, HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "password");
    }

    [Test]
    public async Task Unknown_and_malformed_ids_are_404()
    {
        var admin = await As(Roles.Admin);
        await AssertErrorAsync(await admin.GetAsync($"/api/users/{Guid.NewGuid()}"), HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await AssertErrorAsync(await admin.GetAsync("/api/users/not-a-uuid"), HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await AssertErrorAsync(await admin.PutAsJsonAsync($"/api/users/{Guid.NewGuid()}", new UpdateUser("X", null, null, null)),
            HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }

    [Test]
    public async Task Users_are_paged_by_cursor_without_gaps()
    {
        var admin = await As(Roles.Admin);
        for (var i = 0; i < 3; i++) await CreateUserAsync(Roles.Staff);
        // Taken first: users created by other tests while this one pages may legitimately be missed.
        var before = await ReadAsync<PagedResult<UserDto>>(await admin.GetAsync("/api/users?limit=100"));
        var seen = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await ReadAsync<PagedResult<UserDto>>(await admin.GetAsync("/api/users?limit=2" + (cursor is null ? "" : "&cursor=" + cursor)));
            Assert.That(page.Data, Has.Count.LessThanOrEqualTo(2));
            Assert.That(page.Pagination.Limit, Is.EqualTo(2));
            Assert.That(page.Pagination.HasMore, Is.EqualTo(page.Pagination.NextCursor is not null));
            seen.AddRange(page.Data.Select(u => u.Id));
            cursor = page.Pagination.NextCursor;
        } while (cursor is not null);

        Assert.That(seen, Is.Unique);
        Assert.That(seen, Is.SupersetOf(before.Data.Select(u => u.Id)));
    }

    [Test]
    public async Task A_tampered_cursor_is_400()
    {
        var admin = await As(Roles.Admin);
        await CreateUserAsync(Roles.Staff);
        await CreateUserAsync(Roles.Staff);
        var page = await ReadAsync<PagedResult<UserDto>>(await admin.GetAsync("/api/users?limit=1"));
        var cursor = page.Pagination.NextCursor!;
        var tampered = (cursor[0] == 'A' ? 'B' : 'A') + cursor[1..];
        await AssertErrorAsync(await admin.GetAsync("/api/users?cursor=" + tampered), HttpStatusCode.BadRequest, ErrorCodes.BadRequest);
        await AssertErrorAsync(await admin.GetAsync("/api/users?cursor=%%%"), HttpStatusCode.BadRequest, ErrorCodes.BadRequest);
        await AssertErrorAsync(await admin.GetAsync("/api/users?limit=0"), HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "limit");
    }

    [Test]
    public async Task Deactivation_and_password_change_end_every_token()
    {
        var admin = await As(Roles.Admin);
        var (user, login) = await CreateUserAsync(Roles.Staff);
        var (other, otherLogin) = await CreateUserAsync(Roles.Staff);

        var changed = await admin.PutAsJsonAsync($"/api/users/{user.Id}", new UpdateUser(null, null, "New-password-99", null));
        Assert.That(changed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await AssertErrorAsync(await WithToken(login.AccessToken).GetAsync("/api/auth/me"), HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
        await AssertErrorAsync(await Anonymous().PostAsJsonAsync("/api/auth/refresh", new RefreshSession(login.RefreshToken)),
            HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
        await LoginAsync(user.Email, "New-password-99");

        Assert.That((await admin.DeleteAsync($"/api/users/{other.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await AssertErrorAsync(await WithToken(otherLogin.AccessToken).GetAsync("/api/auth/me"), HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
        await AssertErrorAsync(await Anonymous().PostAsJsonAsync("/api/auth/login", new Login(other.Email, "Password-1234")),
            HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
        var deactivated = await ReadAsync<UserDto>(await admin.GetAsync($"/api/users/{other.Id}"));
        Assert.That(deactivated.Active, Is.False);
    }

    [Test]
    public async Task Role_change_applies_to_the_next_login()
    {
        var admin = await As(Roles.Admin);
        var (user, _) = await CreateUserAsync(Roles.Staff);
        var updated = await ReadAsync<UserDto>(await admin.PutAsJsonAsync($"/api/users/{user.Id}", new UpdateUser("Renamed", Roles.Dentist, null, null)));
        Assert.That((updated.Name, updated.Role), Is.EqualTo(("Renamed", Roles.Dentist)));
        var login = await LoginAsync(user.Email, "Password-1234");
        Assert.That(login.User.Role, Is.EqualTo(Roles.Dentist));
    }
}

/// <summary>On a database of its own, so that the bootstrap admin is the only admin.</summary>
public sealed class LastAdminTests(string provider) : ApiTest(provider)
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Test:Database"] = "last-admin" };

    [Test]
    public async Task The_last_active_admin_cannot_be_demoted_or_deactivated()
    {
        var admin = await As(Roles.Admin);
        var me = await ReadAsync<UserSummary>(await admin.GetAsync("/api/auth/me"));

        await AssertErrorAsync(await admin.PutAsJsonAsync($"/api/users/{me.Id}", new UpdateUser(null, Roles.Staff, null, null)),
            HttpStatusCode.Conflict, ErrorCodes.Conflict, "role");
        await AssertErrorAsync(await admin.DeleteAsync($"/api/users/{me.Id}"), HttpStatusCode.Conflict, ErrorCodes.Conflict);

        var (second, secondLogin) = await CreateUserAsync(Roles.Admin);
        Assert.That((await admin.PutAsJsonAsync($"/api/users/{me.Id}", new UpdateUser(null, Roles.Dentist, null, null))).StatusCode,
            Is.EqualTo(HttpStatusCode.OK));
        var secondAdmin = WithToken(secondLogin.AccessToken);
        await AssertErrorAsync(await secondAdmin.DeleteAsync($"/api/users/{second.Id}"), HttpStatusCode.Conflict, ErrorCodes.Conflict);
        await AssertErrorAsync(await secondAdmin.PutAsJsonAsync($"/api/users/{second.Id}", new UpdateUser(null, null, null, false)),
            HttpStatusCode.Conflict, ErrorCodes.Conflict);

        // Restore the bootstrap admin so the fixture leaves its database as it found it.
        Assert.That((await secondAdmin.PutAsJsonAsync($"/api/users/{me.Id}", new UpdateUser(null, Roles.Admin, null, null))).StatusCode,
            Is.EqualTo(HttpStatusCode.OK));
    }
}
