using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceInterface.Patients;
using DentalClinic.ServiceModel;
using DentalClinic.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DentalClinic.Tests.Scheduling;

/// <summary>
/// The MultiChairScheduling migration on a database from before it: its appointments come through intact,
/// the application starts on it, and the days stay bookable under the rules — calendars included (on
/// SQLite the migration rebuilds the appointments table, whose calendar-stamp triggers must come back).
/// </summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.Providers))]
public sealed class SchedulingMigrationTests(string provider)
{
    [Test]
    public async Task A_database_from_before_migrates_forward_intact_and_bookable()
    {
        var connectionString = TestDatabases.Create(provider);
        var patientId = Guid.CreateVersion7();
        var typeId = Guid.CreateVersion7();
        var appointmentId = Guid.CreateVersion7();
        var date = new DateOnly(2031, 3, 4);
        await using (var db = TestDatabases.Context(provider, connectionString))
        {
            await db.GetService<IMigrator>().MigrateAsync("AddCalendarStamps");
            var now = DateTime.UtcNow;
            var patient = new Patient { Id = patientId, FirstName = "Ada", LastName = "Lovelace", MobileNumber = "+1 555 010 2030", MobileE164 = "+15550102030", CreatedAt = now, UpdatedAt = now };
            // Later migrations add patient columns: the patient goes in with SQL.
            await TestDatabases.InsertEarlyPatientAsync(db, provider, patient, "ada lovelace#");
            db.Add(new AppointmentType { Id = typeId, Name = "Check-up", Price = 50m, Duration = 60, Color = "#3366CC", CreatedAt = now, UpdatedAt = now });
            await db.SaveChangesAsync();
            // The appointments table as it was: no dentist, chair or reason yet.
            if (provider == TestDatabases.Sqlite)
                await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO appointments (id, patient_id, appointment_type_id, date, time, status, notes, created_at, updated_at)
                    VALUES ({appointmentId.ToString().ToUpperInvariant()}, {patientId.ToString().ToUpperInvariant()}, {typeId.ToString().ToUpperInvariant()},
                            '2031-03-04', '09:00:00', 'confirmed', 'from before', '2026-11-01 10:00:00', '2026-11-01 10:00:00')
                    """);
            else
                await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO appointments (id, patient_id, appointment_type_id, date, time, status, notes, created_at, updated_at)
                    VALUES ({appointmentId}, {patientId}, {typeId}, {date}, {new TimeOnly(9, 0)}, 'confirmed', 'from before', {now}, {now})
                    """);
        }

        await using var app = ApiFactory.StartOwn(provider, connectionString: connectionString);
        var login = await (await app.CreateClient().PostAsJsonAsync("/api/auth/login", new Login(ApiFactory.AdminEmail, ApiFactory.AdminPassword)))
            .Content.ReadFromJsonAsync<LoginResponse>(ApiTest.Json);
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", login!.AccessToken);

        var kept = await client.GetFromJsonAsync<AppointmentDto>($"/api/appointments/{appointmentId}", ApiTest.Json);
        Assert.That((kept!.Date, kept.Time, kept.Status, kept.Notes, kept.PatientId, kept.DentistId, kept.ChairId),
            Is.EqualTo((date, "09:00", "confirmed", (string?)"from before", patientId, (Guid?)null, (Guid?)null)));
        var day = await client.GetFromJsonAsync<List<DayAppointmentDto>>("/api/appointments/by-date/2031-03-04", ApiTest.Json);
        Assert.That(day!.Single().PatientName, Is.EqualTo("Ada Lovelace"));

        // Bookable under the rules: the old appointment holds its hour, the next one is free.
        var clash = await client.PostAsJsonAsync("/api/appointments", new CreateAppointment(patientId, typeId, "2031-03-04", "09:30", null, null, null));
        Assert.That(clash.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), await clash.Content.ReadAsStringAsync());
        var next = await client.PostAsJsonAsync("/api/appointments", new CreateAppointment(patientId, typeId, "2031-03-04", "10:00", null, null, null));
        Assert.That(next.StatusCode, Is.EqualTo(HttpStatusCode.Created), await next.Content.ReadAsStringAsync());
        // The new statuses are allowed by the database; a change shows in the (cached) calendar at once.
        var noShow = await client.PutAsJsonAsync($"/api/appointments/{appointmentId}", new { status = "cancelled", cancelReason = "moved away", notes = "after" });
        Assert.That(noShow.StatusCode, Is.EqualTo(HttpStatusCode.OK), await noShow.Content.ReadAsStringAsync());
        day = await client.GetFromJsonAsync<List<DayAppointmentDto>>("/api/appointments/by-date/2031-03-04", ApiTest.Json);
        Assert.That(day!.Select(a => (a.Time, a.Status, a.Notes)), Is.EqualTo(new[] { ("09:00", "cancelled", (string?)"after"), ("10:00", "pending", null) }));
    }
}
