using DentalClinic.ServiceInterface.Data;
using DentalClinic.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DentalClinic.Tests.Messaging;

/// <summary>The FirstHourSchema migration (SMS status "logged") on an outbox that already has messages: they stay, and "logged" becomes a status.</summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.Providers))]
public sealed class SmsLoggedStatusMigrationTests(string provider)
{
    [Test]
    public async Task Existing_messages_survive_and_logged_is_accepted_afterwards()
    {
        await using var db = TestDatabases.Context(provider, TestDatabases.Create(provider));
        var migrator = db.GetService<IMigrator>();
        await migrator.MigrateAsync("AddCalendarStamps");

        var sent = new SmsOutboxMessage { To = "+15550102030", Body = "", Status = "sent", Purpose = "medical_history_link", Attempts = 1, CreatedAt = DateTime.UtcNow };
        var pending = new SmsOutboxMessage { To = "+15550102031", Body = "Your link", Status = "pending", Purpose = "medical_history_link", CreatedAt = DateTime.UtcNow };
        db.AddRange(sent, pending);
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();

        await migrator.MigrateAsync();

        var rows = await db.Set<SmsOutboxMessage>().OrderBy(m => m.To).Select(m => new { m.Status, m.Body }).ToListAsync();
        Assert.That(rows.Select(r => (r.Status, r.Body)), Is.EqualTo(new[] { ("sent", ""), ("pending", "Your link") }));

        await db.Set<SmsOutboxMessage>().Where(m => m.Id == pending.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, "logged"));
        Assert.That(await db.Set<SmsOutboxMessage>().CountAsync(m => m.Status == "logged"), Is.EqualTo(1));
        Assert.That(() => db.Set<SmsOutboxMessage>().Where(m => m.Id == pending.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, "delivered")),
            Throws.InstanceOf<System.Data.Common.DbException>(), "the check constraint still refuses unknown statuses");
    }
}
