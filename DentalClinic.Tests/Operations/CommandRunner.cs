using System.Diagnostics;

namespace DentalClinic.Tests.Operations;

/// <summary>
/// Runs the built DentalClinic executable as operators do: `dotnet DentalClinic.dll COMMAND`, in a
/// working directory of its own that is removed afterwards.
/// </summary>
public static class CommandRunner
{
    public sealed record Result(int ExitCode, string Output, string Error, string WorkingDirectory);

    public static async Task<Result> RunAsync(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        var directory = Directory.CreateTempSubdirectory("dentalclinic-cmd-").FullName;
        try { return await RunInAsync(directory, environment, args); }
        finally { Directory.Delete(directory, recursive: true); }
    }

    private static async Task<Result> RunInAsync(string directory, IReadOnlyDictionary<string, string?> environment, string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = directory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "DentalClinic.dll"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in environment) start.Environment[key] = value;

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try { await process.WaitForExitAsync(timeout.Token); }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);   // e.g. a command that started the server instead of exiting
            throw;
        }
        return new Result(process.ExitCode, await output, await error, directory);
    }
}
