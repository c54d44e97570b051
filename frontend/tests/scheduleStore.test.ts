// Dentists, chairs, hours, closures, free slots and the multi-day calendar through the appointment store.
// These tests configure the clinic (chairs, opening hours): each puts it back as it found it, and
// files run one at a time, so other tests never see the configuration.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { auth, client, unwrap } from "../services/api";
import { useAppointmentStore } from "../store/appointmentStore";
import { createPatient, createType, randomFutureDate } from "./fixtures";
import { signInAsAdmin, unique } from "./session";

const store = () => useAppointmentStore.getState();

/** A Monday far in the future (2031–2090). */
function randomMonday(): string {
  const date = new Date(`${randomFutureDate()}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + ((8 - date.getUTCDay()) % 7));
  return date.toISOString().slice(0, 10);
}

const addDays = (date: string, days: number) => {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

async function createDentist(name: string) {
  return unwrap(client.POST("/api/users", {
    body: { name, email: `${unique("dentist")}@clinic.test`, role: "dentist", password: "Dentist-password-1", calendarColor: "#22AA66" },
  }));
}

describe("schedule through the appointment store", () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  beforeAll(signInAsAdmin);
  afterEach(async () => {
    while (cleanup.length) await cleanup.pop()!();
  });
  afterAll(() => auth.logout());

  it("lists dentists with their colour and manages chairs", async () => {
    const dentist = await createDentist("Dr Store");
    cleanup.push(() => unwrap(client.PUT("/api/users/{id}", { params: { path: { id: dentist.id } }, body: { active: false } })));
    await store().loadDentists();
    expect(store().dentists.find((d) => d.id === dentist.id)).toEqual({ id: dentist.id, name: "Dr Store", calendarColor: "#22AA66" });

    const second = await store().createChair({ name: unique("Chair B "), color: "#112233", displayOrder: 2 });
    const first = await store().createChair({ name: unique("Chair A "), color: "#445566", displayOrder: 1 });
    cleanup.push(() => store().deleteChair(second!.id), () => store().deleteChair(first!.id));
    expect(store().chairs.filter((c) => c.id === first!.id || c.id === second!.id).map((c) => c.id)).toEqual([first!.id, second!.id]);
    await store().loadChairs();
    expect(store().chairs.some((c) => c.id === first!.id)).toBe(true);

    const renamed = await store().updateChair(second!.id, { displayOrder: 0 });
    expect(renamed?.displayOrder).toBe(0);
    expect(store().chairs.findIndex((c) => c.id === second!.id)).toBeLessThan(store().chairs.findIndex((c) => c.id === first!.id));

    await store().createChair({ name: first!.name, color: "#445566" });
    expect(store().errors.createChair).toMatchObject({ status: 409, code: "CONFLICT" });
    await store().createChair({ name: "", color: "blue" });
    expect(store().errors.createChair?.fieldMessage("color")).toBeTruthy();

    expect(await store().deleteChair(second!.id)).toBe(true);
    expect(store().chairs.some((c) => c.id === second!.id)).toBe(false);
    cleanup.splice(0, 1);
  });

  it("sets hours and closures, and the rules refuse a booking outside them with the rule named", async () => {
    const [patient, type] = await Promise.all([createPatient(), createType(60)]);
    const monday = randomMonday();
    cleanup.push(() => store().setClinicHours([]));
    const hours = await store().setClinicHours([{ weekday: 1, start: "08:00", end: "12:00" }]);
    expect(hours?.clinic).toEqual([{ weekday: 1, start: "08:00", end: "12:00" }]);
    await store().setClinicHours([{ weekday: 1, start: "12:00", end: "08:00" }]);
    expect(store().errors.setClinicHours?.fieldMessage("intervals[0].end")).toBeTruthy();
    await store().loadHours();
    expect(store().hours?.clinic).toHaveLength(1);

    expect(await store().create({ patientId: patient.id, appointmentTypeId: type.id, date: monday, time: "11:30" })).toBeNull();
    expect(store().errors.create).toMatchObject({ status: 409, code: "CONFLICT" });
    expect(store().errors.create?.fieldMessage("rule")).toBe("clinicHours");

    const closure = await store().createClosure({ from: monday, to: monday, reason: "Holiday" });
    cleanup.push(() => store().deleteClosure(closure!.id));
    expect(store().closures.map((c) => c.id)).toContain(closure!.id);
    expect(await store().create({ patientId: patient.id, appointmentTypeId: type.id, date: monday, time: "09:00" })).toBeNull();
    expect(store().errors.create?.fieldMessage("rule")).toBe("closure");
    await store().loadClosures(monday, monday);
    expect(store().closures.map((c) => c.id)).toEqual([closure!.id]);

    expect(await store().deleteClosure(closure!.id)).toBe(true);
    cleanup.pop();
    expect(await store().create({ patientId: patient.id, appointmentTypeId: type.id, date: monday, time: "09:00" })).not.toBeNull();
  });

  it("finds free slots that book, and shows several days in one calendar", async () => {
    const [patient, type] = await Promise.all([createPatient(), createType(60)]);
    const monday = randomMonday();
    cleanup.push(() => store().setClinicHours([]));
    await store().setClinicHours([{ weekday: 1, start: "09:00", end: "11:00" }, { weekday: 2, start: "09:00", end: "10:00" }]);

    const slots = await store().loadAvailability({ appointmentTypeId: type.id, from: monday, to: addDays(monday, 2) });
    expect(slots?.map((s) => `${s.date} ${s.time}`)).toEqual([
      `${monday} 09:00`, `${monday} 09:15`, `${monday} 09:30`, `${monday} 09:45`, `${monday} 10:00`, `${addDays(monday, 1)} 09:00`,
    ]);
    expect(store().slots).toEqual(slots);

    const booked = await store().create({ patientId: patient.id, appointmentTypeId: type.id, date: monday, time: slots![0]!.time });
    expect(booked).not.toBeNull();
    const after = await store().loadAvailability({ appointmentTypeId: type.id, from: monday, to: addDays(monday, 2) });
    expect(after?.map((s) => `${s.date} ${s.time}`)).toEqual([`${monday} 10:00`, `${addDays(monday, 1)} 09:00`]);

    const tuesday = await store().create({ patientId: patient.id, appointmentTypeId: type.id, date: addDays(monday, 1), time: "09:00" });
    const calendar = await store().loadCalendar({ from: monday, to: addDays(monday, 6) });
    expect(calendar?.map((a) => a.id)).toEqual([booked!.id, tuesday!.id]);
    expect(store().calendar[0]).toMatchObject({ date: monday, time: "09:00", endTime: "10:00", appointmentTypeName: type.name });

    // A change to a day the calendar shows is re-read into it.
    await store().cancel(tuesday!.id, "ill");
    await store().update(booked!.id, { time: "10:00" });
    expect(store().calendar.map((a) => [a.id, a.time, a.status])).toEqual([[booked!.id, "10:00", "pending"], [tuesday!.id, "09:00", "cancelled"]]);

    await store().loadCalendar({ from: monday, to: addDays(monday, 40) });
    expect(store().errors.calendar).toMatchObject({ status: 400, code: "VALIDATION_ERROR" });
  });
});
