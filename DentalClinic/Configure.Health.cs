using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceInterface.Files;
using DentalClinic.ServiceInterface.Messaging;
using MailKit.Net.Smtp;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace DentalClinic;

/// <summary>
/// /health/live answers while the process runs; /health/ready also checks the database, the file
/// store and, when e-mail is configured, the SMTP server.
/// </summary>
public static class ConfigureHealth
{
    public static void AddHealth(this WebApplicationBuilder builder)
    {
        var checks = builder.Services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: ["ready"])
            .AddCheck<FileStoreHealthCheck>("files", tags: ["ready"]);
        if (!string.IsNullOrEmpty(builder.Configuration["Email:Smtp:Host"]))
            checks.AddCheck<SmtpHealthCheck>("smtp", tags: ["ready"]);
    }

    public static void MapHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).DisableRateLimiting();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") }).DisableRateLimiting();
    }
}

internal sealed class DatabaseHealthCheck(AppDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
        await db.Database.CanConnectAsync(ct)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("The database cannot be reached");
}

/// <summary>A read of a key that need not exist: proves the store (disk or S3 bucket) answers.</summary>
internal sealed class FileStoreHealthCheck(IFileStore files) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        try
        {
            await files.ExistsAsync("health/probe", ct);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy("The file store cannot be reached");
        }
    }
}

/// <summary>Connects to the SMTP server and says goodbye (a few seconds at most).</summary>
internal sealed class SmtpHealthCheck(IOptions<EmailOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        var smtp = options.Value.Smtp;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            using var client = new SmtpClient();
            await client.ConnectAsync(smtp.Host, smtp.Port, smtp.Security, timeout.Token);
            await client.DisconnectAsync(quit: true, timeout.Token);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is not OperationCanceledException || timeout.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("The SMTP server cannot be reached");
        }
    }
}
