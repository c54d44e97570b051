// The calendar's arithmetic: weeks, columns per chair or dentist, lanes, the status changes offered.
import { describe, expect, it } from "vitest";
import {
  addDays, closedStretches, closuresOn, columnsFor, isoWeekday, lanes, openIntervals, statusActions, weekDays, weekStart,
} from "../app/(staff)/calendar/calendarModel";
import type { Chair, DayAppointment, Dentist } from "../store/appointmentStore";

const chair = (id: string, name: string, displayOrder: number): Chair =>
  ({ id, name, color: "#3366CC", displayOrder, archived: false, createdAt: "", updatedAt: "" });
const dentist = (id: string, name: string): Dentist => ({ id, name, calendarColor: null });
const appointment = (id: string, time: string, endTime: string, more: Partial<DayAppointment> = {}) =>
  ({ id, time, endTime, date: "2031-03-05", status: "pending", ...more }) as DayAppointment;

describe("calendar model", () => {
  it("runs weeks Monday to Sunday, across months and years", () => {
    expect(weekStart("2031-03-05")).toBe("2031-03-03"); // a Wednesday
    expect(weekStart("2031-03-09")).toBe("2031-03-03"); // a Sunday
    expect(weekStart("2031-03-03")).toBe("2031-03-03");
    expect(weekDays("2031-01-01")).toEqual(["2030-12-30", "2030-12-31", "2031-01-01", "2031-01-02", "2031-01-03", "2031-01-04", "2031-01-05"]);
    expect(addDays("2032-02-28", 1)).toBe("2032-02-29");
    expect(addDays("2031-03-01", -1)).toBe("2031-02-28");
  });

  it("makes one column without chairs or dentists, and one per chair or dentist otherwise", () => {
    const items = [appointment("a", "09:00", "09:30"), appointment("b", "10:00", "10:30", { chairId: "gone", chairName: "Old chair" })];
    expect(columnsFor("chair", [], [], [])).toEqual([{ key: "none", label: "Appointments" }]);
    expect(columnsFor("chair", items, [chair("c2", "Two", 2), chair("c1", "One", 1)], []).map((c) => c.label))
      .toEqual(["Two", "One", "Old chair", "No chair"]); // the store keeps chairs by display order
    expect(columnsFor("dentist", items, [], [dentist("d1", "Dr A")]).map((c) => [c.key, c.label, c.dentistId]))
      .toEqual([["d1", "Dr A", "d1"], ["none", "No dentist", undefined]]);
  });

  it("puts overlapping appointments side by side", () => {
    const placed = lanes([appointment("a", "09:00", "10:00"), appointment("b", "09:30", "10:00"), appointment("c", "10:00", "10:30")]);
    expect(Object.fromEntries(placed)).toEqual({ a: { lane: 0, of: 2 }, b: { lane: 1, of: 2 }, c: { lane: 0, of: 1 } });
  });

  it("offers only the status changes the API allows", () => {
    const from = (status: string) => statusActions.filter((s) => s.from.includes(status)).map((s) => s.status);
    expect(from("completed")).toEqual([]);
    expect(from("pending")).toEqual(["confirmed", "arrived", "completed", "no-show"]);
    expect(from("arrived")).toEqual(["completed", "pending"]);
    expect(from("cancelled")).toEqual(["pending"]);
  });
});

describe("opening hours and closures on the calendar", () => {
  const hours = {
    clinic: [{ weekday: 1, start: "08:00", end: "12:30" }, { weekday: 1, start: "13:30", end: "18:00" }],
    dentists: [{ dentistId: "d1", intervals: [{ weekday: 2, start: "13:00", end: "20:00" }] }],
  };

  it("shades what is outside the clinic's or the dentist's own hours", () => {
    // 2031-03-03 is a Monday: the lunch break and the evening are closed; with no hours at all, nothing is.
    expect(isoWeekday("2031-03-03")).toBe(1);
    expect(isoWeekday("2031-03-09")).toBe(7);
    expect(closedStretches(openIntervals("2031-03-03", hours), 7 * 60, 19 * 60))
      .toEqual([{ start: 420, end: 480 }, { start: 750, end: 810 }, { start: 1080, end: 1140 }]);
    expect(closedStretches(openIntervals("2031-03-03", { clinic: [], dentists: [] }), 480, 1080)).toEqual([]);
    // Tuesday: the clinic has no hours (closed all day) but dentist d1 works 13:00–20:00.
    expect(closedStretches(openIntervals("2031-03-04", hours), 480, 1080)).toEqual([{ start: 480, end: 1080 }]);
    expect(closedStretches(openIntervals("2031-03-04", hours, "d1"), 480, 1200)).toEqual([{ start: 480, end: 780 }]);
  });

  it("tells the clinic's closures from a dentist's time off", () => {
    const closures = [
      { id: "c", from: "2031-03-03", to: "2031-03-05", dentistId: null, reason: "Holidays", createdAt: "" },
      { id: "t", from: "2031-03-05", to: "2031-03-05", dentistId: "d1", reason: null, createdAt: "" },
    ];
    expect(closuresOn("2031-03-02", closures)).toEqual({ clinic: null, off: [] });
    expect(closuresOn("2031-03-05", closures).clinic?.id).toBe("c");
    expect(closuresOn("2031-03-05", closures).off.map((c) => c.id)).toEqual(["t"]);
  });
});
