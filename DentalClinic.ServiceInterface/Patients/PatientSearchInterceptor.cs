using DentalClinic.ServiceInterface.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace DentalClinic.ServiceInterface.Patients;

/// <summary>Keeps every patient's search_text current, whoever writes the row (API, seed, tests).</summary>
public sealed class PatientSearchInterceptor : SaveChangesInterceptor
{
    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Index(eventData.Context);
        return base.SavingChangesAsync(eventData, result, cancellationToken);
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Index(eventData.Context);
        return base.SavingChanges(eventData, result);
    }

    private static void Index(DbContext? context)
    {
        if (context is not AppDbContext db) return;
        foreach (var entry in db.ChangeTracker.Entries<Patient>())
            if (entry.State is EntityState.Added or EntityState.Modified)
                PatientSearch.Index(db, entry.Entity);
    }
}
