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
        var appointment = new Appointment
        {
            PatientId = patient.Id, AppointmentTypeId = type.Id, Date = date, Time = new TimeOnly(9, 0),
            Status = "pending", CreatedAt = now, UpdatedAt = now,
        };
        db.Add(patient);
        db.Entry(patient).Property(PatientSearch.Property).CurrentValue = "ada lovelace#";
        db.AddRange(type, appointment);
        await db.SaveChangesAsync();

        await migrator.MigrateAsync();
        Assert.That(await db.CalendarStamps.CountAsync(), Is.Zero, "nothing to backfill: a day without a row has no stamp yet");

        appointment.Notes = "after the migration";
        await db.SaveChangesAsync();
        Assert.That(await db.CalendarStamps.Select(s => s.Date).ToListAsync(), Is.EqualTo(new[] { date }));

        patient.FirstName = "Augusta";
        await db.SaveChangesAsync();
        Assert.That(await db.CalendarStamps.OrderBy(s => s.Date).Select(s => s.Date).ToListAsync(), Is.EqualTo(new[] { CalendarStamp.EveryDay, date }));
    }

}
