using DentalClinic.Tests.Support;

namespace DentalClinic.Tests.Operations;

[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.Providers))]
public sealed class OperatorCommandTests(string provider)
{
    private Dictionary<string, string?> FreshDatabase() => new()
    {
        ["Database__Provider"] = provider,
        ["ConnectionStrings__Default"] = TestDatabases.Create(provider),
        ["Jwt__SigningKey"] = ApiFactory.SigningKey,
        ["Auth__BcryptWorkFactor"] = "4",
    };

    [Test]
    public async Task Migrate_applies_the_schema_and_is_idempotent()
    {
        var env = FreshDatabase();
        var first = await CommandRunner.RunAsync(env, "migrate");
        Assert.That(first.ExitCode, Is.EqualTo(0), first.Error);
        Assert.That(first.Output, Does.Contain("Applying database migrations").And.Contain("up to date"));
        Assert.That(first.Output + first.Error, Does.Not.Contain("Failed executing"), "a new database logs no failed command");
        var second = await CommandRunner.RunAsync(env, "migrate");
        Assert.That(second.ExitCode, Is.EqualTo(0), second.Error);
    }

    [Test]
    public async Task Create_admin_creates_once_and_refuses_bad_input()
    {
        var env = FreshDatabase();
        env["ADMIN_PASSWORD"] = "Operator-password-1";
        var created = await CommandRunner.RunAsync(env, "create-admin", "ops@clinic.test", "Ops Admin");
        Assert.That(created.ExitCode, Is.EqualTo(0), created.Error);
        Assert.That(created.Output, Does.Contain("Created admin ops@clinic.test"));
        Assert.That(created.Output, Does.Not.Contain("Operator-password-1"));

        var duplicate = await CommandRunner.RunAsync(env, "create-admin", "OPS@clinic.test");
        Assert.That(duplicate.ExitCode, Is.EqualTo(1));
        Assert.That(duplicate.Error, Does.Contain("already exists"));

        var control = await CommandRunner.RunAsync(env, "create-admin", "bell@clinic.test", "Ops\u0007Admin");
        Assert.That(control.ExitCode, Is.EqualTo(1));
        Assert.That(control.Error, Does.Contain("Name must not contain control characters"));

        env["ADMIN_PASSWORD"] = "weak";
        var weak = await CommandRunner.RunAsync(env, "create-admin", "weak@clinic.test");
        Assert.That(weak.ExitCode, Is.EqualTo(1));
        Assert.That(weak.Error, Does.Contain("password"));
    }

    [Test]
    public async Task Create_admin_without_a_password_prints_a_generated_one()
    {
        var result = await CommandRunner.RunAsync(FreshDatabase(), "create-admin", "generated@clinic.test");
        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(result.Output, Does.Match("Password \\(shown once\\): \\S{20,}"));
    }

    [Test]
    public async Task An_unknown_command_is_refused_with_the_list_of_commands()
    {
        var result = await CommandRunner.RunAsync(FreshDatabase(), "drop-everything");
        Assert.That(result.ExitCode, Is.EqualTo(2));
        Assert.That(result.Error, Does.Contain("Unknown command 'drop-everything'").And.Contain("seed-demo").And.Contain("restore"));
        Assert.That(result.Output, Is.Empty, "nothing started");
    }

    [TestCase("--help")]
    [TestCase("-h")]
    public async Task Help_lists_the_commands_one_line_each_and_starts_nothing(string flag)
    {
        // No database configured at all: help must not need one, nor start the server.
        var result = await CommandRunner.RunAsync(new Dictionary<string, string?>(), flag);
        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        foreach (var command in new[] { "migrate", "create-admin", "seed-demo", "backup", "restore" })
            Assert.That(result.Output.Split('\n').Count(l => l.TrimStart().StartsWith(command + " ")), Is.EqualTo(1), result.Output);
        Assert.That(result.Output, Does.Not.Contain("Now listening"));
    }

