using DentalClinic.ServiceInterface.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace DentalClinic.ServiceInterface.Patients;

/// <summary>
/// Keeps every patient's search_text and word-prefix rows current, whoever writes the row (API, seed,
/// tests), in the same SaveChanges as the patient.
/// </summary>
public sealed class PatientSearchInterceptor : SaveChangesInterceptor
{
    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is AppDbContext db)
            foreach (var (patient, isNew) in Reindexed(db))
                Sync(db, patient, isNew ? [] : await PrefixesOf(db, patient).ToListAsync(cancellationToken));
        return result;
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is AppDbContext db)
            foreach (var (patient, isNew) in Reindexed(db))
                Sync(db, patient, isNew ? [] : PrefixesOf(db, patient).ToList());
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
            else if (Differs(entry, PatientSearch.Property) || Differs(entry, nameof(Patient.LastName)) || Differs(entry, nameof(Patient.FirstName)))
                changed.Add((entry.Entity, false));
        }
        return changed;
    }

    private static bool Differs(EntityEntry<Patient> entry, string property)
    {
        var value = entry.Property(property);
        return !Equals(value.OriginalValue, value.CurrentValue);
    }

    private static IQueryable<PatientSearchPrefix> PrefixesOf(AppDbContext db, Patient patient) =>
        db.Set<PatientSearchPrefix>().Where(s => s.PatientId == patient.Id);

    /// <summary>Makes the tracked prefix rows of the patient those of its search text: adds, updates and removes.</summary>
    private static void Sync(AppDbContext db, Patient patient, List<PatientSearchPrefix> existing)
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
