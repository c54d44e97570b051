"use client";
// The day's appointments.
import { useEffect, useState } from "react";
import { ErrorAlert } from "../../../components/ui";
import { useAppointmentStore } from "../../../store/appointmentStore";

const today = () => new Date().toLocaleDateString("en-CA");

export function CalendarScreen() {
  const { day, loading, errors, loadByDate } = useAppointmentStore();
  const [date, setDate] = useState(today);

  useEffect(() => {
    void loadByDate(date);
  }, [date, loadByDate]);

  return (
    <>
      <h1>Calendar</h1>
      <div className="card row">
        <div>
          <label htmlFor="calendar-date">Day</label>
          <input id="calendar-date" type="date" value={date} onChange={(e) => e.target.value && setDate(e.target.value)} />
        </div>
      </div>
      <ErrorAlert error={errors.byDate} />
      {loading.byDate && day.length === 0 && <p className="loading" role="status">Loading…</p>}
      {!loading.byDate && day.length === 0 && !errors.byDate && <p className="empty">No appointments on this day.</p>}
      {day.length > 0 && (
        <ul className="list card">
          {day.map((a) => (
            <li key={a.id} style={{ padding: "0.5rem" }}>
              <strong>{a.time}</strong> {a.patientName} <span className="muted">· {a.appointmentTypeName}</span> <span className="badge">{a.status}</span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
