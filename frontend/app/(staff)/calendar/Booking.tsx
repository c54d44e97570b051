"use client";
// Booking: find a free slot (the availability API: a type, optionally a dentist or a chair), then the
// booking form prefilled with it; a refused booking (409) explained in words, with "Book anyway" for
// the roles that may override the rules.
import { useEffect, useMemo, useRef, useState, type FormEvent } from "react";
import { explainConflict } from "../../../components/bookingRules";
import { PatientPicker } from "../../../components/PatientPicker";
import { ErrorAlert, Loading, SelectField, TextAreaField, TextField, fieldError, formatDate } from "../../../components/ui";
import type { ApiError } from "../../../services/api";
import { useAppointmentStore, type AvailableSlot } from "../../../store/appointmentStore";
import { usePatientStore, type Patient } from "../../../store/patientStore";
import { weekdayName } from "./calendarModel";

/** What the booking form starts with. */
export interface BookingDraft {
  date: string;
  time: string;
  appointmentTypeId?: string;
  dentistId?: string;
  chairId?: string;
}

export function ConflictMessage({ error, canOverride, onOverride, action = "Book anyway" }: {
  error: ApiError | null; canOverride: boolean; onOverride(): void; action?: string;
}) {
  const conflict = explainConflict(error);
  if (!conflict) return null;
  return (
    <div className="alert warn" role="alert">
      <strong>{conflict.headline}</strong> {conflict.detail}
      {canOverride
        ? <div className="actions"><button type="button" className="secondary" onClick={onOverride}>{action}</button></div>
        : <div>Choose another time, or ask an admin or a dentist to book it anyway.</div>}
    </div>
  );
}

/** Dentist and chair choices (shown only when the clinic has them); "" is none. */
function DentistChairFields({ dentistId, chairId, onDentist, onChair, error, labels = ["Dentist", "Chair"] }: {
  dentistId: string; chairId: string; onDentist(id: string): void; onChair(id: string): void; error?: ApiError | null;
  labels?: [string, string];
}) {
  const { dentists, chairs } = useAppointmentStore();
  return (
    <>
      {dentists.length > 0 && (
        <SelectField label={labels[0]} value={dentistId} onChange={(e) => onDentist(e.target.value)} error={fieldError(error, "dentistId")}>
          <option value="">{labels[0] === "Dentist" ? "No dentist" : "Any dentist"}</option>
          {dentists.map((d) => <option key={d.id} value={d.id}>{d.name}</option>)}
        </SelectField>
      )}
      {chairs.length > 0 && (
        <SelectField label={labels[1]} value={chairId} onChange={(e) => onChair(e.target.value)} error={fieldError(error, "chairId")}>
          <option value="">{labels[1] === "Chair" ? "No chair" : "Any chair"}</option>
          {chairs.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
        </SelectField>
      )}
    </>
  );
}

/** The free slots of the days shown for a type, optionally with one dentist or in one chair. */
export function SlotFinder({ from, to, onChoose, onCancel }: {
  from: string; to: string; onChoose(draft: BookingDraft): void; onCancel(): void;
}) {
  const { types, dentists, chairs, slots, availabilityQuery, loadAvailability, loading, errors, clearError } = useAppointmentStore();
  const [typeId, setTypeId] = useState("");
  const [dentistId, setDentistId] = useState("");
  const [chairId, setChairId] = useState("");
  const [day, setDay] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    clearError("availability");
    heading.current?.focus();
  }, [clearError]);
  useEffect(() => {
    if (!typeId) return;
    void loadAvailability({ appointmentTypeId: typeId, from, to, ...(dentistId ? { dentistId } : {}), ...(chairId ? { chairId } : {}) });
  }, [typeId, dentistId, chairId, from, to, loadAvailability]);

  const current = !!typeId && availabilityQuery?.appointmentTypeId === typeId && availabilityQuery.from === from && availabilityQuery.to === to &&
    (availabilityQuery.dentistId ?? "") === dentistId && (availabilityQuery.chairId ?? "") === chairId;
  const byDay = useMemo(() => {
    const map = new Map<string, AvailableSlot[]>();
    if (current) for (const s of slots) map.set(s.date, [...(map.get(s.date) ?? []), s]);
    return map;
  }, [slots, current]);
  const dayShown = day && byDay.has(day) ? day : byDay.keys().next().value ?? null;
  const name = (list: { id: string; name: string }[], id: string | null | undefined) => list.find((x) => x.id === id)?.name;
  const type = types.find((t) => t.id === typeId);

  return (
    <section className="card" aria-labelledby="finder-heading">
      <h2 id="finder-heading" ref={heading} tabIndex={-1}>Find a free slot</h2>
      <p className="hint">{from === to ? `On ${formatDate(from)}` : `From ${formatDate(from)} to ${formatDate(to)}`}; never in the past.</p>
      <div className="row">
        <SelectField label="Type" value={typeId} onChange={(e) => setTypeId(e.target.value)} error={fieldError(errors.availability, "appointmentTypeId")}>
          <option value="">Choose a type</option>
          {types.map((t) => <option key={t.id} value={t.id}>{t.name} ({t.duration} min)</option>)}
        </SelectField>
        <DentistChairFields dentistId={dentistId} chairId={chairId} onDentist={setDentistId} onChair={setChairId}
          error={errors.availability} labels={["Dentist (optional)", "Chair (optional)"]} />
      </div>
      {types.length === 0 && <p className="hint">There are no appointment types yet: an admin or dentist adds them under Settings.</p>}
      <ErrorAlert error={errors.availability} shownFields={["appointmentTypeId", "dentistId", "chairId"]} />
      {typeId && loading.availability && !current && <Loading label="Looking for free slots…" />}
      {current && byDay.size === 0 && <p className="empty">No free slot for this type on {from === to ? "this day" : "these days"}.</p>}
      {byDay.size > 1 && (
        <div className="toolbar-group day-tabs" role="group" aria-label="Day">
          {[...byDay.keys()].map((d) => (
            <button key={d} type="button" className="toggle" aria-pressed={d === dayShown} onClick={() => setDay(d)}>
              {weekdayName(d, "short")} {formatDate(d)} ({byDay.get(d)?.length})
            </button>
          ))}
        </div>
      )}
      {dayShown && (
        <>
          <h3 id="slots-heading">Free slots on {weekdayName(dayShown)}, {formatDate(dayShown)}</h3>
          <ul className="slots" aria-labelledby="slots-heading">
            {(byDay.get(dayShown) ?? []).map((s) => {
              const who = [name(dentists, s.dentistId), name(chairs, s.chairId)].filter(Boolean).join(", ");
              return (
                <li key={`${s.date} ${s.time}`}>
                  <button type="button" className="secondary slot" title={who || undefined}
                    aria-label={`${s.time}–${s.endTime}${who ? ` (${who})` : ""}`}
                    onClick={() => onChoose({
                      date: s.date, time: s.time, appointmentTypeId: typeId,
                      ...(s.dentistId ? { dentistId: s.dentistId } : {}), ...(s.chairId ? { chairId: s.chairId } : {}),
                    })}>
                    {s.time}
                  </button>
                </li>
              );
            })}
          </ul>
          {type && <p className="hint">Each slot is {type.duration} minutes; choose one to book it.</p>}
        </>
      )}
      <div className="actions"><button type="button" className="secondary" onClick={onCancel}>Close</button></div>
    </section>
  );
}

