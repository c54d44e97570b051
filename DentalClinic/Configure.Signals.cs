using System.Runtime.InteropServices;

namespace DentalClinic;

/// <summary>
/// Ctrl-C (SIGINT) stops the server gracefully also when it was started without a terminal: a shell
/// starts background commands with SIGINT ignored, and .NET keeps an ignored SIGINT ignored, so
/// `dotnet run &amp;` or a tool that sends SIGINT could only stop it with SIGTERM. The default action
/// is restored before the host registers its own handler (graceful shutdown, as on a terminal).
/// </summary>
public static class ConfigureSignals
{
    private const int SigInt = 2;

    public static void StopOnInterruptEvenWithoutTerminal()
    {
        if (OperatingSystem.IsWindows()) return;
        try { _ = Signal(SigInt, IntPtr.Zero /* SIG_DFL */); }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { }
    }

#pragma warning disable SYSLIB1054 // LibraryImport would need unsafe code in the project for this one call
    [DllImport("libc", EntryPoint = "signal")]
    private static extern IntPtr Signal(int signal, IntPtr handler);
#pragma warning restore SYSLIB1054
}
