using System.Net;
using System.Net.Http.Json;
using DentalClinic.ServiceModel;
using DentalClinic.Tests.Reminders;
using DentalClinic.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace DentalClinic.Tests.Hardening;

/// <summary>Sessions: concurrent refreshes of one token, idle and absolute limits, login throttling per email and client.</summary>
public sealed class SessionHardeningTests(string provider) : ApiTest(provider)
{
    [Test]
    public async Task Eight_concurrent_refreshes_of_one_token_leave_one_consistent_state()
    {
        var (user, _) = await CreateUserAsync(Roles.Staff);
        for (var round = 0; round < 4; round++)
        {
            var login = await LoginAsync(user.Email, "Password-1234");
            var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
                Anonymous().PostAsJsonAsync("/api/auth/refresh", new RefreshSession(login.RefreshToken))));
            var winners = responses.Where(r => r.StatusCode == HttpStatusCode.OK).ToList();
            Assert.That(winners, Has.Count.EqualTo(1), string.Join(",", responses.Select(r => (int)r.StatusCode)));
            Assert.That(responses.Where(r => r.StatusCode != HttpStatusCode.OK).Select(r => r.StatusCode),
                Is.All.EqualTo(HttpStatusCode.Unauthorized), () => string.Join("\n", App.Logs.Entries.Where(e => e.Contains("Unhandled")).TakeLast(2)));
            var winner = await ReadAsync<LoginResponse>(winners[0]);