    [Test]
    public async Task A_command_never_builds_the_web_app()
    {
        // A web app that needs building (sources, no build) and an `npm` on the PATH that only leaves a mark:
        // starting the server would build it (WebApp:BuildOnStart), an operator command must not.
        var directory = Directory.CreateTempSubdirectory("dentalclinic-webapp-").FullName;
        try
        {
            var source = Path.Combine(directory, "frontend");
            Directory.CreateDirectory(Path.Combine(source, "app"));
            await File.WriteAllTextAsync(Path.Combine(source, "package.json"), "{\n  \"name\": \"dentalclinic-frontend\"\n}\n");
            await File.WriteAllTextAsync(Path.Combine(source, "app", "page.tsx"), "export default function Page() { return null; }\n");
            var bin = Directory.CreateDirectory(Path.Combine(directory, "bin")).FullName;
            var mark = Path.Combine(directory, "npm-ran");
            var npm = Path.Combine(bin, "npm");
            await File.WriteAllTextAsync(npm, $"#!/bin/sh\necho \"$@\" >> '{mark}'\nexit 1\n");
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(npm, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

            var env = FreshDatabase();
            env["WebApp__Root"] = Path.Combine(source, "out");
            env["PATH"] = bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH");
            var result = await CommandRunner.RunAsync(env, "migrate");
            Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
            Assert.That(File.Exists(mark), Is.False, "npm ran during `migrate`");
            Assert.That(result.Output + result.Error, Does.Not.Contain("web app"));
        }
        finally { Directory.Delete(directory, recursive: true); }
    }

    [Test]
    public async Task A_command_leaves_no_working_directory_behind()
    {
        var result = await CommandRunner.RunAsync(FreshDatabase(), "migrate");
        Assert.That(result.ExitCode, Is.EqualTo(0), result.Error);
        Assert.That(Directory.Exists(result.WorkingDirectory), Is.False);
    }
}

/// <summary>Start-up fails fast, with a message that says what to fix, on an invalid configuration.</summary>
public sealed class ConfigurationValidationTests
{
    private static readonly string GoodKey = ApiFactory.SigningKey;

    [Test]
    public async Task Missing_signing_key_outside_development_stops_start_up()
    {
        var result = await CommandRunner.RunAsync(new Dictionary<string, string?>
        {
            ["Database__Provider"] = "Sqlite", ["Jwt__SigningKey"] = "",
        }, "migrate");
        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Error, Does.Contain("Jwt:SigningKey").And.Contain("Jwt__SigningKey"));
    }

    [Test]
    public async Task Short_signing_key_stops_start_up()
    {
        var result = await CommandRunner.RunAsync(new Dictionary<string, string?>
        {
            ["Database__Provider"] = "Sqlite", ["Jwt__SigningKey"] = "too-short",
        }, "migrate");
        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Error, Does.Contain("shorter than 32 bytes"));
    }

    [Test]
    public async Task Unknown_provider_stops_start_up()
    {
        var result = await CommandRunner.RunAsync(new Dictionary<string, string?>
        {
            ["Database__Provider"] = "Oracle", ["Jwt__SigningKey"] = GoodKey,
        }, "migrate");
        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Error, Does.Contain("'Oracle' is not supported"));
    }

    [Test]
    public async Task PostgreSQL_without_a_connection_string_stops_start_up()
    {
        var result = await CommandRunner.RunAsync(new Dictionary<string, string?>
        {
            ["Database__Provider"] = "PostgreSQL", ["Jwt__SigningKey"] = GoodKey,
        }, "migrate");
        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Error, Does.Contain("ConnectionStrings__Default"));
    }

    [TestCase("PostgreSQL", "Host=127.0.0.1;Max Pool Size=4;Password=s3cret-value")]
    [TestCase("Sqlite", "Data Source=x.db;Flavour=strong;Password=s3cret-value")]
    public async Task A_malformed_connection_string_stops_start_up_without_showing_it(string provider, string connectionString)
    {
        var result = await CommandRunner.RunAsync(new Dictionary<string, string?>
        {
            ["Database__Provider"] = provider, ["ConnectionStrings__Default"] = connectionString, ["Jwt__SigningKey"] = GoodKey,
        }, "migrate");
        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Error, Does.Contain("ConnectionStrings:Default is not a valid"));
        Assert.That(result.Error, Does.Not.Contain("s3cret-value").And.Not.Contain("Unhandled exception"));
    }

    [Test]
    public async Task Unreachable_database_stops_start_up_after_bounded_retries()
    {
        var result = await CommandRunner.RunAsync(new Dictionary<string, string?>
        {
            ["Database__Provider"] = "PostgreSQL",
            ["ConnectionStrings__Default"] = "Host=127.0.0.1;Port=1;Username=nobody;Timeout=2",
            ["Database__StartupRetries"] = "2",
            ["Jwt__SigningKey"] = GoodKey,
        });
        Assert.That(result.ExitCode, Is.EqualTo(1));
        Assert.That(result.Error, Does.Contain("cannot be reached after 2 attempts"));
    }
}

