using DentalClinic.ServiceInterface.Schedule;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.RateLimiting;
using DentalClinic.ServiceInterface;
using DentalClinic.ServiceInterface.Account;
using DentalClinic.ServiceInterface.Audit;
using DentalClinic.ServiceInterface.Appointments;
using DentalClinic.ServiceInterface.AppointmentTypes;
using DentalClinic.ServiceInterface.Auth;
using DentalClinic.ServiceInterface.Backups;
using DentalClinic.ServiceInterface.Files;
using DentalClinic.ServiceInterface.Infrastructure;
using DentalClinic.ServiceInterface.MedicalHistory;
using DentalClinic.ServiceInterface.Messaging;
using DentalClinic.ServiceInterface.Settings;
using DentalClinic.ServiceInterface.Jobs;
using DentalClinic.ServiceInterface.Patients;
using DentalClinic.ServiceInterface.Payments;
using DentalClinic.ServiceInterface.Reminders;
using DentalClinic.ServiceInterface.Treatments;
using DentalClinic.ServiceInterface.Users;
using DentalClinic.ServiceModel;
using FluentValidation;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.RateLimiting;

namespace DentalClinic;

/// <summary>
/// The HTTP contract (docs/architecture.md) for every request, handled or not: the error envelope,
/// request ids, validation, JSON options, body limits, CORS (Cors:Origins), security headers
/// and rate limits (RateLimits:*).
/// </summary>
public static class ConfigureApi
{
    public const string RequestIdHeader = "X-Request-Id";

