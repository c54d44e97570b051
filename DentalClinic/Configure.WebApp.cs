using System.Diagnostics;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace DentalClinic;

/// <summary>
/// The clinic's web app (frontend/, a Next.js static export) served from the API's own origin, so
/// one command runs the whole clinic. WebApp:Root is the built app (default ../frontend/out; empty
/// turns serving off); WebApp:BuildOnStart (default true) builds it with npm at start-up when it is
/// missing or older than its sources. /api, /docs, /openapi, /health and the jobs dashboard keep
/// priority; /medical-history/&lt;token&gt; is answered with the form page, which reads its token from the URL.
/// </summary>
public static class ConfigureWebApp
{
    /// <summary>Paths that are never the web app's, even when no endpoint answers them (they keep the error envelope).</summary>
    private static readonly string[] ReservedPrefixes = ["/api", "/docs", "/openapi", "/health", "/scalar", JobsDashboardPath];
    private const string JobsDashboardPath = "/admin/jobs";
    /// <summary>Client-side routes with a variable last segment, each answered by one exported page.</summary>
    private static readonly (string Prefix, string Page)[] DynamicRoutes = [("/medical-history/", "medical-history.html")];

    /// <summary>The content-security policy of the app's pages (Next.js bootstraps with inline scripts).</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; " +
        "img-src 'self' data: blob: https:; font-src 'self' data:; connect-src 'self'; " +
        "frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

    /// <summary>Whether a path belongs to the API side (JSON errors, strict policy) rather than the app.</summary>
    public static bool IsApiPath(PathString path) => ReservedPrefixes.Any(p => path.StartsWithSegments(p));

