using DentalClinic.ServiceInterface.Operations;
using DentalClinic.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace DentalClinic.Tests.Operations;

/// <summary>seed-demo's progress: one line per batch, and a last batch that is full is not reported twice.</summary>
public sealed class DemoSeederTests(string provider) : ApiTest(provider)
{
    // A database of its own: the seeder only fills a clinic without patients.
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Jobs:Enabled"] = "false", ["Test:Fixture"] = nameof(DemoSeederTests),
    };

    [Test]
    public async Task Each_progress_line_is_printed_once()
    {
        var lines = new List<string>();
        await using (var scope = App.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<DemoSeeder>()
                .SeedAsync(new DemoSize(Patients: 10, Appointments: 4, Treatments: 3) { Batch = 5 }, lines.Add, CancellationToken.None);

        Assert.That(lines, Is.Unique);
        Assert.That(lines.Where(l => l.StartsWith("patients: ")), Is.EqualTo(new[] { "patients: 5 of 10", "patients: 10 of 10" }));
        Assert.That(lines.Where(l => l.StartsWith("appointments: ")), Is.EqualTo(new[] { "appointments: 4 of 4" }));
        Assert.That(lines.Where(l => l.StartsWith("treatments: ")), Is.EqualTo(new[] { "treatments: 3 of 3" }));
    }
}
