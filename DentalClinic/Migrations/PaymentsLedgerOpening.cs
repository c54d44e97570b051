namespace DentalClinic.Migrations;

/// <summary>
/// The SQL of the AddPaymentsLedger migration that turns what each treatment had stored as
/// <c>amount_paid</c> into an opening payment (method other, on the treatment's date, recorded when
/// the treatment was) allocated to that treatment, so every treatment's <c>amount_paid</c> is the
/// sum of its allocations from then on and every balance stays what it was. The opening payment
/// and its allocation take the treatment's id: one of each per treatment, unique in their tables.
/// Archived treatments are included: what was paid for them stays recorded against them.
/// Frozen with the migration.
/// </summary>
public static class PaymentsLedgerOpening
{
    public const string Note = "Opening balance: paid before the payments ledger";

    public static string[] Sql(bool postgres)
    {
        var paid = postgres ? "amount_paid > 0" : "CAST(amount_paid AS NUMERIC) > 0";
        return
        [
            "INSERT INTO payments (id, patient_id, amount, method, date, reference, note, recorded_by, request_id, created_at, updated_at) " +
            $"SELECT id, patient_id, amount_paid, 'other', date, NULL, '{Note}', NULL, NULL, created_at, created_at FROM treatments WHERE {paid}",
            "INSERT INTO payment_allocations (id, payment_id, treatment_id, patient_id, amount, reversal_id, recorded_by, request_id, created_at, updated_at) " +
            $"SELECT id, id, id, patient_id, amount_paid, NULL, NULL, NULL, created_at, created_at FROM treatments WHERE {paid}",
        ];
    }
}
