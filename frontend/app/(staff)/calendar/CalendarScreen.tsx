"use client";
// The calendar: a day in columns per chair or per dentist, or a week; appointments in their type's
// colour with the patient's name and status. Book from a free slot (the availability API) or a free
// time on the grid, change status, move, cancel with a reason. The view, date and columns are kept in
// the address (?view=day|week&date=YYYY-MM-DD&by=chair|dentist), so a reload shows the same.
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useMemo, useState } from "react";
import { textOn } from "../../../components/colors";
import { ErrorAlert, Loading, formatDate, today } from "../../../components/ui";
import { useAppointmentStore, type Closure, type DayAppointment, type Dentist, type ScheduleHours } from "../../../store/appointmentStore";
import { can, useSessionStore } from "../../../store/sessionStore";
import { AppointmentPanel } from "./AppointmentPanel";
import { BookingForm, SlotFinder, type BookingDraft } from "./Booking";
import {
  addDays, closedStretches, closuresOn, columnOf, columnsFor, noneKey, hhmm, isDate, isInactive, lanes, minutes, openIntervals, statusLabels,
  weekDays, weekdayName,
  type Column, type ColumnsBy, type View,
} from "./calendarModel";

const slotMinutes = 30;
/** A length on the day grid: minutes times the grid's scale (CSS --ppm, larger on a phone). */
const px = (mins: number) => `calc(${mins} * var(--ppm))`;

type Panel = { kind: "find" } | { kind: "book"; draft: BookingDraft } | { kind: "appointment"; id: string } | null;

export function CalendarScreen() {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const dateParam = params.get("date");
  const date = isDate(dateParam) ? dateParam : today();
  const view: View = params.get("view") === "week" ? "week" : "day";
  const by: ColumnsBy = params.get("by") === "dentist" ? "dentist" : "chair";
  const patientParam = params.get("patient");
  const role = useSessionStore((s) => s.user?.role);
  const canOverride = can(role, "overrideRules");
  const {
    calendar, calendarQuery, chairs, dentists, hours, closures, loading, errors,
    loadCalendar, loadTypes, loadChairs, loadDentists, loadHours, loadClosures,
  } = useAppointmentStore();
  const [panel, setPanel] = useState<Panel>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const days = useMemo(() => (view === "week" ? weekDays(date) : [date]), [view, date]);
  const from = days[0] ?? date;
  const to = days[days.length - 1] ?? date;

  useEffect(() => {
    void loadTypes();
    void loadChairs();
    void loadDentists();
    void loadHours();
  }, [loadTypes, loadChairs, loadDentists, loadHours]);
  useEffect(() => {
    void loadCalendar({ from, to });
    void loadClosures(from, to);
  }, [from, to, loadCalendar, loadClosures]);
  // Coming from a patient's page (?patient=<id>): look for a free slot for them.
  useEffect(() => {
    if (patientParam) setPanel((p) => p ?? { kind: "find" });
  }, [patientParam]);

  /** Changes the address (and so the view), keeping what is not named. */
  const go = (changes: Partial<Record<"date" | "view" | "by", string>>) => {
    const query = new URLSearchParams(params.toString());
    for (const [k, v] of Object.entries(changes)) query.set(k, v);
    router.replace(`${pathname}?${query.toString()}`, { scroll: false });
  };
  const step = view === "week" ? 7 : 1;

  const shown = calendarQuery?.from === from && calendarQuery?.to === to;
  const items = useMemo(() => (shown ? calendar : []), [calendar, shown]);
  const selected = panel?.kind === "appointment" ? items.find((a) => a.id === panel.id) ?? null : null;
  const heading = view === "week"
    ? `Week of ${formatDate(from)} – ${formatDate(to)}`
    : `${weekdayName(date)}, ${formatDate(date)}`;

  const openBooking = (draft: BookingDraft) => {
    setNotice(null);
    setPanel({ kind: "book", draft });
  };
  const openAppointment = (id: string) => {
    setNotice(null);
    setPanel({ kind: "appointment", id });
  };

  return (
    <>
      <h1>Calendar</h1>
      <div className="card calendar-toolbar no-print">
        <div className="toolbar-group" role="group" aria-label={view === "week" ? "Change week" : "Change day"}>
          <button type="button" className="secondary" onClick={() => go({ date: addDays(date, -step) })}>
            ← Previous<span className="sr-only"> {view}</span>
          </button>
          <button type="button" className="secondary" onClick={() => go({ date: today() })}>Today</button>
          <button type="button" className="secondary" onClick={() => go({ date: addDays(date, step) })}>
            Next<span className="sr-only"> {view}</span> →
          </button>
        </div>
        <div className="toolbar-date">
          <label htmlFor="calendar-date">Date</label>
          <input id="calendar-date" type="date" value={date} onChange={(e) => isDate(e.target.value) && go({ date: e.target.value })} />
        </div>
        <div className="toolbar-group" role="group" aria-label="View">
          <button type="button" className="toggle" aria-pressed={view === "day"} onClick={() => go({ view: "day" })}>Day</button>
          <button type="button" className="toggle" aria-pressed={view === "week"} onClick={() => go({ view: "week" })}>Week</button>
        </div>
        {view === "day" && (chairs.length > 0 || dentists.length > 0) && (
          <div className="toolbar-group" role="group" aria-label="Columns">
            <button type="button" className="toggle" aria-pressed={by === "chair"} onClick={() => go({ by: "chair" })}>Per chair</button>
            <button type="button" className="toggle" aria-pressed={by === "dentist"} onClick={() => go({ by: "dentist" })}>Per dentist</button>
          </div>
        )}
        <div className="toolbar-book">
          <button type="button" onClick={() => { setNotice(null); setPanel({ kind: "find" }); }}>Book an appointment</button>
        </div>
      </div>

      <h2 id="calendar-heading">{heading}</h2>
      {notice && <p className="alert ok" role="status">{notice}</p>}
      {panel?.kind === "find" && (
        <SlotFinder from={from} to={to} onChoose={openBooking} onCancel={() => setPanel(null)} />
      )}
      {panel?.kind === "book" && (
        <BookingForm key={JSON.stringify(panel.draft)} draft={panel.draft} patientId={patientParam} canOverride={canOverride}
          onDone={(message) => { setPanel(null); setNotice(message); }} onCancel={() => setPanel(null)} />
      )}
      {selected && (
        <AppointmentPanel key={selected.id} appointment={selected} canOverride={canOverride}
          onClose={() => setPanel(null)} onNotice={setNotice} />
      )}
      {view === "day" && <ClosureNotes date={date} closures={closures} dentists={dentists} />}
      <ErrorAlert error={errors.calendar} />
      {loading.calendar && !shown && <Loading />}
      {shown && !errors.calendar && items.length === 0 && (
        <p className="empty">
          {view === "week" ? "No appointments this week." : "No appointments on this day."} Choose a free time below, or <em>Book an appointment</em> to see the free slots.
        </p>
      )}
      {view === "day"
        ? <DayGrid date={date} by={by} items={items} columns={columnsFor(by, items, chairs, dentists)} hours={hours} closures={closures}
            onSelect={openAppointment} onBook={openBooking} />
        : <WeekGrid days={days} items={items} hours={hours} closures={closures} dentists={dentists} onSelect={openAppointment} onOpenDay={(d) => go({ view: "day", date: d })} />}
    </>
  );
}