    public static void AddApi(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var config = builder.Configuration;

        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        // Numbers are JSON numbers: "12" for a number is a 400 naming the field, and the API document types them plainly.
        // Money (every decimal) reads only exact JSON numbers and is written in one form: 80.1, never 80.100000.
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
            o.SerializerOptions.Converters.Add(new MoneyJsonConverter());
        });
        services.AddExceptionHandler<ErrorEnvelopeExceptionHandler>();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = config.GetValue("Api:MaxJsonBodyBytes", 1_048_576L);
            // Long enough that an over-long query (a 10,000-character search) reaches the validators and
            // is answered in the envelope rather than refused by Kestrel with an empty 414 (README: Limits).
            k.Limits.MaxRequestLineSize = config.GetValue("Api:MaxRequestLineBytes", 65_536);
            k.Limits.MaxRequestHeadersTotalSize = Math.Max(k.Limits.MaxRequestHeadersTotalSize, k.Limits.MaxRequestLineSize + 32_768);
        });

        // Singletons: a validator holds no request state, and building one (its rules' expression trees) on
        // every request cost a booking ~2 % of its CPU.
        services.AddValidatorsFromAssemblyContaining<LoginValidator>(ServiceLifetime.Singleton);
        ValidatorOptions.Global.PropertyNameResolver = (_, member, _) =>
            member is null ? null : JsonNamingPolicy.CamelCase.ConvertName(member.Name);
        // Messages use the words of the form ("Total price must be…"), and a field gets one message: its first broken rule.
        ValidatorOptions.Global.DisplayNameResolver = DisplayNames.Resolve;
        ValidatorOptions.Global.DefaultRuleLevelCascadeMode = CascadeMode.Stop;

        var origins = config.GetSection("Cors:Origins").Get<string[]>() ?? [];
        services.AddCors(o => o.AddDefaultPolicy(policy =>
        {
            // Tokens travel in headers, never cookies: credentials are not allowed cross-origin.
            if (origins.Contains("*")) policy.AllowAnyOrigin();
            else policy.WithOrigins(origins);
            policy.AllowAnyHeader().AllowAnyMethod()
                .WithExposedHeaders([RequestIdHeader, "Location", "Retry-After", "ETag", .. RequestRateLimiter.Headers]);
        }));

        AddRateLimits(services, config);
    }

    public static void UseApi(this WebApplication app)
    {
        app.Use(AddRequestIdAndSecurityHeaders);
        app.UseExceptionHandler(new ExceptionHandlerOptions { ExceptionHandler = _ => Task.CompletedTask });
        app.UseStatusCodePages(WriteEnvelopeForEmptyErrorAsync);
        if (!app.Environment.IsDevelopment()) app.UseHsts();
        app.UseRouting();
        app.UseCors();
        app.Use(RequestCharset.RequireUtf8);
        app.Use(ApplyEndpointBodySizeLimit);
    }

    /// <summary>Every API feature's endpoints, under /api, signed-in by default, validated by one filter.</summary>
    public static void MapDentalClinicApi(this WebApplication app)
    {
        var api = app.MapGroup("/api")
            .RequireAuthorization(Policies.Staff)
            .AddEndpointFilterFactory(ValidationFilter.Create)
            .WithErrorResponses();

        api.MapAuthApi();
        api.MapAccountApi();
        api.MapUsersApi();
        api.MapMedicalHistoryApi();
        api.MapSettingsApi();
        api.MapFilesApi();
        api.MapAuditApi();
        api.MapJobsApi();
        api.MapBackupsApi();
        api.MapPatientsApi();
        api.MapAppointmentTypesApi();
        api.MapScheduleApi();
        api.MapAppointmentsApi();
        api.MapRemindersApi();
        api.MapMessagingStatusApi();
        api.MapTreatmentsApi();
        api.MapPaymentsApi();
        if (app.Environment.IsEnvironment("Testing")) api.MapGet("/test/crash", CrashForTests).AllowAnonymous().ExcludeFromDescription();
    }

    private static IResult CrashForTests() =>
        throw new InvalidOperationException("Simulated failure: SELECT secret FROM /var/lib/dentalclinic");

    public static void UseRateLimits(this WebApplication app) => app.UseRateLimiter();

    private static void AddRateLimits(IServiceCollection services, IConfiguration config)
    {
        var perUser = config.GetValue("RateLimits:PerUserPerMinute", 600);
        var loginPerIp = config.GetValue("RateLimits:LoginPerIpPerMinute", 30);
        var medicalHistoryPerIp = config.GetValue("RateLimits:MedicalHistoryPerIpPerMinute", 30);

        services.AddRateLimiter(o =>
        {
            // Per user (per IP when anonymous), plus per IP on sign-in and the public medical-history form;
            // every limited response carries the RateLimit-* headers (RequestRateLimiter).
            o.GlobalLimiter = new RequestRateLimiter(perUser, new Dictionary<string, int>
            {
                [AuthApi.LoginRateLimit] = loginPerIp,
                [MedicalHistoryApi.PublicRateLimit] = medicalHistoryPerIp,
            });
            o.OnRejected = async (context, ct) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString();
                await ErrorEnvelope.WriteAsync(context.HttpContext, StatusCodes.Status429TooManyRequests, ErrorEnvelope.Create(429));
            };
        });
    }

    private static async Task WriteEnvelopeForEmptyErrorAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        if (http.Response.HasStarted || http.Response.ContentLength > 0 || http.Response.ContentType is not null) return;
        await ErrorEnvelope.WriteAsync(http, http.Response.StatusCode, ErrorEnvelope.Create(http.Response.StatusCode));
    }

    private static Task AddRequestIdAndSecurityHeaders(HttpContext context, Func<Task> next)
    {
        // Read now: a sub-pipeline (the jobs dashboard) may have moved part of the path into PathBase by then.
        var path = context.Request.PathBase + context.Request.Path;
        // Set when the response starts, so that error responses written after the exception
        // handler has cleared the response carry them too.
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers[RequestIdHeader] = context.TraceIdentifier;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "no-referrer";
            headers.XFrameOptions = "DENY";
            // The API serves JSON; its only HTML is the API reference at /docs and the jobs dashboard
            // (its scripts and styles are files of its own; no inline script). Other paths are the web app's.
            headers.ContentSecurityPolicy = path.StartsWithSegments("/docs")
                ? "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
                : path.StartsWithSegments(JobsDashboardAccess.DashboardPath)
                ? "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
                : ConfigureWebApp.IsApiPath(path) ? "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
                : ConfigureWebApp.ContentSecurityPolicy;
            return Task.CompletedTask;
        });
        return next();
    }

    /// <summary>Lets an endpoint with request-size metadata (e.g. a file upload) raise the global JSON body limit.</summary>
    private static Task ApplyEndpointBodySizeLimit(HttpContext context, Func<Task> next)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>() is { } limit &&
            context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            feature.MaxRequestBodySize = limit.MaxRequestBodySize;
        return next();
    }

    private static TBuilder WithErrorResponses<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(
            new ProducesResponseTypeMetadata(StatusCodes.Status400BadRequest, typeof(ErrorResponse), ["application/json"]),
            new ProducesResponseTypeMetadata(StatusCodes.Status401Unauthorized, typeof(ErrorResponse), ["application/json"]),
            new ProducesResponseTypeMetadata(StatusCodes.Status403Forbidden, typeof(ErrorResponse), ["application/json"]),
            new ProducesResponseTypeMetadata(StatusCodes.Status404NotFound, typeof(ErrorResponse), ["application/json"]),
            new ProducesResponseTypeMetadata(StatusCodes.Status429TooManyRequests, typeof(ErrorResponse), ["application/json"]),
            new ProducesResponseTypeMetadata(StatusCodes.Status500InternalServerError, typeof(ErrorResponse), ["application/json"]));
}

