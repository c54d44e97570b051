using System.Runtime.CompilerServices;

namespace DentalClinic.Tests.Support;

internal static class TestEnvironment
{
    /// <summary>
    /// The suite starts many application hosts (and operator commands as child processes, which inherit
    /// this): none watches its appsettings files, so the suite does not run out of the machine's inotify
    /// instances (128 per user by default).
    /// </summary>
    [ModuleInitializer]
    internal static void DoNotWatchConfigurationFiles() =>
        Environment.SetEnvironmentVariable("DOTNET_hostBuilder__reloadConfigOnChange", "false");
}
