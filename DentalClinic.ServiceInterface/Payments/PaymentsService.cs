using DentalClinic.ServiceInterface.AppointmentTypes;
using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceInterface.Infrastructure;
using DentalClinic.ServiceInterface.Reminders;
using DentalClinic.ServiceInterface.Settings;
using DentalClinic.ServiceModel;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;

namespace DentalClinic.ServiceInterface.Payments;

/// <summary>
/// Payments, voids and refunds (the ledger's API), a patient's account, the day's takings and
/// receipts. Writes go through <see cref="PaymentsLedger"/>; reads sum in exact decimals.
/// </summary>
public sealed class PaymentsService(AppDbContext db, PaymentsLedger ledger, SettingsService settings, CursorCodec cursors, TimeProvider clock)
{
    private sealed record Position(DateOnly Date, DateTime CreatedAt, Guid Id);
    private sealed record EntryPosition(DateOnly Date, DateTime CreatedAt, Guid Id, int Rank);
    private const int ChargeRank = 0, PaymentRank = 1, ReversalRank = 2;

    private static int Rank(AccountEntryDto e) => e.Kind switch
    {
        LedgerEntryKinds.Charge => ChargeRank,
        LedgerEntryKinds.Payment => PaymentRank,
        _ => ReversalRank,
    };

    public async Task<PaymentDto> RecordAsync(CreatePayment request, CancellationToken ct)
    {
        var patientId = request.PatientId!.Value;
        if (!await db.Patients.IgnoreQueryFilters().AnyAsync(p => p.Id == patientId, ct))
            throw ApiException.Invalid("patientId", "The patient does not exist");
        var date = ClinicRules.ParseDate(request.Date) ?? await ledger.TodayAsync(ct);

        await using var tx = await ledger.BeginAsync(patientId, ct);
        var books = await ledger.ReadBooksAsync(patientId, ct);
        var payment = ledger.AddPayment(books, patientId, request.Amount!.Value, request.Method!, date,
            ClinicRules.EmptyToNull(request.Reference), ClinicRules.EmptyToNull(request.Note));
        if (request.Allocations is { } allocations) AllocateAsAsked(books, payment, allocations);
        else ledger.AllocateOldestFirst(books, payment);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return await GetAsync(payment.Id, ct);
    }

    /// <summary>Allocations as the request gives them; each must be a treatment of the patient and no more than it owes.</summary>
    private void AllocateAsAsked(PaymentsLedger.Books books, Payment payment, IReadOnlyList<AllocationRequest> allocations)
    {
        var errors = new List<FieldError>();
        var asked = new Dictionary<Guid, decimal>();
        for (var i = 0; i < allocations.Count; i++)
        {
            var (treatmentId, amount) = (allocations[i].TreatmentId!.Value, allocations[i].Amount!.Value);
            var treatment = books.Treatments.FirstOrDefault(t => t.Id == treatmentId && t.ArchivedAt == null);
            if (treatment is null)
            {
                errors.Add(new FieldError($"allocations[{i}].treatmentId", $"Treatment {treatmentId} is not a treatment of this patient"));
                continue;
            }
            asked[treatmentId] = asked.GetValueOrDefault(treatmentId) + amount;
            var open = PaymentsLedger.Books.Open(treatment);
            if (asked[treatmentId] > open)
                errors.Add(new FieldError($"allocations[{i}].amount",
                    $"Treatment {treatmentId} has {Money.Format(open)} open; {Money.Format(asked[treatmentId])} cannot be allocated to it"));
        }
        if (asked.Values.Sum() > payment.Amount)
            errors.Add(new FieldError("allocations", "The allocations add up to more than the payment"));
        if (errors.Count > 0) throw new ApiException(StatusCodes.Status400BadRequest, ErrorCodes.ValidationError, "Invalid input data", errors);
        foreach (var (treatmentId, amount) in asked)
            ledger.Allocate(books, payment, books.Treatments.Single(t => t.Id == treatmentId), amount);
    }

