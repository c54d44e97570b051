using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DentalClinic.ServiceModel;

namespace DentalClinic.Tests.Payments;

public sealed class PaymentsTests(string provider) : PaymentsTest(provider)
{
    [Test]
    public async Task A_payment_pays_the_oldest_open_treatments_first_and_the_rest_is_credit_for_the_next_treatment()
    {
        var patient = await CreatePatientAsync();
        var newer = await TreatmentAsync(patient, 100m, "2031-03-01");
        var older = await TreatmentAsync(patient, 80m, "2031-01-01", discount: 20m);
        var paidAlready = await TreatmentAsync(patient, 50m, "2030-12-01", paid: 50m);

        var payment = await PayOkAsync(patient, 100.5m);
        Assert.That(payment.Allocations.Select(a => (a.TreatmentId, a.Amount)), Is.EquivalentTo(new[] { (older.Id, 60m), (newer.Id, 40.5m) }));
        Assert.That((payment.Allocated, payment.Unallocated, payment.Status), Is.EqualTo((100.5m, 0m, PaymentStatuses.Active)));
        Assert.That((await GetTreatmentAsync(older.Id)).Balance, Is.EqualTo(0m));
        Assert.That((await GetTreatmentAsync(newer.Id)).AmountPaid, Is.EqualTo(40.5m));
        Assert.That((await GetTreatmentAsync(paidAlready.Id)).AmountPaid, Is.EqualTo(50m));

        // More than is owed: the rest is credit.
        var second = await PayOkAsync(patient, 70m, "cash");
        Assert.That((second.Allocated, second.Unallocated), Is.EqualTo((59.5m, 10.5m)));
        var account = await AccountAsync(patient);
        Assert.That((account.Balance, account.Credit, account.Payments), Is.EqualTo((0m, 10.5m, 220.5m)));

        // The next treatment recorded without amountPaid takes the credit.
        var next = await TreatmentAsync(patient, 30m, "2031-04-01", paid: null);
        Assert.That((next.AmountPaid, next.Balance), Is.EqualTo((10.5m, 19.5m)));
        account = await AccountAsync(patient);
        Assert.That((account.Balance, account.Credit), Is.EqualTo((19.5m, 0m)));
        await AssertAmountPaidIsTheSumOfAllocationsAsync(patient);
    }

    [Test]
    public async Task Allocations_go_where_asked_and_never_beyond_what_a_treatment_owes()
    {
        var patient = await CreatePatientAsync();
        var older = await TreatmentAsync(patient, 100m, "2031-01-01");
        var newer = await TreatmentAsync(patient, 100m, "2031-02-01");
        var payment = await PayOkAsync(patient, 50m, allocations: [new AllocationRequest(newer.Id, 30m)]);
        Assert.That(payment.Allocations.Select(a => (a.TreatmentId, a.Amount)), Is.EqualTo(new[] { (newer.Id, 30m) }));
        Assert.That(payment.Unallocated, Is.EqualTo(20m), "what is not allocated is credit");
        Assert.That((await GetTreatmentAsync(older.Id)).AmountPaid, Is.EqualTo(0m));

        var staff = await As(Roles.Staff);
        var error = await AssertErrorAsync(await PayAsync(staff, patient, 100m, allocations: [new AllocationRequest(newer.Id, 70.01m)]),
            HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "allocations[0].amount");
        Assert.That(error.Details![0].Message, Does.Contain(newer.Id.ToString()).And.Contain("70.00"));
        var stranger = await TreatmentAsync(await CreatePatientAsync(), 10m, "2031-01-01");
        await AssertErrorAsync(await PayAsync(staff, patient, 10m, allocations: [new AllocationRequest(older.Id, 5m), new AllocationRequest(stranger.Id, 5m)]),
            HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "allocations[1].treatmentId");
        await AssertErrorAsync(await PayAsync(staff, patient, 10m, allocations: [new AllocationRequest(older.Id, 6m), new AllocationRequest(newer.Id, 6m)]),
            HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "allocations");
        await AssertErrorAsync(await PayAsync(staff, patient, 10m, allocations: [new AllocationRequest(null, 0m)]),
            HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "allocations[0].treatmentId", "allocations[0].amount");
        Assert.That((await AccountAsync(patient)).Payments, Is.EqualTo(50m), "refused payments leave nothing behind");
    }

