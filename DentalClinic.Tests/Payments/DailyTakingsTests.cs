using System.Net;
using System.Net.Http.Json;
using DentalClinic.ServiceModel;

namespace DentalClinic.Tests.Payments;

/// <summary>
/// The day's takings, on an application of its own (a clinic in Auckland, far from UTC) so that no
/// other fixture's payments land on its days. Its tests run one after another.
/// </summary>
public sealed class DailyTakingsTests(string provider) : PaymentsTest(provider)
{
    private const string Zone = "Pacific/Auckland";

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Clinic:Timezone"] = Zone,
        ["Clinic:Name"] = "Takings Dental",
    };

    private static DateOnly ClinicToday() =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.UtcNow, TimeZoneInfo.FindSystemTimeZoneById(Zone)));

    private async Task<DailyTakingsDto> TakingsAsync(string query = "") =>
        await ReadAsync<DailyTakingsDto>(await (await As(Roles.Admin)).GetAsync("/api/reports/daily-takings" + query));

    [Test]
    public async Task The_day_is_cashed_up_per_method_and_per_user_with_voids_and_refunds()
    {
        var before = await TakingsAsync();
        Assert.That(before.Date, Is.EqualTo(ClinicToday()), "today on the clinic's clock");
        Assert.That(before.Timezone, Is.EqualTo(Zone));
        Assert.That(before.To - before.From, Is.EqualTo(TimeSpan.FromHours(24)).Or.EqualTo(TimeSpan.FromHours(23)).Or.EqualTo(TimeSpan.FromHours(25)));

        var patient = await CreatePatientAsync();
        await TreatmentAsync(patient, 500m, "2031-01-01", paid: null);
        var (desk, deskLogin) = await CreateUserAsync(Roles.Staff);
        var deskClient = WithToken(deskLogin.AccessToken);
        var cash = await ReadAsync<PaymentDto>(await PayAsync(deskClient, patient, 100.10m, "cash"), HttpStatusCode.Created);
        var card = await ReadAsync<PaymentDto>(await PayAsync(deskClient, patient, 200.20m, "card"), HttpStatusCode.Created);
        await ReadAsync<PaymentDto>(await PayAsync(deskClient, patient, 50m, "card"), HttpStatusCode.Created);

        var (boss, bossLogin) = await CreateUserAsync(Roles.Dentist);
        var bossClient = WithToken(bossLogin.AccessToken);
        await ReadAsync<PaymentDto>(await bossClient.PostAsJsonAsync($"/api/payments/{card.Id}/void", new VoidPayment("Wrong card")));
        await ReadAsync<PaymentDto>(await bossClient.PostAsJsonAsync($"/api/payments/{cash.Id}/refund", new RefundPayment(0.10m, "cash", "Change")));

        var after = await TakingsAsync($"?date={ClinicToday():yyyy-MM-dd}");
        var total = after.Total;
        Assert.That((total.Payments - before.Total.Payments, total.Refunds - before.Total.Refunds, total.Voids - before.Total.Voids, total.Net - before.Total.Net),
            Is.EqualTo((350.30m, 0.10m, 200.20m, 150m)));
        var deskLine = after.ByUser.Single(u => u.UserId == desk.Id);
        Assert.That((deskLine.UserName, deskLine.Payments, deskLine.Refunds, deskLine.Voids, deskLine.Net, deskLine.Count),
            Is.EqualTo((desk.Name, 350.30m, 0m, 0m, 350.30m, 3)));
        var bossLine = after.ByUser.Single(u => u.UserId == boss.Id);
        Assert.That((bossLine.Payments, bossLine.Refunds, bossLine.Voids, bossLine.Net), Is.EqualTo((0m, 0.10m, 200.20m, -200.30m)));

        TakingsByMethod Method(DailyTakingsDto t, string m) => t.ByMethod.SingleOrDefault(x => x.Method == m) ?? new TakingsByMethod(m, 0m, 0m, 0m, 0m, 0);
        Assert.That(Method(after, "card").Net - Method(before, "card").Net, Is.EqualTo(50m), "200.20 − 200.20 voided + 50");
        Assert.That(Method(after, "cash").Net - Method(before, "cash").Net, Is.EqualTo(100m));

        var yesterday = await TakingsAsync($"?date={ClinicToday().AddDays(-1):yyyy-MM-dd}");
        Assert.That(yesterday.ByUser.Any(u => u.UserId == desk.Id || u.UserId == boss.Id), Is.False);
        await AssertErrorAsync(await (await As(Roles.Admin)).GetAsync("/api/reports/daily-takings?date=31-12-2031"), HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "date");
        Assert.That((await (await As(Roles.Dentist)).GetAsync("/api/reports/daily-takings")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var receipt = await ReadAsync<ReceiptDto>(await deskClient.GetAsync($"/api/payments/{cash.Id}/receipt"));
        Assert.That((receipt.Clinic.Name, receipt.Status, receipt.Refunded), Is.EqualTo(("Takings Dental", PaymentStatuses.PartlyRefunded, 0.10m)));
    }
}
