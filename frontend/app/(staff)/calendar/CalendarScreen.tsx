"use client";
// The day's calendar: appointments on a time grid in their type's colour, booking from a free time,
// moving, status changes and cancelling, with the API's booking rules explained in words.
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useMemo, useRef, useState, type FormEvent } from "react";
import { explainConflict } from "../../../components/bookingRules";
import { textOn } from "../../../components/colors";
import { PatientPicker } from "../../../components/PatientPicker";
import { ErrorAlert, Loading, SelectField, TextAreaField, TextField, fieldError, formatDate, today } from "../../../components/ui";
import type { ApiError } from "../../../services/api";
import { useAppointmentStore, type AppointmentStatus, type DayAppointment } from "../../../store/appointmentStore";
import { usePatientStore, type Patient } from "../../../store/patientStore";
import { can, useSessionStore } from "../../../store/sessionStore";

const pxPerMinute = 1.6;
const slotMinutes = 30;

const minutes = (time: string) => {
  const [h, m] = time.split(":").map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};
const hhmm = (total: number) => `${String(Math.floor(total / 60)).padStart(2, "0")}:${String(total % 60).padStart(2, "0")}`;

function addDays(date: string, days: number): string {
  const [y, m, d] = date.split("-").map(Number);
  const next = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + days));
  return next.toISOString().slice(0, 10);
}

function weekday(date: string): string {
  const [y, m, d] = date.split("-").map(Number);
  return new Date(y ?? 1970, (m ?? 1) - 1, d ?? 1).toLocaleDateString(undefined, { weekday: "long" });
}

/** Side-by-side lanes for appointments that overlap in time. */
function lanes(items: DayAppointment[]): Map<string, { lane: number; of: number }> {
  const sorted = [...items].sort((a, b) => minutes(a.time) - minutes(b.time));
  const result = new Map<string, { lane: number; of: number }>();
  let group: { id: string; lane: number }[] = [];
  let groupEnd = -1;
  let laneEnds: number[] = [];
  const close = () => group.forEach((g) => result.set(g.id, { lane: g.lane, of: laneEnds.length }));
  for (const a of sorted) {
    const start = minutes(a.time);
    const end = minutes(a.endTime);
    if (start >= groupEnd) {
      close();
      group = [];
      laneEnds = [];
    }
    let lane = laneEnds.findIndex((e) => e <= start);
    if (lane < 0) lane = laneEnds.length;
    laneEnds[lane] = end;
    group.push({ id: a.id, lane });
    groupEnd = Math.max(groupEnd, end);
  }
  close();
  return result;
}

/** Cancelled and no-show appointments no longer take their time. */
const isInactive = (status: string) => status === "cancelled" || status === "no-show";

const statusLabels: Record<string, string> = {
  pending: "Pending", confirmed: "Confirmed", arrived: "Arrived", completed: "Completed", cancelled: "Cancelled", "no-show": "No-show",
};
/** The status changes a receptionist makes, in the order of a visit. */
const statusActions: { status: string; label: string; from: string[] }[] = [
  { status: "confirmed", label: "Confirm", from: ["pending"] },
  { status: "arrived", label: "Mark arrived", from: ["pending", "confirmed"] },
  { status: "completed", label: "Mark completed", from: ["arrived", "confirmed", "pending"] },
  { status: "no-show", label: "Mark no-show", from: ["pending", "confirmed"] },
];

