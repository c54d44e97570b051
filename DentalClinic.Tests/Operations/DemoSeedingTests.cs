using System.Buffers.Binary;
using DentalClinic.ServiceInterface.Audit;
using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceInterface.Operations;
using DentalClinic.ServiceInterface.Patients;
using DentalClinic.ServiceModel;
using DentalClinic.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace DentalClinic.Tests.Operations;

/// <summary>
/// seed-demo writes the rows the application itself would write — on PostgreSQL by bulk COPY with the
/// tables' indexes set aside (as the owner role, like the command) — and leaves the schema, the
/// search and the audit chain as they were.
/// </summary>
public sealed class DemoSeedingTests(string provider) : ApiTest(provider)
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Jobs:Enabled"] = "false", ["Test:Fixture"] = nameof(DemoSeedingTests),
    };

    [Test]
    public async Task Seeded_rows_match_what_the_application_writes_and_the_schema_is_unchanged()
    {
        var admin = await As(Roles.Admin);
        await using var scope = App.Services.CreateAsyncScope();
        var configuration = scope.ServiceProvider.GetRequiredService<IConfiguration>();
        await using var seedingDb = ConfigureDb.SeedingContext(scope.ServiceProvider, configuration);
        var schemaBefore = await SchemaAsync(seedingDb);

        var lines = new List<string>();
        await new DemoSeeder(seedingDb, scope.ServiceProvider.GetRequiredService<AuditInterceptor>())
            .SeedAsync(new DemoSize(Patients: 300, Appointments: 500, Treatments: 700) { Batch = 120 }, lines.Add, CancellationToken.None);

        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Assert.That(await SchemaAsync(db), Is.EqualTo(schemaBefore), "indexes and foreign keys after the seed");

        // Search text and word-prefix rows exactly as PatientSearchInterceptor writes them.
        var patients = await db.Patients.AsNoTracking()
            .Select(p => new { Patient = p, Text = EF.Property<string>(p, PatientSearch.Property) }).ToListAsync();
        Assert.That(patients, Has.Count.EqualTo(300));
        foreach (var row in patients) Assert.That(row.Text, Is.EqualTo(PatientSearch.TextOf(row.Patient)), row.Patient.Id.ToString());
        var expectedPrefixes = patients.SelectMany(p => PatientSearchPrefix.Ranks(p.Text)
            .Select(r => $"{p.Patient.Id} {r.Key} {r.Value} {p.Patient.LastName} {p.Patient.FirstName}")).Order().ToList();
        var storedPrefixes = (await db.Set<PatientSearchPrefix>().AsNoTracking().ToListAsync())
            .Select(s => $"{s.PatientId} {s.Prefix} {PatientSearchPrefix.RankOf(s.Precedence)} {s.LastName} {s.FirstName}").Order().ToList();
        Assert.That(storedPrefixes, Is.EqualTo(expectedPrefixes));
        var expectedDigits = patients.SelectMany(p => PatientSearchDigits.Substrings(p.Text).Select(d => $"{p.Patient.Id} {d}")).Order().ToList();
        var storedDigits = (await db.Set<PatientSearchDigits>().AsNoTracking().ToListAsync()).Select(s => $"{s.PatientId} {s.Digits}").Order().ToList();
        Assert.That(storedDigits, Is.EqualTo(expectedDigits));

        // Ids are version 7 (RFC 9562 variant) with this moment's time, as the entities make them.
        var ids = patients.Select(p => p.Patient.Id)
            .Concat(await db.Appointments.Select(a => a.Id).ToListAsync())
            .Concat(await db.Treatments.Select(t => t.Id).ToListAsync())
            .Concat(await db.Payments.Select(p => p.Id).ToListAsync()).ToList();
        Assert.That(ids, Is.Unique);
        Assert.That(ids.Where(id => id.Version != 7 || (id.Variant & 0xC) != 0x8), Is.Empty);
        var seededAt = DateTimeOffset.FromUnixTimeMilliseconds((long)(BinaryPrimitives.ReadUInt128BigEndian(ids[0].ToByteArray(bigEndian: true)) >> 80));
        Assert.That(seededAt, Is.EqualTo(DateTimeOffset.UtcNow).Within(TimeSpan.FromMinutes(5)));

        // Every timestamp set; what was paid is allocated payments.
        Assert.That(await db.Appointments.CountAsync(a => a.CreatedAt == default || a.UpdatedAt == default), Is.Zero);
        Assert.That(await db.Appointments.CountAsync(), Is.EqualTo(500));
        var treatments = await db.Treatments.AsNoTracking().Select(t => new
        {
            t.AmountPaid, Allocated = db.PaymentAllocations.Where(a => a.TreatmentId == t.Id).Sum(a => a.Amount),
        }).ToListAsync();
        Assert.That(treatments, Has.Count.EqualTo(700));
        Assert.That(treatments.Where(t => t.AmountPaid != t.Allocated), Is.Empty);

        // Values as the entities held them (COPY writes each column with its own type): nullable columns both
        // ways, timestamps through the UTC converter, money exact.
        var stored = patients.Select(p => p.Patient).ToList();
        Assert.That(stored.Count(p => p.Email is null), Is.InRange(1, 299));
        Assert.That(stored.Where(p => p.Email is not null && !p.Email.EndsWith("@example.com")), Is.Empty);
        Assert.That(stored.Count(p => p.DateOfBirth is null), Is.InRange(1, 299));
        Assert.That(stored.Where(p => p.CreatedAt.Kind != DateTimeKind.Utc || (DateTime.UtcNow - p.CreatedAt).Duration() > TimeSpan.FromMinutes(5)), Is.Empty);
        Assert.That(await db.Appointments.CountAsync(a => a.Notes == null), Is.InRange(1, 499));
        var prices = await db.AppointmentTypes.ToDictionaryAsync(t => t.Id, t => t.Price);
        var billed = await db.Treatments.Select(t => new { t.AppointmentTypeId, t.TotalPrice, t.Discount }).ToListAsync();
        Assert.That(billed.Where(t => t.TotalPrice != prices[t.AppointmentTypeId] || (t.Discount != 0m && t.Discount != Math.Round(t.TotalPrice * 0.1m, 2))),
            Is.Empty);
        Assert.That(billed.Count(t => t.Discount != 0m), Is.InRange(1, 699));

        // Found through the API by name and by phone digits.
        var someone = patients[150].Patient;
        var byName = await ReadAsync<PagedResult<PatientDto>>(await admin.GetAsync(
            $"/api/patients?search={Uri.EscapeDataString(someone.FirstName + " " + someone.LastName)}&limit=100"));
        Assert.That(byName.Data.Select(p => p.Id), Does.Contain(someone.Id));
        var byPhone = await ReadAsync<PagedResult<PatientDto>>(await admin.GetAsync(
            $"/api/patients?search={Uri.EscapeDataString(someone.MobileNumber)}"));
        Assert.That(byPhone.Data.Select(p => p.Id), Is.EqualTo(new[] { someone.Id }));

        // The audit chain is intact; a bulk load is recorded as one event per audited table.
        var verification = await ReadAsync<AuditVerification>(await admin.GetAsync("/api/admin/audit/verify"));
        Assert.That(verification.Intact, Is.True);
        var patientEvents = await db.Set<AuditEntry>().CountAsync(a => a.TableName == "patients" && a.Action == AuditActions.Create);
        if (Provider == TestDatabases.PostgreSql)
        {
            Assert.That(patientEvents, Is.EqualTo(1));
            var seeded = await db.Set<AuditEntry>().Where(a => a.EntityId == "seed-demo").Select(a => a.TableName).ToListAsync();
            Assert.That(seeded, Is.EquivalentTo(new[] { "patients", "appointments", "treatments", "payments", "payment_allocations" }));
        }
        else Assert.That(patientEvents, Is.EqualTo(300));
        Assert.That(lines, Does.Contain("patients: 120 of 300").And.Contain("treatments: 700 of 700"));
    }

    /// <summary>The definitions of every index and foreign key (PostgreSQL; SQLite's seed never touches them).</summary>
    private async Task<List<string>> SchemaAsync(AppDbContext db)
    {
        if (Provider != TestDatabases.PostgreSql) return [];
        return await db.Database.SqlQueryRaw<string>("""
            SELECT indexdef AS "Value" FROM pg_indexes WHERE schemaname = 'public'
            UNION ALL
            SELECT conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE contype = 'f'
            ORDER BY 1
            """).ToListAsync();
    }
}
