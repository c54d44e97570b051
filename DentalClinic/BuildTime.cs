namespace DentalClinic;

public static class BuildTime
{
    /// <summary>
    /// True while `dotnet build` runs Program.cs only to write the OpenAPI document:
    /// nothing may then touch the database or start background work.
    /// </summary>
    public static bool IsGeneratingOpenApiDocument =>
        System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name == "GetDocument.Insider";
}

/// <summary>An invalid configuration or an unreachable dependency: start-up stops with this message and exit code 1.</summary>
public sealed class StartupException(string message) : Exception(message);