export function CalendarScreen() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const date = params.get("date") ?? today();
  const patientParam = params.get("patient");
  const role = useSessionStore((s) => s.user?.role);
  const store = useAppointmentStore();
  const { day, date: shownDate, types, loading, errors, loadByDate, loadTypes } = store;
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [booking, setBooking] = useState<{ time: string } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  useEffect(() => {
    void loadTypes();
  }, [loadTypes]);
  useEffect(() => {
    void loadByDate(date);
    setSelectedId(null);
  }, [date, loadByDate]);
  // Coming from a patient's page: open the booking form for them.
  useEffect(() => {
    if (patientParam) setBooking((b) => b ?? { time: "09:00" });
  }, [patientParam]);

  const go = (next: string) => {
    const query = new URLSearchParams(params.toString());
    query.set("date", next);
    router.replace(`${pathname}?${query.toString()}`);
  };

  const items = useMemo(() => (shownDate === date ? day : []), [day, shownDate, date]);
  const selected = items.find((a) => a.id === selectedId) ?? null;

  return (
    <>
      <h1>Calendar</h1>
      <div className="card calendar-toolbar no-print">
        <div className="actions" style={{ marginTop: 0 }}>
          <button type="button" className="secondary" onClick={() => go(addDays(date, -1))} aria-label="Previous day">← Previous</button>
          <button type="button" className="secondary" onClick={() => go(today())}>Today</button>
          <button type="button" className="secondary" onClick={() => go(addDays(date, 1))} aria-label="Next day">Next →</button>
        </div>
        <div>
          <label htmlFor="calendar-date">Day</label>
          <input id="calendar-date" type="date" value={date} onChange={(e) => e.target.value && go(e.target.value)} />
        </div>
        <div style={{ alignSelf: "flex-end" }}>
          <button type="button" onClick={() => { setSelectedId(null); setNotice(null); setBooking({ time: "09:00" }); }}>Book an appointment</button>
        </div>
      </div>
      <h2 id="day-heading">{weekday(date)}, {formatDate(date)}</h2>
      {notice && <p className="alert ok" role="status">{notice}</p>}
      {booking && (
        <BookingForm date={date} time={booking.time} patientId={patientParam} canOverride={can(role, "overrideRules")}
          onDone={(message) => { setBooking(null); setNotice(message); }} onCancel={() => setBooking(null)} />
      )}
      {selected && (
        <AppointmentPanel appointment={selected} canOverride={can(role, "overrideRules")}
          onClose={() => setSelectedId(null)} onNotice={setNotice} />
      )}
      <ErrorAlert error={errors.byDate} />
      {loading.byDate && items.length === 0 && <Loading />}
      {!loading.byDate && !errors.byDate && items.length === 0 && <p className="empty">No appointments on this day. Choose a time below to book one.</p>}
      <DayGrid date={date} items={items} typesLoaded={types.length > 0}
        onSelect={(id) => { setBooking(null); setNotice(null); setSelectedId(id); }}
        onBook={(time) => { setSelectedId(null); setNotice(null); setBooking({ time }); }} />
    </>
  );
}

function DayGrid({ date, items, onSelect, onBook }: {
  date: string; items: DayAppointment[]; typesLoaded: boolean; onSelect(id: string): void; onBook(time: string): void;
}) {
  const first = Math.min(8 * 60, ...items.map((a) => Math.floor(minutes(a.time) / 60) * 60));
  const last = Math.max(18 * 60, ...items.map((a) => Math.ceil(minutes(a.endTime) / 60) * 60));
  const height = (last - first) * pxPerMinute;
  const placed = lanes(items);
  const slots: number[] = [];
  for (let t = first; t < last; t += slotMinutes) slots.push(t);

  return (
    <div className="calendar" role="region" aria-labelledby="day-heading">
      <div className="calendar-times" style={{ height }} aria-hidden="true">
        {slots.filter((t) => t % 60 === 0).map((t) => (
          <div key={t} className="calendar-time" style={{ top: (t - first) * pxPerMinute }}>{hhmm(t)}</div>
        ))}
      </div>
      <div className="calendar-column" style={{ height }}>
        {slots.map((t) => (
          <button key={t} type="button" className="calendar-slot" style={{ top: (t - first) * pxPerMinute, height: slotMinutes * pxPerMinute }}
            aria-label={`Book on ${formatDate(date)} at ${hhmm(t)}`} onClick={() => onBook(hhmm(t))} />
        ))}
        {items.map((a) => {
          const place = placed.get(a.id) ?? { lane: 0, of: 1 };
          const top = (minutes(a.time) - first) * pxPerMinute;
          const h = Math.max((minutes(a.endTime) - minutes(a.time)) * pxPerMinute, 24);
          const inactive = isInactive(a.status);
          const color = a.appointmentTypeColor;
          return (
            <button key={a.id} type="button" className={`appointment${inactive ? " inactive" : ""}`}
              style={{
                top, height: h, left: `calc(${(100 / place.of) * place.lane}% + 2px)`, width: `calc(${100 / place.of}% - 4px)`,
                background: inactive ? "#fff" : color, color: inactive ? "#1f2933" : textOn(color), borderColor: color,
              }}
              onClick={() => onSelect(a.id)}>
              <span className="appointment-time">{a.time}–{a.endTime}</span> <strong>{a.patientName}</strong>
              <span className="appointment-meta">{a.appointmentTypeName} · {statusLabels[a.status] ?? a.status}</span>
            </button>
          );
        })}
      </div>
    </div>
  );
}

