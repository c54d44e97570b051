using DentalClinic.ServiceInterface.Audit;
using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceInterface.Infrastructure;
using DentalClinic.ServiceInterface.Reminders;
using DentalClinic.ServiceInterface.Settings;
using DentalClinic.ServiceModel;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace DentalClinic.ServiceInterface.Payments;

/// <summary>
/// The one writer of the money ledger. Every change to a patient's money runs inside
/// <see cref="BeginAsync"/>: a transaction serialised per patient (the advisory-lock approach of
/// appointments on PostgreSQL; SQLite admits one writer at a time), so two payments to the same
/// treatment can never both see it open. Within it the patient's books are read once, changed
/// in memory in exact decimals, and saved together: a payment, its allocations and every
/// treatment's <c>amount_paid</c> (the sum of its allocations) commit or roll back as one.
/// </summary>
public sealed class PaymentsLedger(AppDbContext db, CurrentAuditActor actor, SettingsService settings, TimeProvider clock)
{
    /// <summary>A transaction holding the money lock of every given patient (taken in a fixed order: no deadlock).</summary>
    public async Task<IDbContextTransaction> BeginAsync(IEnumerable<Guid> patientIds, CancellationToken ct)
    {
        var ids = patientIds.Distinct().Order().ToList();
        var tx = await db.BeginLockedTransactionAsync(LockName(ids[0]), ct);
        if (db.IsPostgres)
            foreach (var id in ids.Skip(1))
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({DbExtensions.LockKey(LockName(id))})", ct);
        return tx;
    }

    public Task<IDbContextTransaction> BeginAsync(Guid patientId, CancellationToken ct) => BeginAsync([patientId], ct);

    private static string LockName(Guid patientId) => $"patient-money:{patientId}";

