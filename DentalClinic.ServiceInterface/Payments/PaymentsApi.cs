using DentalClinic.ServiceInterface.Infrastructure;
using DentalClinic.ServiceModel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;

namespace DentalClinic.ServiceInterface.Payments;

/// <summary>
/// Payments (DESIGN §4): every role records and reads them; admins and dentists void and refund
/// them and read the day's takings. A payment is never edited or deleted: PUT, PATCH and DELETE are 405.
/// </summary>
public static class PaymentsApi
{
    public static void MapPaymentsApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/payments").WithTags("Payments");

        group.MapPost("/", Record).WithName("CreatePayment").Idempotent()
            .WithSummary("Record a payment; without allocations it pays the oldest open treatments first, the rest is credit");
        group.MapGet("/", Query).WithName("QueryPayments")
            .WithSummary("Payments, newest first; filters patientId, from, to (payment dates, inclusive), method");
        group.MapGet("/{id:guid}", Get).WithName("GetPayment")
            .WithSummary("A payment with its allocations, voids and refunds");
        group.MapGet("/{id:guid}/receipt", Receipt).WithName("GetPaymentReceipt")
            .WithSummary("What a printed receipt shows: clinic, patient, amount, method, allocations, balance now");
        group.MapPost("/{id:guid}/void", Void).WithName("VoidPayment").RequireAuthorization(Policies.Clinician)
            .WithSummary("Void a payment: a reversing entry takes back what is left of it from its treatments and the credit");
        group.MapPost("/{id:guid}/refund", Refund).WithName("RefundPayment").RequireAuthorization(Policies.Clinician)
            .WithSummary("Refund part or all of a payment: taken from the credit first, then from the treatments it paid, newest first");
        group.MapMethods("/{id:guid}", [HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete], NotEditable).ExcludeFromDescription();

        api.MapGet("/patients/{id:guid}/account", Account).WithName("GetPatientAccount").WithTags("Payments")
            .WithSummary("A patient's account: charges, discounts, payments, refunds, credit, balance, aging, entries newest first");
        api.MapGet("/reports/daily-takings", DailyTakings).WithName("GetDailyTakings").WithTags("Payments")
            .RequireAuthorization(Policies.Clinician)
            .WithSummary("Payments, refunds, voids and net of one clinic day (clinic timezone), per method and per user");
    }

    private static async Task<Created<PaymentDto>> Record(CreatePayment request, PaymentsService payments, CancellationToken ct)
    {
        var payment = await payments.RecordAsync(request, ct);
        return TypedResults.Created($"/api/payments/{payment.Id}", payment);
    }

    private static async Task<Ok<PagedResult<PaymentDto>>> Query([AsParameters] QueryPayments request, PaymentsService payments, CancellationToken ct) =>
        TypedResults.Ok(await payments.QueryAsync(request, ct));

    private static async Task<Ok<PaymentDto>> Get(Guid id, PaymentsService payments, CancellationToken ct) =>
        TypedResults.Ok(await payments.GetAsync(id, ct));

    private static async Task<Ok<ReceiptDto>> Receipt(Guid id, PaymentsService payments, CancellationToken ct) =>
        TypedResults.Ok(await payments.ReceiptAsync(id, ct));

    private static async Task<Ok<PaymentDto>> Void(Guid id, VoidPayment request, PaymentsService payments, CancellationToken ct) =>
        TypedResults.Ok(await payments.VoidAsync(id, request, ct));

    private static async Task<Ok<PaymentDto>> Refund(Guid id, RefundPayment request, PaymentsService payments, CancellationToken ct) =>
        TypedResults.Ok(await payments.RefundAsync(id, request, ct));

    private static async Task<Ok<PatientAccountDto>> Account(Guid id, [AsParameters] QueryAccount request, PaymentsService payments, CancellationToken ct) =>
        TypedResults.Ok(await payments.AccountAsync(id, request, ct));

    private static async Task<Ok<DailyTakingsDto>> DailyTakings([AsParameters] QueryDailyTakings request, PaymentsService payments, CancellationToken ct) =>
        TypedResults.Ok(await payments.DailyTakingsAsync(request, ct));

    private static IResult NotEditable(HttpContext context)
    {
        context.Response.Headers.Allow = "GET";
        return TypedResults.Json(new ErrorResponse(new ErrorBody(ErrorCodes.MethodNotAllowed,
                "Payments are never edited or deleted: void or refund them (POST /api/payments/{id}/void, /refund)", [])),
            statusCode: StatusCodes.Status405MethodNotAllowed);
    }
}
