using DentalClinic.ServiceInterface.AppointmentTypes;
using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceInterface.Infrastructure;
using DentalClinic.ServiceInterface.Payments;
using DentalClinic.ServiceModel;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace DentalClinic.ServiceInterface.Treatments;

/// <summary>
/// Treatments. What was paid is kept by the payments ledger (<see cref="PaymentsLedger"/>): the
/// specification's amountPaid on create and update becomes a payment or refund entry. Money is decimal from JSON to the database and back (numeric on
/// PostgreSQL, exact decimal text on SQLite): <c>balance = totalPrice − discount − amountPaid</c> is exact.
/// DELETE archives a treatment (DESIGN §5): it disappears from every list, GET and sum, but the row stays.
/// </summary>
public sealed class TreatmentsService(AppDbContext db, PaymentsLedger ledger, CursorCodec cursors, TimeProvider clock)
{
    private sealed record Position(DateOnly Date, Guid Id);

    public async Task<PagedResult<TreatmentDto>> QueryAsync(QueryTreatments request, CancellationToken ct)
    {
        var limit = PageRequest.Limit(request.Limit);
        var query = db.Treatments.AsNoTracking();
        if (request.PatientId is { } patientId) query = query.Where(t => t.PatientId == patientId);
        if (ClinicRules.ParseDate(request.From) is { } from) query = query.Where(t => t.Date >= from);
        if (ClinicRules.ParseDate(request.To) is { } to) query = query.Where(t => t.Date <= to);
        if (request.Cursor is not null)
        {
            var after = cursors.Decode<Position>(request.Cursor);
            query = query.Where(t => t.Date < after.Date || (t.Date == after.Date && t.Id.CompareTo(after.Id) < 0));
        }
        var rows = await query.OrderByDescending(t => t.Date).ThenByDescending(t => t.Id).Take(limit + 1).ToListAsync(ct);
        var hasMore = rows.Count > limit;
        if (hasMore) rows.RemoveAt(limit);
        var next = hasMore ? cursors.Encode(new Position(rows[^1].Date, rows[^1].Id)) : null;
        return new PagedResult<TreatmentDto>(rows.Select(Map).ToList(), new Pagination(limit, next, hasMore));
    }

    /// <summary>Every treatment of one patient, newest first (archived patients included: their records stay).</summary>
    public async Task<IReadOnlyList<TreatmentDto>> ForPatientAsync(Guid patientId, CancellationToken ct)
    {
        if (!await db.Patients.IgnoreQueryFilters().AnyAsync(p => p.Id == patientId, ct)) throw ApiException.NotFound("Patient");
        var rows = await db.Treatments.AsNoTracking().Where(t => t.PatientId == patientId)
            .OrderByDescending(t => t.Date).ThenByDescending(t => t.Id).ToListAsync(ct);
        return rows.Select(Map).ToList();
    }

    public async Task<TreatmentDto> GetAsync(Guid id, CancellationToken ct) =>
        Map(await db.Treatments.AsNoTracking().FirstOrDefaultAsync(t => t.Id == id, ct) ?? throw ApiException.NotFound("Treatment"));

    public async Task<TreatmentDto> CreateAsync(CreateTreatment request, CancellationToken ct)
    {
        await ClinicRules.EnsurePatientAndTypeUsableAsync(db, request.PatientId, request.AppointmentTypeId, ct);
        var treatment = new Treatment
        {
            PatientId = request.PatientId!.Value,
            ToothNumber = request.ToothNumber!.Value,
            AppointmentTypeId = request.AppointmentTypeId!.Value,
            TotalPrice = request.TotalPrice!.Value,
            AmountPaid = 0m,
            Discount = request.Discount ?? 0m,
            Date = ClinicRules.ParseDate(request.Date)!.Value,
            Notes = ClinicRules.EmptyToNull(request.Notes),
        };
        await using var tx = await ledger.BeginAsync(treatment.PatientId, ct);
        var books = await ledger.ReadBooksAsync(treatment.PatientId, ct);
        db.Treatments.Add(treatment);
        books.Treatments.Add(treatment);
        // The specification's amountPaid is a payment allocated to the treatment; without it, credit pays it.
        if (request.AmountPaid is { } paid) await ledger.SetAmountPaidAsync(books, treatment, paid, request.PaymentMethod, ct);
        else ledger.ApplyCredit(books, treatment);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Map(treatment);
    }

