using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using DentalClinic.ServiceModel;
using DentalClinic.Tests.Support;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace DentalClinic.Tests.Hardening;

/// <summary>
/// While the database cannot be reached, requests answer 503 SERVICE_UNAVAILABLE with Retry-After
/// (not 500), and the API serves again by itself once it is back (issue 13, item 3). PostgreSQL is
/// cut with a TCP relay in front of it; SQLite by putting a directory where its file was.
/// </summary>
[NonParallelizable]
public class DatabaseOutageTests(string provider) : ApiTest(provider)
{
    [Test]
    public async Task An_unreachable_database_is_503_with_retry_after_and_service_recovers()
    {
        await using var outage = await Outage.StartAsync(Provider);
        await using var app = ApiFactory.StartOwn(Provider, new Dictionary<string, string?> { ["Auth:SessionCacheTtl"] = "00:00:00" }, outage.ConnectionString);
        var admin = app.CreateClient();
        var login = await admin.PostAsJsonAsync("/api/auth/login", new Login(ApiFactory.AdminEmail, ApiFactory.AdminPassword));
        var token = (await ReadAsync<LoginResponse>(login)).AccessToken;
        admin.DefaultRequestHeaders.Authorization = new("Bearer", token);
        Assert.That((await admin.GetAsync("/api/patients")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        outage.Cut();
        foreach (var request in new Func<Task<HttpResponseMessage>>[]
                 {
                     () => admin.GetAsync("/api/patients"),
                     () => app.CreateClient().PostAsJsonAsync("/api/auth/login", new Login(ApiFactory.AdminEmail, ApiFactory.AdminPassword)),
                 })
        {
            var response = await request();
            await AssertErrorAsync(response, HttpStatusCode.ServiceUnavailable, ErrorCodes.ServiceUnavailable);
            Assert.That(response.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero));
        }

        outage.Restore();
        HttpStatusCode status = 0;
        for (var attempt = 0; attempt < 50 && status != HttpStatusCode.OK; attempt++)
        {
            status = (await admin.GetAsync("/api/patients")).StatusCode;
            if (status != HttpStatusCode.OK) await Task.Delay(100);
        }
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), "the API did not recover once the database was back");
        Assert.That(app.Logs.Entries.Any(e => e.Contains("Unhandled exception")), Is.False);
    }

    /// <summary>A database that the test can make unreachable and bring back.</summary>
    private abstract class Outage : IAsyncDisposable
    {
        public abstract string ConnectionString { get; }
        public abstract void Cut();
        public abstract void Restore();
        public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;

        public static async Task<Outage> StartAsync(string provider) =>
            provider == TestDatabases.PostgreSql ? await PostgresOutage.StartAsync() : new SqliteOutage();
    }

    private sealed class SqliteOutage : Outage
    {
        private readonly string file = Path.Combine(TestDatabases.TempDirectory, $"outage-{Guid.NewGuid():N}.db");
        public override string ConnectionString => $"Data Source={file}";

        public override void Cut()
        {
            using (var connection = new SqliteConnection(ConnectionString)) SqliteConnection.ClearPool(connection);
            File.Move(file, file + ".away");
            Directory.CreateDirectory(file);   // cannot be opened as a database: SQLITE_CANTOPEN
        }

        public override void Restore()
        {
            Directory.Delete(file);
            File.Move(file + ".away", file);
        }
    }

    /// <summary>Relays TCP to the test PostgreSQL server; cut, it drops every relayed connection and every new one.</summary>
    private sealed class PostgresOutage : Outage
    {
        private readonly TcpListener listener = new(IPAddress.Loopback, 0);
        private readonly List<TcpClient> open = [];
        private readonly CancellationTokenSource stop = new();
        private volatile bool cut;
        private string connectionString = "";
        private string upstreamHost = "";
        private int upstreamPort;

        public override string ConnectionString => connectionString;

        public static Task<Outage> StartAsync()
        {
            var outage = new PostgresOutage();
            var database = new NpgsqlConnectionStringBuilder(TestDatabases.Create(TestDatabases.PostgreSql));
            outage.upstreamHost = database.Host!;
            outage.upstreamPort = database.Port;
            outage.listener.Start();
            database.Host = "127.0.0.1";
            database.Port = ((IPEndPoint)outage.listener.LocalEndpoint).Port;
            outage.connectionString = database.ConnectionString;
            _ = outage.AcceptAsync();
            return Task.FromResult<Outage>(outage);
        }

        private async Task AcceptAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                TcpClient client;
                try { client = await listener.AcceptTcpClientAsync(stop.Token); }
                catch (Exception) { return; }
                if (cut) { client.Dispose(); continue; }
                _ = RelayAsync(client);
            }
        }

        private async Task RelayAsync(TcpClient client)
        {
            var upstream = new TcpClient();
            lock (open) open.AddRange([client, upstream]);
            try
            {
                await upstream.ConnectAsync(upstreamHost, upstreamPort);
                var a = client.GetStream();
                var b = upstream.GetStream();
                await Task.WhenAny(a.CopyToAsync(b), b.CopyToAsync(a));
            }
            catch (Exception) { /* the relay was cut */ }
            finally
            {
                client.Dispose();
                upstream.Dispose();
            }
        }

        public override void Cut()
        {
            cut = true;
            lock (open)
            {
                foreach (var connection in open) connection.Dispose();
                open.Clear();
            }
        }

        public override void Restore() => cut = false;

        public override ValueTask DisposeAsync()
        {
            stop.Cancel();
            listener.Stop();
            Cut();
            return ValueTask.CompletedTask;
        }
    }
}
