using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DentalClinic.Tests.Support;

/// <summary>
/// The real application on Kestrel, on a loopback port, over a fresh database of one provider.
/// Factories are shared by every fixture of a run that asks for the same provider and settings.
/// </summary>
public sealed class ApiFactory : WebApplicationFactory<Program>
{
    public const string AdminEmail = "admin@clinic.test";
    public const string AdminPassword = "Admin-password-1";
    public const string SigningKey = "test-signing-key-0123456789-0123456789-0123456789";

    private static readonly ConcurrentDictionary<string, Lazy<ApiFactory>> Shared = new();

    public string Provider { get; }
    /// <summary>Everything the application logged, at every level.</summary>
    public LogCapture Logs { get; } = new();
    /// <summary>The database; on PostgreSQL as its owner role, which the application migrates with (the API itself connects as <see cref="TestDatabases.AppRole"/>).</summary>
    public string ConnectionString { get; }
    private readonly IReadOnlyDictionary<string, string?> settings;
    private readonly Action<IServiceCollection>? services;

    private ApiFactory(string provider, IReadOnlyDictionary<string, string?> overrides, string? connectionString = null,
        Action<IServiceCollection>? services = null)
    {
        this.services = services;
        Provider = provider;
        ConnectionString = connectionString ?? TestDatabases.Create(provider);
        var defaults = new Dictionary<string, string?>
        {
            ["Database:Provider"] = provider,
            // PostgreSQL as in production: migrations as the owner role, the API as a role with rights on rows only.
            ["ConnectionStrings:Default"] = provider == TestDatabases.PostgreSql ? TestDatabases.AsAppRole(ConnectionString) : ConnectionString,
            ["ConnectionStrings:Migrations"] = provider == TestDatabases.PostgreSql ? ConnectionString : null,
            ["Files:Local:Root"] = Path.Combine(TestDatabases.TempDirectory, "files-" + Guid.NewGuid().ToString("N")),
            ["Jwt:SigningKey"] = SigningKey,
            ["Bootstrap:AdminEmail"] = AdminEmail,
            ["Bootstrap:AdminPassword"] = AdminPassword,
            // Real bcrypt at its lowest cost, so the suite is not dominated by hashing.
            ["Auth:BcryptWorkFactor"] = "4",
            ["RateLimits:PerUserPerMinute"] = "100000",
            ["RateLimits:LoginPerIpPerMinute"] = "100000",
            // API tests run without the web app; WebAppTests give it a built app of their own.
            ["WebApp:Root"] = "",
        };
        foreach (var (key, value) in overrides) defaults[key] = value;
        settings = defaults;
        UseKestrel(0);
    }

    /// <summary>The shared, started application for a provider (and optional extra settings).</summary>
    public static ApiFactory For(string provider, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        overrides ??= new Dictionary<string, string?>();
        var key = provider + "|" + string.Join(";", overrides.OrderBy(o => o.Key).Select(o => $"{o.Key}={o.Value}"));
        return Shared.GetOrAdd(key, _ => new Lazy<ApiFactory>(() =>
        {
            var factory = new ApiFactory(provider, overrides);
            factory.StartServer();
            return factory;
        })).Value;
    }

    /// <summary>
    /// A started application of its own, not shared: the caller disposes it. Over an existing
    /// database when <paramref name="connectionString"/> is given, e.g. to restart the application.
    /// </summary>
    public static ApiFactory StartOwn(string provider, IReadOnlyDictionary<string, string?>? overrides = null, string? connectionString = null,
        Action<IServiceCollection>? services = null)
    {
        var factory = new ApiFactory(provider, overrides ?? new Dictionary<string, string?>(), connectionString, services);
        factory.StartServer();
        return factory;
    }

    public static async Task DisposeAllAsync()
    {
        foreach (var factory in Shared.Values.Where(f => f.IsValueCreated)) await factory.Value.DisposeAsync();
        Shared.Clear();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        // Captures more than production logs (Debug, every category), so a test can prove nothing sensitive is logged.
        builder.ConfigureLogging(logging => logging.AddProvider(Logs).AddFilter<LogCapture>(null, LogLevel.Debug));
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
        if (services is not null) builder.ConfigureTestServices(services);
    }
}
