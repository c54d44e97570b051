using System.ComponentModel.DataAnnotations;

namespace DentalClinic.ServiceModel;

/// <summary>How money was paid or given back.</summary>
public static class PaymentMethods
{
    public const string Cash = "cash";
    public const string Card = "card";
    public const string Transfer = "transfer";
    public const string Insurance = "insurance";
    public const string Other = "other";
    public static readonly string[] All = [Cash, Card, Transfer, Insurance, Other];
}

/// <summary>Kinds of entries in a patient's money ledger.</summary>
public static class LedgerEntryKinds
{
    public const string Charge = "charge";
    public const string Payment = "payment";
    public const string Refund = "refund";
    public const string Void = "void";
}

/// <summary>Money everywhere: at least 0, at most <see cref="Max"/>, at most 2 decimals.</summary>
public static class MoneyRules
{
    public const decimal Max = 10_000_000m;
    public const int MaxReferenceLength = 100;
    public const int MaxNoteLength = 500;
}

/// <summary>One part of a payment given to one treatment.</summary>
public record AllocationRequest(Guid? TreatmentId, decimal? Amount);

/// <summary>
/// POST /api/payments. Without <c>allocations</c> the amount pays the patient's oldest open
/// treatments first; what is left is the patient's credit. <c>date</c> defaults to today (clinic time).
/// </summary>
public record CreatePayment(
    Guid? PatientId,
    decimal? Amount,
    [property: AllowedValues(PaymentMethods.Cash, PaymentMethods.Card, PaymentMethods.Transfer, PaymentMethods.Insurance, PaymentMethods.Other)] string? Method,
    string? Date,
    string? Reference,
    string? Note,
    IReadOnlyList<AllocationRequest>? Allocations);

/// <summary>POST /api/payments/{id}/void (admin, dentist): the whole payment is reversed.</summary>
public record VoidPayment(string? Reason);

/// <summary>POST /api/payments/{id}/refund (admin, dentist): gives back part or all of a payment.</summary>
public record RefundPayment(
    decimal? Amount,
    [property: AllowedValues(PaymentMethods.Cash, PaymentMethods.Card, PaymentMethods.Transfer, PaymentMethods.Insurance, PaymentMethods.Other)] string? Method,
    string? Reason);

/// <summary>GET /api/payments: newest first; <c>from</c>/<c>to</c> are inclusive payment dates (YYYY-MM-DD).</summary>
public record QueryPayments(Guid? PatientId, string? From, string? To, string? Method, int? Limit, string? Cursor);

/// <summary>Who recorded an entry, when and from which request (the X-Request-Id of that request).</summary>
public record RecordedBy(Guid? UserId, string? UserName, DateTime At, string? RequestId);

/// <summary>Money given to (positive) or taken back from (negative) a treatment.</summary>
public record AllocationDto(Guid Id, Guid TreatmentId, decimal Amount, Guid? ReversalId, DateTime CreatedAt);

/// <summary>A void or a refund of a payment.</summary>
public record PaymentReversalDto(
    Guid Id,
    Guid PaymentId,
    string Kind,
    decimal Amount,
    string Method,
    DateOnly Date,
    string Reason,
    RecordedBy Recorded);

/// <summary>
/// A payment as recorded (never edited) with what became of it: <c>refunded</c> and <c>voided</c>
/// amounts, <c>allocated</c> (net, to treatments) and <c>unallocated</c> (the patient's credit from it).
/// </summary>
public record PaymentDto(
    Guid Id,
    Guid PatientId,
    decimal Amount,
    string Method,
    DateOnly Date,
    string? Reference,
    string? Note,
    string Status,
    decimal Refunded,
    decimal Voided,
    decimal Allocated,
    decimal Unallocated,
    RecordedBy Recorded,
    IReadOnlyList<AllocationDto> Allocations,
    IReadOnlyList<PaymentReversalDto> Reversals);

public static class PaymentStatuses
{
    public const string Active = "active";
    public const string PartlyRefunded = "partly-refunded";
    public const string Refunded = "refunded";
    public const string Voided = "voided";
}

/// <summary>What is owed, by age of the treatment (days from its date to today, clinic time).</summary>
public record AgingBuckets(decimal Days0To30, decimal Days31To60, decimal Days61To90, decimal Over90);

/// <summary>
/// One line of a patient's account: a charge (a treatment, net of its discount), a payment, a
/// refund or a void. <c>amount</c> is positive; the kind says which way it goes.
/// </summary>
public record AccountEntryDto(
    Guid Id,
    string Kind,
    DateOnly Date,
    decimal Amount,
    string? Method,
    Guid? TreatmentId,
    Guid? PaymentId,
    string? Description,
    DateTime CreatedAt);

/// <summary>
/// GET /api/patients/{id}/account. <c>balance = charges − discounts − allocated payments</c>: what
/// is owed, never negative; <c>credit</c> is money paid and not given to any treatment.
/// <c>payments</c> counts what was received (voided payments excluded), <c>refunds</c> what was given back.
/// </summary>
public record PatientAccountDto(
    Guid PatientId,
    decimal Charges,
    decimal Discounts,
    decimal Payments,
    decimal Refunds,
    decimal Credit,
    decimal Balance,
    AgingBuckets Aging,
    IReadOnlyList<AccountEntryDto> Data,
    Pagination Pagination);

public record QueryAccount(int? Limit, string? Cursor);

/// <summary>GET /api/reports/daily-takings?date= (admin, dentist). Defaults to today, clinic time.</summary>
public record QueryDailyTakings(string? Date);

public record TakingsLine(decimal Payments, decimal Refunds, decimal Voids, decimal Net, int Count);

public record TakingsByMethod(string Method, decimal Payments, decimal Refunds, decimal Voids, decimal Net, int Count);

public record TakingsByUser(Guid? UserId, string? UserName, decimal Payments, decimal Refunds, decimal Voids, decimal Net, int Count);

/// <summary>
/// Money taken on one clinic day (entries recorded between the day's local midnights in the clinic's
/// timezone): <c>net = payments − refunds − voids</c>, per method and per user who recorded them.
/// </summary>
public record DailyTakingsDto(
    DateOnly Date,
    string Timezone,
    DateTime From,
    DateTime To,
    TakingsLine Total,
    IReadOnlyList<TakingsByMethod> ByMethod,
    IReadOnlyList<TakingsByUser> ByUser);

public record ReceiptClinic(string Name, string? Address, string? Phone, string? Email, string? LogoUrl);

public record ReceiptPatient(Guid Id, string FirstName, string LastName, string MobileNumber);

public record ReceiptAllocation(Guid TreatmentId, DateOnly Date, int ToothNumber, string Description, decimal Amount);

/// <summary>GET /api/payments/{id}/receipt: what a printed receipt shows.</summary>
public record ReceiptDto(
    string Number,
    Guid PaymentId,
    ReceiptClinic Clinic,
    ReceiptPatient Patient,
    DateOnly Date,
    decimal Amount,
    string Method,
    string? Reference,
    string Status,
    decimal Refunded,
    decimal Voided,
    IReadOnlyList<ReceiptAllocation> Allocations,
    decimal Credit,
    decimal BalanceAfter,
    string? RecordedBy,
    DateTime IssuedAt);