/** What an appointment's block says, for the eye and for a screen reader alike. */
function AppointmentBlock({ a, style, className = "", onSelect, extra }: {
  a: DayAppointment; style?: React.CSSProperties; className?: string; onSelect(id: string): void; extra?: string;
}) {
  const inactive = isInactive(a.status);
  const color = a.appointmentTypeColor;
  return (
    <button type="button" className={`appointment${inactive ? " inactive" : ""} ${className}`}
      style={{ ...style, background: inactive ? "#fff" : color, color: inactive ? "#1f2933" : textOn(color), borderColor: color }}
      onClick={() => onSelect(a.id)}>
      <span className="appointment-time">{a.time}–{a.endTime}</span> <strong>{a.patientName}</strong>
      <span className="appointment-meta">{a.appointmentTypeName} · {statusLabels[a.status] ?? a.status}{extra ? ` · ${extra}` : ""}</span>
    </button>
  );
}

/** The clinic closed on the day, and who is off. */
function ClosureNotes({ date, closures, dentists }: { date: string; closures: Closure[]; dentists: Dentist[] }) {
  const { clinic, off } = closuresOn(date, closures);
  const because = (c: Closure) => (c.reason ? ` (${c.reason})` : "");
  return (
    <>
      {clinic && <p className="alert warn">The clinic is closed on this day{because(clinic)}.</p>}
      {off.length > 0 && (
        <p className="hint">Time off: {off.map((c) => `${dentists.find((d) => d.id === c.dentistId)?.name ?? "a dentist"}${because(c)}`).join(", ")}.</p>
      )}
    </>
  );
}