    public async Task<PaymentDto> VoidAsync(Guid id, VoidPayment request, CancellationToken ct)
    {
        var patientId = await PatientOfAsync(id, ct);
        await using var tx = await ledger.BeginAsync(patientId, ct);
        var books = await ledger.ReadBooksAsync(patientId, ct);
        var payment = books.Payments.Single(p => p.Id == id);
        if (books.IsVoided(id)) throw ApiException.Conflict("id", "The payment is already voided");
        var remaining = payment.Amount - books.Reversed(id);
        if (remaining <= 0m) throw ApiException.Conflict("id", "The payment is already refunded in full; there is nothing left to void");
        ledger.Reverse(books, payment, LedgerEntryKinds.Void, remaining, payment.Method, await ledger.TodayAsync(ct), request.Reason!.Trim());
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return await GetAsync(id, ct);
    }

    public async Task<PaymentDto> RefundAsync(Guid id, RefundPayment request, CancellationToken ct)
    {
        var patientId = await PatientOfAsync(id, ct);
        await using var tx = await ledger.BeginAsync(patientId, ct);
        var books = await ledger.ReadBooksAsync(patientId, ct);
        var payment = books.Payments.Single(p => p.Id == id);
        if (books.IsVoided(id)) throw ApiException.Conflict("id", "The payment is voided; there is nothing to refund");
        var remaining = payment.Amount - books.Reversed(id);
        if (request.Amount!.Value > remaining)
            throw ApiException.Invalid("amount", $"At most {Money.Format(remaining)} of this payment can be refunded");
        ledger.Reverse(books, payment, LedgerEntryKinds.Refund, request.Amount.Value, request.Method ?? payment.Method,
            await ledger.TodayAsync(ct), request.Reason!.Trim());
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return await GetAsync(id, ct);
    }

    private async Task<Guid> PatientOfAsync(Guid paymentId, CancellationToken ct) =>
        await db.Payments.Where(p => p.Id == paymentId).Select(p => (Guid?)p.PatientId).FirstOrDefaultAsync(ct)
        ?? throw ApiException.NotFound("Payment");