    /// <summary>
    /// Builds the app when stale (WebApp:BuildOnStart), then serves it: its files, page names without
    /// ".html", the dynamic routes, and its 404 page. Called only when the server starts, after the
    /// operator commands (migrate, backup…), which never build it.
    /// </summary>
    public static void UseWebApp(this WebApplication app)
    {
        var root = WebAppRoot(app.Configuration, app.Environment.ContentRootPath);
        if (root is not null && app.Configuration.GetValue("WebApp:BuildOnStart", true) && !BuildTime.IsGeneratingOpenApiDocument &&
            !app.Environment.IsEnvironment("Testing"))
            BuildIfStale(Path.GetFullPath(Path.Combine(root, "..")), root);
        // The medical-history link points at the app's own form page when nobody chose another address.
        if (root is not null && File.Exists(Path.Combine(root, "index.html")) && string.IsNullOrEmpty(app.Configuration["Frontend:BaseUrl"]))
            app.Configuration["Frontend:ServedByApi"] = "true";
        if (root is null || !File.Exists(Path.Combine(root, "index.html")))
        {
            if (root is not null && !BuildTime.IsGeneratingOpenApiDocument)
                app.Logger.LogWarning("The web app is not built, so only the API is served. Build it with Node.js 20+: " +
                                      "cd frontend && npm ci && npm run build (then restart), or run it apart: cd frontend && npm run dev");
            return;
        }
        var files = new PhysicalFileProvider(root);
        var types = new FileExtensionContentTypeProvider();
        app.Use(async (context, next) =>
        {
            var request = context.Request;
            if (!(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method)) || IsApiPath(request.Path))
            {
                await next();
                return;
            }
            var (file, status) = Resolve(files, request.Path.Value ?? "/");
            if (file is null)
            {
                await next();
                return;
            }
            var response = context.Response;
            response.StatusCode = status;
            response.ContentType = types.TryGetContentType(file.Name, out var type) ? type : "application/octet-stream";
            response.ContentLength = file.Length;
            // Hashed build assets never change; pages and payloads are revalidated on every load.
            response.Headers.CacheControl = request.Path.StartsWithSegments("/_next/static")
                ? "public, max-age=31536000, immutable" : "no-cache";
            if (HttpMethods.IsHead(request.Method)) return;
            await response.SendFileAsync(file, context.RequestAborted);
        });
    }

    /// <summary>The file answering a path, with its status (404 with the app's not-found page for unknown pages).</summary>
    private static (IFileInfo? File, int Status) Resolve(IFileProvider files, string path)
    {
        if (path.Contains("..", StringComparison.Ordinal)) return (null, 404);
        var trimmed = path.TrimEnd('/');
        foreach (var candidate in new[] { path, trimmed + ".html", trimmed + "/index.html" })
        {
            var file = files.GetFileInfo(candidate);
            if (file is { Exists: true, IsDirectory: false }) return (file, 200);
        }
        foreach (var (prefix, page) in DynamicRoutes)
            if (path.StartsWith(prefix, StringComparison.Ordinal) && path.Length > prefix.Length && !Path.HasExtension(path))
                return (files.GetFileInfo(page), 200);
        // A file-like path (a script, an image, an RSC payload) that is missing is a plain 404, not a page.
        if (Path.HasExtension(path)) return (null, 404);
        var notFound = files.GetFileInfo("404.html");
        return notFound.Exists ? (notFound, 404) : (null, 404);
    }

    private static string? WebAppRoot(IConfiguration config, string contentRoot)
    {
        var configured = config["WebApp:Root"];
        if (configured is "") return null;
        // Relative to the working directory, like every data path (`dotnet run --project DentalClinic` runs in DentalClinic/).
        return Path.GetFullPath(configured ?? Path.Combine("..", "frontend", "out"));
    }

    /// <summary>Builds the app (npm ci when needed, npm run build) when its sources are newer than the last build.</summary>
    private static void BuildIfStale(string source, string root)
    {
        // Only this repository's frontend (a published API run from elsewhere must not build a stranger's directory).
        var package = Path.Combine(source, "package.json");
        if (!File.Exists(package) || !File.ReadAllText(package).Contains("\"name\": \"dentalclinic-frontend\"", StringComparison.Ordinal)) return;
        // next build writes index.html last: its time is the build's.
        var index = Path.Combine(root, "index.html");
        var built = File.Exists(index) ? File.GetLastWriteTimeUtc(index) : DateTime.MinValue;
        if (NewestSource(source) <= built) return;

        var fallback = built > DateTime.MinValue ? "the previous build is served" : "the API runs without it";
        if (!NpmExists())
        {
            Console.Error.WriteLine($"The web app (frontend/) needs building but npm was not found, so {fallback}. " +
                                    "Install Node.js 20+ and run: cd frontend && npm ci && npm run build");
            return;
        }
        Console.WriteLine("Building the web app (frontend/) with npm; this takes a minute or two the first time…");
        var lockFile = Path.Combine(source, "package-lock.json");
        var installed = Path.Combine(source, "node_modules", ".package-lock.json");
        var ok = (File.Exists(installed) && File.GetLastWriteTimeUtc(installed) >= File.GetLastWriteTimeUtc(lockFile)
                  || RunNpm(source, "ci --no-audit --no-fund")) && RunNpm(source, "run build");
        if (!ok) Console.Error.WriteLine($"The web app could not be built, so {fallback}. Build it by hand: cd frontend && npm ci && npm run build");
    }

    private static DateTime NewestSource(string source)
    {
        var newest = DateTime.MinValue;
        foreach (var dir in new[] { "app", "components", "lib", "services", "store", "public" })
        {
            var path = Path.Combine(source, dir);
            if (!Directory.Exists(path)) continue;
            foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories))
                newest = Max(newest, File.GetLastWriteTimeUtc(file));
        }
        foreach (var file in new[] { "package.json", "package-lock.json", "next.config.mjs", "tsconfig.json" })
            if (File.Exists(Path.Combine(source, file))) newest = Max(newest, File.GetLastWriteTimeUtc(Path.Combine(source, file)));
        return newest;
    }

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    private static bool NpmExists() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Any(dir => File.Exists(Path.Combine(dir, "npm")) || File.Exists(Path.Combine(dir, "npm.cmd")));

    private static bool RunNpm(string source, string arguments)
    {
        using var npm = Process.Start(new ProcessStartInfo("npm", arguments) { WorkingDirectory = source, UseShellExecute = false })!;
        npm.WaitForExit();
        return npm.ExitCode == 0;
    }
}
