using System.Text.RegularExpressions;
using DentalClinic.ServiceInterface.Data;
using DentalClinic.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DentalClinic.Tests.Audit;

/// <summary>
/// ExecuteUpdate/ExecuteDelete bypass the change tracker and so the audit interceptor. This guard
/// reads the services' source: every set-based write must target a table the audit log leaves out
/// (the token tables). A clinical table must be written through tracked entities instead.
/// </summary>
public sealed partial class BulkWriteTests(string provider) : ApiTest(provider)
{
    [Test]
    public void Set_based_writes_touch_only_unaudited_tables()
    {
        using var scope = App.Services.CreateScope();
        var model = scope.ServiceProvider.GetRequiredService<AppDbContext>().Model;
        var setTypes = typeof(AppDbContext).GetProperties()
            .Where(p => p.PropertyType.IsGenericType && p.PropertyType.GetGenericTypeDefinition() == typeof(DbSet<>))
            .ToDictionary(p => p.Name, p => p.PropertyType.GetGenericArguments()[0]);

        var root = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "DentalClinic.sln"))) root = root.Parent;
        Assert.That(root, Is.Not.Null, "the repository root");
        var sources = Directory.GetFiles(Path.Combine(root!.FullName, "DentalClinic.ServiceInterface"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"));

        var found = 0;
        foreach (var file in sources)
        {
            var text = File.ReadAllText(file);
            foreach (Match call in BulkWrite().Matches(text))
            {
                found++;
                var statementStart = text.LastIndexOfAny([';', '{', '}'], call.Index) + 1;
                var statement = text[statementStart..call.Index];
                var target = DbSetAccess().Match(statement);
                var where = $"{Path.GetFileName(file)}: {statement.Trim()}";
                Assert.That(target.Success, Is.True, $"cannot tell which table this set-based write changes: {where}");
                var name = target.Groups["set"].Success ? target.Groups["set"].Value : target.Groups["type"].Value;
                var type = setTypes.TryGetValue(name, out var t) ? t : model.GetEntityTypes().FirstOrDefault(e => e.ClrType.Name == name)?.ClrType;
                Assert.That(type, Is.Not.Null, where);
                Assert.That(AuditPolicy.IsAudited(model.FindEntityType(type!)!), Is.False,
                    $"{where} bypasses the audit log: load and change tracked entities instead");
            }
        }
        Assert.That(found, Is.GreaterThan(0), "the guard found the known set-based writes (token rotation, purge)");
    }

    [GeneratedRegex(@"\.Execute(Update|Delete)Async\b|\.Execute(Update|Delete)\(")]
    private static partial Regex BulkWrite();

    [GeneratedRegex(@"\bdb\.(?<set>(?!Set<)[A-Z]\w*)\b|\bSet<(?<type>\w+)>\(")]
    private static partial Regex DbSetAccess();
}
