using System.Text.Json;
using DentalClinic.ServiceInterface.Audit;
using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceInterface.Patients;
using DentalClinic.ServiceModel;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace DentalClinic.ServiceInterface.Operations;

/// <param name="Patients">How many patients.</param>
/// <param name="Appointments">Spread over the past eight years and the next two, 08:00–17:45.</param>
/// <param name="Treatments">Over the past eight years, priced from their type.</param>
public sealed record DemoSize(int Patients = 200, int Appointments = 600, int Treatments = 800)
{
    /// <summary>Rows written (and one progress line printed) per round trip.</summary>
    public int Batch { get; init; } = 10_000;
}

/// <summary>
/// Fills the database with a realistic clinic: appointment types, patients with varied (also
/// accented) names and unique phone numbers, appointments and treatments with payments, and a
/// short questionnaire. Deterministic for a given size, and one transaction: a failed seed leaves
/// the clinic empty. On SQLite the rows go through the DbContext in batches (timestamps, search
/// rows and one audit row per row, as usual). On PostgreSQL they are bulk-loaded
/// (<see cref="PostgresBulkLoad"/>): the same rows and search rows, but the audit log records the
/// seeding as one event per table rather than one per row.
/// </summary>
public sealed class DemoSeeder(AppDbContext db, AuditInterceptor audit)
{
    private static readonly string[] PaymentMethodsCycle = ["card", "cash", "card", "transfer", "insurance"];

    /// <summary>The tables a PostgreSQL seed bulk-loads, in the order their rows are written.</summary>
    private static readonly string[] BulkTables =
        ["patients", "patient_search_prefixes", "patient_search_digits", "appointments", "treatments", "payments", "payment_allocations"];

    private static readonly (string Name, decimal Price, int Minutes, string Color)[] Types =
    [
        ("Check-up", 80m, 30, "#4F86C6"), ("Cleaning", 120m, 45, "#3FB27F"), ("Filling", 180m, 60, "#F2A541"),
        ("Root canal", 900m, 90, "#D9534F"), ("Extraction", 250m, 45, "#8E6C8A"), ("Crown", 1200m, 90, "#C9A227"),
        ("Whitening", 400m, 60, "#5BC0DE"), ("Consultation", 50m, 20, "#7F8C8D"), ("X-ray", 60m, 15, "#34495E"),
        ("Implant review", 150.50m, 30, "#E67E22"),
    ];

    private static readonly string[] FirstNames =
    [
        "John", "Mary", "José", "Zoë", "Hélène", "Ana", "Björn", "Chloé", "Renée", "Liam", "Olivia", "Noah", "Emma", "Mateo",
        "Sofía", "Lucas", "Léa", "Jürgen", "Ingrid", "Aiko", "Hiroshi", "Priya", "Arjun", "Fatima", "Omar", "Chen", "Mei",
        "Nikolai", "Anja", "Sean", "Siobhán", "Grace", "Ethan", "Ava", "Mia", "Élodie", "François", "Maëlle", "Kofi", "Amara",
    ];

    private static readonly string[] LastNames =
    [
        "Doe", "Smith", "Johnson", "García", "Müller", "Ménard", "O'Brien", "Nguyen", "Kowalski", "Rossi", "Dubois", "Silva",
        "Novák", "Hansen", "Jensen", "Tanaka", "Sato", "Patel", "Khan", "Haddad", "Wang", "Li", "Ivanov", "Murphy", "Kelly",
        "Brown", "Wilson", "Taylor", "Lefèvre", "Gonçalves", "Øberg", "Åkesson", "Schröder", "Fernández", "López", "Martin",
    ];

    private static readonly string[] AreaCodes = ["212", "415", "617", "312", "206", "303", "512", "646"];

    public const string NotEmpty = "The database already has patients: seed-demo only fills an empty clinic.";

    /// <summary>True when the clinic has patients (archived ones included): then it is not seeded.</summary>
    public Task<bool> HasPatientsAsync(CancellationToken ct) => db.Patients.IgnoreQueryFilters().AnyAsync(ct);

