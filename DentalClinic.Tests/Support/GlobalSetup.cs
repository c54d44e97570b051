[assembly: Parallelizable(ParallelScope.Fixtures)]
[assembly: LevelOfParallelism(4)]

namespace DentalClinic.Tests.Support;

[SetUpFixture]
public sealed class GlobalSetup
{
    [OneTimeTearDown]
    public async Task StopServers()
    {
        await ApiFactory.DisposeAllAsync();
        try { Directory.Delete(TestDatabases.TempDirectory, recursive: true); } catch (IOException) { }
    }
}

internal static class TestProcess
{
    /// <summary>
    /// The suite starts dozens of application hosts (and child processes), each of which would watch its
    /// appsettings files for changes: one inotify instance apiece, against a per-user limit (often 128)
    /// shared with everything else on the machine. None of the tests changes those files.
    /// </summary>
    [System.Runtime.CompilerServices.ModuleInitializer]
    internal static void DoNotWatchConfigurationFiles() =>
        Environment.SetEnvironmentVariable("DOTNET_hostBuilder__reloadConfigOnChange", "false");
}
