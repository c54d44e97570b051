using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using DentalClinic.ServiceModel;
using DentalClinic.Tests.Operations;
using DentalClinic.Tests.Patients;
using DentalClinic.Tests.Support;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace DentalClinic.Tests.Hardening;

/// <summary>
/// The audit log's hash chain: intact under concurrent writers; a row edited, removed or inserted
/// in SQL (behind the application's back, with the append-only trigger out of the way) is reported
/// by GET /api/admin/audit/verify and by the verify-audit command.
/// </summary>
public sealed class AuditChainTests(string provider) : ApiTest(provider)
{
    [Test]
    public async Task Concurrent_writers_extend_one_intact_chain()
    {
        await using var app = ApiFactory.StartOwn(Provider);
        var admin = await SignInAsync(app);
        var before = await VerifyAsync(admin);
        var responses = await Task.WhenAll(Enumerable.Range(0, 24).Select(_ =>
            admin.PostAsJsonAsync("/api/patients", PatientTestData.NewPatient())));
        Assert.That(responses.Select(r => r.StatusCode), Is.All.EqualTo(HttpStatusCode.Created));

        var after = await VerifyAsync(admin);
        Assert.That(after.Intact, Is.True, after.Problem?.Message);
        Assert.That(after.Problem, Is.Null);
        Assert.That(after.Head - before.Head, Is.GreaterThanOrEqualTo(24));
        Assert.That(after.RowsChecked, Is.EqualTo(after.Rows));
        Assert.That(after.HeadHash, Does.Match("^[0-9a-f]{64}$"));
    }

    [Test]
    public async Task A_row_edited_in_sql_is_reported_by_the_endpoint_and_the_command()
    {
        await using var app = ApiFactory.StartOwn(Provider);
        var admin = await SignInAsync(app);
        var patient = await ReadAsync<PatientDto>(await admin.PostAsJsonAsync("/api/patients", PatientTestData.NewPatient()), HttpStatusCode.Created);
        await admin.PostAsJsonAsync("/api/patients", PatientTestData.NewPatient());
        Assert.That((await VerifyAsync(admin)).Intact, Is.True);
        Assert.That((await CommandAsync(app)).ExitCode, Is.Zero);

        var (id, seq) = await TamperAsync(app, Provider == TestDatabases.Sqlite
            ? "UPDATE audit_log SET user_role = 'dentist' WHERE table_name = 'patients' AND entity_id = @entity AND action = 'create' RETURNING id, seq"
            : "UPDATE audit_log SET user_role = 'dentist' WHERE table_name = 'patients' AND entity_id = @entity AND action = 'create' RETURNING id::text, seq",
            patient.Id.ToString());

        var report = await VerifyAsync(admin);
        Assert.That(report.Intact, Is.False);
        Assert.That(report.Problem, Is.Not.Null);
        Assert.That((report.Problem!.Kind, report.Problem.Seq, report.Problem.Id), Is.EqualTo((AuditVerificationProblems.Altered, seq, id)));

        var command = await CommandAsync(app);
        Assert.That(command.ExitCode, Is.EqualTo(3), command.Output + command.Error);
        Assert.That(command.Output, Does.Contain("altered").And.Contain(id.ToString()));
    }