    public async Task<TreatmentDto> UpdateAsync(Guid id, UpdateTreatment request, CancellationToken ct)
    {
        var patientId = await db.Treatments.Where(t => t.Id == id).Select(t => (Guid?)t.PatientId).FirstOrDefaultAsync(ct)
            ?? throw ApiException.NotFound("Treatment");
        await using var tx = await ledger.BeginAsync([patientId, request.PatientId ?? patientId], ct);
        var books = await ledger.ReadBooksAsync(patientId, ct);
        var treatment = books.Treatments.FirstOrDefault(t => t.Id == id && t.ArchivedAt == null) ?? throw ApiException.NotFound("Treatment");
        await ClinicRules.EnsurePatientAndTypeUsableAsync(db,
            request.PatientId is { } p && p != treatment.PatientId ? p : null,
            request.AppointmentTypeId is { } t && t != treatment.AppointmentTypeId ? t : null, ct);
        if (request.PatientId is { } newPatient && newPatient != treatment.PatientId && books.Allocations.Any(a => a.TreatmentId == id))
            throw ApiException.Conflict("patientId", "A treatment with payments stays with its patient; refund or void its payments first");

        // The amounts are checked together, as they end up after the change.
        var (total, discount, paid) = (request.TotalPrice ?? treatment.TotalPrice, request.Discount ?? treatment.Discount, request.AmountPaid ?? treatment.AmountPaid);
        var errors = TreatmentMoney.Check(total, paid, discount);
        if (errors.Count > 0) throw new ApiException(StatusCodes.Status400BadRequest, ErrorCodes.ValidationError, "Invalid input data", errors);

        // Less paid is refunded while the old amounts still hold; more is paid once the new ones do.
        if (paid < treatment.AmountPaid) await ledger.SetAmountPaidAsync(books, treatment, paid, request.PaymentMethod, ct);
        treatment.PatientId = request.PatientId ?? treatment.PatientId;
        treatment.ToothNumber = request.ToothNumber ?? treatment.ToothNumber;
        treatment.AppointmentTypeId = request.AppointmentTypeId ?? treatment.AppointmentTypeId;
        treatment.TotalPrice = total;
        treatment.Discount = discount;
        treatment.Date = ClinicRules.ParseDate(request.Date) ?? treatment.Date;
        if (request.Notes is not null) treatment.Notes = ClinicRules.EmptyToNull(request.Notes);
        if (paid > treatment.AmountPaid) await ledger.SetAmountPaidAsync(books, treatment, paid, request.PaymentMethod, ct);

        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return Map(treatment);
    }

    /// <summary>
    /// Archives the treatment: hidden everywhere (a global query filter), kept in the database. Payments
    /// allocated to it stay with it (the ledger never loses an entry); refund them to give the money back.
    /// </summary>
    public async Task ArchiveAsync(Guid id, CancellationToken ct)
    {
        var patientId = await db.Treatments.Where(t => t.Id == id).Select(t => (Guid?)t.PatientId).FirstOrDefaultAsync(ct)
            ?? throw ApiException.NotFound("Treatment");
        await using var tx = await ledger.BeginAsync(patientId, ct);
        var treatment = await db.Treatments.FirstOrDefaultAsync(t => t.Id == id, ct) ?? throw ApiException.NotFound("Treatment");
        treatment.ArchivedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }


    internal static TreatmentDto Map(Treatment t) => new(
        t.Id, t.PatientId, t.ToothNumber, t.AppointmentTypeId, t.TotalPrice, t.AmountPaid, t.Discount,
        TreatmentMoney.Balance(t.TotalPrice, t.AmountPaid, t.Discount), t.Date, t.Notes, t.CreatedAt, t.UpdatedAt);
}

/// <summary>The money rules of a treatment (DESIGN §5), in exact decimal arithmetic.</summary>
public static class TreatmentMoney
{
    public static decimal Balance(decimal totalPrice, decimal amountPaid, decimal discount) => totalPrice - discount - amountPaid;

    /// <summary><c>discount ≤ totalPrice</c> and <c>amountPaid ≤ totalPrice − discount</c>.</summary>
    public static List<FieldError> Check(decimal totalPrice, decimal amountPaid, decimal discount)
    {
        var errors = new List<FieldError>();
        if (discount > totalPrice)
            errors.Add(new FieldError("discount", "Discount must not exceed the total price"));
        else if (amountPaid > totalPrice - discount)
            errors.Add(new FieldError("amountPaid", "Amount paid must not exceed the total price minus the discount"));
        return errors;
    }
}
