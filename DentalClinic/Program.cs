using DentalClinic;

if (ConfigureCommands.CheckUsage(args) is { } usageExitCode) return usageExitCode;
ConfigureSignals.StopOnInterruptEvenWithoutTerminal();

try
{
    // appsettings*.json are read from beside DentalClinic.dll wherever it is started from (README: Configuration).
    var builder = WebApplication.CreateBuilder(new WebApplicationOptions
    {
        Args = args,
        ContentRootPath = Path.GetDirectoryName(typeof(Program).Assembly.Location),
    });
    builder.UseBuildTimeSettings();

    builder.AddObservability();
    builder.AddDatabase();
    builder.AddAuth();
    builder.AddApi();
    builder.AddProxySupport();
    builder.AddMessaging();
    builder.AddHealth();
    builder.AddFiles();
    builder.AddBackups();
    builder.AddMedicalHistory();
    builder.AddOpenApiDocs();
    builder.AddJobs();

    var app = builder.Build();

    if (await app.RunCommandAsync(args) is { } exitCode) return exitCode;

    await app.PrepareDatabaseAsync();

    app.UseProxySupport();
    app.UseApi();
    app.UseWebApp();
    app.UseAuthentication();
    app.UseRequestLogScope();
    app.UseRateLimits();
    app.UseAuthorization();
    app.MapHealth();
    app.MapOpenApiDocs();
    app.MapJobs();
    app.MapDentalClinicApi();

    await app.RunAsync();
    return 0;
}
catch (StartupException e)
{
    Console.Error.WriteLine($"DentalClinic cannot start: {e.Message}");
    return 1;
}

public partial class Program;
