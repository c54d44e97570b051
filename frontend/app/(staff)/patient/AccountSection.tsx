"use client";
import { money } from "../../../components/ui";
import type { PatientDetails } from "../../../store/patientStore";

export function AccountSection({ patient }: { patient: PatientDetails }) {
  const { account } = patient;
  return (
    <section className="card" aria-labelledby="account-heading">
      <h2 id="account-heading" style={{ marginTop: 0 }}>Account</h2>
      <dl className="summary">
        <div><dt>Billed</dt><dd className="money">{money(account.totalBilled)}</dd></div>
        <div><dt>Discounts</dt><dd className="money">{money(account.discounts)}</dd></div>
        <div><dt>Paid</dt><dd className="money">{money(account.paid)}</dd></div>
        <div><dt>Balance</dt><dd className="money">{money(account.balance)}</dd></div>
      </dl>
    </section>
  );
}
