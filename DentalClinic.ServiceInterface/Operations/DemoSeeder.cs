using DentalClinic.ServiceInterface.Data;
using Microsoft.EntityFrameworkCore;

namespace DentalClinic.ServiceInterface.Operations;

/// <param name="Patients">How many patients.</param>
/// <param name="Appointments">Spread over the past eight years and the next two, 08:00–17:45.</param>
/// <param name="Treatments">Over the past eight years, priced from their type.</param>
public sealed record DemoSize(int Patients = 200, int Appointments = 600, int Treatments = 800);

/// <summary>
/// Fills the database with a realistic clinic: appointment types, patients with varied (also
/// accented) names and unique phone numbers, appointments and treatments with payments, and a
/// short questionnaire. Rows go through the DbContext (timestamps, search text and audit as usual)
/// in batches, so it works the same on both providers. Deterministic for a given size.
/// </summary>
public sealed class DemoSeeder(AppDbContext db)
{
    private const int Batch = 2000;
    private static readonly string[] PaymentMethodsCycle = ["card", "cash", "card", "transfer", "insurance"];

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

    /// <summary>Seeds and reports progress; refuses when the clinic already has patients.</summary>
    public async Task SeedAsync(DemoSize size, Action<string> progress, CancellationToken ct)
    {
        if (await db.Patients.AnyAsync(ct)) throw new InvalidOperationException("The database already has patients: seed-demo only fills an empty clinic.");
        var random = new Random(20261124);
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var today = DateOnly.FromDateTime(DateTime.UtcNow);

        var types = Types.Select(t => new AppointmentType { Name = t.Name, Price = t.Price, Duration = t.Minutes, Color = t.Color }).ToList();
        db.AppointmentTypes.AddRange(types);
        if (!await db.Set<MedicalHistoryQuestion>().AnyAsync(ct))
            db.Set<MedicalHistoryQuestion>().AddRange(
                new MedicalHistoryQuestion { Question = "Are you allergic to any medication?", Type = "radio", Options = ["Yes", "No"], Required = true, Order = 1 },
                new MedicalHistoryQuestion { Question = "Which of these apply to you?", Type = "checkbox", Options = ["Diabetes", "Heart condition", "Pregnancy", "Blood thinners"], Order = 2 },
                new MedicalHistoryQuestion { Question = "Current medication", Type = "textarea", Order = 3 });
        await SaveAsync(ct);

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
            db.Patients.Add(patient);
            if ((i + 1) % Batch == 0) await SaveAsync(ct, progress, "patients", i + 1, size.Patients);
        }
        await SaveAsync(ct, progress, "patients", size.Patients, size.Patients);

        for (var i = 0; i < size.Appointments; i++)
        {
            var date = today.AddDays(random.Next(-8 * 365, 2 * 365));
            var status = date < today
                ? (random.Next(10) == 0 ? "cancelled" : "confirmed")
                : (random.Next(3) == 0 ? "pending" : "confirmed");
            db.Appointments.Add(new Appointment
            {
                PatientId = patientIds[random.Next(patientIds.Length)],
                AppointmentTypeId = types[random.Next(types.Count)].Id,
                Date = date,
                Time = new TimeOnly(8, 0).AddMinutes(15 * random.Next(40)),
                Status = status,
                Notes = random.Next(5) == 0 ? "Patient prefers a morning reminder call" : null,
            });
            if ((i + 1) % Batch == 0) await SaveAsync(ct, progress, "appointments", i + 1, size.Appointments);
        }
        await SaveAsync(ct, progress, "appointments", size.Appointments, size.Appointments);

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
            db.Treatments.Add(treatment);
            // What was paid is a payment in the ledger, allocated to the treatment (amount_paid is their sum).
            if (treatment.AmountPaid > 0m)
            {
                var payment = new Payment
                {
                    PatientId = treatment.PatientId, Amount = treatment.AmountPaid, Date = treatment.Date,
                    Method = PaymentMethodsCycle[i % PaymentMethodsCycle.Length],
                };
                db.Payments.Add(payment);
                db.PaymentAllocations.Add(new PaymentAllocation
                {
                    PaymentId = payment.Id, TreatmentId = treatment.Id, PatientId = treatment.PatientId, Amount = treatment.AmountPaid,
                });
            }
            if ((i + 1) % Batch == 0) await SaveAsync(ct, progress, "treatments", i + 1, size.Treatments);
        }
        await SaveAsync(ct, progress, "treatments", size.Treatments, size.Treatments);

        // Fresh statistics for the planner, and (PostgreSQL) a visibility map for index-only scans,
        // without waiting for autovacuum to notice a million new rows.
        progress("analysing the new rows");
        await db.Database.ExecuteSqlRawAsync(db.IsPostgres ? "VACUUM ANALYZE" : "ANALYZE", ct);
    }

    private async Task SaveAsync(CancellationToken ct, Action<string>? progress = null, string? what = null, int done = 0, int total = 0)
    {
        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        if (progress is not null && total > 0) progress($"{what}: {done:N0} of {total:N0}");
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
        new string(Patients.PatientSearch.Normalize(name).Where(char.IsAsciiLetterOrDigit).ToArray());
}