            // Seven re-uses of a rotated token end the session as a whole: the winner's refresh token
            // and its access token are both refused. Never one without the other.
            var refresh = await Anonymous().PostAsJsonAsync("/api/auth/refresh", new RefreshSession(winner.RefreshToken));
            var me = await WithToken(winner.AccessToken).GetAsync("/api/auth/me");
            Assert.That((refresh.StatusCode, me.StatusCode), Is.EqualTo((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized)),
                $"round {round}: refresh {(int)refresh.StatusCode}, access {(int)me.StatusCode}");
        }
    }

    // A refresh that rotates its token just as an admin ends the user's sessions (here: a role change) must
    // not leave the new refresh token alive: the sessions end whole. Many users at once, to meet the race.
    [Test]
    public async Task A_refresh_racing_the_end_of_the_users_sessions_never_outlives_it()
    {
        var admin = await As(Roles.Admin);
        var users = new List<UserDto>();
        for (var i = 0; i < 12; i++) users.Add((await CreateUserAsync(Roles.Staff)).User);
        for (var round = 0; round < 3; round++)
        {
            var logins = await Task.WhenAll(users.Select(u => LoginAsync(u.Email, "Password-1234")));
            var role = round % 2 == 0 ? Roles.Dentist : Roles.Staff;
            var races = users.Select(async (user, i) =>
            {
                var refresh = Anonymous().PostAsJsonAsync("/api/auth/refresh", new RefreshSession(logins[i].RefreshToken));
                var change = admin.PutAsJsonAsync($"/api/users/{user.Id}", new UpdateUser(null, role, null, null));
                await ReadAsync<UserDto>(await change);
                return await refresh;
            });
            foreach (var (response, i) in (await Task.WhenAll(races)).Select((r, i) => (r, i)))
            {
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
                    continue;
                }
                var issued = await ReadAsync<LoginResponse>(response);
                var again = await Anonymous().PostAsJsonAsync("/api/auth/refresh", new RefreshSession(issued.RefreshToken));
                Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), $"round {round}, user {i}: a refresh token outlived the end of the sessions");
            }
        }
    }

    // The same for a sign-in: one that read the user before the change and issued its tokens as the change
    // committed must not leave a refresh token alive. One that came after carries the new role and may.
    [Test]
    public async Task A_login_racing_the_end_of_the_users_sessions_never_outlives_it()
    {
        var admin = await As(Roles.Admin);
        var users = new List<UserDto>();
        for (var i = 0; i < 12; i++) users.Add((await CreateUserAsync(Roles.Staff)).User);
        for (var round = 0; round < 3; round++)
        {
            var (before, after) = round % 2 == 0 ? (Roles.Staff, Roles.Dentist) : (Roles.Dentist, Roles.Staff);
            var races = users.Select(async user =>
            {
                var login = Anonymous().PostAsJsonAsync("/api/auth/login", new Login(user.Email, "Password-1234"));
                var change = admin.PutAsJsonAsync($"/api/users/{user.Id}", new UpdateUser(null, after, null, null));
                await ReadAsync<UserDto>(await change);
                return await ReadAsync<LoginResponse>(await login);
            });
            foreach (var (session, i) in (await Task.WhenAll(races)).Select((r, i) => (r, i)))
            {
                var refresh = await Anonymous().PostAsJsonAsync("/api/auth/refresh", new RefreshSession(session.RefreshToken));
                if (session.User.Role == before)
                    Assert.That(refresh.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized),
                        $"round {round}, user {i}: a sign-in as {before} outlived the change to {after}");
                else
                    Assert.That((session.User.Role, refresh.StatusCode), Is.EqualTo((after, HttpStatusCode.OK)), $"round {round}, user {i}");
            }
        }
    }

    [Test]
    public async Task A_refresh_after_the_idle_limit_is_401()
    {
        var clock = new ManualClock(DateTime.UtcNow);
        await using var app = StartWithClock(clock);
        var login = await LoginAsync(app);

        clock.UtcNow += TimeSpan.FromHours(11);
        var refreshed = await ReadAsync<LoginResponse>(await Refresh(app, login.RefreshToken));
        clock.UtcNow += TimeSpan.FromHours(11);
        refreshed = await ReadAsync<LoginResponse>(await Refresh(app, refreshed.RefreshToken));

        // 12 h and a minute without a refresh: the session has ended.
        clock.UtcNow += TimeSpan.FromHours(12) + TimeSpan.FromMinutes(1);
        await AssertErrorAsync(await Refresh(app, refreshed.RefreshToken), HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
    }

    [Test]
    public async Task A_refresh_after_the_absolute_limit_is_401_however_active_the_session()
    {
        var clock = new ManualClock(DateTime.UtcNow);
        await using var app = StartWithClock(clock);
        var login = await LoginAsync(app);
        var token = login.RefreshToken;
        // Refreshed every 10 hours: never idle, but 30 days after the login the session ends.
        for (var elapsed = TimeSpan.Zero; elapsed + TimeSpan.FromHours(10) < TimeSpan.FromDays(30); elapsed += TimeSpan.FromHours(10))
        {
            clock.UtcNow += TimeSpan.FromHours(10);
            token = (await ReadAsync<LoginResponse>(await Refresh(app, token))).RefreshToken;
        }
        clock.UtcNow += TimeSpan.FromHours(10);
        await AssertErrorAsync(await Refresh(app, token), HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
    }

    [Test]
    public async Task The_limits_are_configurable()
    {
        var clock = new ManualClock(DateTime.UtcNow);
        await using var app = StartWithClock(clock, new Dictionary<string, string?>
        {
            ["Auth:SessionIdleTimeout"] = "00:10:00",
            ["Auth:SessionAbsoluteLifetime"] = "00:25:00",
        });
        var login = await LoginAsync(app);
        clock.UtcNow += TimeSpan.FromMinutes(9);
        var token = (await ReadAsync<LoginResponse>(await Refresh(app, login.RefreshToken))).RefreshToken;
        clock.UtcNow += TimeSpan.FromMinutes(11);
        await AssertErrorAsync(await Refresh(app, token), HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);

        login = await LoginAsync(app);
        token = login.RefreshToken;
        for (var i = 0; i < 2; i++)
        {
            clock.UtcNow += TimeSpan.FromMinutes(9);
            token = (await ReadAsync<LoginResponse>(await Refresh(app, token))).RefreshToken;
        }
        clock.UtcNow += TimeSpan.FromMinutes(9); // 27 minutes after the login
        await AssertErrorAsync(await Refresh(app, token), HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
    }

    [Test]
    public async Task Wrong_passwords_from_one_address_do_not_lock_the_account_for_another()
    {
        var (user, _) = await CreateUserAsync(Roles.Admin);
        var attacker = ClientAddress.From(App, "127.0.0.2");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 8; i++)
            statuses.Add((await attacker.PostAsJsonAsync("/api/auth/login", new Login(user.Email, $"Wrong-password-{i}"))).StatusCode);
        Assert.That(statuses.Take(5), Is.All.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(statuses.Skip(5), Is.All.EqualTo(HttpStatusCode.TooManyRequests));
        // The attacker's address stays locked even with the right password …
        Assert.That((await attacker.PostAsJsonAsync("/api/auth/login", new Login(user.Email, "Password-1234"))).StatusCode,
            Is.EqualTo(HttpStatusCode.TooManyRequests));
        // … while the account's owner, elsewhere, logs in.
        var owner = ClientAddress.From(App, "127.0.0.3");
        Assert.That((await owner.PostAsJsonAsync("/api/auth/login", new Login(user.Email, "Password-1234"))).StatusCode,
            Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task A_burst_of_simultaneous_guesses_cannot_slip_past_the_count()
    {
        var (user, _) = await CreateUserAsync(Roles.Staff);
        var client = ClientAddress.From(App, "127.0.0.4");
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            client.PostAsJsonAsync("/api/auth/login", new Login(user.Email, $"Wrong-password-{i}"))));
        var checkedPasswords = responses.Count(r => r.StatusCode == HttpStatusCode.Unauthorized);
        // Every attempt counts the others it sees, so at most five are checked; when all twenty are written
        // before any of them counts, none is (refusing a burst outright is the safe side).
        Assert.That(checkedPasswords, Is.InRange(0, 5), string.Join(",", responses.Select(r => (int)r.StatusCode)));
        Assert.That(responses.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests), Is.EqualTo(20 - checkedPasswords));
    }

    private ApiFactory StartWithClock(ManualClock clock, Dictionary<string, string?>? settings = null) =>
        ApiFactory.StartOwn(Provider, settings, services: s =>
        {
            s.RemoveAll<TimeProvider>();
            s.AddSingleton<TimeProvider>(clock);
        });

    private static async Task<LoginResponse> LoginAsync(ApiFactory app) =>
        await ReadAsync<LoginResponse>(await app.CreateClient().PostAsJsonAsync("/api/auth/login", new Login(ApiFactory.AdminEmail, ApiFactory.AdminPassword)));

    private static Task<HttpResponseMessage> Refresh(ApiFactory app, string token) =>
        app.CreateClient().PostAsJsonAsync("/api/auth/refresh", new RefreshSession(token));
}

/// <summary>The per-email ceiling: failures from many addresses together lock the email for everyone.</summary>
public sealed class LoginCeilingTests(string provider) : ApiTest(provider)
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Auth:MaxLoginFailures"] = "3",
        ["Auth:MaxLoginFailuresPerEmail"] = "7",
    };

    [Test]
    public async Task Failures_spread_over_many_addresses_reach_the_per_email_ceiling()
    {
        var (user, _) = await CreateUserAsync(Roles.Staff);
        async Task<HttpStatusCode> Try(string address, string password) =>
            (await ClientAddress.From(App, address).PostAsJsonAsync("/api/auth/login", new Login(user.Email, password))).StatusCode;

        for (var i = 0; i < 3; i++) Assert.That(await Try("127.0.0.5", "Wrong-password-1"), Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await Try("127.0.0.5", "Password-1234"), Is.EqualTo(HttpStatusCode.TooManyRequests));
        for (var i = 0; i < 3; i++) Assert.That(await Try("127.0.0.6", "Wrong-password-1"), Is.EqualTo(HttpStatusCode.Unauthorized));
        // Six failures in all: another address still gets in (and its success forgets only its own failures).
        Assert.That(await Try("127.0.0.7", "Password-1234"), Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await Try("127.0.0.8", "Wrong-password-1"), Is.EqualTo(HttpStatusCode.Unauthorized));
        // Seven: the email is locked for every address.
        Assert.That(await Try("127.0.0.9", "Password-1234"), Is.EqualTo(HttpStatusCode.TooManyRequests));
    }
}