    [Test]
    public async Task Rows_inserted_out_of_band_or_removed_are_reported()
    {
        await using var app = ApiFactory.StartOwn(Provider);
        var admin = await SignInAsync(app);
        for (var i = 0; i < 3; i++) await admin.PostAsJsonAsync("/api/patients", PatientTestData.NewPatient());

        // Inserted by SQL without a place in the chain.
        var forged = Guid.NewGuid();
        await ExecuteAsync(app, "INSERT INTO audit_log (id, occurred_at, user_role, action, table_name, entity_id) " +
                                $"VALUES ('{forged}', {Now()}, 'admin', 'update', 'patients', '{Guid.NewGuid()}')");
        var report = await VerifyAsync(admin);
        Assert.That((report.Problem?.Kind, report.Problem?.Id), Is.EqualTo((AuditVerificationProblems.Inserted, (Guid?)forged)));

        // Appended with the next position and a made-up hash.
        var head = report.Head;
        var appended = Guid.NewGuid();
        await ExecuteAsync(app, "INSERT INTO audit_log (id, occurred_at, user_role, action, table_name, entity_id, seq, hash) " +
                                $"VALUES ('{appended}', {Now()}, 'admin', 'update', 'patients', '{Guid.NewGuid()}', {head + 1}, '{new string('a', 64)}')");
        report = await VerifyAsync(admin);
        Assert.That((report.Problem?.Kind, report.Problem?.Seq), Is.EqualTo((AuditVerificationProblems.Altered, (long?)(head + 1))));

        // A row removed from the middle: the first gap is reported.
        await TamperAsync(app, "DELETE FROM audit_log WHERE seq = 2 RETURNING " + (Provider == TestDatabases.Sqlite ? "id" : "id::text") + ", seq", "");
        report = await VerifyAsync(admin);
        Assert.That((report.Problem?.Kind, report.Problem?.Seq), Is.EqualTo((AuditVerificationProblems.Removed, (long?)2)));
        Assert.That(report.Intact, Is.False);
    }

    internal static async Task<HttpClient> SignInAsync(ApiFactory app)
    {
        var client = app.CreateClient();
        var login = await ReadAsync<LoginResponse>(await client.PostAsJsonAsync("/api/auth/login", new Login(ApiFactory.AdminEmail, ApiFactory.AdminPassword)));
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", login.AccessToken);
        return client;
    }

    private static async Task<AuditVerification> VerifyAsync(HttpClient admin) =>
        await ReadAsync<AuditVerification>(await admin.GetAsync("/api/admin/audit/verify"));

    private Task<CommandRunner.Result> CommandAsync(ApiFactory app) => CommandRunner.RunAsync(new Dictionary<string, string?>
    {
        ["Database__Provider"] = Provider,
        ["ConnectionStrings__Default"] = Provider == TestDatabases.PostgreSql ? TestDatabases.AsAppRole(app.ConnectionString) : app.ConnectionString,
        ["Jwt__SigningKey"] = ApiFactory.SigningKey,
    }, "verify-audit");

    private string Now() => Provider == TestDatabases.Sqlite ? "'2030-01-01 00:00:00'" : "now()";

    /// <summary>Runs a statement on audit_log as its owner, with the append-only trigger out of the way; returns the (id, seq) it names.</summary>
    private async Task<(Guid Id, long Seq)> TamperAsync(ApiFactory app, string sql, string entity)
    {
        await using var connection = Open(app);
        await DisableTriggersAsync(connection);
        (Guid, long) result;
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = sql;
            if (entity.Length > 0)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = "entity";
                parameter.Value = entity;
                command.Parameters.Add(parameter);
            }
            await using var reader = await command.ExecuteReaderAsync();
            Assert.That(await reader.ReadAsync(), Is.True, "the statement changed no row");
            result = (Guid.Parse(reader.GetString(0)), reader.GetInt64(1));
        }
        await EnableTriggersAsync(connection);
        return result;
    }

    private async Task ExecuteAsync(ApiFactory app, string sql)
    {
        await using var connection = Open(app);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private DbConnection Open(ApiFactory app)
    {
        DbConnection connection = Provider == TestDatabases.Sqlite
            ? new SqliteConnection(app.ConnectionString)
            : new NpgsqlConnection(app.ConnectionString);
        connection.Open();
        return connection;
    }

    private async Task DisableTriggersAsync(DbConnection connection)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Provider == TestDatabases.Sqlite
            ? "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;"
            : "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only;";
        await command.ExecuteNonQueryAsync();
    }

    private async Task EnableTriggersAsync(DbConnection connection)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Provider == TestDatabases.Sqlite
            ? """
              CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
              CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
              """
            : "ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only;";
        await command.ExecuteNonQueryAsync();
    }
}