    [Test]
    public async Task Every_invalid_field_is_reported()
    {
        var staff = await As(Roles.Staff);
        await AssertErrorAsync(await staff.PostAsJsonAsync("/api/payments", new { }), HttpStatusCode.BadRequest, ErrorCodes.ValidationError,
            "patientId", "amount", "method");
        await AssertErrorAsync(await PayAsync(staff, Guid.NewGuid(), 0m, "bitcoin", date: "yesterday", reference: new string('r', 101)),
            HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "amount", "method", "date", "reference");
        await AssertErrorAsync(await PayAsync(staff, Guid.NewGuid(), 10m), HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "patientId");
        await AssertErrorAsync(await PayAsync(staff, Guid.NewGuid(), -5m), HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "amount");
    }

    [TestCase("1.001", false)]
    [TestCase("1e-300", false)]
    [TestCase("0.1234567890123456789012345678901", false)]
    [TestCase("1e300", false)]
    [TestCase("10000000.01", false)]
    [TestCase("\"12\"", false)]
    [TestCase("NaN", false)]
    [TestCase("\"NaN\"", false)]
    [TestCase("\"Infinity\"", false)]
    [TestCase("10000000", true)]
    [TestCase("80.100000", true)]
    [TestCase("1.5e1", true)]
    public async Task Money_has_at_most_two_decimals_and_at_most_ten_million(string amount, bool valid)
    {
        var patient = await CreatePatientAsync();
        var response = await (await As(Roles.Staff)).PostAsync("/api/payments",
            RawJson($$"""{"patientId":"{{patient}}","amount":{{amount}},"method":"cash"}"""));
        if (valid)
        {
            await ReadAsync<PaymentDto>(response, HttpStatusCode.Created);
            return;
        }
        var body = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), body);
        if (amount != "NaN") Assert.That(body, Does.Contain("\"field\":\"amount\""));
        Assert.That((await AccountAsync(patient)).Payments, Is.EqualTo(0m));
    }

    [Test]
    public async Task Money_reads_the_same_everywhere()
    {
        var patient = await CreatePatientAsync();
        var dentist = await As(Roles.Dentist);
        var type = await TypeAsync();
        var created = await dentist.PostAsync("/api/treatments", RawJson(
            $$"""{"patientId":"{{patient}}","toothNumber":3,"appointmentTypeId":"{{type}}","totalPrice":80.100000,"amountPaid":80.0,"discount":0.10,"date":"2031-01-01"}"""));
        var createdText = await created.Content.ReadAsStringAsync();
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), createdText);
        Assert.That(createdText, Does.Contain("\"totalPrice\":80.1,").And.Contain("\"amountPaid\":80,").And.Contain("\"discount\":0.1,").And.Contain("\"balance\":0,"));
        var id = JsonDocument.Parse(createdText).RootElement.GetProperty("id").GetString();
        var read = await (await dentist.GetAsync($"/api/treatments/{id}")).Content.ReadAsStringAsync();
        var list = await (await dentist.GetAsync($"/api/treatments/patient/{patient}")).Content.ReadAsStringAsync();
        foreach (var text in new[] { read, list })
            Assert.That(text, Does.Contain("\"totalPrice\":80.1,").And.Contain("\"amountPaid\":80,").And.Contain("\"discount\":0.1,"));
        var payments = await (await dentist.GetAsync($"/api/payments?patientId={patient}")).Content.ReadAsStringAsync();
        Assert.That(payments, Does.Contain("\"amount\":80,"));
    }

    [Test]
    public async Task Staff_records_payments_but_only_admins_and_dentists_void_refund_or_edit_treatments()
    {
        var patient = await CreatePatientAsync();
        var treatment = await TreatmentAsync(patient, 100m, "2031-01-01");
        var staff = await As(Roles.Staff);
        var payment = await PayOkAsync(patient, 40m, role: Roles.Staff);
        await AssertErrorAsync(await staff.PostAsJsonAsync($"/api/payments/{payment.Id}/void", new VoidPayment("mistake")), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        await AssertErrorAsync(await staff.PostAsJsonAsync($"/api/payments/{payment.Id}/refund", new RefundPayment(1m, "cash", "why")), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        await AssertErrorAsync(await staff.GetAsync("/api/reports/daily-takings"), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        await AssertErrorAsync(await staff.PutAsJsonAsync($"/api/treatments/{treatment.Id}", new { amountPaid = 100m }), HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        Assert.That((await staff.GetAsync($"/api/payments/{payment.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await staff.GetAsync($"/api/payments/{payment.Id}/receipt")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await AssertErrorAsync(await Anonymous().PostAsJsonAsync("/api/payments", new CreatePayment(patient, 1m, "cash", null, null, null, null)),
            HttpStatusCode.Unauthorized, ErrorCodes.Unauthorized);
    }

    [Test]
    public async Task Payments_are_never_edited_or_deleted()
    {
        var patient = await CreatePatientAsync();
        var payment = await PayOkAsync(patient, 10m);
        var admin = await As(Roles.Admin);
        foreach (var method in new[] { HttpMethod.Put, HttpMethod.Patch, HttpMethod.Delete })
        {
            var response = await admin.SendAsync(new HttpRequestMessage(method, $"/api/payments/{payment.Id}") { Content = JsonContent.Create(new { amount = 1m }) });
            var error = await AssertErrorAsync(response, HttpStatusCode.MethodNotAllowed, ErrorCodes.MethodNotAllowed);
            Assert.That(error.Message, Does.Contain("void or refund"));
        }
        Assert.That((await ReadAsync<PaymentDto>(await admin.GetAsync($"/api/payments/{payment.Id}"))).Amount, Is.EqualTo(10m));
    }

    [Test]
    public async Task A_void_reverses_the_whole_payment_with_a_new_entry()
    {
        var patient = await CreatePatientAsync();
        var treatment = await TreatmentAsync(patient, 100m, "2031-01-01");
        var payment = await PayOkAsync(patient, 130m, "card");
        Assert.That((await AccountAsync(patient)).Credit, Is.EqualTo(30m));

        var dentist = await As(Roles.Dentist);
        await AssertErrorAsync(await dentist.PostAsJsonAsync($"/api/payments/{payment.Id}/void", new VoidPayment("")),
            HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "reason");
        var voidResponse = await dentist.PostAsJsonAsync($"/api/payments/{payment.Id}/void", new VoidPayment("Card charged twice"));
        var voided = await ReadAsync<PaymentDto>(voidResponse);
        Assert.That((voided.Status, voided.Amount, voided.Voided, voided.Allocated, voided.Unallocated), Is.EqualTo((PaymentStatuses.Voided, 130m, 130m, 0m, 0m)));
        var reversal = voided.Reversals.Single();
        Assert.That((reversal.Kind, reversal.Amount, reversal.Method, reversal.Reason), Is.EqualTo(("void", 130m, "card", "Card charged twice")));
        Assert.That(reversal.Recorded.RequestId, Is.EqualTo(voidResponse.Headers.GetValues("X-Request-Id").Single()));
        Assert.That(reversal.Recorded.UserName, Is.EqualTo("Test dentist"));
        Assert.That(voided.Allocations.Select(a => a.Amount), Is.EqualTo(new[] { 100m, -100m }), "the allocation stays; a reversing one is added");

        Assert.That((await GetTreatmentAsync(treatment.Id)).Balance, Is.EqualTo(100m));
        var account = await AccountAsync(patient);
        Assert.That((account.Payments, account.Credit, account.Balance), Is.EqualTo((0m, 0m, 100m)));
        await AssertErrorAsync(await dentist.PostAsJsonAsync($"/api/payments/{payment.Id}/void", new VoidPayment("again")), HttpStatusCode.Conflict, ErrorCodes.Conflict);
        await AssertErrorAsync(await dentist.PostAsJsonAsync($"/api/payments/{payment.Id}/refund", new RefundPayment(1m, null, "x")), HttpStatusCode.Conflict, ErrorCodes.Conflict);
        await AssertErrorAsync(await dentist.PostAsJsonAsync($"/api/payments/{Guid.NewGuid()}/void", new VoidPayment("x")), HttpStatusCode.NotFound, ErrorCodes.NotFound);
        await AssertAmountPaidIsTheSumOfAllocationsAsync(patient);
    }

    [Test]
    public async Task A_refund_comes_from_the_credit_first_then_from_the_newest_treatments_it_paid()
    {
        var patient = await CreatePatientAsync();
        var older = await TreatmentAsync(patient, 50m, "2031-01-01");
        var newer = await TreatmentAsync(patient, 50m, "2031-02-01");
        var payment = await PayOkAsync(patient, 120m, "card");
        var admin = await As(Roles.Admin);

        var refunded = await ReadAsync<PaymentDto>(await admin.PostAsJsonAsync($"/api/payments/{payment.Id}/refund", new RefundPayment(30m, "cash", "Overpaid")));
        Assert.That((refunded.Status, refunded.Refunded, refunded.Allocated, refunded.Unallocated), Is.EqualTo((PaymentStatuses.PartlyRefunded, 30m, 90m, 0m)));
        Assert.That((await GetTreatmentAsync(newer.Id)).AmountPaid, Is.EqualTo(40m));
        Assert.That((await GetTreatmentAsync(older.Id)).AmountPaid, Is.EqualTo(50m));
        Assert.That(refunded.Reversals.Single().Method, Is.EqualTo("cash"));

        await AssertErrorAsync(await admin.PostAsJsonAsync($"/api/payments/{payment.Id}/refund", new RefundPayment(90.01m, null, "too much")),
            HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "amount");
        await AssertErrorAsync(await admin.PostAsJsonAsync($"/api/payments/{payment.Id}/refund", new RefundPayment(null, "gold", null)),
            HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "amount", "method", "reason");
        var all = await ReadAsync<PaymentDto>(await admin.PostAsJsonAsync($"/api/payments/{payment.Id}/refund", new RefundPayment(90m, null, "Treatment cancelled")));
        Assert.That((all.Status, all.Refunded, all.Allocated), Is.EqualTo((PaymentStatuses.Refunded, 120m, 0m)));
        Assert.That(all.Reversals[1].Method, Is.EqualTo("card"), "a refund without a method goes back the way it came");
        var account = await AccountAsync(patient);
        Assert.That((account.Payments, account.Refunds, account.Credit, account.Balance), Is.EqualTo((120m, 120m, 0m, 100m)));
        await AssertErrorAsync(await admin.PostAsJsonAsync($"/api/payments/{payment.Id}/void", new VoidPayment("x")), HttpStatusCode.Conflict, ErrorCodes.Conflict);
        await AssertAmountPaidIsTheSumOfAllocationsAsync(patient);
    }

    [Test]
    public async Task The_specification_amountPaid_on_a_treatment_becomes_payment_and_refund_entries()
    {
        var patient = await CreatePatientAsync();
        var dentist = await As(Roles.Dentist);
        var treatment = await TreatmentAsync(patient, 800m, "2025-12-20", paid: 400m, discount: 50m);
        var opening = (await ReadAsync<PagedResult<PaymentDto>>(await dentist.GetAsync($"/api/payments?patientId={patient}"))).Data.Single();
        Assert.That((opening.Amount, opening.Method, opening.Allocations.Single().TreatmentId), Is.EqualTo((400m, "other", treatment.Id)));

        var more = await ReadAsync<TreatmentDto>(await dentist.PutAsJsonAsync($"/api/treatments/{treatment.Id}", new { amountPaid = 700m, paymentMethod = "card" }));
        Assert.That((more.AmountPaid, more.Balance), Is.EqualTo((700m, 50m)));
        var less = await ReadAsync<TreatmentDto>(await dentist.PutAsJsonAsync($"/api/treatments/{treatment.Id}", new { amountPaid = 250m }));
        Assert.That((less.AmountPaid, less.Balance), Is.EqualTo((250m, 500m)));

        var payments = (await ReadAsync<PagedResult<PaymentDto>>(await dentist.GetAsync($"/api/payments?patientId={patient}"))).Data;
        var card = payments.Single(p => p.Method == "card");
        Assert.That((card.Amount, card.Refunded, card.Status), Is.EqualTo((300m, 300m, PaymentStatuses.Refunded)), "the newest payment is refunded first");
        Assert.That(payments.Single(p => p.Method == "other").Refunded, Is.EqualTo(150m));
        var account = await AccountAsync(patient);
        Assert.That((account.Payments, account.Refunds, account.Credit, account.Balance), Is.EqualTo((700m, 450m, 0m, 500m)));

        // Lowering the price below what was paid is still refused; a payment and a price change can come together.
        await AssertErrorAsync(await dentist.PutAsJsonAsync($"/api/treatments/{treatment.Id}", new { totalPrice = 200m }),
            HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "amountPaid");
        var both = await ReadAsync<TreatmentDto>(await dentist.PutAsJsonAsync($"/api/treatments/{treatment.Id}", new { totalPrice = 200m, discount = 0m, amountPaid = 200m }));
        Assert.That((both.AmountPaid, both.Balance), Is.EqualTo((200m, 0m)));
        await AssertErrorAsync(await dentist.PutAsJsonAsync($"/api/treatments/{treatment.Id}", new { patientId = await CreatePatientAsync() }),
            HttpStatusCode.Conflict, ErrorCodes.Conflict, "patientId");
        await AssertErrorAsync(await dentist.PutAsJsonAsync($"/api/treatments/{treatment.Id}", new { paymentMethod = "iou" }),
            HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "paymentMethod");
        await AssertAmountPaidIsTheSumOfAllocationsAsync(patient);
    }

    [Test]
    public async Task Payments_list_by_patient_dates_and_method_newest_first_in_pages()
    {
        var patient = await CreatePatientAsync();
        var staff = await As(Roles.Staff);
        var made = new List<PaymentDto>();
        foreach (var (date, method) in new[] { ("2031-01-05", "cash"), ("2031-01-01", "card"), ("2031-02-01", "cash"), ("2031-01-05", "cash"), ("2030-12-31", "cash") })
            made.Add(await ReadAsync<PaymentDto>(await PayAsync(staff, patient, 5m, method, date: date), HttpStatusCode.Created));
        await PayOkAsync(await CreatePatientAsync(), 5m, "cash");

        var expected = made.Where(p => p.Method == "cash" && p.Date >= new DateOnly(2031, 1, 1) && p.Date <= new DateOnly(2031, 2, 1))
            .OrderByDescending(p => p.Date).ThenByDescending(p => p.Recorded.At).Select(p => p.Id).ToList();
        Assert.That(expected, Has.Count.EqualTo(3));
        var seen = new List<Guid>();
        string? cursor = null;
        do
        {
            var page = await ReadAsync<PagedResult<PaymentDto>>(await staff.GetAsync(
                $"/api/payments?patientId={patient}&from=2031-01-01&to=2031-02-01&method=cash&limit=2" + (cursor is null ? "" : "&cursor=" + cursor)));
            seen.AddRange(page.Data.Select(p => p.Id));
            cursor = page.Pagination.NextCursor;
        } while (cursor is not null);
        Assert.That(seen, Is.EqualTo(expected));
        await AssertErrorAsync(await staff.GetAsync("/api/payments?method=gold&from=x"), HttpStatusCode.BadRequest, ErrorCodes.ValidationError, "method", "from");
        await AssertErrorAsync(await staff.GetAsync("/api/payments?cursor=bogus"), HttpStatusCode.BadRequest, ErrorCodes.BadRequest);
        await AssertErrorAsync(await staff.GetAsync($"/api/payments/{Guid.NewGuid()}"), HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }

    [Test]
    public async Task Every_entry_records_who_when_and_from_which_request()
    {
        var patient = await CreatePatientAsync();
        var (user, login) = await CreateUserAsync(Roles.Staff);
        var before = DateTime.UtcNow.AddSeconds(-5);
        var response = await PayAsync(WithToken(login.AccessToken), patient, 12.34m, "transfer", reference: "IBAN ref 42");
        var payment = await ReadAsync<PaymentDto>(response, HttpStatusCode.Created);
        Assert.That(response.Headers.Location?.ToString(), Is.EqualTo($"/api/payments/{payment.Id}"));
        Assert.That(payment.Recorded.UserId, Is.EqualTo(user.Id));
        Assert.That(payment.Recorded.UserName, Is.EqualTo(user.Name));
        Assert.That(payment.Recorded.At, Is.InRange(before, DateTime.UtcNow.AddSeconds(5)));
        Assert.That(payment.Recorded.RequestId, Is.EqualTo(response.Headers.GetValues("X-Request-Id").Single()));
        Assert.That(payment.Reference, Is.EqualTo("IBAN ref 42"));
    }

    [Test]
    public async Task The_account_shows_totals_aging_and_entries_newest_first_in_pages()
    {
        var patient = await CreatePatientAsync();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);   // the test clinic's timezone is UTC
        var recent = await TreatmentAsync(patient, 100m, Iso(today.AddDays(-10)));
        await TreatmentAsync(patient, 200m, Iso(today.AddDays(-45)), discount: 20m);
        await TreatmentAsync(patient, 300m, Iso(today.AddDays(-75)), paid: 300m);
        await TreatmentAsync(patient, 400m, Iso(today.AddDays(-200)), paid: 100m);
        var payment = await PayOkAsync(patient, 50m, allocations: [new AllocationRequest(recent.Id, 50m)]);
        await ReadAsync<PaymentDto>(await (await As(Roles.Admin)).PostAsJsonAsync($"/api/payments/{payment.Id}/refund", new RefundPayment(10m, "cash", "goodwill")));

        var account = await AccountAsync(patient);
        Assert.That((account.Charges, account.Discounts, account.Payments, account.Refunds, account.Credit, account.Balance),
            Is.EqualTo((1000m, 20m, 450m, 10m, 0m, 540m)));
        Assert.That(account.Aging, Is.EqualTo(new AgingBuckets(60m, 180m, 0m, 300m)));

        var entries = new List<AccountEntryDto>();
        string? cursor = null;
        do
        {
            var page = await AccountAsync(patient, "?limit=3" + (cursor is null ? "" : "&cursor=" + cursor));
            Assert.That(page.Data, Has.Count.LessThanOrEqualTo(3));
            entries.AddRange(page.Data);
            cursor = page.Pagination.NextCursor;
        } while (cursor is not null);
        Assert.That(entries.Select(e => e.Kind).Count(k => k == "charge"), Is.EqualTo(4));
        Assert.That(entries.Select(e => e.Kind).Count(k => k == "payment"), Is.EqualTo(3));
        Assert.That(entries.Select(e => e.Kind).Count(k => k == "refund"), Is.EqualTo(1));
        Assert.That(entries.Select(e => (e.Kind, e.Id)).Distinct().Count(), Is.EqualTo(8), "no entry twice across pages");
        Assert.That(entries.Select(e => e.Date), Is.Ordered.Descending);
        Assert.That(entries.Single(e => e.Kind == "charge" && e.Amount == 180m).Description, Does.Contain("discount 20.00"));
        await AssertErrorAsync(await (await As(Roles.Staff)).GetAsync($"/api/patients/{Guid.NewGuid()}/account"), HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }

    [Test]
    public async Task A_receipt_has_what_a_printed_receipt_needs()
    {
        var patient = await CreatePatientAsync("Grace", "Hopper");
        var treatment = await TreatmentAsync(patient, 100m, "2031-01-01");
        await TreatmentAsync(patient, 40m, "2031-02-01");
        var payment = await PayOkAsync(patient, 120m, "card");
        var receipt = await ReadAsync<ReceiptDto>(await (await As(Roles.Staff)).GetAsync($"/api/payments/{payment.Id}/receipt"));
        Assert.That((receipt.PaymentId, receipt.Amount, receipt.Method, receipt.Patient.FirstName, receipt.Patient.LastName),
            Is.EqualTo((payment.Id, 120m, "card", "Grace", "Hopper")));
        Assert.That(receipt.Clinic.Name, Is.Not.Empty);
        Assert.That(receipt.Allocations.Select(a => (a.TreatmentId, a.Amount)).First(), Is.EqualTo((treatment.Id, 100m)));
        Assert.That(receipt.Allocations.Sum(a => a.Amount), Is.EqualTo(120m));
        Assert.That((receipt.BalanceAfter, receipt.Credit), Is.EqualTo((20m, 0m)));
        Assert.That(receipt.Number, Does.StartWith(payment.Date.ToString("yyyyMMdd")));
        Assert.That(receipt.RecordedBy, Is.EqualTo("Test staff"));
        await AssertErrorAsync(await (await As(Roles.Staff)).GetAsync($"/api/payments/{Guid.NewGuid()}/receipt"), HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }

    [Test]
    public async Task Twenty_concurrent_payments_to_one_treatment_never_over_allocate_it()
    {
        var patient = await CreatePatientAsync();
        var treatment = await TreatmentAsync(patient, 100m, "2031-01-01");
        var staff = await As(Roles.Staff);
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            PayAsync(staff, patient, 7.35m, "cash", [new AllocationRequest(treatment.Id, 7.35m)])));
        var accepted = responses.Count(r => r.StatusCode == HttpStatusCode.Created);
        Assert.That(responses.All(r => r.StatusCode is HttpStatusCode.Created or HttpStatusCode.BadRequest), Is.True);
        Assert.That(accepted, Is.EqualTo(13), "13 × 7.35 = 95.55; a 14th would be 102.90");
        Assert.That((await GetTreatmentAsync(treatment.Id)).AmountPaid, Is.EqualTo(95.55m));

        // Without allocations: the rest of every payment is credit, to the cent.
        var more = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => PayAsync(staff, patient, 0.35m, "card")));
        Assert.That(more.All(r => r.StatusCode == HttpStatusCode.Created), Is.True);
        var paid = await GetTreatmentAsync(treatment.Id);
        Assert.That((paid.AmountPaid, paid.Balance), Is.EqualTo((100m, 0m)));
        var account = await AccountAsync(patient);
        Assert.That((account.Payments, account.Credit, account.Balance), Is.EqualTo((102.55m, 2.55m, 0m)));
        await AssertAmountPaidIsTheSumOfAllocationsAsync(patient);
    }

    [Test]
    public async Task Archiving_a_treatment_keeps_its_payments_and_purging_the_patient_erases_the_ledger_too()
    {
        var patient = await CreatePatientAsync();
        var treatment = await TreatmentAsync(patient, 100m, "2031-01-01");
        var payment = await PayOkAsync(patient, 60m);
        var dentist = await As(Roles.Dentist);
        Assert.That((await dentist.DeleteAsync($"/api/treatments/{treatment.Id}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        var account = await AccountAsync(patient);
        Assert.That((account.Charges, account.Balance, account.Payments, account.Credit), Is.EqualTo((0m, 0m, 60m, 0m)));
        // The money can still be given back: the refund takes it from the archived treatment.
        var refunded = await ReadAsync<PaymentDto>(await dentist.PostAsJsonAsync($"/api/payments/{payment.Id}/refund", new RefundPayment(60m, null, "Treatment entered in error")));
        Assert.That((refunded.Allocated, refunded.Status), Is.EqualTo((0m, PaymentStatuses.Refunded)));
        await AssertAmountPaidIsTheSumOfAllocationsAsync(patient);

        var admin = await As(Roles.Admin);
        Assert.That((await admin.DeleteAsync($"/api/patients/{patient}?purge=true")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        await AssertErrorAsync(await admin.GetAsync($"/api/payments/{payment.Id}"), HttpStatusCode.NotFound, ErrorCodes.NotFound);
    }
}
