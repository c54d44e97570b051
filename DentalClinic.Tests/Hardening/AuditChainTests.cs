using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using DentalClinic.ServiceInterface.Audit;
using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceInterface.Patients;
using DentalClinic.ServiceModel;
using DentalClinic.Tests.Operations;
using DentalClinic.Tests.Patients;
using DentalClinic.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
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

    [Test]
    public async Task A_saved_but_uncommitted_audited_change_does_not_hold_up_another_writers_commit()
    {
        // The chain's lock is taken as a transaction commits, not at its first audited save: a transaction that
        // has saved an audited change and not committed keeps no other writer waiting (PostgreSQL). The chain
        // follows the commit order, not the order of the saves. SQLite admits one writer at a time, so there the
        // second writer waits for the first one's commit and comes after it.
        await using var app = ApiFactory.StartOwn(Provider);
        var admin = await SignInAsync(app);
        var first = NewPatient();
        var second = NewPatient();
        await using var firstScope = app.Services.CreateAsyncScope();
        var firstDb = firstScope.ServiceProvider.GetRequiredService<AppDbContext>();
        await using (var tx = await firstDb.Database.BeginTransactionAsync())
        {
            firstDb.Patients.Add(first);
            await firstDb.SaveChangesAsync();

            var other = SaveAsync(app, second);
            if (Provider == TestDatabases.PostgreSql)
            {
                Assert.That(await Task.WhenAny(other, Task.Delay(TimeSpan.FromSeconds(10))), Is.SameAs(other),
                    "an audited write waited for another transaction's uncommitted save");
                await other;
                await tx.CommitAsync();
            }
            else
            {
                await tx.CommitAsync();
                await other;
            }
        }

        var (firstSeq, secondSeq) = (await SeqOfAsync(app, first.Id), await SeqOfAsync(app, second.Id));
        Assert.That(Provider == TestDatabases.PostgreSql ? secondSeq < firstSeq : firstSeq < secondSeq, Is.True, $"{firstSeq}, {secondSeq}");
        var report = await VerifyAsync(admin);
        Assert.That(report.Intact, Is.True, report.Problem?.Message);
        Assert.That(report.Head, Is.EqualTo(Math.Max(firstSeq, secondSeq)));
    }

    [Test]
    public async Task Many_writers_committing_and_rolling_back_at_once_leave_one_intact_chain_of_the_committed_rows()
    {
        await using var app = ApiFactory.StartOwn(Provider);
        var admin = await SignInAsync(app);
        var patients = Enumerable.Range(0, 32).Select(_ => NewPatient()).ToList();
        await Task.WhenAll(patients.Select(async (patient, i) =>
        {
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            await using var tx = await db.Database.BeginTransactionAsync();
            db.Patients.Add(patient);
            await db.SaveChangesAsync();
            await Task.Delay(Random.Shared.Next(20));
            patient.Address = "Two audited saves in one transaction";
            await db.SaveChangesAsync();
            if (i % 4 == 3) await tx.RollbackAsync();
            else await tx.CommitAsync();
        }));

        var report = await VerifyAsync(admin);
        Assert.That(report.Intact, Is.True, report.Problem?.Message);
        Assert.That(report.RowsChecked, Is.EqualTo(report.Rows));
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        for (var i = 0; i < patients.Count; i++)
        {
            var id = patients[i].Id.ToString();
            var actions = await db.Set<AuditEntry>().Where(a => a.EntityId == id).OrderBy(a => a.Seq).Select(a => a.Action).ToListAsync();
            Assert.That(actions, Is.EqualTo(i % 4 == 3 ? Array.Empty<string>() : new[] { AuditActions.Create, AuditActions.Update }), $"patient {i}");
        }
    }

    [Test]
    public async Task A_commit_whose_audit_rows_cannot_be_written_leaves_neither_the_change_nor_a_part_of_the_chain()
    {
        await using var app = ApiFactory.StartOwn(Provider);
        var admin = await SignInAsync(app);
        await SaveAsync(app, NewPatient());
        var before = await VerifyAsync(admin);
        var patient = NewPatient();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var existing = await db.Set<AuditEntry>().OrderBy(a => a.Seq).Select(a => a.Id).FirstAsync();
            await using var tx = await db.Database.BeginTransactionAsync();
            db.Patients.Add(patient);
            await db.SaveChangesAsync();
            // An access event that reuses an audit row's id: its INSERT fails at the commit, with the patient's audit row.
            var clash = scope.ServiceProvider.GetRequiredService<AuditInterceptor>().NewEntry(AuditActions.Access, "patients", patient.Id.ToString());
            clash.Id = existing;
            db.Set<AuditEntry>().Add(clash);
            await db.SaveChangesAsync();
            Assert.That(async () => await tx.CommitAsync(), Throws.InstanceOf<DbException>());
        }

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            Assert.That(await db.Patients.AnyAsync(p => p.Id == patient.Id), Is.False);
            Assert.That(await db.Set<AuditEntry>().AnyAsync(a => a.EntityId == patient.Id.ToString()), Is.False);
        }
        var after = await VerifyAsync(admin);
        Assert.That(after.Intact, Is.True, after.Problem?.Message);
        Assert.That((after.Head, after.HeadHash), Is.EqualTo((before.Head, before.HeadHash)));
        // The chain goes on from there.
        await SaveAsync(app, NewPatient());
        after = await VerifyAsync(admin);
        Assert.That((after.Intact, after.Head), Is.EqualTo((true, before.Head + 1)));
    }

    [Test]
    public async Task A_transaction_with_more_audit_rows_than_it_keeps_in_memory_writes_them_under_the_lock_as_it_goes()
    {
        await using var app = ApiFactory.StartOwn(Provider);
        var admin = await SignInAsync(app);
        var before = await VerifyAsync(admin);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var audit = scope.ServiceProvider.GetRequiredService<AuditInterceptor>();
            await using var tx = await db.Database.BeginTransactionAsync();
            var entity = Guid.NewGuid().ToString();
            for (var i = 0; i <= AuditChain.MaxPendingRows; i++) db.Set<AuditEntry>().Add(audit.NewEntry(AuditActions.Access, "patients", entity));
            await db.SaveChangesAsync();
            // Written already, in this transaction, and (PostgreSQL) under the chain's lock until it ends.
            Assert.That(await db.Set<AuditEntry>().CountAsync(a => a.EntityId == entity), Is.EqualTo(AuditChain.MaxPendingRows + 1));
            if (Provider == TestDatabases.PostgreSql)
                Assert.That(await db.Database.SqlQuery<long>($"SELECT count(*) AS \"Value\" FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()").SingleAsync(), Is.EqualTo(1));
            db.Patients.Add(NewPatient());
            await db.SaveChangesAsync();
            await tx.CommitAsync();
        }
        var after = await VerifyAsync(admin);
        Assert.That(after.Intact, Is.True, after.Problem?.Message);
        Assert.That(after.Head - before.Head, Is.EqualTo(AuditChain.MaxPendingRows + 2));
    }

    [Test]
    public async Task Another_instance_writing_between_this_instances_commits_leaves_one_intact_chain()
    {
        await using var app = ApiFactory.StartOwn(Provider);
        var admin = await SignInAsync(app);
        var services = app.Services;
        var config = services.GetRequiredService<Microsoft.Extensions.Configuration.IConfiguration>();
        // Another instance of the API on the same database: a chain of its own, with the same key.
        var otherInstance = new AuditInterceptor(services.GetRequiredService<CurrentAuditActor>(), TimeProvider.System,
            new AuditChain(AuditChain.KeyFrom(config["Audit:ChainKey"], config["Jwt:SigningKey"]!)));
        var patients = new List<(Patient Patient, bool Here)>();
        async Task SaveHereAsync() { var p = NewPatient(); await SaveAsync(app, p); patients.Add((p, true)); }
        async Task SaveThereAsync(int count)
        {
            await using var db = TestDatabases.Context(Provider, app.ConnectionString,
                services.GetRequiredService<TimestampInterceptor>(), services.GetRequiredService<PatientSearchInterceptor>(), otherInstance);
            await using var tx = await db.Database.BeginTransactionAsync();
            for (var i = 0; i < count; i++)
            {
                var p = NewPatient();
                db.Patients.Add(p);
                await db.SaveChangesAsync();
                patients.Add((p, false));
            }
            await tx.CommitAsync();
        }

        await SaveHereAsync();
        await SaveHereAsync();
        // This instance's next rows would take the positions the other instance's took: they follow those instead.
        await SaveThereAsync(1);
        await SaveHereAsync();
        await SaveThereAsync(3);
        await SaveThereAsync(1);
        await SaveHereAsync();
        await SaveHereAsync();

        var report = await VerifyAsync(admin);
        Assert.That(report.Intact, Is.True, report.Problem?.Message);
        Assert.That(report.RowsChecked, Is.EqualTo(report.Rows));
        var seqs = new List<long>();
        foreach (var (patient, _) in patients) seqs.Add(await SeqOfAsync(app, patient.Id));
        Assert.That(seqs, Is.Ordered.Ascending, "in commit order");
        Assert.That(seqs.Last() - seqs.First(), Is.EqualTo(patients.Count - 1), "with no gap");
    }

    private static Patient NewPatient() => new()
    {
        FirstName = "Ada",
        LastName = "Chain",
        MobileNumber = "+1 555 0100",
        MobileE164 = "+1555" + Random.Shared.Next(1_000_000, 9_999_999),
    };

    /// <summary>Saves a patient in a context of its own, without a transaction of its own (the chain opens one).</summary>
    private static async Task SaveAsync(ApiFactory app, Patient patient)
    {
        await Task.Yield();
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.Patients.Add(patient);
        await db.SaveChangesAsync();
    }

    private static async Task<long> SeqOfAsync(ApiFactory app, Guid patientId)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var id = patientId.ToString();
        return (await db.Set<AuditEntry>().Where(a => a.EntityId == id && a.Action == AuditActions.Create).Select(a => a.Seq).SingleAsync())!.Value;
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
