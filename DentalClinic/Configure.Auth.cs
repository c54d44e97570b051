using System.Security.Cryptography;
using System.Text;
using DentalClinic.ServiceInterface;
using DentalClinic.ServiceInterface.Appointments;
using DentalClinic.ServiceInterface.AppointmentTypes;
using DentalClinic.ServiceInterface.Auth;
using DentalClinic.ServiceInterface.Infrastructure;
using DentalClinic.ServiceInterface.Patients;
using DentalClinic.ServiceInterface.Treatments;
using DentalClinic.ServiceInterface.Users;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace DentalClinic;

/// <summary>
/// Auth: HS256 JWT access tokens (Jwt:SigningKey, at least 32 bytes; only Development has a default),
/// opaque rotating refresh tokens, role policies (docs/architecture.md, "Roles"). Every bearer token is also checked
/// against the database, so logout, deactivation and password changes take effect at once.
/// </summary>
public static class ConfigureAuth
{
    // Development only; outside Development start-up refuses to run without a real key.
    private const string DevelopmentSigningKey = "DEVELOPMENT-ONLY-signing-key-do-not-use-in-production-0123456789";

    public static void AddAuth(this WebApplicationBuilder builder)
    {
        var jwtSection = builder.Configuration.GetSection("Jwt");
        var jwt = jwtSection.Get<JwtOptions>() ?? new JwtOptions();
        if (string.IsNullOrEmpty(jwt.SigningKey) && builder.Environment.IsDevelopment())
            jwt.SigningKey = DevelopmentSigningKey;
        if (Encoding.UTF8.GetByteCount(jwt.SigningKey) < 32)
            throw new StartupException(
                "Jwt:SigningKey is missing or shorter than 32 bytes. Set it with the environment variable " +
                "Jwt__SigningKey to a random secret (for example: openssl rand -base64 48).");

        builder.Services.Configure<JwtOptions>(jwtSection);
        builder.Services.PostConfigure<JwtOptions>(o => o.SigningKey = jwt.SigningKey);
        builder.Services.Configure<AuthOptions>(builder.Configuration.GetSection("Auth"));

        builder.Services.AddMemoryCache();
        builder.Services.AddSingleton<Passwords>();
        builder.Services.AddSingleton<TokenService>();
        builder.Services.AddScoped<LoginThrottle>();
        builder.Services.AddSingleton<SessionCache>();
        builder.Services.AddSingleton(new CursorCodec(
            HMACSHA256.HashData(Encoding.UTF8.GetBytes(jwt.SigningKey), "pagination-cursor"u8)));
        // The audit log's hash chain is keyed by Audit:ChainKey, or a key derived from the signing key.
        builder.Services.AddSingleton(new DentalClinic.ServiceInterface.Audit.AuditChain(
            DentalClinic.ServiceInterface.Audit.AuditChain.KeyFrom(builder.Configuration["Audit:ChainKey"], jwt.SigningKey)));
        // Data-protection keys (the jobs dashboard's anti-forgery tokens) live in the database, shared by every instance.
        // While the build writes the OpenAPI document there is no database: the keys then stay in memory.
        var dataProtection = builder.Services.AddDataProtection().SetApplicationName("DentalClinic");
        if (!BuildTime.IsGeneratingOpenApiDocument) dataProtection.PersistKeysToDbContext<DataProtectionKeysContext>();
        builder.Services.AddScoped<AuthService>();
        builder.Services.AddScoped<UsersService>();
        builder.Services.AddScoped<DentalClinic.ServiceInterface.Account.AccountService>();
        builder.Services.AddScoped<DentalClinic.ServiceInterface.Account.PasswordResetService>();
        builder.Services.AddScoped<PatientsService>();
        builder.Services.AddScoped<AppointmentTypesService>();
        builder.Services.AddScoped<AppointmentsService>();
        builder.Services.AddScoped<AvailabilityService>();
        builder.Services.AddScoped<DentalClinic.ServiceInterface.Schedule.ScheduleService>();
        builder.Services.AddSingleton<DayCalendarCache>();
        builder.Services.AddSingleton<ScheduleSnapshotCache>();
        builder.Services.AddScoped<TreatmentsService>();
        builder.Services.AddScoped<DentalClinic.ServiceInterface.Payments.PaymentsLedger>();
        builder.Services.AddScoped<DentalClinic.ServiceInterface.Payments.PaymentsService>();

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(options =>
            {
                options.MapInboundClaims = false;
                options.TokenHandlers.Clear();
                options.TokenHandlers.Add(new RememberingTokenHandler { MapInboundClaims = false });
                options.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = jwt.Issuer,
                    ValidAudience = jwt.Audience,
                    IssuerSigningKey = TokenService.SigningKey(jwt.SigningKey),
                    ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                    ValidateIssuer = true,
                    ValidateAudience = true,
                    ValidateLifetime = true,
                    ValidateIssuerSigningKey = true,
                    RequireExpirationTime = true,
                    RequireSignedTokens = true,
                    ClockSkew = jwt.ClockSkew,
                    NameClaimType = "sub",
                    RoleClaimType = "role",
                };
                options.Events = new JwtBearerEvents
                {
                    OnTokenValidated = async context =>
                    {
                        // A session found valid moments ago needs neither a DbContext nor a query.
                        var jti = context.Principal!.FindFirst(JwtRegisteredClaimNames.Jti)?.Value;
                        if (jti is not null && context.HttpContext.RequestServices.GetRequiredService<SessionCache>().IsKnownValid(jti)) return;
                        var auth = context.HttpContext.RequestServices.GetRequiredService<AuthService>();
                        if (!await auth.IsSessionValidAsync(context.Principal!, context.HttpContext.RequestAborted))
                            context.Fail("The session has ended");
                    },
                };
            });

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Admin, p => p.RequireRole(Policies.RolesOf[Policies.Admin]))
            .AddPolicy(Policies.Clinician, p => p.RequireRole(Policies.RolesOf[Policies.Clinician]))
            .AddPolicy(Policies.Staff, p => p.RequireRole(Policies.RolesOf[Policies.Staff]));
    }
}
