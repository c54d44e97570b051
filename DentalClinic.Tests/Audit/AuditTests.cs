using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using DentalClinic.ServiceInterface.Audit;
using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceInterface.Patients;
using DentalClinic.ServiceModel;
using DentalClinic.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DentalClinic.Tests.Audit;

public sealed class AuditTests(string provider) : ApiTest(provider)
{
    private async Task<(List<AuditEntryDto> Entries, string Body)> AuditAsync(string query)
    {
        var response = await (await As(Roles.Admin)).GetAsync("/api/admin/audit?limit=100&" + query);
        var body = await response.Content.ReadAsStringAsync();
        var page = await ReadAsync<PagedResult<AuditEntryDto>>(response);
        return (page.Data.ToList(), body);
    }

    private static string? Value(JsonElement? image, string column) =>
        image is { } i && i.TryGetProperty(column, out var v) ? v.ToString() : null;

    private static Patient NewPatient() => new()
    {
        FirstName = "Ada",
        LastName = "Audit",
        MobileNumber = "+1 555 0100",
        MobileE164 = "+1555" + Random.Shared.Next(1_000_000, 9_999_999),
    };

    [Test]
    public async Task A_users_life_is_read_back_with_before_after_values_and_actor()
    {
        var admin = await As(Roles.Admin);
        var adminId = (await ReadAsync<UserSummary>(await admin.GetAsync("/api/auth/me"))).Id;
        var (user, _) = await CreateUserAsync(Roles.Staff);

        var roleChange = await admin.PutAsJsonAsync($"/api/users/{user.Id}", new UpdateUser(null, Roles.Dentist, null, null));
        Assert.That(roleChange.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var roleChangeRequestId = roleChange.Headers.GetValues("X-Request-Id").Single();
        Assert.That((await admin.PutAsJsonAsync($"/api/users/{user.Id}", new UpdateUser(null, null, "Another-password-1", null))).StatusCode,
            Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await admin.DeleteAsync($"/api/users/{user.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));

        var (entries, body) = await AuditAsync($"table=users&entityId={user.Id}");
        Assert.That(entries.Select(e => e.Action), Is.EqualTo(new[] { "update", "update", "update", "create" }), "newest first");
        Assert.That(entries, Has.All.Matches<AuditEntryDto>(e =>
            e.Table == "users" && e.EntityId == user.Id.ToString() && e.UserId == adminId && e.UserRole == Roles.Admin &&
            !string.IsNullOrEmpty(e.RequestId) && e.IpAddress == "127.0.0.1"));
        Assert.That(entries.Select(e => e.OccurredAt), Is.Ordered.Descending);

        var (deactivate, password, role, create) = (entries[0], entries[1], entries[2], entries[3]);
        Assert.That(create.Before, Is.Null);
        Assert.That((Value(create.After, "email"), Value(create.After, "role"), Value(create.After, "is_active")),
            Is.EqualTo((user.Email, Roles.Staff, "True")));

        Assert.That((Value(role.Before, "role"), Value(role.After, "role")), Is.EqualTo((Roles.Staff, Roles.Dentist)));
        Assert.That(role.Columns, Does.Contain("role").And.Contain("updated_at"));
        Assert.That(role.RequestId, Is.EqualTo(roleChangeRequestId));

        Assert.That(password.Columns, Does.Contain("password"), "a password change is visible, its value is not");
        Assert.That((Value(deactivate.Before, "is_active"), Value(deactivate.After, "is_active")), Is.EqualTo(("True", "False")));
        Assert.That(Value(deactivate.Before, "name"), Is.EqualTo(user.Name));

        // No secret anywhere in what the audit endpoint returns.
        using var scope = App.Services.CreateScope();
        var hash = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Users
            .Where(u => u.Id == user.Id).Select(u => u.PasswordHash).SingleAsync();
        Assert.That(body, Does.Not.Contain(hash).And.Not.Contain("$2a$").And.Not.Contain("$2b$"));
        foreach (var image in entries.SelectMany(e => new[] { e.Before, e.After }).OfType<JsonElement>())
        {
            Assert.That(image.TryGetProperty("password", out _), Is.False);
            Assert.That(image.TryGetProperty("security_stamp", out _), Is.False);
        }
    }

    [Test]
    public async Task A_patient_row_written_through_the_context_is_audited_with_the_system_actor()
    {
        var patient = NewPatient();
        using (var scope = App.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.Patients.Add(patient);
            await db.SaveChangesAsync();
            patient.LastName = "Audited";
            patient.ArchivedAt = DateTime.UtcNow;
            await db.SaveChangesAsync();
            db.Patients.Remove(patient);
            await db.SaveChangesAsync();
        }

        var (entries, _) = await AuditAsync($"table=patients&entityId={patient.Id.ToString().ToUpperInvariant()}");
        Assert.That(entries.Select(e => e.Action), Is.EqualTo(new[] { "delete", "update", "create" }));
        Assert.That(entries, Has.All.Matches<AuditEntryDto>(e =>
            e.UserId == null && e.UserRole == AuditActors.System && e.RequestId == null && e.IpAddress == null));
        var (delete, update, create) = (entries[0], entries[1], entries[2]);
        Assert.That((Value(create.After, "first_name"), Value(create.After, "mobile_e164")), Is.EqualTo(("Ada", patient.MobileE164)));
        Assert.That((Value(update.Before, "last_name"), Value(update.After, "last_name")), Is.EqualTo(("Audit", "Audited")));
        Assert.That(update.Columns, Is.EquivalentTo(new[] { "last_name", "search_text", "archived_at", "updated_at" }));
        Assert.That(Value(update.Before, "archived_at"), Is.Empty);
        Assert.That((Value(delete.Before, "last_name"), delete.After), Is.EqualTo(("Audited", (JsonElement?)null)));
    }

    [Test]
    public async Task An_update_of_an_unloaded_row_records_its_true_before_image()
    {
        var patient = NewPatient();
        using (var scope = App.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.Patients.Add(patient);
            await db.SaveChangesAsync();
        }
        using (var scope = App.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.Patients.Update(new Patient
            {
                Id = patient.Id, FirstName = "Grace", LastName = patient.LastName, MobileNumber = patient.MobileNumber,
                MobileE164 = patient.MobileE164, CreatedAt = patient.CreatedAt,
            });
            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();
            db.Patients.Remove(new Patient { Id = patient.Id, FirstName = "", LastName = "", MobileNumber = "", MobileE164 = "" });
            await db.SaveChangesAsync();
        }

        var (entries, _) = await AuditAsync($"table=patients&entityId={patient.Id}");
        Assert.That(entries.Select(e => e.Action), Is.EqualTo(new[] { "delete", "update", "create" }));
        Assert.That((Value(entries[1].Before, "first_name"), Value(entries[1].After, "first_name")), Is.EqualTo(("Ada", "Grace")));
        Assert.That(entries[1].Columns, Does.Contain("first_name").And.Not.Contain("last_name"));
        Assert.That(Value(entries[0].Before, "first_name"), Is.EqualTo("Grace"), "a delete by key records the row as it was");
    }

    [Test]
    public async Task Synchronous_saves_are_audited_too()
    {
        var patient = NewPatient();
        // The application saves asynchronously, and its PostgreSQL connections are multiplexed, which refuses
        // synchronous I/O: a context of the test's own, with the application's interceptors, saves synchronously.
        var services = App.Services;
        using (var db = TestDatabases.Context(Provider, services.GetRequiredService<IConfiguration>().GetConnectionString("Default")!,
                   services.GetRequiredService<TimestampInterceptor>(), services.GetRequiredService<PatientSearchInterceptor>(),
                   services.GetRequiredService<AuditInterceptor>()))
        {
            db.Patients.Add(patient);
            db.SaveChanges();
            patient.FirstName = "Sync";
            db.SaveChanges();
            db.Patients.Remove(patient);
            db.SaveChanges();
        }
        var (entries, _) = await AuditAsync($"table=patients&entityId={patient.Id}");
        Assert.That(entries.Select(e => e.Action), Is.EqualTo(new[] { "delete", "update", "create" }));
        Assert.That((Value(entries[1].Before, "first_name"), Value(entries[1].After, "first_name")), Is.EqualTo(("Ada", "Sync")));
    }

    [Test]
    public async Task A_failed_write_rolls_back_its_audit_rows_too()
    {
        var existing = NewPatient();
        var ok = NewPatient();
        var duplicate = NewPatient();
        duplicate.MobileE164 = existing.MobileE164;
        var later = NewPatient();
        using (var scope = App.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.Patients.Add(existing);
            await db.SaveChangesAsync();

            // One unit of work: a valid row and one that breaks the unique index. Nothing of it stays.
            db.Patients.AddRange(ok, duplicate);
            Assert.That(async () => await db.SaveChangesAsync(), Throws.InstanceOf<DbUpdateException>());
            db.Patients.Remove(ok);
            db.Entry(duplicate).State = EntityState.Detached;

            // The context goes on; the failed attempt leaves no phantom audit row behind.
            db.Patients.Add(later);
            await db.SaveChangesAsync();

            // An explicit transaction that is rolled back takes its audit rows with it.
            var rolledBack = NewPatient();
            await using (var tx = await db.Database.BeginTransactionAsync())
            {
                db.Patients.Add(rolledBack);
                await db.SaveChangesAsync();
                await tx.RollbackAsync();
            }
            db.ChangeTracker.Clear();
            Assert.That(await db.Patients.AnyAsync(p => p.Id == rolledBack.Id), Is.False);
            Assert.That(await db.Set<AuditEntry>().AnyAsync(a => a.EntityId == rolledBack.Id.ToString()), Is.False);
        }

        Assert.That((await AuditAsync($"table=patients&entityId={ok.Id}")).Entries, Is.Empty);
        Assert.That((await AuditAsync($"table=patients&entityId={duplicate.Id}")).Entries, Is.Empty);
        Assert.That((await AuditAsync($"table=patients&entityId={existing.Id}")).Entries.Select(e => e.Action), Is.EqualTo(new[] { "create" }));
        Assert.That((await AuditAsync($"table=patients&entityId={later.Id}")).Entries.Select(e => e.Action), Is.EqualTo(new[] { "create" }));
    }

    [Test]
    public async Task Audit_rows_cannot_be_changed_or_deleted()
    {
        var patient = NewPatient();
        using var scope = App.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.Patients.Add(patient);
        await db.SaveChangesAsync();
        var id = patient.Id.ToString();

        var row = await db.Set<AuditEntry>().SingleAsync(a => a.EntityId == id);
        row.After = "{}";
        Assert.That(async () => await db.SaveChangesAsync(), Throws.InvalidOperationException);
        db.ChangeTracker.Clear();
        db.Set<AuditEntry>().Remove(row);
        Assert.That(async () => await db.SaveChangesAsync(), Throws.InvalidOperationException);
        db.ChangeTracker.Clear();

        // Set-based writes bypass EF's change tracker; the database itself refuses them.
        Assert.That(async () => await db.Set<AuditEntry>().Where(a => a.EntityId == id).ExecuteUpdateAsync(s => s.SetProperty(a => a.After, "{}")),
            Throws.InstanceOf<DbException>());
        Assert.That(async () => await db.Set<AuditEntry>().Where(a => a.EntityId == id).ExecuteDeleteAsync(),
            Throws.InstanceOf<DbException>());
        Assert.That(await db.Set<AuditEntry>().CountAsync(a => a.EntityId == id && a.After != "{}"), Is.EqualTo(1));

        // And the API offers no way to.
        var admin = await As(Roles.Admin);
        Assert.That((int)(await admin.DeleteAsync("/api/admin/audit")).StatusCode, Is.EqualTo(405));
        Assert.That((int)(await admin.DeleteAsync($"/api/admin/audit/{row.Id}")).StatusCode, Is.EqualTo(404));
        Assert.That((int)(await admin.PutAsJsonAsync($"/api/admin/audit/{row.Id}", new { after = "{}" })).StatusCode, Is.EqualTo(404));
    }

    [Test]
    public async Task Access_events_record_who_read_what()
    {
        var answersId = Guid.NewGuid();
        using (var scope = App.Services.CreateScope())
        {
            var accessor = scope.ServiceProvider.GetRequiredService<IHttpContextAccessor>();
            var http = new DefaultHttpContext { TraceIdentifier = "request-42" };
            var userId = Guid.NewGuid();
            http.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", userId.ToString()), new Claim("role", Roles.Dentist)], "test"));
            http.Connection.RemoteIpAddress = IPAddress.Parse("::ffff:10.1.2.3");
            accessor.HttpContext = http;
            try
            {
                await scope.ServiceProvider.GetRequiredService<AuditLog>().RecordAccessAsync("medical_history_answers", answersId, ["signature"]);
            }
            finally
            {
                accessor.HttpContext = null;
            }

            var (entries, _) = await AuditAsync($"table=medical_history_answers&entityId={answersId}");
            var access = entries.Single();
            Assert.That((access.Action, access.UserId, access.UserRole, access.RequestId, access.IpAddress),
                Is.EqualTo((AuditActions.Access, (Guid?)userId, Roles.Dentist, "request-42", "10.1.2.3")));
            Assert.That(access.Columns, Is.EqualTo(new[] { "signature" }));
            Assert.That((access.Before, access.After), Is.EqualTo(((JsonElement?)null, (JsonElement?)null)));
        }

        var audit = App.Services.CreateScope().ServiceProvider.GetRequiredService<AuditLog>();
        Assert.That(async () => await audit.RecordAccessAsync("", "x"), Throws.ArgumentException);
    }

    [TestCase(Roles.Staff)]
    [TestCase(Roles.Dentist)]
    public async Task Only_admins_read_the_audit_log(string role)
    {
        await AssertErrorAsync(await (await As(role)).GetAsync("/api/admin/audit"), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        await AssertErrorAsync(await Anonymous().GetAsync("/api/admin/audit"), HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
    }

    [Test]
    public async Task Filters_by_user_and_time_and_pages_newest_first()
    {
        // A fresh admin whose only audited act is creating three users.
        var (otherAdmin, login) = await CreateUserAsync(Roles.Admin);
        var client = WithToken(login.AccessToken);
        var created = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            var response = await client.PostAsJsonAsync("/api/users",
                new CreateUser($"Filtered {i}", $"filtered-{Guid.NewGuid():N}@clinic.test", Roles.Staff, "Password-1234"));
            created.Add((await ReadAsync<UserDto>(response, HttpStatusCode.Created)).Id);
        }

        var (byUser, _) = await AuditAsync($"userId={otherAdmin.Id}");
        Assert.That(byUser.Select(e => Guid.Parse(e.EntityId)), Is.EqualTo(Enumerable.Reverse(created)));
        Assert.That(byUser, Has.All.Matches<AuditEntryDto>(e => e.UserId == otherAdmin.Id && e.Action == "create"));

        var middle = byUser[1].OccurredAt.ToString("O");
        var (from, _) = await AuditAsync($"userId={otherAdmin.Id}&from={Uri.EscapeDataString(middle)}");
        Assert.That(from.Select(e => e.Id), Is.EqualTo(byUser.Take(2).Select(e => e.Id)));
        var (to, _) = await AuditAsync($"userId={otherAdmin.Id}&to={Uri.EscapeDataString(middle)}");
        Assert.That(to.Select(e => e.Id), Is.EqualTo(byUser.Skip(2).Select(e => e.Id)));
        var (tomorrow, _) = await AuditAsync($"userId={otherAdmin.Id}&from={DateTime.UtcNow.AddDays(1):yyyy-MM-dd}");
        Assert.That(tomorrow, Is.Empty);

        // Page by page, one row at a time: the same rows in the same order.
        var admin = await As(Roles.Admin);
        var seen = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await ReadAsync<PagedResult<AuditEntryDto>>(await admin.GetAsync(
                $"/api/admin/audit?userId={otherAdmin.Id}&limit=1" + (cursor is null ? "" : "&cursor=" + cursor)));
            Assert.That(page.Data, Has.Count.EqualTo(1));
            Assert.That(page.Pagination.HasMore, Is.EqualTo(page.Pagination.NextCursor is not null));
            seen.AddRange(page.Data.Select(e => e.Id));
            cursor = page.Pagination.NextCursor;
        } while (cursor is not null);
        Assert.That(seen, Is.EqualTo(byUser.Select(e => e.Id)));
    }

    [Test]
    public async Task Bad_filters_are_refused()
    {
        var admin = await As(Roles.Admin);
        await AssertErrorAsync(await admin.GetAsync("/api/admin/audit?from=yesterday"), HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "from");
        await AssertErrorAsync(await admin.GetAsync("/api/admin/audit?from=2025-12-20&to=2025-12-19"), HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "to");
        await AssertErrorAsync(await admin.GetAsync("/api/admin/audit?userId=nope"), HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "userId");
        await AssertErrorAsync(await admin.GetAsync("/api/admin/audit?cursor=AAAA"), HttpStatusCode.BadRequest, ErrorCodes.BadRequest);
        await AssertErrorAsync(await admin.GetAsync("/api/admin/audit?limit=0"), HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "limit");
    }
}
