"use client";
// Opening hours of the clinic (admins) and dentists' own working hours (admins, or that dentist):
// intervals per weekday, a lunch break being the gap between two of them. The API's messages (an end
// before its start, overlapping intervals) show next to the interval they name.
import { useEffect, useMemo, useState, type FormEvent } from "react";
import { ErrorAlert, Loading, SelectField } from "../../../../components/ui";
import type { ApiError } from "../../../../services/api";
import { useAppointmentStore, type HoursInterval } from "../../../../store/appointmentStore";
import { useSessionStore } from "../../../../store/sessionStore";

export const weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] as const;

interface Row { key: number; start: string; end: string }
/** Rows per ISO weekday (index 0 = Monday). */
type Week = Row[][];

let nextKey = 1;
function toWeek(intervals: readonly HoursInterval[]): Week {
  const week: Week = weekdays.map(() => []);
  for (const i of [...intervals].sort((a, b) => (a.weekday ?? 0) - (b.weekday ?? 0) || (a.start ?? "").localeCompare(b.start ?? ""))) {
    week[(i.weekday ?? 1) - 1]?.push({ key: nextKey++, start: i.start ?? "", end: i.end ?? "" });
  }
  return week;
}

/** The list the API takes, and which row each of its items is (to put its messages next to the row). */
function toIntervals(week: Week): { intervals: HoursInterval[]; rows: number[] } {
  const intervals: HoursInterval[] = [];
  const rows: number[] = [];
  week.forEach((day, d) => day.forEach((row) => {
    intervals.push({ weekday: d + 1, start: row.start.trim(), end: row.end.trim() });
    rows.push(row.key);
  }));
  return { intervals, rows };
}

/** The API's messages by row key: `intervals[3]` (the whole interval), `intervals[3].start`, `intervals[3].end`. */
function messagesByRow(error: ApiError | null, rows: number[]): Map<number, Partial<Record<"interval" | "start" | "end" | "weekday", string>>> {
  const out = new Map<number, Partial<Record<"interval" | "start" | "end" | "weekday", string>>>();
  for (const d of error?.details ?? []) {
    const m = /^intervals\[(\d+)\](?:\.(start|end|weekday))?$/i.exec(d.field);
    const key = m ? rows[Number(m[1])] : undefined;
    if (key === undefined) continue;
    const part = (m?.[2]?.toLowerCase() ?? "interval") as "interval" | "start" | "end" | "weekday";
    const row = out.get(key) ?? {};
    row[part] ??= d.message;
    out.set(key, row);
  }
  return out;
}

export function HoursScreen() {
  const { hours, dentists, loading, errors, loadHours, loadDentists } = useAppointmentStore();
  const user = useSessionStore((s) => s.user);
  const isAdmin = user?.role === "admin";
  const [whose, setWhose] = useState<string>("clinic");

  useEffect(() => {
    void loadHours();
    void loadDentists();
  }, [loadHours, loadDentists]);

  // A dentist opens on their own hours.
  useEffect(() => {
    if (user?.role === "dentist") setWhose(user.id);
  }, [user]);

  const dentist = dentists.find((d) => d.id === whose);
  const intervals = useMemo(() => {
    if (!hours) return null;
    if (whose === "clinic") return hours.clinic;
    return hours.dentists.find((d) => d.dentistId === whose)?.intervals ?? [];
  }, [hours, whose]);
  const editable = whose === "clinic" ? isAdmin : isAdmin || whose === user?.id;

  return (
    <>
      <h1>Opening and working hours</h1>
      <p className="muted">
        Times are the clinic&apos;s local time, written HH:mm (an end may be 24:00). A lunch break is the gap between two
        intervals of a day. Bookings outside these hours are refused.
      </p>
      <div className="card">
        <SelectField label="Hours of" value={whose} onChange={(e) => setWhose(e.target.value)}
          hint="The clinic's opening hours, or a dentist's own working hours.">
          <option value="clinic">The clinic (opening hours)</option>
          {dentists.map((d) => <option key={d.id} value={d.id}>{d.name}{d.id === user?.id ? " (you)" : ""}</option>)}
        </SelectField>
      </div>
      <ErrorAlert error={errors.hours ?? errors.dentists} />
      {loading.hours && !hours && <Loading />}
      {intervals && (
        <HoursEditor key={whose} whose={whose} name={whose === "clinic" ? "the clinic" : dentist?.name ?? "this dentist"}
          intervals={intervals} editable={editable} />
      )}
    </>
  );
}