    public async Task<PaymentDto> GetAsync(Guid id, CancellationToken ct)
    {
        var payment = await db.Payments.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct) ?? throw ApiException.NotFound("Payment");
        return (await MapAsync([payment], ct))[0];
    }

    public async Task<PagedResult<PaymentDto>> QueryAsync(QueryPayments request, CancellationToken ct)
    {
        var limit = PageRequest.Limit(request.Limit);
        var query = db.Payments.AsNoTracking();
        if (request.PatientId is { } patientId) query = query.Where(p => p.PatientId == patientId);
        if (ClinicRules.ParseDate(request.From) is { } from) query = query.Where(p => p.Date >= from);
        if (ClinicRules.ParseDate(request.To) is { } to) query = query.Where(p => p.Date <= to);
        if (request.Method is { } method) query = query.Where(p => p.Method == method);
        if (request.Cursor is not null)
        {
            var after = cursors.Decode<Position>(request.Cursor);
            query = query.Where(p => p.Date < after.Date || (p.Date == after.Date && (p.CreatedAt < after.CreatedAt ||
                (p.CreatedAt == after.CreatedAt && p.Id.CompareTo(after.Id) < 0))));
        }
        var rows = await query.OrderByDescending(p => p.Date).ThenByDescending(p => p.CreatedAt).ThenByDescending(p => p.Id)
            .Take(limit + 1).ToListAsync(ct);
        var hasMore = rows.Count > limit;
        if (hasMore) rows.RemoveAt(limit);
        var next = hasMore ? cursors.Encode(new Position(rows[^1].Date, rows[^1].CreatedAt, rows[^1].Id)) : null;
        return new PagedResult<PaymentDto>(await MapAsync(rows, ct), new Pagination(limit, next, hasMore));
    }

    private async Task<List<PaymentDto>> MapAsync(List<Payment> payments, CancellationToken ct)
    {
        var ids = payments.Select(p => p.Id).ToList();
        var allocations = await db.PaymentAllocations.AsNoTracking().Where(a => ids.Contains(a.PaymentId)).ToListAsync(ct);
        var reversals = await db.PaymentReversals.AsNoTracking().Where(r => ids.Contains(r.PaymentId)).ToListAsync(ct);
        var userIds = payments.Select(p => p.RecordedBy).Concat(reversals.Select(r => r.RecordedBy)).OfType<Guid>().Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        RecordedBy Recorded(Guid? userId, DateTime at, string? requestId) =>
            new(userId, userId is { } u ? names.GetValueOrDefault(u) : null, at, requestId);

        return payments.Select(p =>
        {
            var mine = reversals.Where(r => r.PaymentId == p.Id).OrderBy(r => r.CreatedAt).ThenBy(r => r.Id).ToList();
            var given = allocations.Where(a => a.PaymentId == p.Id).OrderBy(a => a.CreatedAt).ThenBy(a => a.Id).ToList();
            var refunded = mine.Where(r => r.Kind == LedgerEntryKinds.Refund).Sum(r => r.Amount);
            var voided = mine.Where(r => r.Kind == LedgerEntryKinds.Void).Sum(r => r.Amount);
            var allocated = given.Sum(a => a.Amount);
            var status = voided > 0m ? PaymentStatuses.Voided
                : refunded == p.Amount ? PaymentStatuses.Refunded
                : refunded > 0m ? PaymentStatuses.PartlyRefunded
                : PaymentStatuses.Active;
            return new PaymentDto(p.Id, p.PatientId, p.Amount, p.Method, p.Date, p.Reference, p.Note, status,
                refunded, voided, allocated, p.Amount - refunded - voided - allocated,
                Recorded(p.RecordedBy, p.CreatedAt, p.RequestId),
                given.Select(a => new AllocationDto(a.Id, a.TreatmentId, a.Amount, a.ReversalId, a.CreatedAt)).ToList(),
                mine.Select(r => new PaymentReversalDto(r.Id, r.PaymentId, r.Kind, r.Amount, r.Method, r.Date, r.Reason,
                    Recorded(r.RecordedBy, r.CreatedAt, r.RequestId))).ToList());
        }).ToList();
    }

    /// <summary>The patient's account: totals, aging of what is owed, and the entries newest first.</summary>
    public async Task<PatientAccountDto> AccountAsync(Guid patientId, QueryAccount request, CancellationToken ct)
    {
        if (!await db.Patients.IgnoreQueryFilters().AnyAsync(p => p.Id == patientId, ct)) throw ApiException.NotFound("Patient");
        var limit = PageRequest.Limit(request.Limit);
        var after = request.Cursor is null ? null : cursors.Decode<EntryPosition>(request.Cursor);

        var treatments = await db.Treatments.AsNoTracking().Where(t => t.PatientId == patientId)
            .Select(t => new { t.Id, t.Date, t.TotalPrice, t.Discount, t.AmountPaid, t.CreatedAt, t.ToothNumber, t.AppointmentTypeId })
            .ToListAsync(ct);
        var paid = await db.Payments.Where(p => p.PatientId == patientId).SumAsync(p => p.Amount, ct);
        var refunds = await db.PaymentReversals.Where(r => r.PatientId == patientId && r.Kind == LedgerEntryKinds.Refund).SumAsync(r => r.Amount, ct);
        var voids = await db.PaymentReversals.Where(r => r.PatientId == patientId && r.Kind == LedgerEntryKinds.Void).SumAsync(r => r.Amount, ct);
        var allocated = await db.PaymentAllocations.Where(a => a.PatientId == patientId).SumAsync(a => a.Amount, ct);

        var today = await ledger.TodayAsync(ct);
        decimal[] aging = [0m, 0m, 0m, 0m];
        foreach (var t in treatments)
        {
            var owed = t.TotalPrice - t.Discount - t.AmountPaid;
            if (owed <= 0m) continue;
            var days = today.DayNumber - t.Date.DayNumber;
            aging[days <= 30 ? 0 : days <= 60 ? 1 : days <= 90 ? 2 : 3] += owed;
        }

        // The entries: three keyset queries (charges, payments, reversals) merged newest first.
        var charges = db.Treatments.AsNoTracking().Where(t => t.PatientId == patientId);
        var payments = db.Payments.AsNoTracking().Where(p => p.PatientId == patientId);
        var reversals = db.PaymentReversals.AsNoTracking().Where(r => r.PatientId == patientId);
        if (after is not null)
        {
            // Entries order by date, time recorded, id, then kind (charge < payment < reversal): an opening
            // payment of the migration shares its treatment's id and time.
            var (d, c, id) = (after.Date, after.CreatedAt, after.Id);
            bool chargeTie = ChargeRank < after.Rank, paymentTie = PaymentRank < after.Rank, reversalTie = ReversalRank < after.Rank;
            charges = charges.Where(t => t.Date < d || (t.Date == d && (t.CreatedAt < c ||
                (t.CreatedAt == c && (t.Id.CompareTo(id) < 0 || (chargeTie && t.Id == id))))));
            payments = payments.Where(p => p.Date < d || (p.Date == d && (p.CreatedAt < c ||
                (p.CreatedAt == c && (p.Id.CompareTo(id) < 0 || (paymentTie && p.Id == id))))));
            reversals = reversals.Where(r => r.Date < d || (r.Date == d && (r.CreatedAt < c ||
                (r.CreatedAt == c && (r.Id.CompareTo(id) < 0 || (reversalTie && r.Id == id))))));
        }
        var typeNames = await db.AppointmentTypes.IgnoreQueryFilters().AsNoTracking().ToDictionaryAsync(t => t.Id, t => t.Name, ct);
        var entries = new List<AccountEntryDto>();
        entries.AddRange((await charges.OrderByDescending(t => t.Date).ThenByDescending(t => t.CreatedAt).ThenByDescending(t => t.Id).Take(limit + 1).ToListAsync(ct))
            .Select(t => new AccountEntryDto(t.Id, LedgerEntryKinds.Charge, t.Date, t.TotalPrice - t.Discount, null, t.Id, null,
                $"{typeNames.GetValueOrDefault(t.AppointmentTypeId)}, tooth {t.ToothNumber}" + (t.Discount > 0m ? $" (price {Money.Format(t.TotalPrice)}, discount {Money.Format(t.Discount)})" : ""),
                t.CreatedAt)));
        entries.AddRange((await payments.OrderByDescending(p => p.Date).ThenByDescending(p => p.CreatedAt).ThenByDescending(p => p.Id).Take(limit + 1).ToListAsync(ct))
            .Select(p => new AccountEntryDto(p.Id, LedgerEntryKinds.Payment, p.Date, p.Amount, p.Method, null, p.Id, p.Reference ?? p.Note, p.CreatedAt)));
        entries.AddRange((await reversals.OrderByDescending(r => r.Date).ThenByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id).Take(limit + 1).ToListAsync(ct))
            .Select(r => new AccountEntryDto(r.Id, r.Kind, r.Date, r.Amount, r.Method, null, r.PaymentId, r.Reason, r.CreatedAt)));
        var page = entries.OrderByDescending(e => e.Date).ThenByDescending(e => e.CreatedAt).ThenByDescending(e => e.Id)
            .ThenByDescending(Rank).Take(limit + 1).ToList();
        var hasMore = page.Count > limit;
        if (hasMore) page.RemoveAt(limit);
        var next = hasMore ? cursors.Encode(new EntryPosition(page[^1].Date, page[^1].CreatedAt, page[^1].Id, Rank(page[^1]))) : null;

        var charged = treatments.Sum(t => t.TotalPrice);
        var discounts = treatments.Sum(t => t.Discount);
        var paidToCharges = treatments.Sum(t => t.AmountPaid);
        return new PatientAccountDto(patientId, charged, discounts, paid - voids, refunds,
            paid - refunds - voids - allocated, charged - discounts - paidToCharges,
            new AgingBuckets(aging[0], aging[1], aging[2], aging[3]), page, new Pagination(limit, next, hasMore));
    }

    /// <summary>What was taken on one clinic day: entries recorded between its local midnights.</summary>
    public async Task<DailyTakingsDto> DailyTakingsAsync(QueryDailyTakings request, CancellationToken ct)
    {
        var timezone = (await settings.GetWithoutLogoAsync(ct)).Timezone;
        var zone = ClinicTime.Zone(timezone);
        var date = ClinicRules.ParseDate(request.Date) ?? await ledger.TodayAsync(ct);
        var from = ClinicTime.ToUtc(date, TimeOnly.MinValue, zone);
        var to = ClinicTime.ToUtc(date.AddDays(1), TimeOnly.MinValue, zone);

        var payments = await db.Payments.AsNoTracking().Where(p => p.CreatedAt >= from && p.CreatedAt < to)
            .Select(p => new { p.Method, p.RecordedBy, p.Amount }).ToListAsync(ct);
        var reversals = await db.PaymentReversals.AsNoTracking().Where(r => r.CreatedAt >= from && r.CreatedAt < to)
            .Select(r => new { r.Kind, r.Method, r.RecordedBy, r.Amount }).ToListAsync(ct);
        var lines = payments.Select(p => (p.Method, p.RecordedBy, Payment: p.Amount, Refund: 0m, Void: 0m))
            .Concat(reversals.Select(r => (r.Method, r.RecordedBy, Payment: 0m,
                Refund: r.Kind == LedgerEntryKinds.Refund ? r.Amount : 0m, Void: r.Kind == LedgerEntryKinds.Void ? r.Amount : 0m)))
            .ToList();
        var userIds = lines.Select(l => l.RecordedBy).OfType<Guid>().Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, ct);

        TakingsLine Total(IEnumerable<(string Method, Guid? RecordedBy, decimal Payment, decimal Refund, decimal Void)> group)
        {
            var g = group.ToList();
            var (paid, refunded, voided) = (g.Sum(l => l.Payment), g.Sum(l => l.Refund), g.Sum(l => l.Void));
            return new TakingsLine(paid, refunded, voided, paid - refunded - voided, g.Count);
        }
        var byMethod = PaymentMethods.All.Select(m => (m, Total(lines.Where(l => l.Method == m))))
            .Where(x => x.Item2.Count > 0)
            .Select(x => new TakingsByMethod(x.m, x.Item2.Payments, x.Item2.Refunds, x.Item2.Voids, x.Item2.Net, x.Item2.Count)).ToList();
        var byUser = lines.GroupBy(l => l.RecordedBy)
            .Select(g => (g.Key, Line: Total(g)))
            .Select(x => new TakingsByUser(x.Key, x.Key is { } u ? names.GetValueOrDefault(u) : null,
                x.Line.Payments, x.Line.Refunds, x.Line.Voids, x.Line.Net, x.Line.Count))
            .OrderBy(u => u.UserName).ToList();
        return new DailyTakingsDto(date, timezone, from, to, Total(lines), byMethod, byUser);
    }

    /// <summary>What a printed receipt shows: the clinic, the patient, the payment, where it went, the balance now.</summary>
    public async Task<ReceiptDto> ReceiptAsync(Guid id, CancellationToken ct)
    {
        var payment = await GetAsync(id, ct);
        var clinic = await settings.GetAsync(ct);
        var patient = await db.Patients.IgnoreQueryFilters().AsNoTracking().SingleAsync(p => p.Id == payment.PatientId, ct);
        var treatmentIds = payment.Allocations.Select(a => a.TreatmentId).Distinct().ToList();
        var treatments = await (from t in db.Treatments.IgnoreQueryFilters().AsNoTracking()
                                join type in db.AppointmentTypes.IgnoreQueryFilters() on t.AppointmentTypeId equals type.Id
                                where treatmentIds.Contains(t.Id)
                                select new { t.Id, t.Date, t.ToothNumber, type.Name }).ToDictionaryAsync(t => t.Id, ct);
        var allocations = payment.Allocations.GroupBy(a => a.TreatmentId)
            .Select(g => (Treatment: treatments[g.Key], Amount: g.Sum(a => a.Amount)))
            .Where(x => x.Amount != 0m)
            .OrderBy(x => x.Treatment.Date).ThenBy(x => x.Treatment.Id)
            .Select(x => new ReceiptAllocation(x.Treatment.Id, x.Treatment.Date, x.Treatment.ToothNumber, x.Treatment.Name, x.Amount))
            .ToList();
        var account = await AccountAsync(payment.PatientId, new QueryAccount(1, null), ct);
        return new ReceiptDto(
            $"{payment.Date:yyyyMMdd}-{payment.Id.ToString("N")[^8..].ToUpperInvariant()}",
            payment.Id,
            new ReceiptClinic(clinic.ClinicName, clinic.ClinicAddress, clinic.ClinicPhone, clinic.ClinicEmail, clinic.Logo?.Url),
            new ReceiptPatient(patient.Id, patient.FirstName, patient.LastName, patient.MobileNumber),
            payment.Date, payment.Amount, payment.Method, payment.Reference, payment.Status, payment.Refunded, payment.Voided,
            allocations, account.Credit, account.Balance, payment.Recorded.UserName, clock.GetUtcNow().UtcDateTime);
    }
}
