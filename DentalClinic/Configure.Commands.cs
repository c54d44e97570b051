using DentalClinic.ServiceInterface.Operations;
using DentalClinic.ServiceInterface.Users;
using DentalClinic.ServiceModel;

namespace DentalClinic;

/// <summary>
/// Operator commands, run through the same executable instead of serving HTTP
/// (`dotnet DentalClinic.dll COMMAND` or `dotnet run --project DentalClinic -- COMMAND`):
///   migrate                                  apply pending database migrations
///   create-admin EMAIL [NAME]                create an admin (password from ADMIN_PASSWORD or generated and printed)
///   seed-demo [--patients N] [--appointments N] [--treatments N]   fill an empty clinic with realistic demo data
/// Each prints its progress and exits non-zero on failure.
/// </summary>
public static class ConfigureCommands
{
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
        var failures = new CreateUserValidator().Validate(request).Errors;
        if (failures.Count > 0)
        {
            foreach (var failure in failures) Console.Error.WriteLine($"{failure.PropertyName}: {failure.ErrorMessage}");
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
        var started = System.Diagnostics.Stopwatch.StartNew();
        Console.WriteLine($"Seeding a demo clinic: {size.Patients:N0} patients, {size.Appointments:N0} appointments, {size.Treatments:N0} treatments…");
        await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(size, line => Console.WriteLine($"  {line}"), CancellationToken.None);
        Console.WriteLine($"Done in {started.Elapsed.TotalSeconds:N1} s.");
        return 0;
    }

    private static int Usage(string problem)
    {
        Console.Error.WriteLine(problem);
        Console.Error.WriteLine("Commands: migrate | create-admin EMAIL [NAME] | seed-demo [--patients N] [--appointments N] [--treatments N]");
        return 2;
    }
}
