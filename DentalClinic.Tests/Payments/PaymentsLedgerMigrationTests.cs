using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceInterface.Patients;
using DentalClinic.ServiceModel;
using DentalClinic.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace DentalClinic.Tests.Payments;

/// <summary>
/// The AddPaymentsLedger migration on a database that already has treatments with amounts paid:
/// each becomes an opening payment allocated to its treatment, and every balance stays the same.
/// </summary>
[TestFixtureSource(typeof(TestDatabases), nameof(TestDatabases.Providers))]
public sealed class PaymentsLedgerMigrationTests(string provider)
{
    [Test]
    public async Task Stored_amounts_paid_become_opening_payments_and_no_balance_changes()
    {
        var connectionString = TestDatabases.Create(provider);
        var patients = new List<Guid>();
        var expected = new Dictionary<Guid, (decimal Charges, decimal Discounts, decimal Paid, decimal Balance)>();
        await using (var db = TestDatabases.Context(provider, connectionString))
        {
            var migrator = db.GetService<IMigrator>();
            await migrator.MigrateAsync("AddCalendarStamps");

            var now = DateTime.UtcNow;
            var type = new AppointmentType { Name = "Filling", Price = 180m, Duration = 30, Color = "#3366CC", CreatedAt = now, UpdatedAt = now };
            db.Add(type);
            var random = new Random(14);
            for (var i = 0; i < 6; i++)
            {
                var patient = new Patient
                {
                    FirstName = "Seed", LastName = $"Patient{i}", MobileNumber = $"+1 555 010 20{i:00}", MobileE164 = $"+155501020{i:00}",
                    CreatedAt = now, UpdatedAt = now,
                };
                // Later migrations add patient columns: the patient goes in with SQL.
                await TestDatabases.InsertEarlyPatientAsync(db, provider, patient, $"seed patient{i}#");
                patients.Add(patient.Id);
                for (var j = 0; j < 5; j++)
                {
                    var total = random.Next(1, 100000) / 100m;
                    var discount = j % 3 == 0 ? Math.Round(total / 10, 2) : 0m;
                    var paid = (j % 4) switch { 0 => 0m, 1 => total - discount, 2 => 0.01m, _ => Math.Round((total - discount) / 3, 2) };
                    db.Add(new Treatment
                    {
                        PatientId = patient.Id, ToothNumber = 1 + j, AppointmentTypeId = type.Id, TotalPrice = total, Discount = discount,
                        AmountPaid = paid, Date = new DateOnly(2024, 1 + j, 10 + i), CreatedAt = now.AddMinutes(j), UpdatedAt = now.AddMinutes(j),
                        ArchivedAt = i == 0 && j == 1 ? now : null,
                    });
                }
            }
            await db.SaveChangesAsync();

            foreach (var id in patients)
            {
                var rows = await db.Treatments.AsNoTracking().Where(t => t.PatientId == id).ToListAsync();
                expected[id] = (rows.Sum(t => t.TotalPrice), rows.Sum(t => t.Discount), rows.Sum(t => t.AmountPaid), rows.Sum(t => t.TotalPrice - t.Discount - t.AmountPaid));
            }
            await migrator.MigrateAsync();

            var treatments = await db.Treatments.IgnoreQueryFilters().AsNoTracking().ToListAsync();
            var payments = await db.Payments.AsNoTracking().ToListAsync();
            var allocations = await db.PaymentAllocations.AsNoTracking().ToListAsync();
            Assert.That(payments, Has.Count.EqualTo(treatments.Count(t => t.AmountPaid > 0m)));
            foreach (var t in treatments)
            {
                Assert.That(allocations.Where(a => a.TreatmentId == t.Id).Sum(a => a.Amount), Is.EqualTo(t.AmountPaid));
                if (t.AmountPaid == 0m) continue;
                var opening = payments.Single(p => p.Id == t.Id);
                Assert.That((opening.PatientId, opening.Amount, opening.Method, opening.Date, opening.CreatedAt),
                    Is.EqualTo((t.PatientId, t.AmountPaid, "other", t.Date, t.CreatedAt)));
            }
        }

        // Through the API on the migrated database: every account as before, no credit appeared.
        await using var app = ApiFactory.StartOwn(provider, connectionString: connectionString);
        var login = await (await app.CreateClient().PostAsJsonAsync("/api/auth/login", new Login(ApiFactory.AdminEmail, ApiFactory.AdminPassword)))
            .Content.ReadFromJsonAsync<LoginResponse>(ApiTest.Json);
        var admin = app.CreateClient();
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", login!.AccessToken);
        foreach (var id in patients)
        {
            var response = await admin.GetAsync($"/api/patients/{id}/account");
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
            var account = (await response.Content.ReadFromJsonAsync<PatientAccountDto>(ApiTest.Json))!;
            var (charges, discounts, paid, balance) = expected[id];
            Assert.That((account.Charges, account.Discounts, account.Balance, account.Credit, account.Refunds),
                Is.EqualTo((charges, discounts, balance, 0m, 0m)), $"patient {id}");
            Assert.That(account.Payments, Is.GreaterThanOrEqualTo(paid), "archived treatments' payments stay recorded");
            var summary = (await (await admin.GetAsync($"/api/patients/{id}")).Content.ReadFromJsonAsync<PatientDetailsDto>(ApiTest.Json))!.Account;
            Assert.That(summary.Balance, Is.EqualTo(balance));
        }
        // And the ledger goes on from there: a payment and a void on a migrated patient.
        var first = patients[1];
        var before = (await (await admin.GetAsync($"/api/patients/{first}/account")).Content.ReadFromJsonAsync<PatientAccountDto>(ApiTest.Json))!;
        var pay = await admin.PostAsJsonAsync("/api/payments", new CreatePayment(first, 1m, "cash", null, null, null, null));
        Assert.That(pay.StatusCode, Is.EqualTo(HttpStatusCode.Created), await pay.Content.ReadAsStringAsync());
        var after = (await (await admin.GetAsync($"/api/patients/{first}/account")).Content.ReadFromJsonAsync<PatientAccountDto>(ApiTest.Json))!;
        Assert.That(after.Balance - after.Credit, Is.EqualTo(before.Balance - before.Credit - 1m));
    }
}
