"use client";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useEffect } from "react";
import { ErrorAlert, Loading, formatDate, formatDateTime, money } from "../../../components/ui";
import { usePaymentStore } from "../../../store/paymentStore";

const methodLabels: Record<string, string> = { cash: "Cash", card: "Card", transfer: "Transfer", insurance: "Insurance", other: "Other" };

export function ReceiptScreen() {
  const id = useSearchParams().get("id") ?? "";
  const { receipt, loading, errors, loadReceipt } = usePaymentStore();

  useEffect(() => {
    if (id) void loadReceipt(id);
  }, [id, loadReceipt]);

  const r = receipt?.paymentId === id ? receipt : null;
  if (!r) return errors.receipt ? <><h1>Receipt</h1><ErrorAlert error={errors.receipt} /></> : loading.receipt || id ? <Loading /> : null;

  return (
    <article className="receipt card">
      <p className="no-print"><Link href={`/patient?id=${r.patient.id}`}>← {r.patient.firstName} {r.patient.lastName}</Link></p>
      <header className="receipt-header">
        {/* eslint-disable-next-line @next/next/no-img-element -- the clinic's logo, served by the API */}
        {r.clinic.logoUrl && <img src={r.clinic.logoUrl} alt={`${r.clinic.name} logo`} className="receipt-logo" />}
        <div>
          <p className="receipt-clinic">{r.clinic.name}</p>
          {[r.clinic.address, r.clinic.phone, r.clinic.email].filter(Boolean).map((line) => <p key={line} className="muted" style={{ margin: 0 }}>{line}</p>)}
        </div>
      </header>
      <h1>Receipt {r.number}</h1>
      <dl className="details">
        <dt>Date</dt><dd>{formatDate(r.date)}</dd>
        <dt>Patient</dt><dd>{r.patient.firstName} {r.patient.lastName} · {r.patient.mobileNumber}</dd>
        <dt>Amount</dt><dd className="money"><strong>{money(r.amount)}</strong></dd>
        <dt>Paid by</dt><dd>{methodLabels[r.method] ?? r.method}{r.reference ? ` · ${r.reference}` : ""}</dd>
        {r.status !== "active" && <><dt>Status</dt><dd>{r.status}{r.refunded > 0 ? ` · refunded ${money(r.refunded)}` : ""}{r.voided > 0 ? ` · voided ${money(r.voided)}` : ""}</dd></>}
      </dl>
      {r.allocations.length > 0 && (
        <>
          <h2>For</h2>
          <table>
            <thead><tr><th scope="col">Date</th><th scope="col">Tooth</th><th scope="col">Treatment</th><th scope="col">Amount</th></tr></thead>
            <tbody>
              {r.allocations.map((a) => (
                <tr key={a.treatmentId}><td>{formatDate(a.date)}</td><td>{a.toothNumber}</td><td>{a.description}</td><td className="money">{money(a.amount)}</td></tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <dl className="details" style={{ marginTop: "1rem" }}>
        {r.credit > 0 && <><dt>Credit kept</dt><dd className="money">{money(r.credit)}</dd></>}
        <dt>Balance after this payment</dt><dd className="money">{money(r.balanceAfter)}</dd>
        {r.recordedBy && <><dt>Received by</dt><dd>{r.recordedBy}</dd></>}
        <dt>Issued</dt><dd>{formatDateTime(r.issuedAt)}</dd>
      </dl>
      <div className="actions no-print">
        <button type="button" onClick={() => window.print()}>Print</button>
      </div>
    </article>
  );
}
