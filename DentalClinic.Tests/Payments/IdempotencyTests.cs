using System.Net;
using System.Net.Http.Json;
using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceModel;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DentalClinic.Tests.Payments;

public sealed class IdempotencyTests(string provider) : PaymentsTest(provider)
{
    private static HttpRequestMessage Post(string path, object body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    [Test]
    public async Task Ten_concurrent_identical_requests_with_one_key_make_one_payment()
    {
        var patient = await CreatePatientAsync();
        await TreatmentAsync(patient, 100m, "2031-01-01");
        var staff = await As(Roles.Staff);
        var key = Guid.NewGuid().ToString();
        var body = new CreatePayment(patient, 25m, "card", null, null, null, null);
        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => staff.SendAsync(Post("/api/payments", body, key))));

        var payments = new List<PaymentDto>();
        foreach (var response in responses) payments.Add(await ReadAsync<PaymentDto>(response, HttpStatusCode.Created));
        Assert.That(payments.Select(p => p.Id).Distinct().Count(), Is.EqualTo(1));
        Assert.That(responses.Count(r => r.Headers.Contains("Idempotent-Replayed")), Is.EqualTo(9));
        Assert.That(responses.Select(r => r.Headers.Location?.ToString()).Distinct(), Is.EqualTo(new[] { $"/api/payments/{payments[0].Id}" }));
        var account = await AccountAsync(patient);
        Assert.That((account.Payments, account.Balance), Is.EqualTo((25m, 75m)));

        // The same key with another body is a conflict, and changes nothing.
        await AssertErrorAsync(await staff.SendAsync(Post("/api/payments", body with { Amount = 26m }, key)), HttpStatusCode.Conflict, ErrorCodes.Conflict, "Idempotency-Key");
        Assert.That((await AccountAsync(patient)).Payments, Is.EqualTo(25m));
        // The key belongs to its user: another user's key of the same text is a different key.
        var other = await ReadAsync<PaymentDto>(await (await As(Roles.Dentist)).SendAsync(Post("/api/payments", body, key)), HttpStatusCode.Created);
        Assert.That(other.Id, Is.Not.EqualTo(payments[0].Id));
    }

    [Test]
    public async Task Patients_appointments_and_treatments_are_created_once_per_key()
    {
        var staff = await As(Roles.Staff);
        var digits = string.Concat(Enumerable.Range(0, 8).Select(_ => Random.Shared.Next(10)));
        var newPatient = new CreatePatient("Idem", "Potent", $"+351 92 {digits[..3]} {digits[3..7]}", null, null);
        var key = Guid.NewGuid().ToString("N");
        var first = await ReadAsync<PatientDto>(await staff.SendAsync(Post("/api/patients", newPatient, key)), HttpStatusCode.Created);
        var again = await staff.SendAsync(Post("/api/patients", newPatient, key));
        Assert.That((await ReadAsync<PatientDto>(again, HttpStatusCode.Created)).Id, Is.EqualTo(first.Id), "not a 409 for the duplicate number: the first answer again");
        Assert.That(again.Headers.GetValues("Idempotent-Replayed").Single(), Is.EqualTo("true"));

        var type = await CreateTypeAsync();
        var booking = new CreateAppointment(first.Id, type.Id, Iso(FreshDate()), "10:00", null, null, null);
        var appointmentKey = Guid.NewGuid().ToString("N");
        var appointments = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => staff.SendAsync(Post("/api/appointments", booking, appointmentKey))));
        var ids = new List<Guid>();
        foreach (var response in appointments) ids.Add((await ReadAsync<AppointmentDto>(response, HttpStatusCode.Created)).Id);
        Assert.That(ids.Distinct().Count(), Is.EqualTo(1));

        var dentist = await As(Roles.Dentist);
        var treatment = new CreateTreatment(first.Id, 11, type.Id, 90m, 30m, null, "2031-01-01", null);
        var treatmentKey = Guid.NewGuid().ToString("N");
        var t1 = await ReadAsync<TreatmentDto>(await dentist.SendAsync(Post("/api/treatments", treatment, treatmentKey)), HttpStatusCode.Created);
        var t2 = await ReadAsync<TreatmentDto>(await dentist.SendAsync(Post("/api/treatments", treatment, treatmentKey)), HttpStatusCode.Created);
        Assert.That(t2.Id, Is.EqualTo(t1.Id));
        Assert.That((await AccountAsync(first.Id)).Payments, Is.EqualTo(30m), "the treatment's payment was recorded once");
        await AssertErrorAsync(await dentist.SendAsync(Post("/api/treatments", treatment with { ToothNumber = 12 }, treatmentKey)),
            HttpStatusCode.Conflict, ErrorCodes.Conflict);
    }

    [Test]
    public async Task A_failed_request_releases_its_key_and_keys_live_in_the_database()
    {
        var staff = await As(Roles.Staff);
        var key = Guid.NewGuid().ToString("N");
        var patient = await CreatePatientAsync();
        // Refused (a treatment of someone else): nothing was changed, so the key can be used again.
        var stranger = await TreatmentAsync(await CreatePatientAsync(), 10m, "2031-01-01");
        await AssertErrorAsync(await staff.SendAsync(Post("/api/payments", new CreatePayment(patient, 5m, "cash", null, null, null,
            [new AllocationRequest(stranger.Id, 5m)]), key)), HttpStatusCode.BadRequest, ErrorCodes.ValidationError);
        var payment = await ReadAsync<PaymentDto>(await staff.SendAsync(Post("/api/payments", new CreatePayment(patient, 5m, "cash", null, null, null, null), key)),
            HttpStatusCode.Created);

        using (var scope = App.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var stored = await db.IdempotencyKeys.AsNoTracking().Where(k => k.StatusCode == 201).ToListAsync();
            Assert.That(stored.Any(k => k.Location == $"/api/payments/{payment.Id}"), Is.True);
        }

        // Another instance of the API over the same database answers the retry from the stored key.
        await using var second = Support.ApiFactory.StartOwn(Provider, connectionString: App.ConnectionString);
        var client = second.CreateClient();
        client.DefaultRequestHeaders.Authorization = staff.DefaultRequestHeaders.Authorization;
        var replay = await client.SendAsync(Post("/api/payments", new CreatePayment(patient, 5m, "cash", null, null, null, null), key));
        Assert.That((await ReadAsync<PaymentDto>(replay, HttpStatusCode.Created)).Id, Is.EqualTo(payment.Id));
        Assert.That((await AccountAsync(patient)).Payments, Is.EqualTo(5m));

        await AssertErrorAsync(await staff.SendAsync(Post("/api/payments", new CreatePayment(patient, 5m, "cash", null, null, null, null), new string('k', 201))),
            HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "Idempotency-Key");
    }
}