export function BookingForm({ draft, patientId, canOverride, onDone, onCancel }: {
  draft: BookingDraft; patientId: string | null; canOverride: boolean; onDone(message: string): void; onCancel(): void;
}) {
  const { types, create, loading, errors, clearError } = useAppointmentStore();
  const getPatient = usePatientStore((s) => s.get);
  const [patient, setPatient] = useState<Patient | null>(null);
  const [form, setForm] = useState({
    appointmentTypeId: draft.appointmentTypeId ?? "", date: draft.date, time: draft.time,
    dentistId: draft.dentistId ?? "", chairId: draft.chairId ?? "", notes: "",
  });
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    clearError("create");
    heading.current?.focus();
  }, [clearError]);
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
      dentistId: form.dentistId || null,
      chairId: form.chairId || null,
      ...(allowOverlap ? { allowOverlap: true } : {}),
    });
    if (appointment) onDone(`Booked ${patient.firstName} ${patient.lastName} on ${formatDate(appointment.date)} at ${appointment.time}.`);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void book(false);
  };
  const set = (name: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [name]: e.target.value });
  const conflict = error?.status === 409;

  return (
    <section className="card" aria-labelledby="booking-heading">
      <h2 id="booking-heading" ref={heading} tabIndex={-1}>Book an appointment</h2>
      <form onSubmit={submit} noValidate>
        {!conflict && <ErrorAlert error={error} shownFields={["patientId", "appointmentTypeId", "date", "time", "notes", "dentistId", "chairId"]} />}
        <PatientPicker value={patient} onChange={setPatient} error={fieldError(error, "patientId")} />
        <div className="row">
          <SelectField label="Type" value={form.appointmentTypeId} onChange={set("appointmentTypeId")} error={fieldError(error, "appointmentTypeId")}>
            <option value="">Choose a type</option>
            {types.map((t) => <option key={t.id} value={t.id}>{t.name} ({t.duration} min)</option>)}
          </SelectField>
          <TextField label="Date" type="date" value={form.date} onChange={set("date")} error={fieldError(error, "date")} />
          <TextField label="Time" type="time" step={300} value={form.time} onChange={set("time")} error={conflict ? undefined : fieldError(error, "time")} />
        </div>
        <div className="row">
          <DentistChairFields dentistId={form.dentistId} chairId={form.chairId} error={error}
            onDentist={(id) => setForm({ ...form, dentistId: id })} onChair={(id) => setForm({ ...form, chairId: id })} />
        </div>
        <TextAreaField label="Notes" rows={2} value={form.notes} onChange={set("notes")} error={fieldError(error, "notes")} />
        {types.length === 0 && <p className="hint">There are no appointment types yet: an admin or dentist adds them under Settings.</p>}
        <ConflictMessage error={error} canOverride={canOverride} onOverride={() => void book(true)} />
        <div className="actions">
          <button type="submit" disabled={!patient || loading.create}>{loading.create ? "Booking…" : "Book"}</button>
          <button type="button" className="secondary" onClick={onCancel}>Cancel</button>
        </div>
        {!patient && <p className="hint">Choose the patient first.</p>}
      </form>
    </section>
  );
}
