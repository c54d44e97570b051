namespace DentalClinic;

public static class BuildTime
{
    /// <summary>
    /// True while `dotnet build` runs Program.cs only to write the OpenAPI document:
    /// nothing may then touch the database or start background work.
    /// </summary>
    public static bool IsGeneratingOpenApiDocument =>
        System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name == "GetDocument.Insider";

    /// <summary>While the build writes the OpenAPI document, stand-in settings replace the real ones (no secret or server is needed).</summary>
    public static void UseBuildTimeSettings(this WebApplicationBuilder builder)
    {
        if (!IsGeneratingOpenApiDocument) return;
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["ConnectionStrings:Default"] = "Data Source=:memory:",
            ["Jwt:SigningKey"] = "build-time-only-openapi-document-generation-key",
            ["Jobs:Enabled"] = "false",
        });
    }
}

/// <summary>An invalid configuration or an unreachable dependency: start-up stops with this message and exit code 1.</summary>
public sealed class StartupException(string message) : Exception(message);
