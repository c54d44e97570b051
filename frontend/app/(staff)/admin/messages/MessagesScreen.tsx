"use client";
// Reminders (e-mail) and the SMS outbox (admins): how many of each status, the latest of each and
// why one failed or was skipped.
import { useEffect } from "react";
import { ErrorAlert, Loading } from "../../../../components/ui";
import { useAdminStore, type MessagingStatus } from "../../../../store/adminStore";

const when = (value: string | null | undefined) => (value ? new Date(value).toLocaleString() : "—");
const bad = new Set(["failed"]);

function Counts({ title, counts }: { title: string; counts: MessagingStatus["sms"] }) {
  return (
    <dl className="counts" aria-label={title}>
      {counts.map((c) => (
        <div key={c.status}>
          <dt>{c.status}</dt>
          <dd className={bad.has(c.status) && c.count > 0 ? "status-bad" : undefined}>{c.count}</dd>
        </div>
      ))}
    </dl>
  );
}

export function MessagesScreen() {
  const { messaging, loading, errors, loadMessaging } = useAdminStore();

  useEffect(() => {
    void loadMessaging();
  }, [loadMessaging]);

  return (
    <>
      <h1>Reminders and SMS</h1>
      <ErrorAlert error={errors.messaging} />
      {loading.messaging && !messaging && <Loading />}
      <button type="button" className="secondary" onClick={() => void loadMessaging()} disabled={loading.messaging}>Refresh</button>
      {messaging && (
        <>
          <section className="card" aria-labelledby="reminders-title">
            <h2 id="reminders-title">Appointment reminders (e-mail)</h2>
            <Counts title="Reminders per status" counts={messaging.reminders} />
            {messaging.latestReminders.length === 0 ? <p className="empty">No reminders yet.</p> : (
              <div className="table-wrap">
                <table>
                  <caption className="visually-hidden">The latest reminders</caption>
                  <thead><tr><th scope="col">Appointment</th><th scope="col">Due</th><th scope="col">Status</th><th scope="col">To</th><th scope="col">Attempts</th><th scope="col">Why</th></tr></thead>
                  <tbody>
                    {messaging.latestReminders.map((r) => (
                      <tr key={r.id}>
                        <td>{r.appointmentDate} {r.appointmentTime}</td>
                        <td>{when(r.dueAt)}</td>
                        <td className={bad.has(r.status) ? "status-bad" : undefined}>{r.status}{r.sentAt ? ` ${when(r.sentAt)}` : ""}</td>
                        <td>{r.email ?? "—"}</td>
                        <td>{r.attempts}{r.nextAttemptAt ? <div className="hint">next {when(r.nextAttemptAt)}</div> : null}</td>
                        <td>{r.lastError ?? r.reason ?? "—"}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
          <section className="card" aria-labelledby="sms-title">
            <h2 id="sms-title">SMS outbox</h2>
            <Counts title="Text messages per status" counts={messaging.sms} />
            {messaging.latestSms.length === 0 ? <p className="empty">No text messages yet.</p> : (
              <div className="table-wrap">
                <table>
                  <caption className="visually-hidden">The latest text messages</caption>
                  <thead><tr><th scope="col">Queued</th><th scope="col">To</th><th scope="col">For</th><th scope="col">Status</th><th scope="col">Attempts</th><th scope="col">Last error</th></tr></thead>
                  <tbody>
                    {messaging.latestSms.map((m) => (
                      <tr key={m.id}>
                        <td>{when(m.createdAt)}</td>
                        <td>{m.to}</td>
                        <td>{m.purpose.replace(/_/g, " ")}</td>
                        <td className={bad.has(m.status) ? "status-bad" : undefined}>{m.status}{m.sentAt ? ` ${when(m.sentAt)}` : ""}</td>
                        <td>{m.attempts}{m.nextAttemptAt ? <div className="hint">next {when(m.nextAttemptAt)}</div> : null}</td>
                        <td>{m.lastError ?? "—"}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        </>
      )}
    </>
  );
}
