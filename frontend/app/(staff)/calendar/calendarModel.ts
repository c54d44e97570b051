// What the calendar computes from the appointments it shows: dates, columns (per chair or per
// dentist), side-by-side lanes for appointments that overlap, the statuses a receptionist moves to.
import type { Chair, Closure, DayAppointment, Dentist, ScheduleHours } from "../../../store/appointmentStore";

export type View = "day" | "week";
export type ColumnsBy = "chair" | "dentist";

export const minutes = (time: string) => {
  const [h, m] = time.split(":").map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
};
export const hhmm = (total: number) => `${String(Math.floor(total / 60)).padStart(2, "0")}:${String(total % 60).padStart(2, "0")}`;

const parse = (date: string) => {
  const [y, m, d] = date.split("-").map(Number);
  return { y: y ?? 1970, m: m ?? 1, d: d ?? 1 };
};

export function addDays(date: string, days: number): string {
  const { y, m, d } = parse(date);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** The Monday of the week a date falls in (weeks run Monday to Sunday, as the clinic's ISO weekdays). */
export function weekStart(date: string): string {
  const { y, m, d } = parse(date);
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay(); // 0 = Sunday
  return addDays(date, -((weekday + 6) % 7));
}

export const weekDays = (date: string) => Array.from({ length: 7 }, (_, i) => addDays(weekStart(date), i));

export function weekdayName(date: string, style: "long" | "short" = "long"): string {
  const { y, m, d } = parse(date);
  return new Date(y, m - 1, d).toLocaleDateString(undefined, { weekday: style });
}

export const isDate = (value: string | null): value is string => !!value && /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value));

/** A column of the day view: a chair, a dentist, or the appointments without one. */
export interface Column {
  key: string;
  label: string;
  color?: string | null;
  /** What booking in this column presets (undefined: nothing). */
  chairId?: string;
  dentistId?: string;
}

export const noneKey = "none";

/** The column an appointment belongs in. */
export const columnOf = (a: DayAppointment, by: ColumnsBy) => (by === "chair" ? a.chairId : a.dentistId) ?? noneKey;

/**
 * The day's columns: the active chairs by display order (or the active dentists by name), then any
 * chair or dentist that only the appointments name (archived, deactivated), then the appointments
 * without one. A clinic without chairs (dentists) has one column.
 */
export function columnsFor(by: ColumnsBy, items: DayAppointment[], chairs: Chair[], dentists: Dentist[]): Column[] {
  const columns: Column[] = by === "chair"
    ? chairs.map((c) => ({ key: c.id, label: c.name, color: c.color, chairId: c.id }))
    : dentists.map((d) => ({ key: d.id, label: d.name, color: d.calendarColor ?? null, dentistId: d.id }));
  for (const a of items) {
    const key = columnOf(a, by);
    if (key === noneKey || columns.some((c) => c.key === key)) continue;
    columns.push(by === "chair"
      ? { key, label: a.chairName ?? "Chair", color: a.chairColor ?? null }
      : { key, label: a.dentistName ?? "Dentist", color: a.dentistColor ?? null });
  }
  if (columns.length === 0) return [{ key: noneKey, label: "Appointments" }];
  if (items.some((a) => columnOf(a, by) === noneKey)) columns.push({ key: noneKey, label: by === "chair" ? "No chair" : "No dentist" });
  return columns;
}

/** Side-by-side lanes for appointments that overlap in time. */
export function lanes(items: DayAppointment[]): Map<string, { lane: number; of: number }> {
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
export const isInactive = (status: string) => status === "cancelled" || status === "no-show";

export const statusLabels: Record<string, string> = {
  pending: "Pending", confirmed: "Confirmed", arrived: "Arrived", completed: "Completed", cancelled: "Cancelled", "no-show": "No-show",
};

/**
 * The status changes the API allows (pending ⇄ confirmed; either → arrived, completed, no-show;
 * arrived → completed; a no-show who turns up → arrived; cancelled or no-show → booked again;
 * completed is final), in the order of a visit. `onTheDay`: arrived, completed and no-show only
 * on or after the appointment's date. Cancelling has its own action (with a reason).
 */
export const statusActions: { status: string; label: string; from: string[]; onTheDay?: true }[] = [
  { status: "confirmed", label: "Confirm", from: ["pending"] },
  { status: "arrived", label: "Mark arrived", from: ["pending", "confirmed", "no-show"], onTheDay: true },
  { status: "completed", label: "Mark completed", from: ["pending", "confirmed", "arrived"], onTheDay: true },
  { status: "no-show", label: "Mark no-show", from: ["pending", "confirmed"], onTheDay: true },
  { status: "pending", label: "Back to pending", from: ["confirmed", "arrived"] },
  { status: "pending", label: "Book again", from: ["cancelled", "no-show"] },
];

/** ISO weekday (1 = Monday … 7 = Sunday), as the clinic's hours name them. */
export function isoWeekday(date: string): number {
  const { y, m, d } = parse(date);
  const day = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return day === 0 ? 7 : day;
}

/**
 * The open intervals (minutes) of a date: the dentist's own hours when they have any, else the
 * clinic's; null when no hours are set (no opening-hours rule: open all day).
 */
export function openIntervals(date: string, hours: ScheduleHours | null, dentistId?: string): { start: number; end: number }[] | null {
  if (!hours) return null;
  const own = dentistId ? hours.dentists.find((d) => d.dentistId === dentistId)?.intervals : undefined;
  const list = own && own.length > 0 ? own : hours.clinic;
  if (list.length === 0) return null;
  const weekday = isoWeekday(date);
  return list
    .filter((i) => i.weekday === weekday && i.start && i.end)
    .map((i) => ({ start: minutes(i.start ?? "00:00"), end: minutes(i.end ?? "24:00") }))
    .sort((a, b) => a.start - b.start);
}

/** The closed stretches between first and last given the open intervals (none when open all day). */
export function closedStretches(open: { start: number; end: number }[] | null, first: number, last: number): { start: number; end: number }[] {
  if (!open) return [];
  const closed: { start: number; end: number }[] = [];
  let at = first;
  for (const o of open) {
    if (o.start > at) closed.push({ start: at, end: Math.min(o.start, last) });
    at = Math.max(at, o.end);
  }
  if (at < last) closed.push({ start: at, end: last });
  return closed.filter((c) => c.end > c.start);
}

/** The clinic's closure of a date (dentistId null) and the dentists off that day. */
export function closuresOn(date: string, closures: Closure[]): { clinic: Closure | null; off: Closure[] } {
  const on = closures.filter((c) => c.from <= date && date <= c.to);
  return { clinic: on.find((c) => !c.dentistId) ?? null, off: on.filter((c) => !!c.dentistId) };
}
