using DentalClinic.ServiceInterface.Appointments;
using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceInterface.Patients;
using DentalClinic.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DentalClinic.Tests.Scheduling;

/// <summary>The AddCalendarStamps migration on a database that already has appointments: their days get stamps from their first change on.</summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.Providers))]
public sealed class CalendarStampMigrationTests(string provider)
{
    [Test]
    public async Task Days_from_before_the_migration_are_stamped_by_their_next_change()
    {
        await using var db = TestDatabases.Context(provider, TestDatabases.Create(provider));
        var migrator = db.GetService<IMigrator>();
        await migrator.MigrateAsync("AddPatientSearchPrefixes");

        var now = DateTime.UtcNow;
        var patient = new Patient { FirstName = "Ada", LastName = "Lovelace", MobileNumber = "+1 555 010 2030", MobileE164 = "+15550102030", CreatedAt = now, UpdatedAt = now };
        var type = new AppointmentType { Name = "Check-up", Price = 50m, Duration = 30, Color = "#3366CC", CreatedAt = now, UpdatedAt = now };
        var date = new DateOnly(2031, 3, 4);
        // Later migrations add patient columns: the patient goes in with SQL.
        await TestDatabases.InsertEarlyPatientAsync(db, provider, patient, "ada lovelace#");
        db.Add(type);
        await db.SaveChangesAsync();
        // The appointments table as it was then (later migrations add columns the model now has).
        var id = Guid.CreateVersion7();
        if (provider == TestDatabases.Sqlite)
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO appointments (id, patient_id, appointment_type_id, date, time, status, created_at, updated_at)
                VALUES ({id.ToString().ToUpperInvariant()}, {patient.Id.ToString().ToUpperInvariant()}, {type.Id.ToString().ToUpperInvariant()},
                        '2031-03-04', '09:00:00', 'pending', '2026-11-01 10:00:00', '2026-11-01 10:00:00')
                """);
        else
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO appointments (id, patient_id, appointment_type_id, date, time, status, created_at, updated_at)
                VALUES ({id}, {patient.Id}, {type.Id}, {date}, {new TimeOnly(9, 0)}, 'pending', {now}, {now})
                """);

        await migrator.MigrateAsync();
        Assert.That(await db.CalendarStamps.CountAsync(), Is.Zero, "nothing to backfill: a day without a row has no stamp yet");

        var appointment = await db.Appointments.SingleAsync(a => a.Id == id);
        appointment.Notes = "after the migration";
        await db.SaveChangesAsync();
        Assert.That(await db.CalendarStamps.Select(s => s.Date).ToListAsync(), Is.EqualTo(new[] { date }));

        (await db.Patients.SingleAsync(p => p.Id == patient.Id)).FirstName = "Augusta";
        await db.SaveChangesAsync();
        Assert.That(await db.CalendarStamps.OrderBy(s => s.Date).Select(s => s.Date).ToListAsync(), Is.EqualTo(new[] { CalendarStamp.EveryDay, date }));
    }

}