function ConflictMessage({ error, canOverride, onOverride }: { error: ApiError | null; canOverride: boolean; onOverride(): void }) {
  const conflict = explainConflict(error);
  if (!conflict) return null;
  return (
    <div className="alert warn" role="alert">
      <strong>{conflict.headline}</strong> {conflict.detail}
      {canOverride && (
        <div className="actions"><button type="button" className="secondary" onClick={onOverride}>Book anyway</button></div>
      )}
    </div>
  );
}

function BookingForm({ date, time, patientId, canOverride, onDone, onCancel }: {
  date: string; time: string; patientId: string | null; canOverride: boolean; onDone(message: string): void; onCancel(): void;
}) {
  const { types, create, loading, errors, clearError } = useAppointmentStore();
  const getPatient = usePatientStore((s) => s.get);
  const [patient, setPatient] = useState<Patient | null>(null);
  const [form, setForm] = useState({ appointmentTypeId: "", date, time, notes: "" });
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    clearError("create");
    heading.current?.focus();
  }, [clearError]);
  useEffect(() => setForm((f) => ({ ...f, date, time })), [date, time]);
  useEffect(() => {
    if (patientId) void getPatient(patientId).then((p) => p && setPatient(p));
  }, [patientId, getPatient]);

  const error = errors.create;
  const book = async (allowOverlap: boolean) => {
    if (!patient) return;
    const appointment = await create({
      patientId: patient.id,
      appointmentTypeId: form.appointmentTypeId || null,
      date: form.date || null,
      time: form.time || null,
      notes: form.notes.trim() || null,
      ...(allowOverlap ? { allowOverlap: true } : {}),
    });
    if (appointment) onDone(`Booked ${patient.firstName} ${patient.lastName} on ${formatDate(appointment.date)} at ${appointment.time}.`);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void book(false);
  };
  const set = (name: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [name]: e.target.value });

  return (
    <section className="card" aria-labelledby="booking-heading">
      <h2 id="booking-heading" ref={heading} tabIndex={-1} style={{ marginTop: 0 }}>Book an appointment</h2>
      <form onSubmit={submit} noValidate>
        <ConflictMessage error={error} canOverride={canOverride} onOverride={() => void book(true)} />
        {error?.status !== 409 && <ErrorAlert error={error} shownFields={["patientId", "appointmentTypeId", "date", "time", "notes"]} />}
        <PatientPicker value={patient} onChange={setPatient} error={fieldError(error, "patientId")} />
        <div className="row">
          <SelectField label="Type" value={form.appointmentTypeId} onChange={set("appointmentTypeId")} error={fieldError(error, "appointmentTypeId")}>
            <option value="">Choose a type</option>
            {types.map((t) => <option key={t.id} value={t.id}>{t.name} ({t.duration} min)</option>)}
          </SelectField>
          <TextField label="Date" type="date" value={form.date} onChange={set("date")} error={fieldError(error, "date")} />
          <TextField label="Time" type="time" step={300} value={form.time} onChange={set("time")} error={error?.status === 409 ? undefined : fieldError(error, "time")} />
        </div>
        <TextAreaField label="Notes" rows={2} value={form.notes} onChange={set("notes")} error={fieldError(error, "notes")} />
        {types.length === 0 && <p className="hint">There are no appointment types yet: an admin or dentist adds them under Settings.</p>}
        <div className="actions">
          <button type="submit" disabled={!patient || loading.create}>{loading.create ? "Booking…" : "Book"}</button>
          <button type="button" className="secondary" onClick={onCancel}>Cancel</button>
        </div>
      </form>
    </section>
  );
}

