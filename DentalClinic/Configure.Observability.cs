using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace DentalClinic;

/// <summary>
/// Logs, traces, metrics, error reporting. Logs are JSON in Production (Logging:Console:FormatterName)
/// with the request id, user id and route in scope — ids only, never patient data.
/// OpenTelemetry exports when OpenTelemetry:OtlpEndpoint is set; Sentry reports when Sentry:Dsn is set.
/// Shutdown waits up to Host:ShutdownTimeoutSeconds for in-flight requests and jobs.
/// </summary>
public static class ConfigureObservability
{
    public static void AddObservability(this WebApplicationBuilder builder)
    {
        var config = builder.Configuration;
        builder.Services.Configure<HostOptions>(o =>
            o.ShutdownTimeout = TimeSpan.FromSeconds(config.GetValue("Host:ShutdownTimeoutSeconds", 30)));

        if (config["OpenTelemetry:OtlpEndpoint"] is { Length: > 0 } otlp)
        {
            var endpoint = new Uri(otlp);
            builder.Services.AddOpenTelemetry()
                .ConfigureResource(r => r.AddService(config["OpenTelemetry:ServiceName"] ?? "dentalclinic"))
                .WithTracing(t => t
                    .AddAspNetCoreInstrumentation(o => o.Filter = context => !context.Request.Path.StartsWithSegments("/health"))
                    .AddHttpClientInstrumentation()
                    .AddNpgsql()
                    .AddSource("Microsoft.EntityFrameworkCore")
                    .AddOtlpExporter(o => o.Endpoint = endpoint))
                .WithMetrics(m => m
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddMeter("Microsoft.EntityFrameworkCore", "Npgsql")
                    .AddOtlpExporter(o => o.Endpoint = endpoint));
        }

        if (config["Sentry:Dsn"] is { Length: > 0 } dsn)
        {
            builder.WebHost.UseSentry(o =>
            {
                o.Dsn = dsn;
                o.SendDefaultPii = false;   // no user emails, IPs, cookies or bodies: health data stays here
                o.MaxRequestBodySize = Sentry.Extensibility.RequestSize.None;
                o.Environment = builder.Environment.EnvironmentName;
            });
        }
    }

    /// <summary>Adds the signed-in user's id and the matched route template to every log entry of the request.</summary>
    public static void UseRequestLogScope(this WebApplication app)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("DentalClinic.Request");
        app.Use(async (context, next) =>
        {
            var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
            using (logger.BeginScope(new Dictionary<string, object?>
                   {
                       ["UserId"] = context.User.FindFirst("sub")?.Value,
                       ["Route"] = route,
                   }))
            {
                await next();
            }
        });
    }
}
