using DentalClinic.ServiceInterface.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace DentalClinic.ServiceInterface.Patients;

/// <summary>
/// Deletes a row and, first, every row of the model that refers to it through a foreign key,
/// directly or through other rows (deepest first), whatever tables exist when it runs. The caller
/// owns the transaction.
/// </summary>
internal sealed class RecordEraser(AppDbContext db)
{
    private const int MaxDepth = 8;
    private readonly ISqlGenerationHelper sql = db.GetService<ISqlGenerationHelper>();

    public async Task<int> EraseAsync(Type root, Guid id, CancellationToken ct)
    {
        var type = db.Model.FindEntityType(root) ?? throw new InvalidOperationException($"{root.Name} is not in the model");
        var key = type.FindPrimaryKey()!.Properties;
        var statements = new List<string>();
        // {0} is the id, as a parameter typed by the provider's own mapping of the key.
        Collect(type, $"{Columns(key, type)} = {{0}}", statements, depth: 0);
        var deleted = 0;
        foreach (var statement in statements)
            deleted += await db.Database.ExecuteSqlRawAsync(statement, [id], ct);
        return deleted;
    }

    /// <summary>Adds the deletes of the rows of <paramref name="type"/> matching <paramref name="where"/>, dependents first.</summary>
    private void Collect(IEntityType type, string where, List<string> statements, int depth)
    {
        if (depth > MaxDepth) throw new InvalidOperationException($"Foreign keys to {type.GetTableName()} nest deeper than {MaxDepth} levels");
        foreach (var fk in type.GetReferencingForeignKeys())
        {
            var dependent = fk.DeclaringEntityType;
            if (dependent.GetTableName() is null || dependent == type) continue;
            var dependentWhere = $"{Columns(fk.Properties, dependent)} IN (SELECT {Columns(fk.PrincipalKey.Properties, type, parenthesise: false)} FROM {Table(type)} WHERE {where})";
            Collect(dependent, dependentWhere, statements, depth + 1);
        }
        var delete = $"DELETE FROM {Table(type)} WHERE {where}";
        if (!statements.Contains(delete)) statements.Add(delete);
    }

    private string Table(IEntityType type) => sql.DelimitIdentifier(type.GetTableName()!, type.GetSchema());

    private string Columns(IReadOnlyList<IProperty> properties, IEntityType owner, bool parenthesise = true)
    {
        var table = StoreObjectIdentifier.Table(owner.GetTableName()!, owner.GetSchema());
        var names = properties.Select(p => sql.DelimitIdentifier(p.GetColumnName(table)!)).ToList();
        return names.Count == 1 || !parenthesise ? string.Join(", ", names) : $"({string.Join(", ", names)})";
    }
}
