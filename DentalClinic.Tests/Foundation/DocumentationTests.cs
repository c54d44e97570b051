using System.Text.RegularExpressions;

namespace DentalClinic.Tests.Foundation;

/// <summary>
/// The README and the code point only at files in the repository: a clone has nothing else. Every
/// relative link of the Markdown documentation leads to a file that exists.
/// </summary>
public sealed partial class DocumentationTests
{
    private static readonly string Root = FindRoot();

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "DentalClinic.sln"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("DentalClinic.sln not found above the test assembly");
    }

    private static IEnumerable<string> SourceFiles() =>
        Directory.EnumerateFiles(Root, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetExtension(f) is ".cs" or ".md" or ".ts" or ".tsx" or ".mjs" or ".sh" or ".yml" or ".json" || Path.GetFileName(f) == "Dockerfile")
            .Where(f => !Path.GetRelativePath(Root, f).Split(Path.DirectorySeparatorChar)
                .Any(part => part is "bin" or "obj" or "node_modules" or ".test-runtime" or ".git" or ".next" or "out"));

    [Test]
    public void Nothing_refers_to_documents_outside_the_repository()
    {
        var offending = SourceFiles()
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (file: Path.GetRelativePath(Root, f), line, number: i + 1)))
            .Where(x => OutsideReference().IsMatch(x.line))
            .Select(x => $"{x.file}:{x.number}: {x.line.Trim()}")
            .ToList();
        Assert.That(offending, Is.Empty);
    }

    [Test]
    public void Relative_links_of_the_documentation_lead_to_files_that_exist()
    {
        var documents = new[] { Path.Combine(Root, "README.md") }
            .Concat(Directory.Exists(Path.Combine(Root, "docs")) ? Directory.EnumerateFiles(Path.Combine(Root, "docs"), "*.md") : []);
        var broken = new List<string>();
        foreach (var document in documents)
            foreach (Match link in MarkdownLink().Matches(File.ReadAllText(document)))
            {
                var target = link.Groups["target"].Value.Split('#')[0];
                if (target.Length == 0 || target.Contains("://") || target.StartsWith("mailto:")) continue;
                if (!Path.Exists(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(document)!, target))))
                    broken.Add($"{Path.GetRelativePath(Root, document)}: {link.Value}");
            }
        Assert.That(File.Exists(Path.Combine(Root, "docs", "architecture.md")), Is.True);
        Assert.That(broken, Is.Empty);
    }

    [GeneratedRegex(@"DESIGN\s*§|DESIGN\.md|\.\./shared/|/work\/shared")]
    private static partial Regex OutsideReference();

    [GeneratedRegex(@"\]\((?<target>[^)\s]+)\)")]
    private static partial Regex MarkdownLink();
}
