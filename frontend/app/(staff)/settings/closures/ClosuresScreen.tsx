"use client";
// Days the clinic is closed (admins) and dentists' time off (admins, or that dentist): the list over a
// range of dates, adding one, removing one. No booking falls on them.
import { useEffect, useState, type FormEvent } from "react";
import { ErrorAlert, Loading, SelectField, TextField, fieldError, formatDate, today } from "../../../../components/ui";
import type { ApiError } from "../../../../services/api";
import { useAppointmentStore, type Closure } from "../../../../store/appointmentStore";
import { useSessionStore } from "../../../../store/sessionStore";

/** YYYY-MM-DD a number of days after another. */
function addDays(date: string, days: number): string {
  const [y, m, d] = date.split("-").map(Number);
  return new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + days)).toISOString().slice(0, 10);
}

export function ClosuresScreen() {
  const { closures, dentists, loading, errors, loadClosures, loadDentists } = useAppointmentStore();
  const [range, setRange] = useState(() => ({ from: today(), to: addDays(today(), 365) }));
  const [shown, setShown] = useState(range);

  useEffect(() => {
    void loadDentists();
  }, [loadDentists]);
  useEffect(() => {
    void loadClosures(shown.from || undefined, shown.to || undefined);
  }, [loadClosures, shown]);

  const rangeError = errors.closures;
  const who = (c: Closure) => (c.dentistId ? dentists.find((d) => d.id === c.dentistId)?.name ?? "A dentist" : "The clinic");

  return (
    <>
      <h1>Closures and time off</h1>
      <p className="muted">The clinic closed (holidays) or a dentist away, for whole days from one date to another. Nothing can be booked on them.</p>
      <NewClosure onAdded={(c) => { if (c.to < shown.from || (shown.to && c.from > shown.to)) setShown({ ...shown }); }} />
      <section className="card" aria-labelledby="closures-title" aria-busy={loading.closures}>
        <h2 id="closures-title">Closures and time off</h2>
        <form className="row" onSubmit={(e) => { e.preventDefault(); setShown(range); }} noValidate aria-label="Dates shown">
          <TextField label="From" type="date" value={range.from} onChange={(e) => setRange({ ...range, from: e.target.value })} error={fieldError(rangeError, "from")} />
          <TextField label="To" type="date" value={range.to} onChange={(e) => setRange({ ...range, to: e.target.value })} error={fieldError(rangeError, "to")} />
          <div className="field"><button type="submit" className="secondary">Show</button></div>
        </form>
        <ErrorAlert error={rangeError} shownFields={["from", "to"]} />
        {loading.closures && closures.length === 0 && <Loading />}
        {!loading.closures && !rangeError && closures.length === 0 && <p className="empty">No closures or time off in these dates.</p>}
        {closures.length > 0 && (
          <ul className="list" aria-label="Closures">
            {closures.map((c) => <ClosureRow key={c.id} closure={c} who={who(c)} />)}
          </ul>
        )}
      </section>
    </>
  );
}

function NewClosure({ onAdded }: { onAdded(c: Closure): void }) {
  const { dentists, createClosure, loading, errors, clearError } = useAppointmentStore();
  const user = useSessionStore((s) => s.user);
  const isAdmin = user?.role === "admin";
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [whose, setWhose] = useState(isAdmin ? "" : user?.id ?? "");
  const [reason, setReason] = useState("");
  const [added, setAdded] = useState<string | null>(null);
  const error: ApiError | null = errors.createClosure;
  // Who this user may give time off: admins anyone (or close the clinic), a dentist themselves.
  const choices = isAdmin ? dentists : dentists.filter((d) => d.id === user?.id);

  useEffect(() => () => clearError("createClosure"), [clearError]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setAdded(null);
    const closure = await createClosure({ from, to: to || from, dentistId: whose || null, reason: reason.trim() || null });
    if (closure) {
      setAdded(`${closure.dentistId ? "Time off" : "Closure"} added: ${formatDate(closure.from)}${closure.to !== closure.from ? ` to ${formatDate(closure.to)}` : ""}.`);
      setFrom("");
      setTo("");
      setReason("");
      onAdded(closure);
    }
  };

  return (
    <form className="card" onSubmit={submit} noValidate aria-labelledby="new-closure-title">
      <h2 id="new-closure-title">{isAdmin ? "Close the clinic or give time off" : "Add time off"}</h2>
      <ErrorAlert error={error} shownFields={["from", "to", "dentistId", "reason"]} />
      {added && <p className="alert ok" role="status">{added}</p>}
      <div className="row" style={{ alignItems: "flex-start" }}>
        <SelectField label="Who" value={whose} onChange={(e) => setWhose(e.target.value)} error={fieldError(error, "dentistId")}>
          {isAdmin && <option value="">The whole clinic</option>}
          {choices.map((d) => <option key={d.id} value={d.id}>{d.name}</option>)}
        </SelectField>
        <TextField label="First day" type="date" value={from} onChange={(e) => setFrom(e.target.value)} error={fieldError(error, "from")} />
        <TextField label="Last day" type="date" value={to} onChange={(e) => setTo(e.target.value)} error={fieldError(error, "to")}
          hint="Empty: just the first day." />
        <TextField label="Reason (optional)" value={reason} maxLength={200} onChange={(e) => setReason(e.target.value)} error={fieldError(error, "reason")} />
      </div>
      <button type="submit" disabled={loading.createClosure}>{loading.createClosure ? "Adding…" : "Add"}</button>
    </form>
  );
}

function ClosureRow({ closure, who }: { closure: Closure; who: string }) {
  const { deleteClosure, loading } = useAppointmentStore();
  const user = useSessionStore((s) => s.user);
  const [error, setError] = useState<ApiError | null>(null);
  const mayRemove = user?.role === "admin" || (closure.dentistId !== null && closure.dentistId === user?.id);
  const dates = closure.from === closure.to ? formatDate(closure.from) : `${formatDate(closure.from)} – ${formatDate(closure.to)}`;

  const remove = async () => {
    if (!window.confirm(`Remove ${who === "The clinic" ? "this closure" : `${who}'s time off`} (${dates})?`)) return;
    const ok = await deleteClosure(closure.id);
    setError(ok ? null : useAppointmentStore.getState().errors.deleteClosure);
  };

  return (
    <li style={{ padding: "0.6rem 0.25rem" }}>
      <div className="row" style={{ alignItems: "center" }}>
        <span style={{ flex: "2 1 14rem" }}><strong>{dates}</strong></span>
        <span>{closure.dentistId ? <>Time off: {who}</> : <span className="badge">Clinic closed</span>}</span>
        <span className="muted">{closure.reason ?? ""}</span>
        {mayRemove && (
          <span className="actions" style={{ marginTop: 0 }}>
            <button type="button" className="danger" aria-label={`Remove ${who === "The clinic" ? "closure" : `time off of ${who}`} ${dates}`}
              onClick={() => void remove()} disabled={loading.deleteClosure}>Remove</button>
          </span>
        )}
      </div>
      <ErrorAlert error={error} />
    </li>
  );
}
