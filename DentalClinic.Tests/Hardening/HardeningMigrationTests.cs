using System.Net;
using System.Net.Http.Json;
using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceModel;
using DentalClinic.Tests.Patients;
using DentalClinic.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DentalClinic.Tests.Hardening;

/// <summary>
/// SessionLimitsAuditChainSharedKeys on a database with sessions and audit rows: open sessions keep
/// working, old audit rows take the chain's first positions, and the chain goes on after them.
/// </summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.Providers))]
public sealed class HardeningMigrationTests(string provider)
{
    [Test]
    public async Task Sessions_and_audit_rows_from_before_the_migration_carry_on()
    {
        var connectionString = TestDatabases.Create(provider);
        var refreshToken = "old-refresh-token-" + Guid.NewGuid().ToString("N");
        var created = DateTime.UtcNow.AddHours(-1);
        created = created.AddTicks(-(created.Ticks % 10));
        await using (var db = TestDatabases.Context(provider, connectionString))
        {
            var migrator = db.GetService<IMigrator>();
            await migrator.MigrateAsync("AddCalendarStamps");
            // The columns this migration adds do not exist yet: rows go in with SQL.
            object Id(Guid id) => provider == TestDatabases.Sqlite ? id.ToString().ToUpperInvariant() : id;
            var user = new User
            {
                Email = ApiFactory.AdminEmail, Name = "Early admin", Role = Roles.Admin,
                PasswordHash = BCrypt.Net.BCrypt.HashPassword(ApiFactory.AdminPassword, 4), CreatedAt = created, UpdatedAt = created,
            };
            // Later migrations add user columns too (calendar_color): the user goes in with SQL as well.
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO users (id, email, name, role, password, security_stamp, is_active, created_at, updated_at)
                VALUES ({Id(user.Id)}, {user.Email}, {user.Name}, {user.Role}, {user.PasswordHash}, {Id(user.SecurityStamp)}, {true}, {created}, {created})
                """);
            var hash = ServiceInterface.Auth.TokenService.Hash(refreshToken);
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO refresh_tokens (id, user_id, family_id, token_hash, created_at, expires_at, family_revoked)
                VALUES ({Id(Guid.CreateVersion7())}, {Id(user.Id)}, {Id(Guid.NewGuid())}, {hash}, {created}, {created.AddDays(30)}, {false})
                """);
            for (var i = 0; i < 3; i++)
                await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO audit_log (id, occurred_at, user_role, action, table_name, entity_id)
                    VALUES ({Id(Guid.CreateVersion7())}, {created.AddMinutes(i)}, {"system"}, {"create"}, {"users"}, {user.Id.ToString()})
                    """);
            await migrator.MigrateAsync();

            var token = await db.RefreshTokens.AsNoTracking().SingleAsync(t => t.TokenHash == hash);
            Assert.That(token.SessionStartedAt, Is.EqualTo(token.CreatedAt));
            var audit = await db.Set<AuditEntry>().AsNoTracking().OrderBy(a => a.Seq).ToListAsync();
            Assert.That(audit.Select(a => a.Seq), Is.EqualTo(new long?[] { 1, 2, 3 }));
            Assert.That(audit.Select(a => a.OccurredAt), Is.Ordered);
            Assert.That(audit.Select(a => a.Hash), Is.All.Null);
        }

        await using var app = ApiFactory.StartOwn(provider, connectionString: connectionString);
        var refreshed = await app.CreateClient().PostAsJsonAsync("/api/auth/refresh", new RefreshSession(refreshToken));
        Assert.That(refreshed.StatusCode, Is.EqualTo(HttpStatusCode.OK), await refreshed.Content.ReadAsStringAsync());

        var admin = await AuditChainTests.SignInAsync(app);
        Assert.That((await admin.PostAsJsonAsync("/api/patients", PatientTestData.NewPatient())).StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var verify = await admin.GetAsync("/api/admin/audit/verify");
        Assert.That(verify.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var report = (await verify.Content.ReadFromJsonAsync<AuditVerification>(ApiTest.Json))!;
        Assert.That(report.Intact, Is.True, report.Problem?.Message);
        Assert.That(report.RowsBeforeChain, Is.EqualTo(3));
        Assert.That(report.Head, Is.GreaterThan(3));
    }
}