    /// <summary>Seeds and reports progress (one line per batch); refuses when the clinic already has patients.</summary>
    public async Task SeedAsync(DemoSize size, Action<string> progress, CancellationToken ct)
    {
        if (await HasPatientsAsync(ct)) throw new InvalidOperationException(NotEmpty);
        var random = new Random(20261124);
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var now = DateTime.UtcNow;
        now = now.AddTicks(-(now.Ticks % 10));
        var rows = new Rows(db, now);

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var types = Types.Select(t => new AppointmentType { Name = t.Name, Price = t.Price, Duration = t.Minutes, Color = t.Color }).ToList();
        db.AppointmentTypes.AddRange(types);
        if (!await db.Set<MedicalHistoryQuestion>().AnyAsync(ct))
            db.Set<MedicalHistoryQuestion>().AddRange(
                new MedicalHistoryQuestion { Question = "Are you allergic to any medication?", Type = "radio", Options = ["Yes", "No"], Required = true, Order = 1 },
                new MedicalHistoryQuestion { Question = "Which of these apply to you?", Type = "checkbox", Options = ["Diabetes", "Heart condition", "Pregnancy", "Blood thinners"], Order = 2 },
                new MedicalHistoryQuestion { Question = "Current medication", Type = "textarea", Order = 3 });
        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        var rebuilds = db.IsPostgres ? await PostgresBulkLoad.DropIndexesAsync(db, BulkTables, ct) : [];

        var patientIds = new Guid[size.Patients];
        for (var i = 0; i < size.Patients; i++)
        {
            var first = FirstNames[random.Next(FirstNames.Length)];
            var last = LastNames[random.Next(LastNames.Length)];
            var (display, e164) = PhoneNumber(i);
            var patient = new Patient
            {
                FirstName = first,
                LastName = last,
                MobileNumber = display,
                MobileE164 = e164,
                Email = random.Next(10) < 7 ? $"{Ascii(first)}.{Ascii(last)}{i}@example.com" : null,
                DateOfBirth = random.Next(10) < 8 ? new DateOnly(1940, 1, 1).AddDays(random.Next(80 * 365)) : null,
            };
            patientIds[i] = patient.Id;
            rows.Add(patient);
            if ((i + 1) % size.Batch == 0 && i + 1 < size.Patients) await rows.WriteAsync(ct, progress, "patients", i + 1, size.Patients);
        }
        await rows.WriteAsync(ct, progress, "patients", size.Patients, size.Patients);

        for (var i = 0; i < size.Appointments; i++)
        {
            var date = today.AddDays(random.Next(-8 * 365, 2 * 365));
            var status = date < today
                ? (random.Next(10) == 0 ? "cancelled" : "confirmed")
                : (random.Next(3) == 0 ? "pending" : "confirmed");
            rows.Add(new Appointment
            {
                PatientId = patientIds[random.Next(patientIds.Length)],
                AppointmentTypeId = types[random.Next(types.Count)].Id,
                Date = date,
                Time = new TimeOnly(8, 0).AddMinutes(15 * random.Next(40)),
                Status = status,
                Notes = random.Next(5) == 0 ? "Patient prefers a morning reminder call" : null,
            });
            if ((i + 1) % size.Batch == 0 && i + 1 < size.Appointments) await rows.WriteAsync(ct, progress, "appointments", i + 1, size.Appointments);
        }
        await rows.WriteAsync(ct, progress, "appointments", size.Appointments, size.Appointments);

        for (var i = 0; i < size.Treatments; i++)
        {
            var type = types[random.Next(types.Count)];
            var discount = random.Next(5) == 0 ? Math.Round(type.Price * 0.1m, 2) : 0m;
            var due = type.Price - discount;
            var treatment = new Treatment
            {
                PatientId = patientIds[random.Next(patientIds.Length)],
                ToothNumber = random.Next(1, 33),
                AppointmentTypeId = type.Id,
                TotalPrice = type.Price,
                Discount = discount,
                AmountPaid = random.Next(4) switch { 0 => 0m, 1 => Math.Round(due / 2, 2), _ => due },
                Date = today.AddDays(-random.Next(8 * 365)),
            };
            rows.Add(treatment);
            // What was paid is a payment in the ledger, allocated to the treatment (amount_paid is their sum).
            if (treatment.AmountPaid > 0m)
            {
                var payment = new Payment
                {
                    PatientId = treatment.PatientId, Amount = treatment.AmountPaid, Date = treatment.Date,
                    Method = PaymentMethodsCycle[i % PaymentMethodsCycle.Length],
                };
                rows.Add(payment);
                rows.Add(new PaymentAllocation
                {
                    PaymentId = payment.Id, TreatmentId = treatment.Id, PatientId = treatment.PatientId, Amount = treatment.AmountPaid,
                });
            }
            if ((i + 1) % size.Batch == 0 && i + 1 < size.Treatments) await rows.WriteAsync(ct, progress, "treatments", i + 1, size.Treatments);
        }
        await rows.WriteAsync(ct, progress, "treatments", size.Treatments, size.Treatments);

        if (db.IsPostgres)
        {
            if (rebuilds.Count > 0)
            {
                progress("rebuilding indexes and foreign keys");
                await PostgresBulkLoad.RebuildIndexesAsync(db, rebuilds, ct);
            }
            // The rows bypassed the DbContext, so the audit log gets one event per audited table for them.
            foreach (var (type, count) in rows.Written.Where(w => AuditPolicy.IsAudited(w.Key)))
            {
                var entry = audit.NewEntry(AuditActions.Create, type.GetTableName()!, "seed-demo");
                entry.After = JsonSerializer.Serialize(new { seedDemo = true, rows = count });
                db.Set<AuditEntry>().Add(entry);
            }
            db.ChangeTracker.DetectChanges();
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }
        await transaction.CommitAsync(ct);

        // Fresh statistics for the planner, and (PostgreSQL) a visibility map for index-only scans,
        // without waiting for autovacuum to notice a million new rows.
        progress("analysing the new rows");
        await db.Database.ExecuteSqlRawAsync(db.IsPostgres ? "VACUUM ANALYZE" : "ANALYZE", ct);
    }

