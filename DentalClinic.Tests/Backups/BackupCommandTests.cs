using System.Text.RegularExpressions;
using DentalClinic.Tests.Operations;
using DentalClinic.Tests.Support;

namespace DentalClinic.Tests.Backups;

/// <summary>The operator commands `backup` and `restore`, run as real processes, as operators do.</summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.Providers))]
public sealed partial class BackupCommandTests(string provider)
{
    private readonly string files = Path.Combine(TestDatabases.TempDirectory, "files-commands-" + Guid.NewGuid().ToString("N"));

    private Dictionary<string, string?> Environment(string connectionString) => new()
    {
        ["Database__Provider"] = provider,
        ["ConnectionStrings__Default"] = connectionString,
        ["Files__Local__Root"] = files,
        ["Jwt__SigningKey"] = ApiFactory.SigningKey,
        ["Auth__BcryptWorkFactor"] = "4",
        ["ADMIN_PASSWORD"] = "Operator-password-1",
    };

    [Test]
    public async Task Backup_and_restore_round_trip_and_restore_refuses_a_non_empty_database()
    {
        var source = Environment(TestDatabases.Create(provider));
        var admin = await CommandRunner.RunAsync(source, "create-admin", "ops@clinic.test", "Ops Admin");
        Assert.That(admin.ExitCode, Is.EqualTo(0), admin.Error);

        // What the backup holds: the database before it (the backup then records itself, and that is audited).
        var expected = await DatabaseSnapshot.TakeAsync(provider, source["ConnectionStrings__Default"]!);
        var backup = await CommandRunner.RunAsync(source, "backup");
        Assert.That(backup.ExitCode, Is.EqualTo(0), backup.Error + backup.Output);
        Assert.That(backup.Output, Does.Contain($"Backing up the {provider} database"));
        var id = BackupLine().Match(backup.Output);
        Assert.That(id.Success, Is.True, backup.Output);

        var targetDb = TestDatabases.Create(provider);
        var target = Environment(targetDb);
        var restore = await CommandRunner.RunAsync(target, "restore", id.Groups["id"].Value);
        Assert.That(restore.ExitCode, Is.EqualTo(0), restore.Error + restore.Output);
        Assert.That(restore.Output, Does.Contain("Restoring backup backups/").And.Contain("Restored"));
        Assert.That(await DatabaseSnapshot.TakeAsync(provider, targetDb), Is.EqualTo(expected));
        Assert.That(expected["users"].Rows, Is.EqualTo(1));

        // The application starts on the restored database: its migrations are in place.
        var migrate = await CommandRunner.RunAsync(target, "migrate");
        Assert.That(migrate.ExitCode, Is.EqualTo(0), migrate.Error);

        var refused = await CommandRunner.RunAsync(target, "restore", id.Groups["id"].Value);
        Assert.That(refused.ExitCode, Is.EqualTo(1));
        Assert.That(refused.Error, Does.Contain("not empty").And.Contain("--force"));

        var forced = await CommandRunner.RunAsync(target, "restore", id.Groups["key"].Value, "--force");
        Assert.That(forced.ExitCode, Is.EqualTo(0), forced.Error + forced.Output);
        Assert.That(forced.Output, Does.Contain("replacing its contents"));
    }

    [Test]
    public async Task Restore_of_a_missing_backup_fails_and_restore_needs_a_backup()
    {
        var env = Environment(TestDatabases.Create(provider));
        var missing = await CommandRunner.RunAsync(env, "restore", Guid.NewGuid().ToString());
        Assert.That(missing.ExitCode, Is.EqualTo(1));
        Assert.That(missing.Error, Does.Contain("No backup"));

        var usage = await CommandRunner.RunAsync(env, "restore");
        Assert.That(usage.ExitCode, Is.EqualTo(2));
        Assert.That(usage.Error, Does.Contain("restore BACKUP_ID_OR_FILE"));
    }

    [GeneratedRegex(@"Backup (?<id>[0-9a-f-]{36}) stored as (?<key>backups/\S+\.(pgdump|sqlite)) \(")]
    private static partial Regex BackupLine();
}
