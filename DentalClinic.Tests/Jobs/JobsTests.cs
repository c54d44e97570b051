using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using DentalClinic.ServiceInterface.Auth;
using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceInterface.Jobs;
using DentalClinic.ServiceModel;
using DentalClinic.Tests.Support;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DentalClinic.Tests.Jobs;

public sealed partial class JobsTests(string provider) : ApiTest(provider)
{
    private const string Dashboard = "/admin/jobs";

    /// <summary>A browser: keeps cookies, sends no Authorization header by itself.</summary>
    private (HttpClient Client, CookieContainer Cookies) Browser()
    {
        var cookies = new CookieContainer();
        var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, UseCookies = true, AllowAutoRedirect = false })
        {
            BaseAddress = Anonymous().BaseAddress,
        };
        return (client, cookies);
    }

    /// <summary>Signs the browser in to the dashboard with a bearer token, as the admin UI does once.</summary>
    private static async Task<HttpResponseMessage> StartSessionAsync(HttpClient browser, string accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/admin/jobs/session");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return await browser.SendAsync(request);
    }

    [Test]
    public async Task An_anonymous_browser_is_refused()
    {
        var (browser, _) = Browser();
        var response = await browser.GetAsync(Dashboard);
        await AssertErrorAsync(response, HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
        Assert.That((await browser.GetAsync(Dashboard + "/recurring")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        await AssertErrorAsync(await Anonymous().PostAsync("/api/admin/jobs/session", null), HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);

        // A cookie that is not a dashboard session — even a valid access token — opens nothing.
        var admin = await LoginAsync(ApiFactory.AdminEmail, ApiFactory.AdminPassword);
        var (forged, cookies) = Browser();
        cookies.Add(forged.BaseAddress!, new Cookie(JobsDashboardAccess.CookieName, admin.AccessToken, Dashboard));
        Assert.That((await forged.GetAsync(Dashboard)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        cookies.Add(forged.BaseAddress!, new Cookie(JobsDashboardAccess.CookieName, "garbage", Dashboard));
        Assert.That((await forged.GetAsync(Dashboard)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [TestCase(Roles.Staff)]
    [TestCase(Roles.Dentist)]
    public async Task A_non_admin_token_is_refused(string role)
    {
        var client = await As(role);
        await AssertErrorAsync(await client.GetAsync(Dashboard), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        await AssertErrorAsync(await client.PostAsync("/api/admin/jobs/session", null), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
    }

    [Test]
    public async Task An_admin_bearer_token_opens_the_dashboard()
    {
        var response = await (await As(Roles.Admin)).GetAsync(Dashboard);
        var html = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), html);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/html"));
        Assert.That(html, Does.Contain("DentalClinic jobs"));
        Assert.That(response.Headers.GetValues("Content-Security-Policy").Single(), Does.StartWith("default-src 'self'"));

        var recurring = await (await As(Roles.Admin)).GetAsync(Dashboard + "/recurring");
        Assert.That(await recurring.Content.ReadAsStringAsync(), Does.Contain(PurgeExpiredTokensJob.RecurringJobId));
    }

    [Test]
    public async Task An_admin_browser_session_uses_a_strict_http_only_cookie_scoped_to_the_dashboard()
    {
        var admin = await LoginAsync(ApiFactory.AdminEmail, ApiFactory.AdminPassword);
        var (browser, cookies) = Browser();
        var response = await StartSessionAsync(browser, admin.AccessToken);
        var session = await ReadAsync<JobsDashboardSession>(response);
        Assert.That(session.DashboardUrl, Is.EqualTo(Dashboard));
        Assert.That(session.ExpiresAt, Is.GreaterThan(DateTime.UtcNow).And.LessThanOrEqualTo(DateTime.UtcNow.AddMinutes(31)));

        var setCookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(JobsDashboardAccess.CookieName + "="));
        Assert.That(setCookie, Does.Contain("httponly").IgnoreCase.And.Contain("samesite=strict").IgnoreCase
            .And.Contain("path=/admin/jobs").IgnoreCase);
        Assert.That(cookies.GetCookies(new Uri(browser.BaseAddress!, "/api/auth/me")), Is.Empty, "the cookie goes to the dashboard only");

        var page = await browser.GetAsync(Dashboard);
        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK), await page.Content.ReadAsStringAsync());
        Assert.That((await browser.GetAsync(Dashboard + "/jobs/succeeded")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task Dashboard_writes_need_the_anti_forgery_token()
    {
        var admin = await LoginAsync(ApiFactory.AdminEmail, ApiFactory.AdminPassword);
        var (browser, _) = Browser();
        await StartSessionAsync(browser, admin.AccessToken);
        var trigger = () => new FormUrlEncodedContent([new("jobs[]", PurgeExpiredTokensJob.RecurringJobId)]);

        var forged = await browser.PostAsync(Dashboard + "/recurring/trigger", trigger());
        Assert.That(forged.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));

        var html = await (await browser.GetAsync(Dashboard + "/recurring")).Content.ReadAsStringAsync();
        var header = CsrfHeader().Match(html).Groups[1].Value;
        var token = CsrfToken().Match(html).Groups[1].Value;
        Assert.That((header, token), Is.Not.EqualTo(("", "")), html);
        using var request = new HttpRequestMessage(HttpMethod.Post, Dashboard + "/recurring/trigger") { Content = trigger() };
        request.Headers.Add(header, token);
        var accepted = await browser.SendAsync(request);
        Assert.That((int)accepted.StatusCode, Is.InRange(200, 299), await accepted.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task The_session_ends_with_the_admin_login_or_role()
    {
        var (second, login) = await CreateUserAsync(Roles.Admin);
        var (browser, _) = Browser();
        await StartSessionAsync(browser, login.AccessToken);
        Assert.That((await browser.GetAsync(Dashboard)).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        // Demoted: the very next request is refused, though the cookie has not expired.
        var admin = await As(Roles.Admin);
        Assert.That((await admin.PutAsJsonAsync($"/api/users/{second.Id}", new UpdateUser(null, Roles.Staff, null, null))).StatusCode,
            Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await browser.GetAsync(Dashboard)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));

        // Logged out: likewise.
        var (_, other) = await CreateUserAsync(Roles.Admin);
        var (otherBrowser, _) = Browser();
        await StartSessionAsync(otherBrowser, other.AccessToken);
        Assert.That((await otherBrowser.GetAsync(Dashboard)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await WithToken(other.AccessToken).PostAsync("/api/auth/logout", null)).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await otherBrowser.GetAsync(Dashboard)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    /// <summary>A refresh-token row of its own family, issued 30 days before it expires.</summary>
    private static RefreshToken RefreshTokenOf(Guid userId, DateTime expires) => new()
    {
        UserId = userId, FamilyId = Guid.NewGuid(), TokenHash = Guid.NewGuid().ToString("N"), CreatedAt = expires.AddDays(-30), ExpiresAt = expires,
    };

    [Test]
    public async Task Ending_sessions_leaves_the_purge_its_rows()
    {
        var (user, _) = await CreateUserAsync(Roles.Staff);
        var now = DateTime.UtcNow;
        RefreshToken Refresh(DateTime expires) => RefreshTokenOf(user.Id, expires);
        RefreshToken[] longExpired = [Refresh(now.AddDays(-30)), Refresh(now.AddDays(-20))];
        var live = Refresh(now.AddDays(10));
        using var scope = App.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.RefreshTokens.AddRange([.. longExpired, live]);
        await db.SaveChangesAsync();

        // An admin ends the user's sessions (a new password, a deactivation); the transaction holds the rows it revoked.
        await using (var tx = await db.Database.BeginTransactionAsync())
        {
            var row = await db.Users.SingleAsync(u => u.Id == user.Id);
            await Sessions.EndAllAsync(db, row, now, TimeSpan.FromHours(24), CancellationToken.None);
            await db.SaveChangesAsync();
            if (Provider == TestDatabases.PostgreSql)
            {
                // Meanwhile the daily purge deletes long-expired rows. Had the revocation locked them too, the purge
                // would wait for it here (and, locking them in another order, could deadlock with it).
                using var purgeScope = App.Services.CreateScope();
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                await purgeScope.ServiceProvider.GetRequiredService<PurgeExpiredTokensJob>().RunAsync(timeout.Token);
            }
            await tx.CommitAsync();
        }

        db.ChangeTracker.Clear();
        var left = await db.RefreshTokens.Where(t => t.UserId == user.Id).ToDictionaryAsync(t => t.Id, t => t.FamilyRevoked);
        Assert.That(left[live.Id], Is.True, "the live session is revoked");
        if (Provider == TestDatabases.PostgreSql)
            Assert.That(left.Keys.Intersect(longExpired.Select(t => t.Id)), Is.Empty, "the purge deleted the long-expired rows");
        else
            Assert.That(longExpired.Select(t => left[t.Id]), Is.All.False, "rows the purge may be deleting are left alone");
    }

    [Test]
    public async Task The_purge_job_removes_only_expired_token_rows()
    {
        var (user, _) = await CreateUserAsync(Roles.Staff);
        var now = DateTime.UtcNow;
        RefreshToken Refresh(DateTime expires) => RefreshTokenOf(user.Id, expires);
        var longExpired = Refresh(now.AddDays(-30));
        var recentlyExpired = Refresh(now.AddDays(-1));
        var live = Refresh(now.AddDays(10));
        var expiredJti = new RevokedAccessToken { Jti = Guid.NewGuid().ToString("N"), ExpiresAt = now.AddHours(-1) };
        var liveJti = new RevokedAccessToken { Jti = Guid.NewGuid().ToString("N"), ExpiresAt = now.AddHours(1) };

        using var scope = App.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.RefreshTokens.AddRange(longExpired, recentlyExpired, live);
        db.RevokedAccessTokens.AddRange(expiredJti, liveJti);
        await db.SaveChangesAsync();

        // Counts are not asserted: another test may run the same job on this database at the same time.
        await scope.ServiceProvider.GetRequiredService<PurgeExpiredTokensJob>().RunAsync(CancellationToken.None);

        db.ChangeTracker.Clear();
        var refreshLeft = await db.RefreshTokens.Where(t => t.UserId == user.Id).Select(t => t.Id).ToListAsync();
        Assert.That(refreshLeft, Does.Not.Contain(longExpired.Id).And.Contain(recentlyExpired.Id).And.Contain(live.Id));
        var jtisLeft = await db.RevokedAccessTokens.Where(r => r.Jti == expiredJti.Jti || r.Jti == liveJti.Jti).Select(r => r.Jti).ToListAsync();
        Assert.That(jtisLeft, Is.EqualTo(new[] { liveJti.Jti }));
    }

    [Test]
    public void The_purge_job_is_registered_daily_in_this_applications_storage()
    {
        var storage = App.Services.GetRequiredService<JobStorage>();
        using var connection = storage.GetConnection();
        var job = connection.GetRecurringJobs().Single(j => j.Id == PurgeExpiredTokensJob.RecurringJobId);
        Assert.That(job.Cron, Is.EqualTo(Cron.Daily(3)));
        Assert.That(job.Job.Type, Is.EqualTo(typeof(PurgeExpiredTokensJob)));
        Assert.That(storage.GetType().Name, Is.EqualTo(Provider == TestDatabases.PostgreSql ? "PostgreSqlStorage" : "SQLiteStorage"));
    }

    [GeneratedRegex("<meta name=\"csrf-header\" content=\"([^\"]+)\"")]
    private static partial Regex CsrfHeader();

    [GeneratedRegex("<meta name=\"csrf-token\" content=\"([^\"]+)\"")]
    private static partial Regex CsrfToken();
}

/// <summary>On an application whose workers look for work every second: a job really runs through Hangfire.</summary>
public sealed class JobServerTests(string provider) : ApiTest(provider)
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Jobs:PollInterval"] = "00:00:01" };

    [Test]
    public async Task An_enqueued_job_runs_on_the_applications_job_server()
    {
        var jobId = App.Services.GetRequiredService<IBackgroundJobClient>()
            .Enqueue<PurgeExpiredTokensJob>(job => job.RunAsync(CancellationToken.None));
        var storage = App.Services.GetRequiredService<JobStorage>();
        string? state = null;
        for (var i = 0; i < 100 && state != "Succeeded"; i++)
        {
            await Task.Delay(200);
            using var connection = storage.GetConnection();
            state = connection.GetStateData(jobId)?.Name;
        }
        Assert.That(state, Is.EqualTo("Succeeded"));
    }
}

/// <summary>The embedded default's job storage keeps scheduled work across a restart.</summary>
public sealed class SqliteJobStorageTests
{
    [Test]
    public void A_scheduled_job_survives_a_restart_of_the_sqlite_storage()
    {
        var path = Path.Combine(TestDatabases.TempDirectory, $"restart-{Guid.NewGuid():N}-hangfire.db");
        string jobId;
        using (var before = new Hangfire.Storage.SQLite.SQLiteStorage(path, new Hangfire.Storage.SQLite.SQLiteStorageOptions()))
            jobId = new BackgroundJobClient(before).Schedule<PurgeExpiredTokensJob>(job => job.RunAsync(CancellationToken.None), TimeSpan.FromHours(1));

        using var after = new Hangfire.Storage.SQLite.SQLiteStorage(path, new Hangfire.Storage.SQLite.SQLiteStorageOptions());
        using var connection = after.GetConnection();
        Assert.That(connection.GetStateData(jobId)?.Name, Is.EqualTo("Scheduled"));
        Assert.That(connection.GetJobData(jobId)?.Job.Type, Is.EqualTo(typeof(PurgeExpiredTokensJob)));
    }
}

/// <summary>Jobs:Enabled=false: this instance runs no job server, while the storage and the dashboard stay.</summary>
public sealed class DisabledJobsTests(string provider) : ApiTest(provider)
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Jobs:Enabled"] = "false" };

    [Test]
    public async Task No_job_server_runs_but_the_dashboard_answers_admins()
    {
        var hosted = App.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>();
        Assert.That(hosted.Select(h => h.GetType().Name), Does.Not.Contain("BackgroundJobServerHostedService"));
        using (var connection = App.Services.GetRequiredService<JobStorage>().GetConnection())
            Assert.That(connection.GetRecurringJobs().Select(j => j.Id), Does.Not.Contain(PurgeExpiredTokensJob.RecurringJobId));
        Assert.That((await (await As(Roles.Admin)).GetAsync("/admin/jobs")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }
}
