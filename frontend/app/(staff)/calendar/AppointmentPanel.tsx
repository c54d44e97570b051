"use client";
// One appointment: its details, the status changes the API allows, move (date, time, dentist,
// chair) and cancel with a reason; the API's messages next to the fields they name.
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { ErrorAlert, SelectField, TextAreaField, TextField, fieldError, formatDate, today } from "../../../components/ui";
import { useAppointmentStore, type AppointmentStatus, type DayAppointment } from "../../../store/appointmentStore";
import { ConflictMessage } from "./Booking";
import { isInactive, statusActions, statusLabels } from "./calendarModel";

/** The empty UUID clears an appointment's dentist or chair (PUT /api/appointments/{id}). */
const none = "00000000-0000-0000-0000-000000000000";

export function AppointmentPanel({ appointment: a, canOverride, onClose, onNotice }: {
  appointment: DayAppointment; canOverride: boolean; onClose(): void; onNotice(message: string): void;
}) {
  const { dentists, chairs, update, updateStatus, cancel, loading, errors, clearError } = useAppointmentStore();
  const [mode, setMode] = useState<"move" | "cancel" | null>(null);
  const [move, setMove] = useState({ date: a.date, time: a.time, dentistId: a.dentistId ?? "", chairId: a.chairId ?? "" });
  const [reason, setReason] = useState("");
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    clearError("update");
    clearError("updateStatus");
    clearError("cancel");
    heading.current?.focus();
  }, [clearError]);

  const doMove = async (allowOverlap: boolean) => {
    const input = {
      ...(move.date !== a.date ? { date: move.date } : {}),
      ...(move.time !== a.time ? { time: move.time } : {}),
      ...(move.dentistId !== (a.dentistId ?? "") ? { dentistId: move.dentistId || none } : {}),
      ...(move.chairId !== (a.chairId ?? "") ? { chairId: move.chairId || none } : {}),
      ...(allowOverlap ? { allowOverlap: true } : {}),
    };
    const moved = await update(a.id, input);
    if (moved) {
      setMode(null);
      onNotice(`Moved ${a.patientName} to ${formatDate(moved.date)} at ${moved.time}.`);
    }
  };
  const setStatus = async (status: string) => {
    clearError("cancel");
    if (await updateStatus(a.id, status as AppointmentStatus)) onNotice(`${a.patientName}: ${statusLabels[status] ?? status}.`);
  };
  const doCancel = async () => {
    clearError("updateStatus");
    if (await cancel(a.id, reason.trim() || undefined)) {
      setMode(null);
      onNotice(`Cancelled ${a.patientName}'s appointment at ${a.time}.`);
    }
  };
  const future = a.date > today();
  const actions = statusActions.filter((s) => s.from.includes(a.status) && !(future && s.onTheDay));
  const statusError = errors.updateStatus;

  return (
    <section className="card appointment-panel" aria-labelledby="appointment-heading" style={{ borderLeft: `6px solid ${a.appointmentTypeColor}` }}>
      <h2 id="appointment-heading" ref={heading} tabIndex={-1}>
        {a.time}–{a.endTime} · {a.patientName}
      </h2>
      <dl className="details">
        <dt>Date</dt><dd>{formatDate(a.date)}</dd>
        <dt>Type</dt><dd><span className="swatch" style={{ background: a.appointmentTypeColor }} aria-hidden="true" />{a.appointmentTypeName}</dd>
        <dt>Status</dt><dd><span className="badge">{statusLabels[a.status] ?? a.status}</span></dd>
        {a.dentistName && <><dt>Dentist</dt><dd>{a.dentistName}</dd></>}
        {a.chairName && <><dt>Chair</dt><dd>{a.chairName}</dd></>}
        {a.cancelReason && <><dt>Reason</dt><dd>{a.cancelReason}</dd></>}
        {a.notes && <><dt>Notes</dt><dd>{a.notes}</dd></>}
        <dt>Patient</dt><dd><Link href={`/patient?id=${a.patientId}`}>Open {a.patientName}&apos;s page</Link></dd>
      </dl>
      {statusError && fieldError(statusError, "status")
        ? <div className="field-error" role="alert">{fieldError(statusError, "status")}</div>
        : <ErrorAlert error={statusError} />}
      <div className="actions">
        {actions.map((s) => (
          <button key={s.label} type="button" className={s.status === "pending" ? "secondary" : ""}
            onClick={() => void setStatus(s.status)} disabled={loading.updateStatus}>{s.label}</button>
        ))}
        {!isInactive(a.status) && a.status !== "completed" && (
          <>
            <button type="button" className="secondary" aria-expanded={mode === "move"}
              onClick={() => { clearError("update"); setMode(mode === "move" ? null : "move"); }}>Move</button>
            <button type="button" className="secondary" aria-expanded={mode === "cancel"}
              onClick={() => { clearError("cancel"); setMode(mode === "cancel" ? null : "cancel"); }}>Cancel appointment</button>
          </>
        )}
        <button type="button" className="secondary" onClick={onClose}>Close</button>
      </div>
      {future && a.status !== "completed" && !isInactive(a.status) && (
        <p className="hint">Arrived, completed and no-show can be marked from the day of the appointment.</p>
      )}
      {mode === "move" && (
        <form className="card nested" onSubmit={(e) => { e.preventDefault(); void doMove(false); }} noValidate aria-label="Move the appointment">
          {errors.update?.status !== 409 && <ErrorAlert error={errors.update} shownFields={["date", "time", "dentistId", "chairId"]} />}
          <div className="row">
            <TextField label="New date" type="date" value={move.date} onChange={(e) => setMove({ ...move, date: e.target.value })} error={fieldError(errors.update, "date")} />
            <TextField label="New time" type="time" step={300} value={move.time} onChange={(e) => setMove({ ...move, time: e.target.value })}
              error={errors.update?.status === 409 ? undefined : fieldError(errors.update, "time")} />
            {dentists.length > 0 && (
              <SelectField label="Dentist" value={move.dentistId} onChange={(e) => setMove({ ...move, dentistId: e.target.value })} error={fieldError(errors.update, "dentistId")}>
                <option value="">No dentist</option>
                {!dentists.some((d) => d.id === a.dentistId) && a.dentistId && <option value={a.dentistId}>{a.dentistName}</option>}
                {dentists.map((d) => <option key={d.id} value={d.id}>{d.name}</option>)}
              </SelectField>
            )}
            {chairs.length > 0 && (
              <SelectField label="Chair" value={move.chairId} onChange={(e) => setMove({ ...move, chairId: e.target.value })} error={fieldError(errors.update, "chairId")}>
                <option value="">No chair</option>
                {!chairs.some((c) => c.id === a.chairId) && a.chairId && <option value={a.chairId}>{a.chairName}</option>}
                {chairs.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
              </SelectField>
            )}
          </div>
          <ConflictMessage error={errors.update} canOverride={canOverride} onOverride={() => void doMove(true)} action="Move anyway" />
          <div className="actions"><button type="submit" disabled={loading.update}>{loading.update ? "Moving…" : "Move"}</button></div>
        </form>
      )}
      {mode === "cancel" && (
        <form className="card nested" onSubmit={(e) => { e.preventDefault(); void doCancel(); }} noValidate aria-label="Cancel the appointment">
          <p>Cancel this appointment? Its time becomes free again; the appointment stays in the patient&apos;s history with the reason.</p>
          <ErrorAlert error={errors.cancel} shownFields={["reason"]} />
          <TextAreaField label="Reason (optional)" rows={2} value={reason} onChange={(e) => setReason(e.target.value)} error={fieldError(errors.cancel, "reason")} />
          <div className="actions">
            <button type="submit" className="danger" disabled={loading.cancel}>Yes, cancel it</button>
            <button type="button" className="secondary" onClick={() => setMode(null)}>Keep it</button>
          </div>
        </form>
      )}
    </section>
  );
}
