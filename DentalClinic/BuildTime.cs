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
