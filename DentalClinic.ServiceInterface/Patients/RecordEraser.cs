using System.Linq.Expressions;
using System.Reflection;
using DentalClinic.ServiceInterface.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace DentalClinic.ServiceInterface.Patients;

/// <summary>
/// Deletes a row and, with it, every row of the model that refers to it through a foreign key,
/// directly or through other rows, whatever tables exist when it runs. Rows are loaded and removed
/// through the change tracker (archived ones too), so the audit log records every deletion with
/// its before image. The caller owns the transaction.
/// </summary>
internal sealed class RecordEraser(AppDbContext db)
{
    private const int MaxDepth = 8;
    private static readonly MethodInfo RowsOfMethod = typeof(RecordEraser).GetMethod(nameof(RowsOfAsync), BindingFlags.NonPublic | BindingFlags.Instance)!;

    /// <summary>Removes the row and its dependents; returns every removed entity.</summary>
    public async Task<IReadOnlyList<object>> EraseAsync<T>(T row, CancellationToken ct) where T : class
    {
        var removed = new List<object>();
        await CollectAsync(db.Model.FindEntityType(typeof(T))!, row, removed, depth: 0, ct);
        db.RemoveRange(removed);
        await db.SaveChangesAsync(ct);
        return removed;
    }

    private async Task CollectAsync(IEntityType type, object row, List<object> removed, int depth, CancellationToken ct)
    {
        if (depth > MaxDepth) throw new InvalidOperationException($"Foreign keys to {type.GetTableName()} nest deeper than {MaxDepth} levels");
        var entry = db.Entry(row);
        foreach (var fk in type.GetReferencingForeignKeys())
        {
            var dependent = fk.DeclaringEntityType;
            if (dependent.GetTableName() is null) continue;
            var values = fk.PrincipalKey.Properties.Select(p => entry.Property(p.Name).CurrentValue).ToArray();
            var children = await (Task<List<object>>)RowsOfMethod.MakeGenericMethod(dependent.ClrType).Invoke(this, [fk.Properties, values, ct])!;
            foreach (var child in children.Where(c => !removed.Contains(c)))
                await CollectAsync(dependent, child, removed, depth + 1, ct);
        }
        removed.Add(row);
    }

    /// <summary>The rows of <typeparamref name="T"/> whose <paramref name="properties"/> equal <paramref name="values"/>, archived ones included.</summary>
    private async Task<List<object>> RowsOfAsync<T>(IReadOnlyList<IProperty> properties, object?[] values, CancellationToken ct) where T : class
    {
        var row = Expression.Parameter(typeof(T), "row");
        Expression match = Expression.Constant(true);
        for (var i = 0; i < properties.Count; i++)
        {
            var column = Expression.Call(typeof(EF), nameof(EF.Property), [properties[i].ClrType], row, Expression.Constant(properties[i].Name));
            match = Expression.AndAlso(match, Expression.Equal(column, Expression.Constant(values[i], properties[i].ClrType)));
        }
        var rows = await db.Set<T>().IgnoreQueryFilters().Where(Expression.Lambda<Func<T, bool>>(match, row)).ToListAsync(ct);
        return rows.Cast<object>().ToList();
    }
}
