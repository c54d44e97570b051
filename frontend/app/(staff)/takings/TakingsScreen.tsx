"use client";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect } from "react";
import { ErrorAlert, Loading, formatDate, money, today } from "../../../components/ui";
import { usePaymentStore } from "../../../store/paymentStore";
import { can, useSessionStore } from "../../../store/sessionStore";

const methodLabels: Record<string, string> = { cash: "Cash", card: "Card", transfer: "Transfer", insurance: "Insurance", other: "Other" };

export function TakingsScreen() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const date = params.get("date") ?? today();
  const role = useSessionStore((s) => s.user?.role);
  const { takings, loading, errors, loadTakings } = usePaymentStore();
  const allowed = can(role, "takings");

  useEffect(() => {
    if (allowed) void loadTakings(date);
  }, [date, allowed, loadTakings]);

  if (!allowed) return <><h1>Takings</h1><p className="alert error" role="alert">Only dentists and admins can see the takings.</p></>;
  const t = takings?.date === date ? takings : null;

  return (
    <>
      <h1>Takings</h1>
      <div className="card row no-print">
        <div style={{ flex: "0 1 14rem" }}>
          <label htmlFor="takings-date">Day</label>
          <input id="takings-date" type="date" value={date} onChange={(e) => e.target.value && router.replace(`${pathname}?date=${e.target.value}`)} />
        </div>
        <div style={{ flex: "0 0 auto" }}><button type="button" className="secondary" onClick={() => window.print()}>Print</button></div>
      </div>
      <ErrorAlert error={errors.takings} />
      {!t && loading.takings && <Loading />}
      {t && (
        <section className="card" aria-labelledby="takings-heading">
          <h2 id="takings-heading" style={{ marginTop: 0 }}>{formatDate(t.date)} <span className="muted">({t.timezone})</span></h2>
          <dl className="summary">
            <div><dt>Net taken</dt><dd className="money">{money(t.total.net)}</dd></div>
            <div><dt>Payments ({t.total.count})</dt><dd className="money">{money(t.total.payments)}</dd></div>
            <div><dt>Refunds</dt><dd className="money">{money(t.total.refunds)}</dd></div>
            <div><dt>Voids</dt><dd className="money">{money(t.total.voids)}</dd></div>
          </dl>
          {t.total.count === 0 && <p className="empty">Nothing was taken on this day.</p>}
          {t.byMethod.length > 0 && (
            <>
              <h3>By method</h3>
              <div className="table-wrap">
                <table>
                  <thead><tr><th scope="col">Method</th><th scope="col">Payments</th><th scope="col">Refunds</th><th scope="col">Voids</th><th scope="col">Net</th></tr></thead>
                  <tbody>
                    {t.byMethod.map((m) => (
                      <tr key={m.method}><td>{methodLabels[m.method] ?? m.method} ({m.count})</td><td className="money">{money(m.payments)}</td><td className="money">{money(m.refunds)}</td><td className="money">{money(m.voids)}</td><td className="money">{money(m.net)}</td></tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
          {t.byUser.length > 0 && (
            <>
              <h3>By who took it</h3>
              <div className="table-wrap">
                <table>
                  <thead><tr><th scope="col">Recorded by</th><th scope="col">Payments</th><th scope="col">Refunds</th><th scope="col">Voids</th><th scope="col">Net</th></tr></thead>
                  <tbody>
                    {t.byUser.map((u) => (
                      <tr key={u.userId ?? "system"}><td>{u.userName ?? "—"} ({u.count})</td><td className="money">{money(u.payments)}</td><td className="money">{money(u.refunds)}</td><td className="money">{money(u.voids)}</td><td className="money">{money(u.net)}</td></tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
        </section>
      )}
    </>
  );
}