function DayGrid({ date, by, items, columns, hours, closures, onSelect, onBook }: {
  date: string; by: ColumnsBy; items: DayAppointment[]; columns: Column[]; hours: ScheduleHours | null; closures: Closure[];
  onSelect(id: string): void; onBook(draft: BookingDraft): void;
}) {
  // From 08:00 to 18:00, or wider to show every appointment and the opening (or a column's dentist's) hours.
  const open = [undefined, ...columns.map((c) => c.dentistId)].flatMap((dentistId) => openIntervals(date, hours, dentistId) ?? []);
  const first = Math.min(8 * 60, ...items.map((a) => Math.floor(minutes(a.time) / 60) * 60), ...open.map((o) => Math.floor(o.start / 60) * 60));
  const last = Math.max(18 * 60, ...items.map((a) => Math.ceil(minutes(a.endTime) / 60) * 60), ...open.map((o) => Math.ceil(o.end / 60) * 60));
  const { clinic: closedDay, off } = closuresOn(date, closures);
  const height = px(last - first);
  const slots: number[] = [];
  for (let t = first; t < last; t += slotMinutes) slots.push(t);
  const single = columns.length === 1 && columns[0]?.key === noneKey;

  return (
    <div className="calendar" role="region" aria-labelledby="calendar-heading" tabIndex={-1}>
      <div className="calendar-times" aria-hidden="true">
        <div className="calendar-column-head" />
        <div style={{ position: "relative", height }}>
          {slots.filter((t) => t % 60 === 0).map((t) => (
            <div key={t} className="calendar-time" style={{ top: px(t - first) }}>{hhmm(t)}</div>
          ))}
        </div>
      </div>
      {columns.map((column) => {
        const mine = items.filter((a) => columnOf(a, by) === column.key);
        const placed = lanes(mine);
        const where = single ? "" : ` ${by === "chair" ? "in" : "with"} ${column.label}`;
        // Closed: the whole day (closure, the column's dentist off), else outside the (dentist's or clinic's) hours.
        const allDay = !!closedDay || off.some((c) => c.dentistId === column.dentistId);
        const closed = allDay ? [{ start: first, end: last }] : closedStretches(openIntervals(date, hours, column.dentistId), first, last);
        const isClosed = (t: number) => closed.some((c) => t >= c.start && t < c.end);
        return (
          <div key={column.key} className="calendar-column" role="group" aria-label={single ? "Appointments" : column.label}>
            <div className="calendar-column-head" style={column.color ? { borderTopColor: column.color } : undefined}>{column.label}</div>
            <div className="calendar-lane" style={{ height }}>
              {closed.map((c) => (
                <div key={c.start} className="calendar-closed" style={{ top: px(c.start - first), height: px(c.end - c.start) }} aria-hidden="true" />
              ))}
              {/* In time order, so that Tab moves through the column as the eye reads it. */}
              {[...mine.map((a) => ({ at: minutes(a.time), a })), ...slots.map((t) => ({ at: t, a: null }))]
                .sort((x, y) => x.at - y.at || (x.a ? -1 : 1))
                .map(({ at: t, a }) => {
                  if (!a) {
                    return (
                      <button key={t} type="button" className="calendar-slot" style={{ top: px(t - first), height: px(slotMinutes) }}
                        aria-label={`Book at ${hhmm(t)}${where}${isClosed(t) ? " (closed)" : ""}`}
                        onClick={() => onBook({ date, time: hhmm(t), ...(column.chairId ? { chairId: column.chairId } : {}), ...(column.dentistId ? { dentistId: column.dentistId } : {}) })} />
                    );
                  }
                  const place = placed.get(a.id) ?? { lane: 0, of: 1 };
                  return (
                    <AppointmentBlock key={a.id} a={a} onSelect={onSelect}
                      extra={single ? (a.chairName ?? a.dentistName ?? undefined) : (by === "chair" ? a.dentistName : a.chairName) ?? undefined}
                      style={{
                        top: px(t - first),
                        height: `max(${px(minutes(a.endTime) - t)}, 1.6rem)`,
                        left: `calc(${(100 / place.of) * place.lane}% + 2px)`, width: `calc(${100 / place.of}% - 4px)`,
                      }} />
                  );
                })}
            </div>
          </div>
        );
      })}
    </div>
  );
}

function WeekGrid({ days, items, hours, closures, dentists, onSelect, onOpenDay }: {
  days: string[]; items: DayAppointment[]; hours: ScheduleHours | null; closures: Closure[]; dentists: Dentist[];
  onSelect(id: string): void; onOpenDay(date: string): void;
}) {
  const now = today();
  return (
    <div className="week" role="region" aria-labelledby="calendar-heading">
      {days.map((d) => {
        const mine = items.filter((a) => a.date === d);
        const { clinic, off } = closuresOn(d, closures);
        return (
          <section key={d} className={`week-day${d === now ? " today" : ""}`} aria-labelledby={`day-${d}`}>
            <h3 id={`day-${d}`} className="week-day-head">
              <button type="button" className="link" onClick={() => onOpenDay(d)}>
                {weekdayName(d, "short")} {formatDate(d)}<span className="sr-only"> (open the day)</span>
              </button>
            </h3>
            {clinic && <p className="closed-note">Closed{clinic.reason ? `: ${clinic.reason}` : ""}</p>}
            {!clinic && openIntervals(d, hours)?.length === 0 && <p className="closed-note">Not open (opening hours)</p>}
            {off.map((c) => <p key={c.id} className="closed-note">{dentists.find((x) => x.id === c.dentistId)?.name ?? "A dentist"} off</p>)}
            {mine.length === 0
              ? !clinic && <p className="empty">No appointments</p>
              : (
                <ul className="week-list">
                  {mine.map((a) => (
                    <li key={a.id}><AppointmentBlock a={a} onSelect={onSelect} extra={[a.dentistName, a.chairName].filter(Boolean).join(" · ") || undefined} /></li>
                  ))}
                </ul>
              )}
          </section>
        );
      })}
    </div>
  );
}
