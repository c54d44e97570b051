using DentalClinic.ServiceInterface.Operations;
using DentalClinic.ServiceInterface.Backups;
using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceInterface.Infrastructure;
using DentalClinic.ServiceInterface.Users;
using Microsoft.EntityFrameworkCore;
using DentalClinic.ServiceModel;

namespace DentalClinic;

/// <summary>
/// Operator commands, run through the same executable instead of serving HTTP
/// (`dotnet DentalClinic.dll COMMAND` or `dotnet run --project DentalClinic -- COMMAND`); `--help` lists them.
/// Each prints its progress and exits non-zero on failure.
/// </summary>
public static class ConfigureCommands
{
    /// <summary>The operator commands, one line each, as `--help` prints them.</summary>
    private static readonly (string Name, string Usage, string What)[] Commands =
    [
        ("migrate", "migrate", "apply pending database migrations and exit"),
        ("create-admin", "create-admin EMAIL [NAME]", "create an admin (password from ADMIN_PASSWORD, or generated and printed once)"),
        ("seed-demo", "seed-demo [--patients N] [--appointments N] [--treatments N]", "fill an empty clinic with realistic demo data"),
        ("backup", "backup", "back up the database into the file store (never migrates first)"),
        ("restore", "restore BACKUP_ID_OR_FILE [--force]", "restore a backup into the configured, empty database (--force: replace its contents)"),
        ("verify-audit", "verify-audit", "check the audit log's hash chain (exit 3 when a row was altered, removed or inserted)"),
    ];

    /// <summary>
    /// Answers `--help`/`-h` (exit 0) and an unknown command (exit 2) before anything is configured or
    /// started; null when the arguments are a command to run or the server's own options (`--urls …`).
    /// </summary>
    public static int? CheckUsage(string[] args)
    {
        var first = args.FirstOrDefault();
        if (first is "--help" or "-h" or "-?" or "help")
        {
            Console.WriteLine(UsageText());
            return 0;
        }
        if (first is null || first.StartsWith('-') || Commands.Any(c => c.Name == first)) return null;
        return Usage($"Unknown command '{first}'.");
    }

    private static string UsageText()
    {
        var width = Commands.Max(c => c.Usage.Length) + 2;
        var lines = Commands.Select(c => $"  {c.Usage.PadRight(width)}{c.What}");
        return "Usage: DentalClinic [COMMAND] [--urls URL …]\n" +
               "Without a command it serves the API (and runs the background jobs). Commands:\n" +
               string.Join("\n", lines) + "\n" +
               "Each uses the application's configuration (appsettings*.json, Section__Key environment variables)\n" +
               "and exits 0 on success, 1 when it fails, 2 on wrong usage.";
    }

    public static async Task<int?> RunCommandAsync(this WebApplication app, string[] args)
    {
        var command = args.FirstOrDefault();
        if (command is null || command.StartsWith('-')) return null;
        try
        {
            return command switch
            {
                "migrate" => await MigrateAsync(app),
                "create-admin" => await CreateAdminAsync(app, args.Skip(1).ToArray()),
                "seed-demo" => await SeedDemoAsync(app, args.Skip(1).ToArray()),
                "backup" => await BackupAsync(app, args.Skip(1).ToArray()),
                "restore" => await RestoreAsync(app, args.Skip(1).ToArray()),
                "verify-audit" => await VerifyAuditAsync(app, args.Skip(1).ToArray()),
                _ => Usage($"Unknown command '{command}'."),
            };
        }
        catch (Exception e) when (e is not StartupException)
        {
            Console.Error.WriteLine($"{command} failed: {e.Message}");
            return 1;
        }
    }

    private static async Task<int> MigrateAsync(WebApplication app)
    {
        Console.WriteLine("Applying database migrations…");
        await app.MigrateDatabaseAsync();
        Console.WriteLine("Database is up to date.");
        return 0;
    }

    private static async Task<int> CreateAdminAsync(WebApplication app, string[] args)
    {
        if (args.Length is 0 or > 2) return Usage("create-admin needs an email: create-admin EMAIL [NAME]");
        await app.MigrateDatabaseAsync();
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UsersService>();
        var password = Environment.GetEnvironmentVariable("ADMIN_PASSWORD");
        var generated = string.IsNullOrEmpty(password);
        if (generated) password = UsersService.GeneratePassword();
        var request = new CreateUser(args.ElementAtOrDefault(1) ?? "Administrator", args[0], Roles.Admin, password);
        // The same rules as POST /api/users: the texts' (TextInput) and the validator's.
        var failures = new List<FieldError>();
        TextInput.Check(request, "", failures);
        failures.AddRange(new CreateUserValidator().Validate(request).Errors.Select(e => new FieldError(e.PropertyName, e.ErrorMessage)));
        if (failures.Count > 0)
        {
            foreach (var failure in failures) Console.Error.WriteLine($"{failure.Field}: {failure.Message}");
            return 1;
        }
        var admin = await users.CreateAsync(request, CancellationToken.None);
        Console.WriteLine($"Created admin {admin.Email} ({admin.Id}).");
        if (generated) Console.WriteLine($"Password (shown once): {password}");
        return 0;
    }