/// <summary>Turns every exception into the error envelope; unexpected ones are logged with the request id and reveal nothing.</summary>
internal sealed class ErrorEnvelopeExceptionHandler(ILogger<ErrorEnvelopeExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        switch (exception)
        {
            case ApiException api:
                await ErrorEnvelope.WriteAsync(context, api.Status, new ErrorResponse(new ErrorBody(api.Code, api.Message, api.Details ?? [])));
                break;
            case LoginThrottledException throttled:
                context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(throttled.RetryAfter.TotalSeconds)).ToString();
                await ErrorEnvelope.WriteAsync(context, 429, ErrorEnvelope.Create(429, "Too many failed logins; try again later"));
                break;
            case BadHttpRequestException bad when BadRequests.AsValidationError(bad) is { } named:
                await ErrorEnvelope.WriteAsync(context, 400, named);
                break;
            case BadHttpRequestException bad:
                await ErrorEnvelope.WriteAsync(context, bad.StatusCode, ErrorEnvelope.Create(bad.StatusCode, BadRequestMessage(bad), BadRequestDetails(bad)));
                break;
            case var outage when DatabaseOutage.Is(outage):
                logger.LogWarning("Database unavailable for request {RequestId}: {Reason}", context.TraceIdentifier, outage.GetBaseException().Message);
                context.Response.Headers.RetryAfter = DatabaseOutage.RetryAfterSeconds.ToString();
                await ErrorEnvelope.WriteAsync(context, 503, ErrorEnvelope.Create(503));
                break;
            default:
                logger.LogError(exception, "Unhandled exception for request {RequestId}", context.TraceIdentifier);
                await ErrorEnvelope.WriteAsync(context, 500, ErrorEnvelope.Create(500));
                break;
        }
        return true;
    }

    private static string? BadRequestMessage(BadHttpRequestException bad) => bad.StatusCode switch
    {
        400 when bad.InnerException is JsonException => "The request body is not valid JSON for this endpoint",
        400 when bad.Message.StartsWith("Required parameter") => "A required value is missing",
        400 => "The request is malformed",
        _ => null,
    };

    private static IReadOnlyList<FieldError>? BadRequestDetails(BadHttpRequestException bad) =>
        bad.InnerException is JsonException { Path: { Length: > 1 } path }
            ? [new FieldError(path.TrimStart('$', '.'), "Invalid value")]
            : null;
}