[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.Providers))]
public sealed class SeedDemoCommandTests(string provider)
{
    [Test]
    public async Task Seed_demo_fills_an_empty_clinic_once()
    {
        var env = new Dictionary<string, string?>
        {
            ["Database__Provider"] = provider,
            ["ConnectionStrings__Default"] = TestDatabases.Create(provider),
            ["Jwt__SigningKey"] = ApiFactory.SigningKey,
            ["Jobs__Enabled"] = "false",
        };
        var seeded = await CommandRunner.RunAsync(env, "seed-demo", "--patients", "30", "--appointments", "60", "--treatments", "90");
        Assert.That(seeded.ExitCode, Is.EqualTo(0), seeded.Error);
        Assert.That(seeded.Output, Does.Contain("patients: 30 of 30").And.Contain("treatments: 90 of 90").And.Contain("Done in"));

        var again = await CommandRunner.RunAsync(env, "seed-demo", "--patients", "5");
        Assert.That(again.ExitCode, Is.EqualTo(1));
        Assert.That(again.Error, Does.Contain("already has patients"));
        Assert.That(again.Output, Does.Not.Contain("Seeding"), "refuses before announcing anything");

        var bad = await CommandRunner.RunAsync(env, "seed-demo", "--patients", "many");
        Assert.That(bad.ExitCode, Is.EqualTo(2));
    }
}

/// <summary>The README's first command: on nothing but defaults (Development, SQLite under ./data) the API starts, says how to log in, and is ready.</summary>
public sealed class FirstStartTests
{
    [Test]
    public async Task A_fresh_start_on_the_embedded_default_prints_the_admin_login_and_is_ready()
    {
        var directory = Directory.CreateTempSubdirectory("dentalclinic-first-start-").FullName;
        var port = FreePort();
        var start = new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "DentalClinic.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["Jobs__Enabled"] = "false";
        // The web app is built and served apart (test.sh builds it after this suite); a clean clone has no build yet.
        start.Environment["WebApp__BuildOnStart"] = "false";
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        try
        {
            using var http = new HttpClient();
            var started = System.Diagnostics.Stopwatch.StartNew();
            HttpResponseMessage? ready = null;
            while (started.Elapsed < TimeSpan.FromMinutes(3) && ready?.IsSuccessStatusCode != true)
            {
                try { ready = await http.GetAsync($"http://127.0.0.1:{port}/health/ready"); }
                catch (HttpRequestException) { await Task.Delay(200); }
            }
            Assert.That(ready?.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.OK));
            string printed;
            lock (output) printed = output.ToString();
            Assert.That(printed, Does.Contain("email:    admin@dentalclinic.local").And.Match(@"password: \S{20,}"));
            Assert.That(File.Exists(Path.Combine(directory, "data", "dentalclinic.db")), Is.True, "SQLite under ./data");
            // No warning a new user cannot act on (EF's PRAGMA foreign_keys notice on a fresh SQLite database was one);
            // "the web app is not built" stays: it says what to do.
            Assert.That(printed, Does.Not.Contain("warn: Microsoft.EntityFrameworkCore"));
            // The start-up log says where the data went, as full paths.
            Assert.That(printed, Does.Contain(Path.Combine(directory, "data", "dentalclinic.db"))
                .And.Contain(Path.Combine(directory, "data", "files")), printed);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public async Task Ctrl_c_stops_the_server_also_when_started_without_a_terminal()
    {
        // A shell starts a background command with SIGINT ignored (`dotnet run &`, CI runners, tools).
        var directory = Directory.CreateTempSubdirectory("dentalclinic-sigint-").FullName;
        var port = FreePort();
        var start = new System.Diagnostics.ProcessStartInfo("/bin/sh")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = directory,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("trap '' INT; exec dotnet \"$0\" --urls \"$1\"");
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "DentalClinic.dll"));
        start.ArgumentList.Add($"http://127.0.0.1:{port}");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["Jobs__Enabled"] = "false";
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        try
        {
            using var http = new HttpClient();
            var started = System.Diagnostics.Stopwatch.StartNew();
            var ready = false;
            while (!ready && started.Elapsed < TimeSpan.FromMinutes(3))
            {
                try { ready = (await http.GetAsync($"http://127.0.0.1:{port}/health/live")).IsSuccessStatusCode; }
                catch (HttpRequestException) { await Task.Delay(200); }
            }
            Assert.That(ready, Is.True);
            using (var kill = System.Diagnostics.Process.Start("kill", ["-INT", process.Id.ToString()])) await kill.WaitForExitAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(timeout.Token);
            Assert.That(process.ExitCode, Is.EqualTo(0));
            Assert.That(await output, Does.Contain("Application is shutting down"), "a graceful shutdown");
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