    private static async Task<int> SeedDemoAsync(WebApplication app, string[] args)
    {
        var size = new DemoSize();
        for (var i = 0; i < args.Length; i += 2)
        {
            if (i + 1 >= args.Length || !int.TryParse(args[i + 1], out var count) || count < 1)
                return Usage($"seed-demo: '{args[i]}' needs a positive number");
            size = args[i] switch
            {
                "--patients" => size with { Patients = count },
                "--appointments" => size with { Appointments = count },
                "--treatments" => size with { Treatments = count },
                _ => null!,
            };
            if (size is null) return Usage($"seed-demo: unknown option '{args[i]}'");
        }
        await app.MigrateDatabaseAsync();
        await using var scope = app.Services.CreateAsyncScope();
        var seeder = new DemoSeeder(ConfigureDb.SeedingContext(scope.ServiceProvider, app.Configuration),
            scope.ServiceProvider.GetRequiredService<DentalClinic.ServiceInterface.Audit.AuditInterceptor>());
        if (await seeder.HasPatientsAsync(CancellationToken.None))
        {
            Console.Error.WriteLine($"seed-demo failed: {DemoSeeder.NotEmpty}");
            return 1;
        }
        var started = System.Diagnostics.Stopwatch.StartNew();
        Console.WriteLine($"Seeding a demo clinic: {size.Patients:N0} patients, {size.Appointments:N0} appointments, {size.Treatments:N0} treatments…");
        await seeder.SeedAsync(size, line => Console.WriteLine($"  {line}"), CancellationToken.None);
        Console.WriteLine($"Done in {started.Elapsed.TotalSeconds:N1} s.");
        return 0;
    }

    private static async Task<int> BackupAsync(WebApplication app, string[] args)
    {
        if (args.Length > 0) return Usage("backup takes no arguments.");
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        // A backup is what one takes before an upgrade, so it never migrates. On a schema that
        // predates the backups table the file is stored but not recorded (and nothing is pruned).
        var recorded = (await db.Database.GetAppliedMigrationsAsync()).Any(m => m.EndsWith("_AddBackups", StringComparison.Ordinal));
        var backup = await scope.ServiceProvider.GetRequiredService<BackupService>()
            .CreateAsync(createdBy: null, CancellationToken.None, Console.WriteLine, recorded);
        Console.WriteLine($"Backup {backup.Id} stored as {backup.FileKey} ({backup.Size:N0} bytes, sha256 {backup.Sha256}).");
        if (!recorded) Console.WriteLine("Not listed in the backups table: this database's schema predates it.");
        return 0;
    }

    private static async Task<int> RestoreAsync(WebApplication app, string[] args)
    {
        var force = args.Contains("--force");
        var sources = args.Where(a => a != "--force").ToArray();
        if (sources.Length != 1 || sources[0].StartsWith('-'))
            return Usage("restore needs one backup: restore BACKUP_ID_OR_FILE [--force]");
        var provider = app.Configuration["Database:Provider"] ?? ConfigureDb.Sqlite;
        // A restore replaces the schema: on PostgreSQL with two roles it runs as the owner role.
        var connectionString = (provider.Equals(ConfigureDb.PostgreSql, StringComparison.OrdinalIgnoreCase)
                ? app.Configuration.GetConnectionString(ConfigureDb.MigrationsConnection) is { Length: > 0 } owner ? owner : null
                : null)
            ?? app.Configuration.GetConnectionString("Default") ?? "Data Source=data/dentalclinic.db";
        await using var scope = app.Services.CreateAsyncScope();
        // A missing backup or a non-empty database (without --force) fails the command with exit code 1.
        var result = await scope.ServiceProvider.GetRequiredService<RestoreService>()
            .RestoreAsync(sources[0], provider, connectionString, force, CancellationToken.None, Console.WriteLine);
        Console.WriteLine($"Restored {result.Source} ({result.Size:N0} bytes). Start the application on this database; " +
                          "it applies any newer migrations at start-up (or run `migrate`).");
        return 0;
    }

    /// <summary>Checks the audit log's hash chain; exit code 0 when intact, 3 when a row was altered, removed or inserted out of band.</summary>
    private static async Task<int> VerifyAuditAsync(WebApplication app, string[] args)
    {
        if (args.Length > 0) return Usage("verify-audit takes no arguments.");
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var result = await scope.ServiceProvider.GetRequiredService<DentalClinic.ServiceInterface.Audit.AuditChain>().VerifyAsync(db, CancellationToken.None);
        Console.WriteLine($"Audit log: {result.Rows:N0} rows, {result.RowsChecked:N0} checked in chain order ({result.RowsBeforeChain:N0} written before the chain existed).");
        Console.WriteLine($"Head: position {result.Head}, hash {result.HeadHash ?? "(none)"}");
        if (result.Problem is { } problem)
        {
            Console.WriteLine($"NOT INTACT — {problem.Kind}: {problem.Message}");
            return 3;
        }
        Console.WriteLine("Intact: every row follows its predecessor.");
        return 0;
    }

    private static int Usage(string problem)
    {
        Console.Error.WriteLine(problem);
        Console.Error.WriteLine(UsageText());
        return 2;
    }
}
