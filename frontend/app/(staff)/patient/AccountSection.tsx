"use client";
// The patient's account: what is owed (balance, by age), credit, taking a payment at the desk
// (method, allocation to treatments), the payments with their receipts, voids and refunds
// (admins and dentists), and the ledger.
import Link from "next/link";
import { useEffect, useMemo, useState, type FormEvent } from "react";
import { ErrorAlert, Loading, SelectField, TextField, fieldError, formatDate, money } from "../../../components/ui";
import type { PatientDetails } from "../../../store/patientStore";
import { usePaymentStore, type Payment, type PaymentMethod } from "../../../store/paymentStore";
import { can, useSessionStore } from "../../../store/sessionStore";
import { useTreatmentStore } from "../../../store/treatmentStore";

const paymentMethods: PaymentMethod[] = ["cash", "card", "transfer", "insurance", "other"];
const methodLabels: Record<string, string> = { cash: "Cash", card: "Card", transfer: "Transfer", insurance: "Insurance", other: "Other" };
const kindLabels: Record<string, string> = { charge: "Charge", payment: "Payment", refund: "Refund", void: "Void" };
const statusLabels: Record<string, string> = { active: "Paid", "partly-refunded": "Partly refunded", refunded: "Refunded", voided: "Voided" };

export function AccountSection({ patient }: { patient: PatientDetails }) {
  const role = useSessionStore((s) => s.user?.role);
  const { account, items: payments, patientId, loading, errors, loadAccount, loadByPatient, loadMoreEntries, clearError } = usePaymentStore();
  const [taking, setTaking] = useState(false);
  const [notice, setNotice] = useState<{ text: string; paymentId?: string } | null>(null);

  // The patient store reloads the patient after a treatment changes (their account changes too).
  useEffect(() => {
    void loadAccount(patient.id);
    void loadByPatient(patient.id);
  }, [patient, loadAccount, loadByPatient]);

  const mine = patientId === patient.id;
  const shown = mine ? account : null;

  return (
    <section className="card" aria-labelledby="account-heading">
      <div className="row" style={{ alignItems: "center" }}>
        <h2 id="account-heading" style={{ margin: 0 }}>Account</h2>
        {!taking && (
          <div style={{ flex: "0 0 auto" }} className="no-print">
            <button type="button" onClick={() => { clearError("record"); setNotice(null); setTaking(true); }}>Take a payment</button>
          </div>
        )}
      </div>
      <ErrorAlert error={errors.account} />
      {!shown && loading.account && <Loading />}
      {shown && (
        <>
          <dl className="summary">
            <div><dt>Balance owed</dt><dd className="money">{money(shown.balance)}</dd></div>
            <div><dt>Credit</dt><dd className="money">{money(shown.credit)}</dd></div>
            <div><dt>Charges</dt><dd className="money">{money(shown.charges)}</dd></div>
            <div><dt>Discounts</dt><dd className="money">{money(shown.discounts)}</dd></div>
            <div><dt>Payments</dt><dd className="money">{money(shown.payments)}</dd></div>
            <div><dt>Refunds</dt><dd className="money">{money(shown.refunds)}</dd></div>
          </dl>
          <h3>Owed by age</h3>
          <dl className="summary">
            <div><dt>0–30 days</dt><dd className="money">{money(shown.aging.days0To30)}</dd></div>
            <div><dt>31–60 days</dt><dd className="money">{money(shown.aging.days31To60)}</dd></div>
            <div><dt>61–90 days</dt><dd className="money">{money(shown.aging.days61To90)}</dd></div>
            <div><dt>Over 90 days</dt><dd className="money">{money(shown.aging.over90)}</dd></div>
          </dl>
        </>
      )}
      {notice && (
        <p className="alert ok" role="status">
          {notice.text} {notice.paymentId && <Link href={`/receipt?id=${notice.paymentId}`}>Print the receipt</Link>}
        </p>
      )}
      {taking && (
        <PaymentForm patientId={patient.id} onCancel={() => setTaking(false)}
          onDone={(payment) => { setTaking(false); setNotice({ text: `Payment of ${money(payment.amount)} recorded.`, paymentId: payment.id }); }} />
      )}

      <h3>Payments</h3>
      <ErrorAlert error={errors.byPatient} />
      {mine && payments.length === 0 && !loading.byPatient && !errors.byPatient && <p className="empty">No payments yet.</p>}
      {mine && payments.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead><tr><th scope="col">Date</th><th scope="col">Amount</th><th scope="col">Method</th><th scope="col">Status</th><th scope="col">To treatments</th><th scope="col">Recorded by</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
            <tbody>
              {payments.map((p) => <PaymentRow key={p.id} payment={p} canReverse={can(role, "voidPayments")} onNotice={(text) => setNotice({ text })} />)}
            </tbody>
          </table>
        </div>
      )}

      <h3>Ledger</h3>
      {shown && shown.data.length === 0 && <p className="empty">Nothing charged or paid yet.</p>}
      {shown && shown.data.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead><tr><th scope="col">Date</th><th scope="col">Entry</th><th scope="col">Description</th><th scope="col">Amount</th></tr></thead>
            <tbody>
              {shown.data.map((e) => (
                <tr key={`${e.kind}-${e.id}`}>
                  <td>{formatDate(e.date)}</td>
                  <td>{kindLabels[e.kind] ?? e.kind}{e.method ? ` (${methodLabels[e.method] ?? e.method})` : ""}</td>
                  <td>{e.description}</td>
                  <td className="money">{e.kind === "charge" ? "" : e.kind === "payment" ? "−" : "+"}{money(e.amount)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {shown?.pagination.hasMore && (
        <button type="button" className="secondary" onClick={() => void loadMoreEntries()} disabled={loading.moreEntries}>Load more</button>
      )}
    </section>
  );
}

function PaymentRow({ payment: p, canReverse, onNotice }: { payment: Payment; canReverse: boolean; onNotice(text: string): void }) {
  const { void: voidPayment, refund, loading, errors, clearError } = usePaymentStore();
  const [mode, setMode] = useState<"void" | "refund" | null>(null);
  const [reason, setReason] = useState("");
  const [amount, setAmount] = useState("");
  const [method, setMethod] = useState<PaymentMethod>(p.method as PaymentMethod);
  const reversible = p.status === "active" || p.status === "partly-refunded";
  const error = mode === "void" ? errors.void : errors.refund;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const done = mode === "void"
      ? await voidPayment(p.id, reason.trim())
      : await refund(p.id, Number(amount), reason.trim(), method);
    if (done) {
      onNotice(mode === "void" ? `Payment of ${money(p.amount)} voided.` : `Refunded ${money(Number(amount))}.`);
      setMode(null);
    }
  };

  return (
    <>
      <tr>
        <td>{formatDate(p.date)}</td>
        <td className="money">{money(p.amount)}</td>
        <td>{methodLabels[p.method] ?? p.method}{p.reference ? ` · ${p.reference}` : ""}</td>
        <td><span className="badge">{statusLabels[p.status] ?? p.status}</span>{p.refunded > 0 && <> <span className="muted">refunded {money(p.refunded)}</span></>}</td>
        <td className="money">{money(p.allocated)}{p.unallocated > 0 && <span className="muted"> (credit {money(p.unallocated)})</span>}</td>
        <td>{p.recorded.userName ?? "—"}</td>
        <td className="no-print">
          <div className="actions" style={{ marginTop: 0 }}>
            <Link href={`/receipt?id=${p.id}`}>Receipt</Link>
            {canReverse && reversible && (
              <>
                <button type="button" className="link" onClick={() => { clearError("refund"); setAmount(String(p.amount - p.refunded)); setMode("refund"); }}>Refund</button>
                {p.status === "active" && <button type="button" className="link" onClick={() => { clearError("void"); setMode("void"); }}>Void</button>}
              </>
            )}
          </div>
        </td>
      </tr>
      {mode && (
        <tr>
          <td colSpan={7}>
            <form onSubmit={submit} noValidate aria-label={mode === "void" ? "Void the payment" : "Refund the payment"}>
              <ErrorAlert error={error} shownFields={["reason", "amount", "method"]} />
              <div className="row">
                {mode === "refund" && (
                  <>
                    <TextField label="Amount to give back" type="number" inputMode="decimal" min="0" step="0.01" value={amount}
                      onChange={(e) => setAmount(e.target.value)} error={fieldError(error, "amount")} />
                    <SelectField label="Given back by" value={method} onChange={(e) => setMethod(e.target.value as PaymentMethod)} error={fieldError(error, "method")}>
                      {paymentMethods.map((m) => <option key={m} value={m}>{methodLabels[m]}</option>)}
                    </SelectField>
                  </>
                )}
                <TextField label="Reason" value={reason} onChange={(e) => setReason(e.target.value)} error={fieldError(error, "reason")} />
              </div>
              <div className="actions">
                <button type="submit" className="danger" disabled={mode === "void" ? loading.void : loading.refund}>
                  {mode === "void" ? "Void payment" : "Refund"}
                </button>
                <button type="button" className="secondary" onClick={() => setMode(null)}>Cancel</button>
              </div>
            </form>
          </td>
        </tr>
      )}
    </>
  );
}

function PaymentForm({ patientId, onDone, onCancel }: { patientId: string; onDone(payment: Payment): void; onCancel(): void }) {
  const { record, loading, errors } = usePaymentStore();
  const treatments = useTreatmentStore((s) => (s.patientId === patientId ? s.items : []));
  const open = useMemo(() => treatments.filter((t) => t.balance > 0), [treatments]);
  const [form, setForm] = useState({ amount: "", method: "cash", reference: "", note: "" });
  const [allocate, setAllocate] = useState<"oldest" | "choose">("oldest");
  const [parts, setParts] = useState<Record<string, string>>({});
  // One key per payment being taken: a double click or a retry after a lost answer pays once.
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const error = errors.record;

  const chosenTotal = Object.values(parts).reduce((sum, v) => sum + (Number(v) || 0), 0);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const amount = allocate === "choose" && form.amount.trim() === "" ? chosenTotal : form.amount.trim() === "" ? null : Number(form.amount);
    const allocations = allocate === "choose"
      ? Object.entries(parts).filter(([, v]) => Number(v) > 0).map(([treatmentId, v]) => ({ treatmentId, amount: Number(v) }))
      : null;
    const payment = await record({
      patientId, amount, method: form.method as PaymentMethod,
      reference: form.reference.trim() || null, note: form.note.trim() || null, allocations,
    }, idempotencyKey);
    if (payment) onDone(payment);
  };

  return (
    <form className="card" onSubmit={submit} noValidate aria-label="Take a payment">
      <ErrorAlert error={error} shownFields={["amount", "method", "reference", "note"]} />
      <div className="row">
        <TextField label="Amount" type="number" inputMode="decimal" min="0" step="0.01" value={form.amount}
          onChange={(e) => setForm({ ...form, amount: e.target.value })} error={fieldError(error, "amount")} />
        <SelectField label="Method" value={form.method} onChange={(e) => setForm({ ...form, method: e.target.value })} error={fieldError(error, "method")}>
          {paymentMethods.map((m) => <option key={m} value={m}>{methodLabels[m]}</option>)}
        </SelectField>
        <TextField label="Reference (optional)" value={form.reference} onChange={(e) => setForm({ ...form, reference: e.target.value })}
          error={fieldError(error, "reference")} hint="Card slip, transfer or claim number" />
      </div>
      <fieldset className="field">
        <legend className="label">Pay towards</legend>
        <label className="inline"><input type="radio" name="allocate" checked={allocate === "oldest"} onChange={() => setAllocate("oldest")} /> The oldest open treatments first (what is left becomes credit)</label>
        <label className="inline"><input type="radio" name="allocate" checked={allocate === "choose"} onChange={() => setAllocate("choose")} disabled={open.length === 0} /> Treatments I choose</label>
      </fieldset>
      {allocate === "choose" && (
        <div className="table-wrap">
          <table>
            <thead><tr><th scope="col">Treatment</th><th scope="col">Owed</th><th scope="col">Pay</th></tr></thead>
            <tbody>
              {open.map((t, i) => (
                <tr key={t.id}>
                  <td>{formatDate(t.date)} · tooth {t.toothNumber}</td>
                  <td className="money">{money(t.balance)}</td>
                  <td>
                    <input type="number" inputMode="decimal" min="0" step="0.01" aria-label={`Pay towards tooth ${t.toothNumber} on ${formatDate(t.date)}`}
                      value={parts[t.id] ?? ""} onChange={(e) => setParts({ ...parts, [t.id]: e.target.value })}
                      aria-invalid={Boolean(fieldError(error, `allocations[${i}].amount`))} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="hint">Chosen: {money(chosenTotal)}{form.amount ? ` of ${money(Number(form.amount))}` : ""}</p>
        </div>
      )}
      <TextField label="Note (optional)" value={form.note} onChange={(e) => setForm({ ...form, note: e.target.value })} error={fieldError(error, "note")} />
      <div className="actions">
        <button type="submit" disabled={loading.record}>{loading.record ? "Recording…" : "Record payment"}</button>
        <button type="button" className="secondary" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}
