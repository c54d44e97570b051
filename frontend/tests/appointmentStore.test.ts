import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiError, auth } from "../services/api";
import { useAppointmentStore } from "../store/appointmentStore";
import { createPatient, createType, randomFutureDate } from "./fixtures";
import { signInAsAdmin, unique } from "./session";

const store = () => useAppointmentStore.getState();

describe("appointment store", () => {
  beforeAll(signInAsAdmin);
  afterAll(() => auth.logout());

  it("manages appointment types: create, list, update, archive", async () => {
    const type = await createType(45);
    expect(type).toMatchObject({ price: 80, duration: 45, archived: false });
    expect(store().types.some((t) => t.id === type.id)).toBe(true);

    await store().loadTypes();
    expect(store().loading.types).toBe(false);
    expect(store().types.find((t) => t.id === type.id)?.name).toBe(type.name);
    const names = store().types.map((t) => t.name);
    expect(names.length).toBeGreaterThan(0);

    const renamed = `${type.name} deep`;
    const updated = await store().updateType(type.id, { name: renamed, price: 95.5 });
    expect(updated).toMatchObject({ name: renamed, price: 95.5, duration: 45 });
    expect(store().types.find((t) => t.id === type.id)?.price).toBe(95.5);

    expect(await store().archiveType(type.id)).toBe(true);
    expect(store().types.some((t) => t.id === type.id)).toBe(false);
    await store().loadTypes();
    expect(store().types.some((t) => t.id === type.id)).toBe(false);

    await store().createType({ name: "", price: -1, duration: 1, color: "blue" });
    expect(store().errors.createType).toMatchObject({ status: 400, code: "VALIDATION_ERROR" });
    expect(store().errors.createType?.fieldMessage("duration")).toBeTruthy();
  });

  it("books an appointment and lists the day with patient and type", async () => {
    const [patient, type] = await Promise.all([createPatient(), createType(30)]);
    const date = randomFutureDate();
    await store().loadByDate(date);
    expect(store().date).toBe(date);
    expect(store().day).toEqual([]);

    const booked = await store().create({ patientId: patient.id, appointmentTypeId: type.id, date, time: "09:30", notes: "first visit" });
    expect(booked).toMatchObject({ patientId: patient.id, date, time: "09:30", status: "pending" });
    expect(store().errors.create).toBeNull();

    // The day shown is re-read after booking: it has what a calendar shows.
    expect(store().day).toHaveLength(1);
    expect(store().day[0]).toMatchObject({
      id: booked!.id, time: "09:30", endTime: "10:00", status: "pending", notes: "first visit",
      patientName: `${patient.firstName} ${patient.lastName}`, appointmentTypeName: type.name,
      appointmentTypeColor: type.color, appointmentTypeDuration: 30,
    });

    const confirmed = await store().updateStatus(booked!.id, "confirmed");
    expect(confirmed?.status).toBe("confirmed");
    expect(store().day[0]?.status).toBe("confirmed");

    const moved = await store().update(booked!.id, { time: "11:00" });
    expect(moved?.time).toBe("11:00");
    expect(store().day[0]).toMatchObject({ time: "11:00", endTime: "11:30" });
  });

  it("surfaces an overlapping booking as a typed 409 in errors.create", async () => {
    const [patient, other, type] = await Promise.all([createPatient(), createPatient(), createType(60)]);
    const date = randomFutureDate();
    await store().loadByDate(date);
    const first = await store().create({ patientId: patient.id, appointmentTypeId: type.id, date, time: "14:00" });
    expect(first).not.toBeNull();

    const clash = await store().create({ patientId: other.id, appointmentTypeId: type.id, date, time: "14:30" });
    expect(clash).toBeNull();
    const error = store().errors.create;
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 409, code: "CONFLICT" });
    expect(error?.message).toBeTruthy();
    expect(store().loading.create).toBe(false);
    expect(store().day.map((a) => a.id)).toEqual([first!.id]);

    // A later success clears the action's error; allowOverlap books anyway.
    const forced = await store().create({ patientId: other.id, appointmentTypeId: type.id, date, time: "14:30", allowOverlap: true });
    expect(forced).not.toBeNull();
    expect(store().errors.create).toBeNull();
    expect(store().day).toHaveLength(2);

    // Moving onto a taken slot is a 409 too, in errors.update.
    const third = await store().create({ patientId: other.id, appointmentTypeId: type.id, date, time: "16:00" });
    expect(await store().update(third!.id, { time: "14:15" })).toBeNull();
    expect(store().errors.update).toMatchObject({ status: 409, code: "CONFLICT" });
  });

  it("cancels with a reason: the appointment stays, cancelled, and frees its slot", async () => {
    const [patient, other, type] = await Promise.all([createPatient(), createPatient(), createType(30)]);
    const date = randomFutureDate();
    await store().loadByDate(date);
    const booked = await store().create({ patientId: patient.id, appointmentTypeId: type.id, date, time: "08:00" });

    expect(await store().cancel(booked!.id, "Patient phoned")).toBe(true);
    expect(store().day.find((a) => a.id === booked!.id)).toMatchObject({ status: "cancelled", cancelReason: "Patient phoned" });
    await store().loadByDate(date);
    expect(store().day.find((a) => a.id === booked!.id)).toMatchObject({ status: "cancelled", cancelReason: "Patient phoned" });

    const rebooked = await store().create({ patientId: other.id, appointmentTypeId: type.id, date, time: "08:00" });
    expect(rebooked).not.toBeNull();
    expect(store().errors.create).toBeNull();

    expect(await store().cancel("0190a0a0-0000-7000-8000-000000000000")).toBeNull();
    expect(store().errors.cancel).toMatchObject({ status: 404, code: "NOT_FOUND" });
  });

  it("removes an appointment entered in error: gone from the day and the range", async () => {
    const [patient, type] = await Promise.all([createPatient(), createType(30)]);
    const date = randomFutureDate();
    await store().loadByDate(date);
    const wrong = await store().create({ patientId: patient.id, appointmentTypeId: type.id, date, time: "10:00" });
    await store().loadRange({ from: date, to: date, patientId: patient.id });
    expect(store().rangeItems.map((a) => a.id)).toEqual([wrong!.id]);

    expect(await store().remove(wrong!.id)).toBe(true);
    expect(store().day).toEqual([]);
    expect(store().rangeItems).toEqual([]);
    await store().loadByDate(date);
    expect(store().day).toEqual([]);
    expect(await store().remove(wrong!.id)).toBeNull();
    expect(store().errors.remove).toMatchObject({ status: 404, code: "NOT_FOUND" });
  });

  it("moves an appointment through arrived and completed, refusing impossible moves", async () => {
    const [patient, type] = await Promise.all([createPatient(), createType(30)]);
    const past = `19${60 + Math.floor(Math.random() * 30)}-0${1 + Math.floor(Math.random() * 9)}-1${Math.floor(Math.random() * 9)}`;
    const booked = await store().create({ patientId: patient.id, appointmentTypeId: type.id, date: past, time: "09:00", allowOverlap: true });
    expect((await store().updateStatus(booked!.id, "arrived"))?.status).toBe("arrived");
    expect((await store().updateStatus(booked!.id, "completed"))?.status).toBe("completed");
    expect(await store().updateStatus(booked!.id, "pending")).toBeNull();
    expect(store().errors.updateStatus).toMatchObject({ status: 400, code: "VALIDATION_ERROR" });
    expect(store().errors.updateStatus?.fieldMessage("status")).toBeTruthy();
  });

  it("lists a date range page by page", async () => {
    const [patient, type] = await Promise.all([createPatient(), createType(15)]);
    const date = randomFutureDate();
    const times = ["08:00", "09:00", "10:00", "11:00", "12:00"];
    for (const time of times) await store().create({ patientId: patient.id, appointmentTypeId: type.id, date, time });

    await store().loadRange({ from: date, to: date, patientId: patient.id, limit: 2 });
    expect(store().rangeItems.map((a) => a.time)).toEqual(["08:00", "09:00"]);
    expect(store().rangeHasMore).toBe(true);
    await store().nextRangePage();
    await store().nextRangePage();
    expect(store().rangeItems.map((a) => a.time)).toEqual(times);
    expect(store().rangeHasMore).toBe(false);
    expect(store().rangeNextCursor).toBeNull();

    // A complete range takes a new booking in order; a status change shows in it.
    const extra = await store().create({ patientId: patient.id, appointmentTypeId: type.id, date, time: "08:30" });
    expect(store().rangeItems.map((a) => a.time)).toEqual(["08:00", "08:30", "09:00", "10:00", "11:00", "12:00"]);
    await store().updateStatus(extra!.id, "confirmed");
    expect(store().rangeItems.find((a) => a.id === extra!.id)?.status).toBe("confirmed");

    await store().loadRange({ from: date, to: "not-a-date" });
    expect(store().errors.range).toMatchObject({ status: 400 });
  });

  it("rejects a bad date for the day view", async () => {
    const before = store().date;
    expect(await store().loadByDate(unique("x"))).toBeNull();
    expect(store().errors.byDate).toMatchObject({ status: 400, code: "VALIDATION_ERROR" });
    expect(store().date).toBe(before);
  });
});
