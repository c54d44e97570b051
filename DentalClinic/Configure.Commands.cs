using DentalClinic.ServiceInterface.Users;
using DentalClinic.ServiceModel;

namespace DentalClinic;

/// <summary>
/// Operator commands, run through the same executable instead of serving HTTP
/// (`dotnet DentalClinic.dll COMMAND` or `dotnet run --project DentalClinic -- COMMAND`):
///   migrate                                  apply pending database migrations
///   create-admin EMAIL [NAME]                create an admin (password from ADMIN_PASSWORD or generated and printed)
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

    private static int Usage(string problem)
    {
        Console.Error.WriteLine(problem);
        Console.Error.WriteLine("Commands: migrate | create-admin EMAIL [NAME]");
        return 2;
    }
}