function HoursEditor({ whose, name, intervals, editable }: { whose: string; name: string; intervals: readonly HoursInterval[]; editable: boolean }) {
  const { setClinicHours, setDentistHours, loading } = useAppointmentStore();
  const [week, setWeek] = useState<Week>(() => toWeek(intervals));
  const [error, setError] = useState<ApiError | null>(null);
  const [sentRows, setSentRows] = useState<number[]>([]);
  const [saved, setSaved] = useState<string | null>(null);
  const isClinic = whose === "clinic";
  const saving = isClinic ? loading.setClinicHours : loading.setDentistHours;
  const byRow = messagesByRow(error, sentRows);
  const shownFields = sentRows.flatMap((_, i) => [`intervals[${i}]`, `intervals[${i}].start`, `intervals[${i}].end`]);
  const empty = week.every((day) => day.length === 0);

  const change = (day: number, next: Row[]) => {
    setWeek((w) => w.map((rows, d) => (d === day ? next : rows)));
    setSaved(null);
  };
  const copyMonday = () => {
    setWeek((w) => w.map((rows, d) => (d >= 1 && d <= 4 ? (w[0] ?? []).map((r) => ({ ...r, key: nextKey++ })) : rows)));
    setSaved(null);
  };

  const save = async (e: FormEvent, replacement?: Week) => {
    e.preventDefault();
    const { intervals: list, rows } = toIntervals(replacement ?? week);
    setSentRows(rows);
    setSaved(null);
    const result = isClinic ? await setClinicHours(list) : await setDentistHours(whose, list);
    const state = useAppointmentStore.getState();
    setError(result ? null : isClinic ? state.errors.setClinicHours : state.errors.setDentistHours);
    if (result) {
      if (replacement) setWeek(replacement);
      setSaved(list.length === 0
        ? isClinic ? "Saved: no opening hours, so any time can be booked." : `Saved: ${name} works the clinic's hours.`
        : `Saved: ${list.length} interval${list.length === 1 ? "" : "s"}.`);
    }
  };

  return (
    <form className="card" onSubmit={(e) => void save(e)} noValidate aria-labelledby="week-title">
      <h2 id="week-title">{isClinic ? "The clinic's opening hours" : `Working hours of ${name}`}</h2>
      {empty && (
        <p className="hint" role="note">
          {isClinic ? "No opening hours: any time of any day can be booked." : `No hours of their own: ${name} works the clinic's hours.`}
        </p>
      )}
      {!isClinic && !empty && <p className="hint">These replace the clinic&apos;s hours for {name}: a day without intervals is a day off.</p>}
      {isClinic && !empty && <p className="hint">A day without intervals is closed.</p>}
      <ErrorAlert error={error} shownFields={shownFields} />
      <div className="week-hours">
        {weekdays.map((dayName, d) => (
          <fieldset key={dayName} className="weekday" disabled={!editable}>
            <legend>{dayName}</legend>
            {(week[d] ?? []).length === 0 && <p className="muted weekday-closed">{isClinic ? "Closed" : "Off"}</p>}
            {(week[d] ?? []).map((row, r) => {
              const msg = byRow.get(row.key) ?? {};
              const label = `${dayName} ${r + 1}`;
              const startError = msg.start ?? msg.weekday;
              return (
                <div key={row.key} className="interval">
                  <div className="interval-fields">
                    <div>
                      <label htmlFor={`from-${row.key}`}><span className="sr-only">{label}: </span>From</label>
                      <input id={`from-${row.key}`} className="time" inputMode="numeric" placeholder="08:00" autoComplete="off" value={row.start}
                        aria-invalid={Boolean(startError || msg.interval)} aria-describedby={startError || msg.interval ? `err-${row.key}` : undefined}
                        onChange={(e) => change(d, (week[d] ?? []).map((x) => (x.key === row.key ? { ...x, start: e.target.value } : x)))} />
                    </div>
                    <div>
                      <label htmlFor={`to-${row.key}`}><span className="sr-only">{label}: </span>To</label>
                      <input id={`to-${row.key}`} className="time" inputMode="numeric" placeholder="17:00" autoComplete="off" value={row.end}
                        aria-invalid={Boolean(msg.end || msg.interval)} aria-describedby={msg.end || msg.interval ? `err-${row.key}` : undefined}
                        onChange={(e) => change(d, (week[d] ?? []).map((x) => (x.key === row.key ? { ...x, end: e.target.value } : x)))} />
                    </div>
                    {editable && (
                      <button type="button" className="secondary" aria-label={`Remove ${label}`}
                        onClick={() => change(d, (week[d] ?? []).filter((x) => x.key !== row.key))}>Remove</button>
                    )}
                  </div>
                  {(startError || msg.end || msg.interval) && (
                    <div id={`err-${row.key}`} className="field-error">
                      {[startError, msg.end, msg.interval].filter(Boolean).join(" ")}
                    </div>
                  )}
                </div>
              );
            })}
            {editable && (
              <button type="button" className="link" aria-label={`Add hours on ${dayName}`}
                onClick={() => change(d, [...(week[d] ?? []), { key: nextKey++, start: "", end: "" }])}>+ Add hours</button>
            )}
          </fieldset>
        ))}
      </div>
      {saved && <p className="alert ok" role="status">{saved}</p>}
      {editable ? (
        <div className="actions">
          <button type="submit" disabled={saving}>{saving ? "Saving…" : "Save hours"}</button>
          <button type="button" className="secondary" onClick={copyMonday}>Copy Monday to Tuesday–Friday</button>
          {!isClinic && (
            <button type="button" className="secondary" disabled={saving}
              onClick={(e) => void save(e as unknown as FormEvent, weekdays.map(() => []))}>Use the clinic&apos;s hours</button>
          )}
        </div>
      ) : (
        <p className="alert warn" role="status">{isClinic ? "Only admins change the clinic's opening hours." : "Only admins and the dentist themselves change these hours."}</p>
      )}
    </form>
  );
}
