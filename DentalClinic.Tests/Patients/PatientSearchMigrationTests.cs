using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceInterface.Files;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using DentalClinic.ServiceInterface.Infrastructure;
using DentalClinic.ServiceInterface.Patients;
using DentalClinic.ServiceModel;
using DentalClinic.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Configuration;

namespace DentalClinic.Tests.Patients;

/// <summary>The patient-search migrations (AddPatientSearch, AddPatientSearchPrefixes, AddPatientSearchDigits, PatientSearchWords, PatientSearchDigitPieces, PatientSearchDigitsUpToSeven, PatientSearchKeysInSearchOrder, PatientSearchWordsInPlpgsql) on a database that already has patients: they become searchable, with the rows the application would write.</summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.Providers))]
public sealed class PatientSearchMigrationTests(string provider)
{
    [Test]
    public async Task Patients_from_before_the_migration_are_found()
    {
        var connectionString = TestDatabases.Create(provider);
        await using var db = TestDatabases.Context(provider, connectionString);
        var migrator = db.GetService<IMigrator>();
        await migrator.MigrateAsync("ClinicCore");

        var ids = new[] { Guid.CreateVersion7(), Guid.CreateVersion7(), Guid.CreateVersion7() };
        await InsertLegacyPatientAsync(db, ids[0], "Hélène", "Ménard-O'Brien", "+1 (555) 010-2030", "+15550102030", "Helene.M@Example.com");
        await InsertLegacyPatientAsync(db, ids[1], "John", "Doe", "555 010 9999", "+15550109999", null);
        await InsertLegacyPatientAsync(db, ids[2], "Johanna", "Smith", "+1 555 010 7777", "+15550107777", null);

        await migrator.MigrateAsync();

        var stored = await db.Patients.OrderBy(p => p.LastName)
            .Select(p => new { p.Id, p.FirstName, p.LastName, p.Email, p.MobileE164, Text = EF.Property<string>(p, PatientSearch.Property) })
            .ToListAsync();
        foreach (var row in stored)
            Assert.That(row.Text, Is.EqualTo(PatientSearch.Text(row.FirstName, row.LastName, row.Email, [row.MobileE164.TrimStart('+')])),
                "the backfill writes what the application would");

        var prefixes = await db.Set<PatientSearchPrefix>().ToListAsync();
        foreach (var row in stored)
            Assert.That(prefixes.Where(p => p.PatientId == row.Id).ToDictionary(p => p.Prefix, p => PatientSearchPrefix.RankOf(p.Precedence)),
                Is.EquivalentTo(PatientSearchPrefix.Ranks(row.Text)), "the prefix backfill writes what the application would");
        Assert.That(prefixes.All(p => stored.Any(s => s.Id == p.PatientId && s.LastName == p.LastName && s.FirstName == p.FirstName)));
        if (provider == TestDatabases.PostgreSql)
            foreach (var row in stored)
            {
                var words = await db.Database
                    .SqlQuery<string>($"SELECT unnest(patient_search_words(search_text)) AS \"Value\" FROM patients WHERE id = {row.Id}").ToListAsync();
                Assert.That(words.Distinct(), Is.EquivalentTo(PatientSearchPrefix.Ranks(row.Text).Keys), "the word index holds the prefix rows' words");
            }
        var digits = await db.Set<PatientSearchDigits>().ToListAsync();
        foreach (var row in stored)
            Assert.That(digits.Where(d => d.PatientId == row.Id).Select(d => d.Digits), Is.EquivalentTo(PatientSearchDigits.Substrings(row.Text)),
                "the digit backfill writes what the application would");

        var patients = new PatientsService(db, new CursorCodec(new byte[32]), TimeProvider.System, new ConfigurationBuilder().Build(),
            new LocalFileStore(Options.Create(new LocalFileStoreOptions { Root = TestDatabases.TempDirectory })), NullLogger<PatientsService>.Instance);
        async Task<Guid[]> Search(string search) =>
            (await patients.QueryAsync(new QueryPatients(search, 100, null, null), isAdmin: false, CancellationToken.None)).Data.Select(p => p.Id).ToArray();

        Assert.That(await Search("menard obri"), Is.EqualTo(new[] { ids[0] }));
        Assert.That(await Search("joh"), Is.EqualTo(new[] { ids[1], ids[2] }));
        Assert.That(await Search("john"), Is.EqualTo(new[] { ids[1] }));
        Assert.That(await Search("obrien"), Is.EqualTo(new[] { ids[0] }));
        Assert.That(await Search("010-99"), Is.EqualTo(new[] { ids[1] }));
        Assert.That(await Search("(555) 010 2030"), Is.EqualTo(new[] { ids[0] }));
        Assert.That(await Search("0107777"), Is.EqualTo(new[] { ids[2] }));
        Assert.That(await Search("9999"), Is.EqualTo(new[] { ids[1] }), "a run of nines");
        Assert.That(await Search("010999"), Is.EqualTo(new[] { ids[1] }));
        Assert.That(await Search("5550"), Is.EqualTo(new[] { ids[1], ids[0], ids[2] }));
        Assert.That(await Search("helene.m@"), Is.EqualTo(new[] { ids[0] }));

        // The migrated rows are where the application computes them: a rename and an archiving replace them by their whole key.
        await using (var app = TestDatabases.Context(provider, connectionString, new PatientSearchInterceptor()))
        {
            var helene = await app.Patients.SingleAsync(p => p.Id == ids[0]);
            (helene.LastName, helene.Email) = ("Dubois", "h.dubois@example.com");
            (await app.Patients.SingleAsync(p => p.Id == ids[1])).ArchivedAt = DateTime.UtcNow;
            await app.SaveChangesAsync();
        }
        var texts = await db.Patients.AsNoTracking().Select(p => new { p.Id, Text = EF.Property<string>(p, PatientSearch.Property) })
            .ToDictionaryAsync(p => p.Id, p => p.Text);
        var renamed = await db.Set<PatientSearchPrefix>().AsNoTracking().Where(p => p.PatientId == ids[0]).ToListAsync();
        Assert.That(renamed.ToDictionary(p => p.Prefix, p => PatientSearchPrefix.RankOf(p.Precedence)), Is.EquivalentTo(PatientSearchPrefix.Ranks(texts[ids[0]])));
        Assert.That(renamed.Select(p => p.LastName).Distinct(), Is.EqualTo(new[] { "Dubois" }));
        Assert.That(await db.Set<PatientSearchDigits>().AsNoTracking().Where(d => d.PatientId == ids[0]).Select(d => d.LastName).Distinct().ToListAsync(),
            Is.EqualTo(new[] { "Dubois" }));
        Assert.That(await db.Set<PatientSearchDigits>().CountAsync(d => d.PatientId == ids[1]), Is.Zero, "an archived patient has no digit rows");
        Assert.That(await Search("dubois 2030"), Is.EqualTo(new[] { ids[0] }));
        Assert.That(await Search("menard"), Is.Empty);
        Assert.That(await Search("9999"), Is.Empty);
    }

    private static Task InsertLegacyPatientAsync(AppDbContext db, Guid id, string first, string last, string mobile, string e164, string? email) =>
        db.Database.ExecuteSqlAsync($"""
            INSERT INTO patients (id, first_name, last_name, mobile_number, mobile_e164, email, created_at, updated_at)
            VALUES ({id}, {first}, {last}, {mobile}, {e164}, {email}, {DateTime.UtcNow}, {DateTime.UtcNow})
            """);
}