    /// <summary>The rows of the current batch, written together: through the DbContext on SQLite, by COPY on PostgreSQL.</summary>
    private sealed class Rows(AppDbContext db, DateTime now)
    {
        private readonly List<Patient> patients = [];
        private readonly List<Appointment> appointments = [];
        private readonly List<Treatment> treatments = [];
        private readonly List<Payment> payments = [];
        private readonly List<PaymentAllocation> allocations = [];

        /// <summary>Rows bulk-loaded so far, per entity type.</summary>
        public Dictionary<IEntityType, long> Written { get; } = [];

        public void Add(Patient row) => patients.Add(Stamp(row));
        public void Add(Appointment row) => appointments.Add(Stamp(row));
        public void Add(Treatment row) => treatments.Add(Stamp(row));
        public void Add(Payment row) => payments.Add(Stamp(row));
        public void Add(PaymentAllocation row) => allocations.Add(Stamp(row));

        private T Stamp<T>(T row) where T : Entity
        {
            row.CreatedAt = row.UpdatedAt = now;
            return row;
        }

        public async Task WriteAsync(CancellationToken ct, Action<string> progress, string what, int done, int total)
        {
            if (db.IsPostgres) await CopyAsync(ct);
            else
            {
                // Through the DbContext: its interceptors write the search rows and the audit rows.
                db.AddRange(patients);
                db.AddRange(appointments);
                db.AddRange(treatments);
                db.AddRange(payments);
                db.AddRange(allocations);
                db.ChangeTracker.DetectChanges();
                await db.SaveChangesAsync(ct);
                db.ChangeTracker.Clear();
            }
            patients.Clear();
            appointments.Clear();
            treatments.Clear();
            payments.Clear();
            allocations.Clear();
            progress($"{what}: {done:N0} of {total:N0}");
        }

        private async Task CopyAsync(CancellationToken ct)
        {
            // What PatientSearchInterceptor writes for a new patient: its search text, word-prefix and digit rows.
            var searchTexts = patients.ToDictionary(p => p.Id, PatientSearch.TextOf);
            var prefixes = patients.SelectMany(p => PatientSearchPrefix.Ranks(searchTexts[p.Id]).Select(r => new PatientSearchPrefix
                { PatientId = p.Id, Prefix = r.Key, Rank = r.Value, LastName = p.LastName, FirstName = p.FirstName })).ToList();
            var digits = patients.SelectMany(p => PatientSearchDigits.Substrings(searchTexts[p.Id])
                .Select(d => new PatientSearchDigits { PatientId = p.Id, Digits = d, LastName = p.LastName, FirstName = p.FirstName })).ToList();
            await Copy(patients, (p, _) => searchTexts[p.Id]);
            await Copy(prefixes);
            await Copy(digits);
            await Copy(appointments);
            await Copy(treatments);
            await Copy(payments);
            await Copy(allocations);

            async Task Copy<T>(IReadOnlyCollection<T> batch, Func<T, IProperty, object?>? shadow = null) where T : class
            {
                if (batch.Count == 0) return;
                await PostgresBulkLoad.CopyAsync(db, batch, ct, shadow);
                var type = db.Model.FindEntityType(typeof(T))!;
                Written[type] = Written.GetValueOrDefault(type) + batch.Count;
            }
        }
    }

    /// <summary>A unique, well-formed US mobile number for each index, as a person would type it, and in E.164.</summary>
    private static (string Display, string E164) PhoneNumber(int index)
    {
        var area = AreaCodes[index % AreaCodes.Length];
        var rest = index / AreaCodes.Length;
        var exchange = 230 + rest / 10_000 % 760;
        var line = rest % 10_000;
        return ($"({area}) {exchange}-{line:D4}", $"+1{area}{exchange}{line:D4}");
    }

    private static string Ascii(string name) =>
        new string(PatientSearch.Normalize(name).Where(char.IsAsciiLetterOrDigit).ToArray());
}
