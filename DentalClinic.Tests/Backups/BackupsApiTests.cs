using System.Net;
using DentalClinic.ServiceInterface.Backups;
using DentalClinic.ServiceInterface.Files;
using DentalClinic.ServiceModel;
using DentalClinic.Tests.Support;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace DentalClinic.Tests.Backups;

/// <summary>POST and GET /api/admin/backups (admins only) and the retention count, on a database of their own.</summary>
public sealed class BackupsApiTests(string provider) : ApiTest(provider)
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Test:Database"] = "backups-api",
        ["Files:Local:Root"] = Path.Combine(TestDatabases.TempDirectory, $"files-backups-api-{Provider}"),
        ["Backups:RetentionCount"] = "3",
        ["Backups:Cron"] = "30 1 * * *",
        ["Jobs:PollInterval"] = "00:00:01",
    };

    private IFileStore Store => App.Services.GetRequiredService<IFileStore>();

    [Test]
    public async Task An_admin_creates_a_backup_and_lists_them_newest_first()
    {
        var admin = await As(Roles.Admin);
        var adminId = (await LoginAsync(ApiFactory.AdminEmail, ApiFactory.AdminPassword)).User.Id;
        var response = await admin.PostAsync("/api/admin/backups", null);
        var created = await ReadAsync<BackupDto>(response, HttpStatusCode.Created);
        Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"/api/admin/backups/{created.Id}"));
        Assert.That(created.Status, Is.EqualTo(BackupStatuses.Succeeded));
        Assert.That(created.Provider, Is.EqualTo(Provider));
        Assert.That(created.CreatedBy, Is.EqualTo(adminId));
        Assert.That(created.Error, Is.Null);
        Assert.That(created.CreatedAt, Is.EqualTo(DateTime.UtcNow).Within(TimeSpan.FromMinutes(2)));
        Assert.That(created.FileKey, Does.Match(@"^backups/\d{8}-\d{6}-" + created.Id + (Provider == TestDatabases.PostgreSql ? @"\.pgdump$" : @"\.sqlite$")));
        Assert.That(created.Sha256, Does.Match("^[0-9a-f]{64}$"));

        // The stored file is the one described: its size and checksum.
        using (var file = (await Store.GetAsync(created.FileKey!, default))!)
        {
            using var copy = new MemoryStream();
            await file.Content.CopyToAsync(copy);
            Assert.That(copy.Length, Is.EqualTo(created.Size));
            Assert.That(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(copy.ToArray())), Is.EqualTo(created.Sha256));
            Assert.That(copy.ToArray()[..5], Is.EqualTo(Provider == TestDatabases.PostgreSql ? "PGDMP"u8.ToArray() : "SQLit"u8.ToArray()));
        }

        var second = await ReadAsync<BackupDto>(await admin.PostAsync("/api/admin/backups", null), HttpStatusCode.Created);
        var list = (await ReadAsync<PagedResult<BackupDto>>(await admin.GetAsync("/api/admin/backups?limit=100"))).Data.ToList();
        Assert.That(list.Select(b => b.Id).Take(2), Is.EqualTo(new[] { second.Id, created.Id }));
        Assert.That(list.Select(b => b.CreatedAt), Is.Ordered.Descending);
        Assert.That(await ReadAsync<BackupDto>(await admin.GetAsync($"/api/admin/backups/{created.Id}")), Is.EqualTo(created));
        await AssertErrorAsync(await admin.GetAsync($"/api/admin/backups/{Guid.NewGuid()}"), HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }

    [Test]
    public async Task An_admin_downloads_a_backup_file_and_the_download_is_audited()
    {
        var admin = await As(Roles.Admin);
        var backup = await ReadAsync<BackupDto>(await admin.PostAsync("/api/admin/backups", null), HttpStatusCode.Created);

        using var response = await admin.GetAsync($"/api/admin/backups/{backup.Id}/file", HttpCompletionOption.ResponseHeadersRead);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/octet-stream"));
        Assert.That(response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName,
            Is.EqualTo(Path.GetFileName(backup.FileKey)));
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.That(bytes.LongLength, Is.EqualTo(backup.Size));
        Assert.That(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), Is.EqualTo(backup.Sha256));

        var audit = await ReadAsync<PagedResult<AuditEntryDto>>(await admin.GetAsync($"/api/admin/audit?table=backups&entityId={backup.Id}&limit=100"));
        Assert.That(audit.Data.Count(e => e.Action == "access"), Is.EqualTo(1), "one access entry for the download");

        await AssertErrorAsync(await admin.GetAsync($"/api/admin/backups/{Guid.NewGuid()}/file"), HttpStatusCode.NotFound, ErrorCodes.NotFound);
        foreach (var role in new[] { Roles.Staff, Roles.Dentist })
            await AssertErrorAsync(await (await As(role)).GetAsync($"/api/admin/backups/{backup.Id}/file"), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
    }

    [Test]
    public async Task The_list_is_cursor_paginated_newest_first()
    {
        var admin = await As(Roles.Admin);
        for (var i = 0; i < 3; i++) await ReadAsync<BackupDto>(await admin.PostAsync("/api/admin/backups", null), HttpStatusCode.Created);
        var all = (await ReadAsync<PagedResult<BackupDto>>(await admin.GetAsync("/api/admin/backups?limit=100"))).Data;

        var seen = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await ReadAsync<PagedResult<BackupDto>>(await admin.GetAsync("/api/admin/backups?limit=2" + (cursor is null ? "" : "&cursor=" + cursor)));
            Assert.That(page.Data, Has.Count.LessThanOrEqualTo(2));
            Assert.That(page.Pagination.Limit, Is.EqualTo(2));
            seen.AddRange(page.Data.Select(b => b.Id));
            cursor = page.Pagination.NextCursor;
            Assert.That(page.Pagination.HasMore, Is.EqualTo(cursor is not null));
        } while (cursor is not null);
        Assert.That(seen, Is.EqualTo(all.Select(b => b.Id)));
        Assert.That(all, Has.Count.GreaterThanOrEqualTo(3));
        await AssertErrorAsync(await admin.GetAsync("/api/admin/backups?cursor=tampered"), HttpStatusCode.BadRequest, ErrorCodes.BadRequest);
    }

    [TestCase(Roles.Staff)]
    [TestCase(Roles.Dentist)]
    public async Task Staff_and_dentists_are_refused(string role)
    {
        var client = await As(role);
        await AssertErrorAsync(await client.PostAsync("/api/admin/backups", null), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        await AssertErrorAsync(await client.GetAsync("/api/admin/backups"), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        await AssertErrorAsync(await Anonymous().GetAsync("/api/admin/backups"), HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
    }

    [Test]
    public async Task Retention_keeps_the_newest_backups_and_deletes_older_files_and_rows()
    {
        var admin = await As(Roles.Admin);
        // A file under backups/ that this service did not write is never touched.
        await Store.PutAsync("backups/readme.txt", "operator's note"u8.ToArray(), "text/plain", default);
        var made = new List<BackupDto>();
        for (var i = 0; i < 5; i++)
            made.Add(await ReadAsync<BackupDto>(await admin.PostAsync("/api/admin/backups", null), HttpStatusCode.Created));

        var newest = made.TakeLast(3).Select(b => b.Id).Reverse().ToList();
        var list = (await ReadAsync<PagedResult<BackupDto>>(await admin.GetAsync("/api/admin/backups?limit=100"))).Data.ToList();
        Assert.That(list.Where(b => b.Status == BackupStatuses.Succeeded).Select(b => b.Id), Is.EqualTo(newest));
        var files = (await Store.ListAsync(BackupService.Prefix, default)).Select(f => f.Key).ToList();
        Assert.That(files.Where(BackupService.IsBackupKey), Is.EquivalentTo(made.TakeLast(3).Select(b => b.FileKey)));
        Assert.That(files, Does.Contain("backups/readme.txt"));
        foreach (var old in made.Take(2))
        {
            Assert.That(await Store.ExistsAsync(old.FileKey!, default), Is.False);
            await AssertErrorAsync(await admin.GetAsync($"/api/admin/backups/{old.Id}"), HttpStatusCode.NotFound, ErrorCodes.NotFound);
        }
    }

    [Test]
    public async Task The_scheduled_backup_is_a_recurring_job_with_the_configured_cron_and_runs_as_the_system()
    {
        using var connection = App.Services.GetRequiredService<JobStorage>().GetConnection();
        var job = connection.GetRecurringJobs().Single(j => j.Id == BackupJob.RecurringJobId);
        Assert.That(job.Cron, Is.EqualTo("30 1 * * *"));

        // Triggered now, Hangfire runs it on its own worker: a backup by the system appears.
        var admin = await As(Roles.Admin);
        var before = ((await ReadAsync<PagedResult<BackupDto>>(await admin.GetAsync("/api/admin/backups?limit=100"))).Data.ToList()).Select(b => b.Id).ToHashSet();
        App.Services.GetRequiredService<IRecurringJobManager>().Trigger(BackupJob.RecurringJobId);
        BackupDto? scheduled = null;
        for (var i = 0; i < 120 && scheduled is null; i++)
        {
            await Task.Delay(500);
            scheduled = ((await ReadAsync<PagedResult<BackupDto>>(await admin.GetAsync("/api/admin/backups?limit=100"))).Data.ToList()).FirstOrDefault(b => !before.Contains(b.Id));
        }
        Assert.That(scheduled, Is.Not.Null, "the triggered backup job did not run within a minute");
        Assert.That((scheduled!.Status, scheduled.CreatedBy), Is.EqualTo((BackupStatuses.Succeeded, (Guid?)null)));
    }
}

/// <summary>A backup that fails is listed as failed with its reason, and the request is a 500 that reveals nothing.</summary>
public sealed class BackupFailureTests
{
    [Test]
    public async Task A_failing_pg_dump_is_recorded_as_a_failed_backup()
    {
        var app = ApiFactory.For(TestDatabases.PostgreSql, new Dictionary<string, string?>
        {
            ["Test:Database"] = "backup-failure",
            ["Backups:PgDumpPath"] = "/bin/false",
        });
        var login = await app.CreateClient().PostAsync("/api/auth/login", System.Net.Http.Json.JsonContent.Create(new Login(ApiFactory.AdminEmail, ApiFactory.AdminPassword)));
        var token = (await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<LoginResponse>(login.Content, ApiTest.Json))!.AccessToken;
        var admin = app.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);

        var response = await admin.PostAsync("/api/admin/backups", null);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Not.Contain("pg_dump"));

        var list = System.Text.Json.JsonSerializer.Deserialize<PagedResult<BackupDto>>(await admin.GetStringAsync("/api/admin/backups?limit=100"), ApiTest.Json)!.Data.ToList();
        var failed = list.First();
        Assert.That((failed.Status, failed.FileKey, failed.Sha256), Is.EqualTo((BackupStatuses.Failed, (string?)null, (string?)null)));
        Assert.That(failed.Error, Does.Contain("pg_dump failed (exit code 1)").Or.Contain("false failed (exit code 1)"));
    }

    [Test]
    public void A_configured_tool_that_does_not_exist_is_named_in_the_error()
    {
        var e = Assert.Throws<BackupException>(() => PostgresTools.Find("pg_dump", "/nowhere/pg_dump"));
        Assert.That(e!.Message, Does.Contain("/nowhere/pg_dump"));
        Assert.That(PostgresTools.Find("pg_restore", null), Does.EndWith("pg_restore"));
        var env = PostgresTools.ConnectionEnvironment("Host=db.example;Port=6543;Username=clinic;Password=s3cret;Database=dc;SSL Mode=Require");
        Assert.That(env, Is.SupersetOf(new Dictionary<string, string>
        {
            ["PGHOST"] = "db.example", ["PGPORT"] = "6543", ["PGUSER"] = "clinic", ["PGPASSWORD"] = "s3cret", ["PGDATABASE"] = "dc", ["PGSSLMODE"] = "require",
        }));
    }
}