function AppointmentPanel({ appointment: a, canOverride, onClose, onNotice }: {
  appointment: DayAppointment; canOverride: boolean; onClose(): void; onNotice(message: string): void;
}) {
  const { update, updateStatus, cancel, loading, errors, clearError } = useAppointmentStore();
  const [moving, setMoving] = useState(false);
  const [move, setMove] = useState({ date: a.date, time: a.time });
  const [cancelling, setCancelling] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    clearError("update");
    clearError("updateStatus");
    clearError("cancel");
    heading.current?.focus();
  }, [a.id, clearError]);

  const doMove = async (allowOverlap: boolean) => {
    const moved = await update(a.id, { date: move.date, time: move.time, ...(allowOverlap ? { allowOverlap: true } : {}) });
    if (moved) {
      setMoving(false);
      onNotice(`Moved ${a.patientName} to ${formatDate(moved.date)} at ${moved.time}.`);
      if (moved.date !== a.date) onClose();
    }
  };
  const setStatus = async (status: string) => {
    if (await updateStatus(a.id, status as AppointmentStatus)) onNotice(`${a.patientName}: ${statusLabels[status] ?? status}.`);
  };
  const doCancel = async () => {
    if (await cancel(a.id)) {
      setCancelling(false);
      onNotice(`Cancelled ${a.patientName}'s appointment at ${a.time}.`);
    }
  };
  const inactive = isInactive(a.status);

  return (
    <section className="card appointment-panel" aria-labelledby="appointment-heading" style={{ borderLeft: `6px solid ${a.appointmentTypeColor}` }}>
      <h2 id="appointment-heading" ref={heading} tabIndex={-1} style={{ marginTop: 0 }}>
        {a.time}–{a.endTime} · {a.patientName}
      </h2>
      <dl className="details">
        <dt>Type</dt><dd>{a.appointmentTypeName}</dd>
        <dt>Status</dt><dd><span className="badge">{statusLabels[a.status] ?? a.status}</span></dd>
        {a.notes && <><dt>Notes</dt><dd>{a.notes}</dd></>}
        <dt>Patient</dt><dd><Link href={`/patient?id=${a.patientId}`}>Open {a.patientName}&apos;s page</Link></dd>
      </dl>
      <ErrorAlert error={errors.updateStatus ?? errors.cancel} />
      {!inactive && (
        <div className="actions">
          {statusActions.filter((s) => s.from.includes(a.status)).map((s) => (
            <button key={s.status} type="button" onClick={() => void setStatus(s.status)} disabled={loading.updateStatus}>{s.label}</button>
          ))}
          <button type="button" className="secondary" onClick={() => { clearError("update"); setMoving(!moving); }}>Move</button>
          <button type="button" className="secondary" onClick={() => setCancelling(!cancelling)}>Cancel appointment</button>
          <button type="button" className="secondary" onClick={onClose}>Close</button>
        </div>
      )}
      {inactive && <div className="actions"><button type="button" className="secondary" onClick={onClose}>Close</button></div>}
      {moving && (
        <form className="card" onSubmit={(e) => { e.preventDefault(); void doMove(false); }} noValidate aria-label="Move the appointment">
          <ConflictMessage error={errors.update} canOverride={canOverride} onOverride={() => void doMove(true)} />
          {errors.update?.status !== 409 && <ErrorAlert error={errors.update} shownFields={["date", "time"]} />}
          <div className="row">
            <TextField label="New date" type="date" value={move.date} onChange={(e) => setMove({ ...move, date: e.target.value })} error={fieldError(errors.update, "date")} />
            <TextField label="New time" type="time" step={300} value={move.time} onChange={(e) => setMove({ ...move, time: e.target.value })}
              error={errors.update?.status === 409 ? undefined : fieldError(errors.update, "time")} />
          </div>
          <div className="actions"><button type="submit" disabled={loading.update}>Move</button></div>
        </form>
      )}
      {cancelling && (
        <div className="card">
          <p>Cancel this appointment? Its time becomes free again; the appointment stays in the patient&apos;s history.</p>
          <div className="actions">
            <button type="button" className="danger" onClick={() => void doCancel()} disabled={loading.cancel}>Yes, cancel it</button>
            <button type="button" className="secondary" onClick={() => setCancelling(false)}>Keep it</button>
          </div>
        </div>
      )}
    </section>
  );
}
