import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auth } from "../services/api";
import { usePatientStore } from "../store/patientStore";
import { useTreatmentStore } from "../store/treatmentStore";
import { createPatient, createType } from "./fixtures";
import { signInAsAdmin } from "./session";

const store = () => useTreatmentStore.getState();

describe("treatment store", () => {
  beforeAll(signInAsAdmin);
  afterAll(() => auth.logout());

  it("records treatments and shows their balance and the patient's account", async () => {
    const [patient, type] = await Promise.all([createPatient(), createType()]);
    await usePatientStore.getState().get(patient.id);
    await store().loadByPatient(patient.id);
    expect(store().patientId).toBe(patient.id);
    expect(store().items).toEqual([]);

    const crown = await store().create({
      patientId: patient.id, toothNumber: 14, appointmentTypeId: type.id,
      totalPrice: 1200.5, amountPaid: 300.25, discount: 100.1, date: "2030-03-02", notes: "crown",
    });
    expect(crown).toMatchObject({ toothNumber: 14, totalPrice: 1200.5, amountPaid: 300.25, discount: 100.1, balance: 800.15 });
    const filling = await store().create({
      patientId: patient.id, toothNumber: 3, appointmentTypeId: type.id, totalPrice: 0.3, amountPaid: 0.1, date: "2030-05-01",
    });
    expect(filling).toMatchObject({ discount: 0, balance: 0.2 });

    // Newest first, and the patient store's account follows.
    expect(store().items.map((t) => t.id)).toEqual([filling!.id, crown!.id]);
    expect(usePatientStore.getState().current?.account).toEqual({ totalBilled: 1200.8, discounts: 100.1, paid: 300.35, balance: 800.35 });

    await store().loadByPatient(patient.id);
    expect(store().items.map((t) => t.balance)).toEqual([0.2, 800.15]);
  });

  it("updates and deletes a treatment", async () => {
    const [patient, type] = await Promise.all([createPatient(), createType()]);
    await usePatientStore.getState().get(patient.id);
    await store().loadByPatient(patient.id);
    const treatment = await store().create({ patientId: patient.id, toothNumber: 30, appointmentTypeId: type.id, totalPrice: 250, amountPaid: 0, date: "2030-01-10" });

    const paid = await store().update(treatment!.id, { amountPaid: 250, notes: "paid in full" });
    expect(paid).toMatchObject({ amountPaid: 250, balance: 0, notes: "paid in full", toothNumber: 30 });
    expect(store().items[0]).toMatchObject({ id: treatment!.id, balance: 0 });
    expect(usePatientStore.getState().current?.account.balance).toBe(0);

    expect(await store().update(treatment!.id, { toothNumber: 33 })).toBeNull();
    expect(store().errors.update).toMatchObject({ status: 400, code: "VALIDATION_ERROR" });
    expect(store().errors.update?.fieldMessage("toothNumber")).toBeTruthy();

    expect(await store().remove(treatment!.id)).toBe(true);
    expect(store().items).toEqual([]);
    expect(usePatientStore.getState().current?.account.totalBilled).toBe(0);

    expect(await store().remove(treatment!.id)).toBeNull();
    expect(store().errors.remove).toMatchObject({ status: 404, code: "NOT_FOUND" });
  });

  it("rejects money with more than 2 decimals", async () => {
    const [patient, type] = await Promise.all([createPatient(), createType()]);
    const created = await store().create({ patientId: patient.id, toothNumber: 1, appointmentTypeId: type.id, totalPrice: 10.005, amountPaid: 0, date: "2030-01-01" });
    expect(created).toBeNull();
    expect(store().errors.create).toMatchObject({ status: 400, code: "VALIDATION_ERROR" });
    expect(store().errors.create?.fieldMessage("totalPrice")).toBeTruthy();
  });
});