    /// <summary>Today on the clinic's clock.</summary>
    public async Task<DateOnly> TodayAsync(CancellationToken ct)
    {
        var zone = ClinicTime.Zone((await settings.GetWithoutLogoAsync(ct)).Timezone);
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(clock.GetUtcNow().UtcDateTime, zone));
    }

    /// <summary>A patient's books, read under the lock: payments, reversals, allocations; treatments tracked for update.</summary>
    public sealed class Books
    {
        public required List<Payment> Payments { get; init; }
        public required List<PaymentReversal> Reversals { get; init; }
        public required List<PaymentAllocation> Allocations { get; init; }
        /// <summary>Every treatment of the patient, archived ones too (their allocations stay theirs).</summary>
        public required List<Treatment> Treatments { get; init; }

        public decimal Reversed(Guid paymentId) => Reversals.Where(r => r.PaymentId == paymentId).Sum(r => r.Amount);
        public bool IsVoided(Guid paymentId) => Reversals.Any(r => r.PaymentId == paymentId && r.Kind == LedgerEntryKinds.Void);
        public decimal AllocatedFrom(Guid paymentId) => Allocations.Where(a => a.PaymentId == paymentId).Sum(a => a.Amount);
        /// <summary>What is left of a payment that no treatment has: the patient's credit from it.</summary>
        public decimal Unallocated(Payment p) => p.Amount - Reversed(p.Id) - AllocatedFrom(p.Id);
        public decimal Credit => Payments.Sum(Unallocated);
        public static decimal Open(Treatment t) => t.ArchivedAt is null ? t.TotalPrice - t.Discount - t.AmountPaid : 0m;
    }

    public async Task<Books> ReadBooksAsync(Guid patientId, CancellationToken ct) => new()
    {
        Payments = await db.Payments.Where(p => p.PatientId == patientId).OrderBy(p => p.CreatedAt).ThenBy(p => p.Id).ToListAsync(ct),
        Reversals = await db.PaymentReversals.Where(r => r.PatientId == patientId).ToListAsync(ct),
        Allocations = await db.PaymentAllocations.Where(a => a.PatientId == patientId).ToListAsync(ct),
        Treatments = await db.Treatments.IgnoreQueryFilters().Where(t => t.PatientId == patientId).ToListAsync(ct),
    };

    /// <summary>Records a payment; the caller saves and commits.</summary>
    public Payment AddPayment(Books books, Guid patientId, decimal amount, string method, DateOnly date, string? reference, string? note)
    {
        var who = actor.Get();
        var payment = new Payment
        {
            PatientId = patientId, Amount = amount, Method = method, Date = date,
            Reference = reference, Note = note, RecordedBy = who.UserId, RequestId = who.RequestId,
        };
        db.Payments.Add(payment);
        books.Payments.Add(payment);
        return payment;
    }

    /// <summary>Gives (positive) or takes back (negative) money of a payment to a treatment, keeping amount_paid its sum.</summary>
    public void Allocate(Books books, Payment payment, Treatment treatment, decimal amount, PaymentReversal? reversal = null)
    {
        if (amount == 0m) return;
        var who = actor.Get();
        var allocation = new PaymentAllocation
        {
            PaymentId = payment.Id, TreatmentId = treatment.Id, PatientId = payment.PatientId, Amount = amount,
            ReversalId = reversal?.Id, RecordedBy = who.UserId, RequestId = who.RequestId,
        };
        db.PaymentAllocations.Add(allocation);
        books.Allocations.Add(allocation);
        treatment.AmountPaid += amount;
        if (treatment.AmountPaid < 0m || treatment.AmountPaid > treatment.TotalPrice - treatment.Discount)
            throw new InvalidOperationException($"Allocation would leave treatment {treatment.Id} paid {treatment.AmountPaid} of {treatment.TotalPrice - treatment.Discount}");
    }

    /// <summary>Pays the patient's oldest open treatments first (date, then when recorded) with what is left of the payment.</summary>
    public void AllocateOldestFirst(Books books, Payment payment)
    {
        var left = books.Unallocated(payment);
        foreach (var treatment in books.Treatments.Where(t => Books.Open(t) > 0m).OrderBy(t => t.Date).ThenBy(t => t.CreatedAt).ThenBy(t => t.Id))
        {
            if (left <= 0m) break;
            var amount = Math.Min(left, Books.Open(treatment));
            Allocate(books, payment, treatment, amount);
            left -= amount;
        }
    }

    /// <summary>Uses the patient's credit (oldest payments first) for what the treatment still owes.</summary>
    public void ApplyCredit(Books books, Treatment treatment)
    {
        foreach (var payment in books.Payments)
        {
            var open = Books.Open(treatment);
            if (open <= 0m) break;
            var available = books.Unallocated(payment);
            if (available > 0m) Allocate(books, payment, treatment, Math.Min(open, available));
        }
    }

    /// <summary>
    /// Adds a void or refund of <paramref name="amount"/> to a payment. The money comes first from
    /// what no treatment has (credit), then back from the treatments it paid, the most recent first;
    /// or, when <paramref name="onlyFrom"/> is given, from that treatment only.
    /// </summary>
    public PaymentReversal Reverse(Books books, Payment payment, string kind, decimal amount, string method, DateOnly date, string reason, Treatment? onlyFrom = null)
    {
        var who = actor.Get();
        var reversal = new PaymentReversal
        {
            PaymentId = payment.Id, PatientId = payment.PatientId, Kind = kind, Amount = amount, Method = method,
            Date = date, Reason = reason, RecordedBy = who.UserId, RequestId = who.RequestId,
        };
        db.PaymentReversals.Add(reversal);

        var fromCredit = onlyFrom is null ? Math.Min(amount, Math.Max(0m, books.Unallocated(payment))) : 0m;
        var left = amount - fromCredit;
        var paid = books.Allocations.Where(a => a.PaymentId == payment.Id && (onlyFrom is null || a.TreatmentId == onlyFrom.Id))
            .GroupBy(a => a.TreatmentId)
            .Select(g => (Treatment: books.Treatments.Single(t => t.Id == g.Key), Net: g.Sum(a => a.Amount)))
            .Where(x => x.Net > 0m)
            .OrderByDescending(x => x.Treatment.Date).ThenByDescending(x => x.Treatment.CreatedAt).ThenByDescending(x => x.Treatment.Id);
        foreach (var (treatment, net) in paid)
        {
            if (left <= 0m) break;
            var back = Math.Min(left, net);
            Allocate(books, payment, treatment, -back, reversal);
            left -= back;
        }
        if (left != 0m) throw new InvalidOperationException($"Reversal of payment {payment.Id} left {left} unaccounted");
        books.Reversals.Add(reversal);
        return reversal;
    }

    /// <summary>
    /// Makes a treatment's amount paid <paramref name="target"/>, as the specification's amountPaid
    /// on POST/PUT /api/treatments asks: more is a payment allocated to it; less is a refund of the
    /// payments that paid it, the most recent first.
    /// </summary>
    public async Task SetAmountPaidAsync(Books books, Treatment treatment, decimal target, string? method, CancellationToken ct)
    {
        var difference = target - treatment.AmountPaid;
        if (difference == 0m) return;
        var today = await TodayAsync(ct);
        if (difference > 0m)
        {
            var payment = AddPayment(books, treatment.PatientId, difference, method ?? PaymentMethods.Other, today, null,
                "Recorded as the treatment's amount paid");
            Allocate(books, payment, treatment, difference);
            return;
        }

        var left = -difference;
        var sources = books.Allocations.Where(a => a.TreatmentId == treatment.Id)
            .GroupBy(a => a.PaymentId)
            .Select(g => (Payment: books.Payments.Single(p => p.Id == g.Key), Net: g.Sum(a => a.Amount)))
            .Where(x => x.Net > 0m)
            .OrderByDescending(x => x.Payment.CreatedAt).ThenByDescending(x => x.Payment.Id)
            .ToList();
        foreach (var (payment, net) in sources)
        {
            if (left <= 0m) break;
            var back = Math.Min(left, net);
            Reverse(books, payment, LedgerEntryKinds.Refund, back, method ?? payment.Method, today,
                $"Amount paid of the treatment corrected to {target:0.00}", onlyFrom: treatment);
            left -= back;
        }
        if (left != 0m)
            throw new ApiException(StatusCodes.Status409Conflict, ErrorCodes.Conflict, "The payments of this treatment cannot cover the correction",
                [new FieldError("amountPaid", "The payments of this treatment cannot cover the correction")]);
    }
}
