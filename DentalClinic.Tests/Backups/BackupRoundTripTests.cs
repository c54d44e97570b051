using System.Net;
using System.Net.Http.Json;
using DentalClinic.ServiceInterface.Backups;
using DentalClinic.ServiceModel;
using DentalClinic.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace DentalClinic.Tests.Backups;

/// <summary>
/// backup → a fresh, empty database → restore → every row of every table is there, unchanged:
/// patients, appointments, treatments, users, settings and the audit log (whose triggers refuse
/// UPDATE and DELETE, but not a restore into an empty database). A database of its own, so no other
/// fixture writes while the snapshots are taken.
/// </summary>
public sealed class BackupRoundTripTests(string provider) : ApiTest(provider)
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Test:Database"] = "backup-round-trip",
        ["Files:Local:Root"] = Path.Combine(TestDatabases.TempDirectory, $"files-backup-round-trip-{Provider}"),
    };

    private RestoreService Restorer() => App.Services.CreateScope().ServiceProvider.GetRequiredService<RestoreService>();

    [Test]
    public async Task Backup_then_restore_into_an_empty_database_brings_back_every_row_of_every_table()
    {
        await SeedClinicAsync();
        var admin = await As(Roles.Admin);

        var before = await DatabaseSnapshot.TakeAsync(Provider, App.ConnectionString);
        var backup = await ReadAsync<BackupDto>(await admin.PostAsync("/api/admin/backups", null), HttpStatusCode.Created);
        var after = await DatabaseSnapshot.TakeAsync(Provider, App.ConnectionString);
        // The backup row (and its audit row) are written after the dump: the snapshot before it is what the backup holds.
        after.Remove("backups");
        after.Remove("audit_log");
        var expected = new SortedDictionary<string, DatabaseSnapshot.Table>(before);
        expected.Remove("backups");
        expected.Remove("audit_log");
        Assert.That(after, Is.EqualTo(expected), "nothing else wrote to the database meanwhile");

        foreach (var table in new[] { "patients", "appointments", "appointment_types", "treatments", "users", "audit_log", "__EFMigrationsHistory" })
            Assert.That(before[table].Rows, Is.GreaterThan(0), table);

        var target = TestDatabases.Create(Provider);
        var result = await Restorer().RestoreAsync(backup.Id.ToString(), Provider, target, force: false, CancellationToken.None);
        Assert.That((result.Replaced, result.Size), Is.EqualTo((false, backup.Size)));

        var restored = await DatabaseSnapshot.TakeAsync(Provider, target);
        Assert.That(restored.Keys, Is.EquivalentTo(before.Keys));
        foreach (var (table, expectedTable) in before)
            Assert.That(restored[table], Is.EqualTo(expectedTable), $"table {table}");

        // The audit log came back append-only: its triggers exist again and refuse a change.
        Assert.That(async () => await ExecuteAsync(target, "UPDATE audit_log SET action = 'x'"), Throws.Exception.With.Message.Contains("append-only"));
        Assert.That(async () => await ExecuteAsync(target, "DELETE FROM audit_log"), Throws.Exception.With.Message.Contains("append-only"));

        // Restoring again into the now non-empty database is refused, and --force replaces it.
        var refused = Assert.ThrowsAsync<RestoreRefusedException>(() =>
            Restorer().RestoreAsync(backup.Id.ToString(), Provider, target, force: false, CancellationToken.None));
        Assert.That(refused!.Message, Does.Contain("not empty"));
        var forced = await Restorer().RestoreAsync(backup.FileKey!, Provider, target, force: true, CancellationToken.None);
        Assert.That(forced.Replaced, Is.True);
        Assert.That(await DatabaseSnapshot.TakeAsync(Provider, target), Is.EqualTo(before));
    }

    [Test]
    public async Task A_backup_of_the_other_provider_an_unknown_backup_and_a_foreign_file_are_refused()
    {
        var backup = await ReadAsync<BackupDto>(await (await As(Roles.Admin)).PostAsync("/api/admin/backups", null), HttpStatusCode.Created);
        var other = Provider == TestDatabases.PostgreSql ? TestDatabases.Sqlite : TestDatabases.PostgreSql;
        var wrong = Assert.ThrowsAsync<BackupException>(() =>
            Restorer().RestoreAsync(backup.Id.ToString(), other, TestDatabases.Create(other), force: false, CancellationToken.None));
        Assert.That(wrong!.Message, Does.Contain($"Database:Provider is {other}"));

        Assert.ThrowsAsync<BackupNotFoundException>(() =>
            Restorer().RestoreAsync(Guid.NewGuid().ToString(), Provider, TestDatabases.Create(Provider), false, CancellationToken.None));
        Assert.ThrowsAsync<BackupNotFoundException>(() =>
            Restorer().RestoreAsync("backups/none.pgdump", Provider, TestDatabases.Create(Provider), false, CancellationToken.None));

        var foreign = Path.Combine(TestDatabases.TempDirectory, $"foreign-{Guid.NewGuid():N}.bin");
        await File.WriteAllTextAsync(foreign, "not a backup at all");
        var notABackup = Assert.ThrowsAsync<BackupException>(() =>
            Restorer().RestoreAsync(foreign, Provider, TestDatabases.Create(Provider), false, CancellationToken.None));
        Assert.That(notABackup!.Message, Does.Contain("neither a pg_dump archive nor a SQLite database"));
    }

    private async Task ExecuteAsync(string connectionString, string sql)
    {
        await using System.Data.Common.DbConnection connection = Provider == TestDatabases.PostgreSql
            ? new Npgsql.NpgsqlConnection(connectionString)
            : new Microsoft.Data.Sqlite.SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>A small clinic through the API: every write also leaves audit rows.</summary>
    private async Task SeedClinicAsync()
    {
        var admin = await As(Roles.Admin);
        var dentist = await As(Roles.Dentist);
        var type = await ReadAsync<AppointmentTypeDto>(await dentist.PostAsJsonAsync("/api/appointment-types",
            new CreateAppointmentType($"Cleaning {Guid.NewGuid():N}"[..20], 80.5m, 30, "#3366CC")), HttpStatusCode.Created);
        for (var i = 0; i < 3; i++)
        {
            var mobile = "+1555" + Random.Shared.NextInt64(1_000_000, 10_000_000);
            var patient = await ReadAsync<PatientDto>(await admin.PostAsJsonAsync("/api/patients",
                new CreatePatient("Zoë", $"O'Brien-{i}", mobile, $"zoe{i}@example.test", "1980-05-17")), HttpStatusCode.Created);
            await ReadAsync<PatientDto>(await admin.PutAsJsonAsync($"/api/patients/{patient.Id}",
                new UpdatePatient("Zoë", $"Ménard-{i}", mobile, null, "1980-05-17")));
            await ReadAsync<AppointmentDto>(await admin.PostAsJsonAsync("/api/appointments",
                new CreateAppointment(patient.Id, type.Id, "2026-12-2" + i, "14:30", null, "Afternoon", null)), HttpStatusCode.Created);
            await ReadAsync<TreatmentDto>(await dentist.PostAsJsonAsync("/api/treatments",
                new CreateTreatment(patient.Id, 12 + i, type.Id, 100.10m, 20.05m, 0.05m, "2026-11-2" + i, "Filling")), HttpStatusCode.Created);
        }
        var settings = await admin.PutAsJsonAsync("/api/settings", new { clinicName = "Smile Dental", timezone = "Europe/Berlin" });
        Assert.That(settings.StatusCode, Is.EqualTo(HttpStatusCode.OK), await settings.Content.ReadAsStringAsync());
    }
}
