using System.ComponentModel.DataAnnotations;

namespace DentalClinic.ServiceModel;

/// <summary>Treatments, newest first (date, then id). <c>from</c>/<c>to</c> are inclusive dates (YYYY-MM-DD).</summary>
public record QueryTreatments(Guid? PatientId, string? From, string? To, int? Limit, string? Cursor);

/// <summary>
/// Money: JSON numbers, at least 0, at most 2 decimals; <c>discount</c> defaults to 0. <c>amountPaid</c>
/// is recorded as a payment allocated to the treatment (method <c>paymentMethod</c>, default other);
/// without it, the patient's credit (if any) pays the treatment.
/// </summary>
public record CreateTreatment(
    Guid? PatientId,
    int? ToothNumber,
    Guid? AppointmentTypeId,
    decimal? TotalPrice,
    decimal? AmountPaid,
    decimal? Discount,
    string? Date,
    string? Notes,
    [property: AllowedValues(PaymentMethods.Cash, PaymentMethods.Card, PaymentMethods.Transfer, PaymentMethods.Insurance, PaymentMethods.Other)] string? PaymentMethod = null);

/// <summary>
/// Every field is optional: a missing one is left unchanged; <c>notes: ""</c> clears the notes. A new
/// <c>amountPaid</c> adds a payment (more) or a refund (less) for the difference, method <c>paymentMethod</c> (default other).
/// </summary>
public record UpdateTreatment(
    Guid? PatientId,
    int? ToothNumber,
    Guid? AppointmentTypeId,
    decimal? TotalPrice,
    decimal? AmountPaid,
    decimal? Discount,
    string? Date,
    string? Notes,
    [property: AllowedValues(PaymentMethods.Cash, PaymentMethods.Card, PaymentMethods.Transfer, PaymentMethods.Insurance, PaymentMethods.Other)] string? PaymentMethod = null);

/// <summary>A treatment; <c>amountPaid</c> is the sum of its payment allocations; <c>balance = totalPrice − discount − amountPaid</c>, exact.</summary>
public record TreatmentDto(
    Guid Id,
    Guid PatientId,
    int ToothNumber,
    Guid AppointmentTypeId,
    decimal TotalPrice,
    decimal AmountPaid,
    decimal Discount,
    decimal Balance,
    DateOnly Date,
    string? Notes,
    DateTime CreatedAt,
    DateTime UpdatedAt);

public static class TreatmentRules
{
    public const int MinTooth = 1;
    public const int MaxTooth = 32;
    public const decimal MaxAmount = MoneyRules.Max;
}
