namespace DentalClinic;

/// <summary>
/// Operator commands run through the same executable instead of serving HTTP:
///   dotnet DentalClinic.dll migrate     apply pending database migrations and exit
/// </summary>
public static class ConfigureCommands
{
    public static async Task<bool> RunCommandAsync(this WebApplication app, string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "migrate":
                Console.WriteLine("Applying database migrations…");
                await app.MigrateDatabaseAsync();
                Console.WriteLine("Database is up to date.");
                return true;
            default:
                return false;
        }
    }
}
