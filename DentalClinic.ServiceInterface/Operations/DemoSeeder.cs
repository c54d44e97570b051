using System.Buffers.Binary;
using System.Diagnostics;
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
    /// <summary>Rows made and written at a time (one progress line each); on PostgreSQL one COPY may span many batches.</summary>
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
    /// <summary>The patients' generator's seed: the same patients are made once for their search texts and once as they are written.</summary>
    private const int PatientSeed = 20261203;

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
        var random = new Random(20261124); // appointments and treatments; patients have their own (PatientSeed)
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var now = DateTime.UtcNow;
        now = now.AddTicks(-(now.Ticks % 10));
        var laps = new Laps();

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
        var rebuilds = db.IsPostgres ? await PostgresBulkLoad.SetAsideAsync(db, BulkTables, ct) : null;
        var freeze = rebuilds is not null;
        var written = new Dictionary<Type, long>();
        laps.Lap("prepare");

        // Ids ascend in the order each table's rows are written, so that its primary key is built over rows already in its order.
        var ids = new AscendingIds();
        var patientIds = new Guid[size.Patients];
        for (var i = 0; i < patientIds.Length; i++) patientIds[i] = ids.Next();

        // Patients, appointments and treatments. On PostgreSQL the patients' search texts and search rows, the seed's
        // largest work in .NET (~25 µs a patient), are made on another thread. With the indexes set aside the
        // appointments and treatments are copied meanwhile: they need only the patients' ids, and their foreign keys
        // come back last. Otherwise (SQLite, or foreign keys in force) the patients come first.
        var searchRows = db.IsPostgres ? Task.Run(() => PatientSearchRows(size.Patients, patientIds, now, ct), ct) : null;
        if (freeze)
        {
            await WriteAppointmentsAsync();
            await WriteTreatmentsAsync();
        }
        var (texts, search) = searchRows is null ? ([], null) : await searchRows;
        laps.Lap("make search rows (waiting)");
        await WritePatientsAsync(texts);
        if (search is not null) await CopySearchRowsAsync(search);
        if (!freeze)
        {
            await WriteAppointmentsAsync();
            await WriteTreatmentsAsync();
        }
        if (rebuilds is not null)
        {
            progress("rebuilding indexes and foreign keys");
            await PostgresBulkLoad.RebuildAsync(db, rebuilds, laps, ct);
        }

        if (db.IsPostgres)
        {
            // The rows bypassed the DbContext, so the audit log gets one event per audited table for them.
            foreach (var (clrType, count) in written)
            {
                var type = db.Model.FindEntityType(clrType)!;
                if (!AuditPolicy.IsAudited(type)) continue;
                var entry = audit.NewEntry(AuditActions.Create, type.GetTableName()!, "seed-demo");
                entry.After = JsonSerializer.Serialize(new { seedDemo = true, rows = count });
                db.Set<AuditEntry>().Add(entry);
            }
            db.ChangeTracker.DetectChanges();
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }
        laps.Lap("audit events");
        await transaction.CommitAsync(ct);
        laps.Lap("commit");

        // Fresh statistics for the planner, and (PostgreSQL) a visibility map for index-only scans,
        // without waiting for autovacuum to notice a million new rows.
        progress("analysing the new rows");
        await db.Database.ExecuteSqlRawAsync(db.IsPostgres ? "VACUUM ANALYZE" : "ANALYZE", ct);
        laps.Lap("vacuum analyze");
        foreach (var (phase, spent) in laps.Spent) progress($"time {phase}: {spent.TotalSeconds:F1} s");

        // Patients: PostgreSQL one COPY, each with its search text; SQLite through the DbContext (its interceptor writes the text).
        async Task WritePatientsAsync(string[] texts)
        {
            var patientRandom = new Random(PatientSeed);
            var searchTexts = new Dictionary<object, string>(ReferenceEqualityComparer.Instance);
            await using (var copy = db.IsPostgres ? await PostgresBulkLoad.Copy<Patient>.BeginAsync(db, freeze, ct, (p, _) => searchTexts[p]) : null)
            {
                await InBatchesAsync(size.Patients, size.Batch, i =>
                {
                    var patient = NewPatient(patientRandom, i, patientIds[i], now);
                    return (patient, text: db.IsPostgres ? texts[i] : "");
                }, async batch =>
                {
                    laps.Lap("generate patients");
                    if (copy is null) await SaveAsync(batch.Select(b => b.patient), ct);
                    else
                    {
                        searchTexts = batch.ToDictionary(b => (object)b.patient, b => b.text, ReferenceEqualityComparer.Instance);
                        await copy.WriteAsync(batch.Select(b => b.patient), ct);
                    }
                    laps.Lap("copy patients");
                }, progress, "patients");
                if (copy is not null) await copy.CompleteAsync(ct);
            }
            written[typeof(Patient)] = size.Patients;
            laps.Lap("copy patients");
        }

        // What PatientSearchInterceptor writes for each new patient, in the order of the tables' search indexes.
        async Task CopySearchRowsAsync(SortedSearchRows search)
        {
            await PostgresBulkLoad.CopyAsync(db, freeze, search.Prefixes(), ct);
            laps.Lap("copy patient_search_prefixes");
            await PostgresBulkLoad.CopyAsync(db, freeze, search.Digits(), ct);
            laps.Lap("copy patient_search_digits");
            search.Clear();
        }

        // Appointments (PostgreSQL: one COPY, so that the calendar's stamps are renewed once, not once a batch).
        async Task WriteAppointmentsAsync()
        {
            await using (var copy = db.IsPostgres ? await PostgresBulkLoad.Copy<Appointment>.BeginAsync(db, freeze, ct) : null)
            {
                await InBatchesAsync(size.Appointments, size.Batch, _ => NewAppointment(random, ids, patientIds, types, today, now), async batch =>
                {
                    laps.Lap("generate appointments");
                    if (copy is null) await SaveAsync(batch, ct);
                    else await copy.WriteAsync(batch, ct);
                    laps.Lap("copy appointments");
                }, progress, "appointments");
                if (copy is not null) await copy.CompleteAsync(ct);
            }
            written[typeof(Appointment)] = size.Appointments;
            laps.Lap("copy appointments");
        }

        // Treatments with what was paid for them: a payment in the ledger, allocated to the treatment (amount_paid is their sum).
        async Task WriteTreatmentsAsync()
        {
            await InBatchesAsync(size.Treatments, size.Batch, i => NewTreatment(random, i, ids, patientIds, types, today, now), async batch =>
            {
                laps.Lap("generate treatments");
                var treatments = batch.Select(b => b.Treatment).ToList();
                var payments = batch.Where(b => b.Payment is not null).Select(b => b.Payment!).ToList();
                var allocations = batch.Where(b => b.Allocation is not null).Select(b => b.Allocation!).ToList();
                if (!db.IsPostgres) await SaveAsync([.. treatments, .. payments, .. allocations], ct);
                else
                {
                    await PostgresBulkLoad.CopyAsync(db, freeze, treatments, ct);
                    laps.Lap("copy treatments");
                    await PostgresBulkLoad.CopyAsync(db, freeze, payments, ct);
                    laps.Lap("copy payments");
                    await PostgresBulkLoad.CopyAsync(db, freeze, allocations, ct);
                    laps.Lap("copy payment_allocations");
                }
                written[typeof(Treatment)] = written.GetValueOrDefault(typeof(Treatment)) + treatments.Count;
                written[typeof(Payment)] = written.GetValueOrDefault(typeof(Payment)) + payments.Count;
                written[typeof(PaymentAllocation)] = written.GetValueOrDefault(typeof(PaymentAllocation)) + allocations.Count;
            }, progress, "treatments");
        }
    }

    /// <summary>
    /// Each patient's search text, and the search rows of all (sorted), made from the same generator as the
    /// patients the COPY writes.
    /// </summary>
    private static (string[] Texts, SortedSearchRows Rows) PatientSearchRows(int count, Guid[] patientIds, DateTime now, CancellationToken ct)
    {
        var random = new Random(PatientSeed);
        var texts = new string[count];
        var rows = new SortedSearchRows(LastNames, FirstNames, patientIds, count);
        for (var i = 0; i < count; i++)
        {
            if (i % 10_000 == 0) ct.ThrowIfCancellationRequested();
            var patient = NewPatient(random, i, patientIds[i], now);
            texts[i] = PatientSearch.TextOf(patient);
            rows.Add(i, patient.LastName, patient.FirstName, texts[i]);
        }
        rows.Sort();
        return (texts, rows);
    }

    /// <summary>
    /// Makes <paramref name="count"/> rows in batches and writes each batch, reporting progress after
    /// each. The next batch is made (on another thread) while the last one is written, so that making
    /// rows and the database's work on them overlap; batches are made one at a time, in order.
    /// </summary>
    private static async Task InBatchesAsync<T>(int count, int batchSize, Func<int, T> make, Func<List<T>, Task> write,
        Action<string> progress, string what)
    {
        List<T> Make(int from) => Enumerable.Range(from, Math.Min(batchSize, count - from)).Select(make).ToList();
        var next = count > 0 ? Task.Run(() => Make(0)) : null;
        for (var from = 0; next is not null; from += batchSize)
        {
            var batch = await next;
            var following = from + batchSize;
            next = following < count ? Task.Run(() => Make(following)) : null;
            await write(batch);
            progress($"{what}: {from + batch.Count:N0} of {count:N0}");
        }
    }

    /// <summary>SQLite: through the DbContext, whose interceptors write the search rows and the audit rows.</summary>
    private async Task SaveAsync(IEnumerable<object> rows, CancellationToken ct)
    {
        db.AddRange(rows);
        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
    }

    private static Patient NewPatient(Random random, int i, Guid id, DateTime now)
    {
        var first = FirstNames[random.Next(FirstNames.Length)];
        var last = LastNames[random.Next(LastNames.Length)];
        var (display, e164) = PhoneNumber(i);
        return new Patient
        {
            Id = id,
            FirstName = first,
            LastName = last,
            MobileNumber = display,
            MobileE164 = e164,
            Email = random.Next(10) < 7 ? $"{Ascii(first)}.{Ascii(last)}{i}@example.com" : null,
            DateOfBirth = random.Next(10) < 8 ? new DateOnly(1940, 1, 1).AddDays(random.Next(80 * 365)) : null,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    private static Appointment NewAppointment(Random random, AscendingIds ids, Guid[] patientIds, List<AppointmentType> types, DateOnly today, DateTime now)
    {
        var date = today.AddDays(random.Next(-8 * 365, 2 * 365));
        var status = date < today
            ? (random.Next(10) == 0 ? "cancelled" : "confirmed")
            : (random.Next(3) == 0 ? "pending" : "confirmed");
        return new Appointment
        {
            Id = ids.Next(),
            PatientId = patientIds[random.Next(patientIds.Length)],
            AppointmentTypeId = types[random.Next(types.Count)].Id,
            Date = date,
            Time = new TimeOnly(8, 0).AddMinutes(15 * random.Next(40)),
            Status = status,
            Notes = random.Next(5) == 0 ? "Patient prefers a morning reminder call" : null,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    private static (Treatment Treatment, Payment? Payment, PaymentAllocation? Allocation) NewTreatment(
        Random random, int i, AscendingIds ids, Guid[] patientIds, List<AppointmentType> types, DateOnly today, DateTime now)
    {
        var type = types[random.Next(types.Count)];
        var discount = random.Next(5) == 0 ? Math.Round(type.Price * 0.1m, 2) : 0m;
        var due = type.Price - discount;
        var treatment = new Treatment
        {
            Id = ids.Next(),
            PatientId = patientIds[random.Next(patientIds.Length)],
            ToothNumber = random.Next(1, 33),
            AppointmentTypeId = type.Id,
            TotalPrice = type.Price,
            Discount = discount,
            AmountPaid = random.Next(4) switch { 0 => 0m, 1 => Math.Round(due / 2, 2), _ => due },
            Date = today.AddDays(-random.Next(8 * 365)),
            CreatedAt = now,
            UpdatedAt = now,
        };
        if (treatment.AmountPaid == 0m) return (treatment, null, null);
        var payment = new Payment
        {
            Id = ids.Next(),
            PatientId = treatment.PatientId, Amount = treatment.AmountPaid, Date = treatment.Date,
            Method = PaymentMethodsCycle[i % PaymentMethodsCycle.Length],
            CreatedAt = now,
            UpdatedAt = now,
        };
        var allocation = new PaymentAllocation
        {
            Id = ids.Next(),
            PaymentId = payment.Id, TreatmentId = treatment.Id, PatientId = treatment.PatientId, Amount = treatment.AmountPaid,
            CreatedAt = now,
            UpdatedAt = now,
        };
        return (treatment, payment, allocation);
    }

    /// <summary>Where a seed's time goes: each stretch of time counted once, in the phase that ends it.</summary>
    internal sealed class Laps
    {
        private readonly Stopwatch clock = Stopwatch.StartNew();
        private TimeSpan last;

        public OrderedDictionary<string, TimeSpan> Spent { get; } = [];

        public void Lap(string phase)
        {
            var now = clock.Elapsed;
            Spent[phase] = Spent.GetValueOrDefault(phase) + (now - last);
            last = now;
        }
    }

    /// <summary>
    /// Version 7 ids like the entities' own (RFC 9562: the Unix time in milliseconds, the version, the
    /// variant, random bits), each above the one before (in PostgreSQL's uuid order): two made in the
    /// same millisecond are otherwise in random order. The random bits come from a seeded generator, not
    /// the operating system's (<see cref="Guid.CreateVersion7()"/>): a seed makes millions of ids, and a
    /// system call for each was a sixth of the seed's CPU time.
    /// </summary>
    private sealed class AscendingIds
    {
        private readonly Random random = new(20261202);
        private UInt128 last;

        public Guid Next()
        {
            Span<byte> bytes = stackalloc byte[16];
            random.NextBytes(bytes[6..]);
            var milliseconds = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            for (var i = 0; i < 6; i++) bytes[i] = (byte)(milliseconds >> (8 * (5 - i)));
            bytes[6] = (byte)(0x70 | (bytes[6] & 0x0F));
            bytes[8] = (byte)(0x80 | (bytes[8] & 0x3F));
            var id = BinaryPrimitives.ReadUInt128BigEndian(bytes);
            last = id > last ? id : last + 1;
            BinaryPrimitives.WriteUInt128BigEndian(bytes, last);
            return new Guid(bytes, bigEndian: true);
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
