using DentalClinic.ServiceInterface.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace DentalClinic.ServiceInterface.Patients;

/// <summary>
/// Keeps every patient's search_text, word-prefix rows and digit rows current, whoever writes the row
/// (API, seed, tests), in the same SaveChanges as the patient.
/// </summary>
public sealed class PatientSearchInterceptor : SaveChangesInterceptor
{
    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is AppDbContext db && Reindexed(db) is { Count: > 0 } patients)
        {
            var ids = StoredIds(patients);
            Sync(db, patients,
                ids.Count > 0 ? await PrefixesOf(db, ids).ToListAsync(cancellationToken) : [],
                ids.Count > 0 ? await DigitsOf(db, ids).ToListAsync(cancellationToken) : []);
        }
        return result;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is AppDbContext db && Reindexed(db) is { Count: > 0 } patients)
        {
            var ids = StoredIds(patients);
            Sync(db, patients, ids.Count > 0 ? PrefixesOf(db, ids).ToList() : [], ids.Count > 0 ? DigitsOf(db, ids).ToList() : []);
        }
        return result;
    }

    /// <summary>Writes the search text of every patient being saved; returns those whose prefix rows must follow.</summary>
    private static List<(Patient Patient, bool IsNew)> Reindexed(AppDbContext db)
    {
        var changed = new List<(Patient, bool)>();
        foreach (var entry in db.ChangeTracker.Entries<Patient>().ToList())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified)) continue;
            PatientSearch.Index(db, entry.Entity);
            if (entry.State == EntityState.Added) changed.Add((entry.Entity, true));
            else if (Differs(entry, PatientSearch.Property) || Differs(entry, nameof(Patient.LastName)) || Differs(entry, nameof(Patient.FirstName)) ||
                     Differs(entry, nameof(Patient.ArchivedAt)))
                changed.Add((entry.Entity, false));
        }
        return changed;
    }

    private static bool Differs(EntityEntry<Patient> entry, string property)
    {
        var value = entry.Property(property);
        return !Equals(value.OriginalValue, value.CurrentValue);
    }

    /// <summary>The changed patients that were saved before, so may have prefix rows.</summary>
    private static List<Guid> StoredIds(List<(Patient Patient, bool IsNew)> patients) =>
        patients.Where(p => !p.IsNew).Select(p => p.Patient.Id).ToList();

    /// <summary>Their prefix rows: one query for the whole save.</summary>
    private static IQueryable<PatientSearchPrefix> PrefixesOf(AppDbContext db, List<Guid> patientIds) =>
        db.Set<PatientSearchPrefix>().Where(s => patientIds.Contains(s.PatientId));

    /// <summary>Their digit rows.</summary>
    private static IQueryable<PatientSearchDigits> DigitsOf(AppDbContext db, List<Guid> patientIds) =>
        db.Set<PatientSearchDigits>().Where(s => patientIds.Contains(s.PatientId));

    /// <summary>Makes the tracked prefix and digit rows of each patient those of its search text: adds, updates and removes.</summary>
    private static void Sync(AppDbContext db, List<(Patient Patient, bool IsNew)> patients, List<PatientSearchPrefix> storedPrefixes,
        List<PatientSearchDigits> storedDigits)
    {
        var prefixesByPatient = storedPrefixes.ToLookup(s => s.PatientId);
        var digitsByPatient = storedDigits.ToLookup(s => s.PatientId);
        foreach (var (patient, _) in patients)
        {
            Sync(db, patient, prefixesByPatient[patient.Id]);
            // Digit rows for active patients only.
            var pieces = patient.ArchivedAt is null
                ? PatientSearchDigits.Substrings(db.Entry(patient).Property<string>(PatientSearch.Property).CurrentValue)
                : [];
            foreach (var row in digitsByPatient[patient.Id])
            {
                if (!pieces.Remove(row.Digits))
                {
                    db.Remove(row);
                    continue;
                }
                var entry = db.Entry(row);
                entry.Property(r => r.LastName).CurrentValue = patient.LastName;
                entry.Property(r => r.FirstName).CurrentValue = patient.FirstName;
            }
            foreach (var digits in pieces)
                db.Add(new PatientSearchDigits { PatientId = patient.Id, Digits = digits, LastName = patient.LastName, FirstName = patient.FirstName });
        }
    }

    private static void Sync(AppDbContext db, Patient patient, IEnumerable<PatientSearchPrefix> existing)
    {
        var ranks = PatientSearchPrefix.Ranks(db.Entry(patient).Property<string>(PatientSearch.Property).CurrentValue);
        foreach (var row in existing)
        {
            if (!ranks.Remove(row.Prefix, out var rank))
            {
                db.Remove(row);
                continue;
            }
            // Through the entry, so that the change is seen without another DetectChanges.
            var entry = db.Entry(row);
            entry.Property(r => r.Rank).CurrentValue = rank;
            entry.Property(r => r.LastName).CurrentValue = patient.LastName;
            entry.Property(r => r.FirstName).CurrentValue = patient.FirstName;
        }
        foreach (var (prefix, rank) in ranks)
            db.Add(new PatientSearchPrefix { PatientId = patient.Id, Prefix = prefix, Rank = rank, LastName = patient.LastName, FirstName = patient.FirstName });
    }
}
