using DentalClinic.ServiceInterface.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace DentalClinic.ServiceInterface.Patients;

/// <summary>
/// Keeps every patient's search_text, word-prefix rows and digit rows current, whoever writes, archives or
/// deletes the row (API, seed, tests), in the same SaveChanges as the patient. A patient's stored rows are
/// computed from the values it was read with (EF Core's original values), not read back: the search tables
/// have no index that leads with the patient. Each is deleted by its whole key, and a stored row that is not
/// where those values put it fails the save (EF Core expects one row deleted) rather than staying behind.
/// </summary>
public sealed class PatientSearchInterceptor : SaveChangesInterceptor
{
    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is AppDbContext db) Sync(db);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is AppDbContext db) Sync(db);
        return result;
    }

    private sealed record PrefixKey(string Prefix, int Precedence, string LastName, string FirstName, Guid PatientId);

    private sealed record DigitsKey(string Digits, string LastName, string FirstName, Guid PatientId);

    /// <summary>Writes the search text of every patient being saved and replaces the search rows whose values changed.</summary>
    private static void Sync(AppDbContext db)
    {
        List<PrefixKey> removedPrefixes = [];
        List<DigitsKey> removedDigits = [];
        foreach (var entry in db.ChangeTracker.Entries<Patient>().ToList())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted)) continue;
            if (entry.State != EntityState.Deleted) PatientSearch.Index(db, entry.Entity);
            var (storedPrefixes, storedDigits) = entry.State == EntityState.Added ? ([], []) : RowsOf(entry, original: true);
            var (prefixes, digits) = entry.State == EntityState.Deleted ? ([], []) : RowsOf(entry, original: false);
            removedPrefixes.AddRange(storedPrefixes.Except(prefixes));
            removedDigits.AddRange(storedDigits.Except(digits));
            foreach (var row in prefixes.Except(storedPrefixes))
                db.Add(new PatientSearchPrefix { Prefix = row.Prefix, Precedence = row.Precedence, LastName = row.LastName, FirstName = row.FirstName, PatientId = row.PatientId });
            foreach (var row in digits.Except(storedDigits))
                db.Add(new PatientSearchDigits { Digits = row.Digits, LastName = row.LastName, FirstName = row.FirstName, PatientId = row.PatientId });
        }
        if (removedPrefixes.Count > 0)
        {
            var tracked = db.ChangeTracker.Entries<PatientSearchPrefix>()
                .ToDictionary(e => new PrefixKey(e.Entity.Prefix, e.Entity.Precedence, e.Entity.LastName, e.Entity.FirstName, e.Entity.PatientId));
            foreach (var row in removedPrefixes)
                Remove(db, tracked.GetValueOrDefault(row), () => new PatientSearchPrefix
                    { Prefix = row.Prefix, Precedence = row.Precedence, LastName = row.LastName, FirstName = row.FirstName, PatientId = row.PatientId });
        }
        if (removedDigits.Count > 0)
        {
            var tracked = db.ChangeTracker.Entries<PatientSearchDigits>()
                .ToDictionary(e => new DigitsKey(e.Entity.Digits, e.Entity.LastName, e.Entity.FirstName, e.Entity.PatientId));
            foreach (var row in removedDigits)
                Remove(db, tracked.GetValueOrDefault(row), () => new PatientSearchDigits
                    { Digits = row.Digits, LastName = row.LastName, FirstName = row.FirstName, PatientId = row.PatientId });
        }
    }

    /// <summary>Deletes a stored row: the tracked instance when the context holds one, else one made of its key.</summary>
    private static void Remove<T>(AppDbContext db, EntityEntry<T>? tracked, Func<T> row) where T : class
    {
        if (tracked is not null) tracked.State = EntityState.Deleted;
        else db.Entry(row()).State = EntityState.Deleted;
    }

    /// <summary>
    /// The search rows of a patient's current values, or of those it was read with: prefix rows of its search text,
    /// digit rows while it is active, each with its names.
    /// </summary>
    private static (HashSet<PrefixKey> Prefixes, HashSet<DigitsKey> Digits) RowsOf(EntityEntry<Patient> entry, bool original)
    {
        T Value<T>(string property) => (T)(original ? entry.Property(property).OriginalValue : entry.Property(property).CurrentValue)!;
        var text = Value<string?>(PatientSearch.Property) ?? "";
        var lastName = Value<string>(nameof(Patient.LastName));
        var firstName = Value<string>(nameof(Patient.FirstName));
        var id = entry.Entity.Id;
        var prefixes = PatientSearchPrefix.Ranks(text)
            .Select(r => new PrefixKey(r.Key, PatientSearchPrefix.PrecedenceOf(r.Value), lastName, firstName, id)).ToHashSet();
        var digits = Value<DateTime?>(nameof(Patient.ArchivedAt)) is null
            ? PatientSearchDigits.Substrings(text).Select(d => new DigitsKey(d, lastName, firstName, id)).ToHashSet()
            : [];
        return (prefixes, digits);
    }
}
