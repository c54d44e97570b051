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

    private sealed record PrefixKey(string Prefix, int Precedence, string LastName, string FirstName, Guid PatientId)
    {
        public static PrefixKey Of(PatientSearchPrefix row) => new(row.Prefix, row.Precedence, row.LastName, row.FirstName, row.PatientId);
        public PatientSearchPrefix Row() => new() { Prefix = Prefix, Precedence = Precedence, LastName = LastName, FirstName = FirstName, PatientId = PatientId };
    }

    private sealed record DigitsKey(string Digits, string LastName, string FirstName, Guid PatientId)
    {
        public static DigitsKey Of(PatientSearchDigits row) => new(row.Digits, row.LastName, row.FirstName, row.PatientId);
        public PatientSearchDigits Row() => new() { Digits = Digits, LastName = LastName, FirstName = FirstName, PatientId = PatientId };
    }

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
            foreach (var row in prefixes.Except(storedPrefixes)) db.Add(row.Row());
            foreach (var row in digits.Except(storedDigits)) db.Add(row.Row());
        }
        Delete(db, removedPrefixes, PrefixKey.Of, key => key.Row());
        Delete(db, removedDigits, DigitsKey.Of, key => key.Row());
    }

    /// <summary>Deletes stored rows by key: the tracked instance when the context holds one, else one made of its key.</summary>
    private static void Delete<TRow, TKey>(AppDbContext db, List<TKey> keys, Func<TRow, TKey> keyOf, Func<TKey, TRow> rowOf)
        where TRow : class where TKey : notnull
    {
        if (keys.Count == 0) return;
        var tracked = db.ChangeTracker.Entries<TRow>().ToDictionary(e => keyOf(e.Entity));
        foreach (var key in keys)
            (tracked.GetValueOrDefault(key) ?? db.Entry(rowOf(key))).State = EntityState.Deleted;
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
