"use client";
import Link from "next/link";
import { useEffect } from "react";
import { ErrorAlert, Loading, formatDate } from "../../../components/ui";
import { useAppointmentStore } from "../../../store/appointmentStore";

export function AppointmentsSection({ patientId }: { patientId: string }) {
  const { rangeItems, rangeFilter, rangeHasMore, loading, errors, loadRange, nextRangePage, types } = useAppointmentStore();

  useEffect(() => {
    void loadRange({ patientId });
  }, [patientId, loadRange]);

  const shown = rangeFilter?.patientId === patientId ? rangeItems : [];
  const typeOf = (id: string) => types.find((t) => t.id === id);

  return (
    <section className="card" aria-labelledby="appointments-heading">
      <div className="row" style={{ alignItems: "center" }}>
        <h2 id="appointments-heading" style={{ margin: 0 }}>Appointments</h2>
        <div style={{ flex: "0 0 auto" }} className="no-print">
          <Link className="button secondary" href={`/calendar?patient=${patientId}`}>Book an appointment</Link>
        </div>
      </div>
      <ErrorAlert error={errors.range ?? errors.nextRangePage} />
      {loading.range && shown.length === 0 && <Loading />}
      {!loading.range && !errors.range && shown.length === 0 && <p className="empty">No appointments yet.</p>}
      {shown.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead><tr><th scope="col">Date</th><th scope="col">Time</th><th scope="col">Type</th><th scope="col">Status</th></tr></thead>
            <tbody>
              {shown.map((a) => {
                const type = typeOf(a.appointmentTypeId);
                return (
                  <tr key={a.id}>
                    <td><Link href={`/calendar?date=${a.date}`}>{formatDate(a.date)}</Link></td>
                    <td>{a.time}</td>
                    <td>{type ? <><span className="swatch" style={{ background: type.color }} aria-hidden="true" />{type.name}</> : <span className="muted">—</span>}</td>
                    <td><span className="badge">{a.status}</span></td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {rangeHasMore && shown.length > 0 && (
        <button type="button" className="secondary" onClick={() => void nextRangePage()} disabled={loading.nextRangePage}>Load more</button>
      )}
    </section>
  );
}
