using System.Net;
using System.Net.Http.Json;
using System.Text;
using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceModel;
using DentalClinic.Tests.Scheduling;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DentalClinic.Tests.Payments;

/// <summary>Helpers of the payment tests: patients, treatments and payments made through the API.</summary>
public abstract class PaymentsTest(string provider) : SchedulingTest(provider)
{
    protected async Task<Guid> TypeAsync() => (await CreateTypeAsync()).Id;

    protected async Task<TreatmentDto> TreatmentAsync(Guid patient, decimal total, string date, decimal? paid = 0m, decimal? discount = null)
    {
        var response = await (await As(Roles.Dentist)).PostAsJsonAsync("/api/treatments",
            new CreateTreatment(patient, 14, await TypeAsync(), total, paid, discount, date, null));
        return await ReadAsync<TreatmentDto>(response, HttpStatusCode.Created);
    }

    protected static Task<HttpResponseMessage> PayAsync(HttpClient client, Guid patient, decimal amount, string method = "card",
        IReadOnlyList<AllocationRequest>? allocations = null, string? date = null, string? reference = null) =>
        client.PostAsJsonAsync("/api/payments", new CreatePayment(patient, amount, method, date, reference, null, allocations));

    protected async Task<PaymentDto> PayOkAsync(Guid patient, decimal amount, string method = "card", IReadOnlyList<AllocationRequest>? allocations = null, string role = Roles.Staff) =>
        await ReadAsync<PaymentDto>(await PayAsync(await As(role), patient, amount, method, allocations), HttpStatusCode.Created);

    protected async Task<TreatmentDto> GetTreatmentAsync(Guid id) =>
        await ReadAsync<TreatmentDto>(await (await As(Roles.Staff)).GetAsync($"/api/treatments/{id}"));

    protected async Task<PatientAccountDto> AccountAsync(Guid patient, string query = "") =>
        await ReadAsync<PatientAccountDto>(await (await As(Roles.Staff)).GetAsync($"/api/patients/{patient}/account{query}"));

    protected static StringContent RawJson(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>Every treatment's amount_paid equals the sum of its allocations, straight from the database.</summary>
    protected async Task AssertAmountPaidIsTheSumOfAllocationsAsync(Guid patient)
    {
        using var scope = App.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var treatments = await db.Treatments.IgnoreQueryFilters().AsNoTracking().Where(t => t.PatientId == patient).ToListAsync();
        var allocations = await db.PaymentAllocations.AsNoTracking().Where(a => a.PatientId == patient).ToListAsync();
        foreach (var t in treatments)
        {
            var sum = allocations.Where(a => a.TreatmentId == t.Id).Sum(a => a.Amount);
            Assert.That(t.AmountPaid, Is.EqualTo(sum), $"treatment {t.Id}");
            Assert.That(t.AmountPaid, Is.InRange(0m, t.TotalPrice - t.Discount), $"treatment {t.Id}");
        }
    }
}
