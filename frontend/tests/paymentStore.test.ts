import { afterAll, describe, expect, it } from "vitest";
import { auth } from "../services/api";
import { usePatientStore } from "../store/patientStore";
import { usePaymentStore } from "../store/paymentStore";
import { useTreatmentStore } from "../store/treatmentStore";
import { createPatient, createType } from "./fixtures";
import { signInAs, signInAsAdmin } from "./session";

const store = () => usePaymentStore.getState();

describe("payment store", () => {
  afterAll(() => auth.logout());

  it("records payments oldest treatment first, keeps the account and the other stores in step, voids and refunds", async () => {
    await signInAsAdmin();
    const [patient, type] = await Promise.all([createPatient(), createType()]);
    const treatments = useTreatmentStore.getState();
    const older = await treatments.create({ patientId: patient.id, toothNumber: 2, appointmentTypeId: type.id, totalPrice: 100, date: "2030-01-10" });
    const newer = await treatments.create({ patientId: patient.id, toothNumber: 3, appointmentTypeId: type.id, totalPrice: 50.5, date: "2030-02-10" });
    await usePatientStore.getState().get(patient.id);
    await useTreatmentStore.getState().loadByPatient(patient.id);
    await store().loadByPatient(patient.id);
    await store().loadAccount(patient.id);
    expect(store().account).toMatchObject({ charges: 150.5, balance: 150.5, credit: 0 });

    const payment = await store().record({ patientId: patient.id, amount: 120.25, method: "card" });
    expect(payment).toMatchObject({ amount: 120.25, allocated: 120.25, unallocated: 0, status: "active" });
    expect(payment!.allocations.map((a) => [a.treatmentId, a.amount]).sort()).toEqual(
      [[older!.id, 100], [newer!.id, 20.25]].sort(),
    );
    expect(store().items.map((p) => p.id)).toEqual([payment!.id]);
    expect(store().account).toMatchObject({ payments: 120.25, balance: 30.25 });
    expect(usePatientStore.getState().current?.account).toMatchObject({ paid: 120.25, balance: 30.25 });
    expect(useTreatmentStore.getState().items.find((t) => t.id === newer!.id)).toMatchObject({ amountPaid: 20.25, balance: 30.25 });

    // The same idempotency key records once.
    const key = crypto.randomUUID();
    const first = await store().record({ patientId: patient.id, amount: 40, method: "cash" }, key);
    const retry = await store().record({ patientId: patient.id, amount: 40, method: "cash" }, key);
    expect(retry!.id).toBe(first!.id);
    expect(store().account).toMatchObject({ payments: 160.25, credit: 9.75, balance: 0 });

    const refunded = await store().refund(first!.id, 9.75, "Change given", "cash");
    expect(refunded).toMatchObject({ refunded: 9.75, status: "partly-refunded" });
    expect(store().account).toMatchObject({ refunds: 9.75, credit: 0, balance: 0 });

    const voided = await store().void(payment!.id, "Card declined later");
    expect(voided).toMatchObject({ status: "voided", voided: 120.25, allocated: 0 });
    expect(store().account).toMatchObject({ payments: 40, balance: 120.25 });
    expect(usePatientStore.getState().current?.account.balance).toBe(120.25);

    expect(await store().void(payment!.id, "again")).toBeNull();
    expect(store().errors.void).toMatchObject({ status: 409, code: "CONFLICT" });

    const receipt = await store().loadReceipt(first!.id);
    expect(receipt).toMatchObject({ paymentId: first!.id, amount: 40, method: "cash", refunded: 9.75 });
    expect(receipt!.patient.id).toBe(patient.id);

    const takings = await store().loadTakings();
    expect(takings!.total.payments).toBeGreaterThanOrEqual(160.25);
    expect(takings!.byMethod.map((m) => m.method)).toEqual(expect.arrayContaining(["card", "cash"]));
  });

  it("pages through the account's entries and reports errors per action", async () => {
    await signInAsAdmin();
    const [patient, type] = await Promise.all([createPatient(), createType()]);
    for (const day of ["01", "02", "03"])
      await useTreatmentStore.getState().create({ patientId: patient.id, toothNumber: 5, appointmentTypeId: type.id, totalPrice: 10, amountPaid: 10, date: `2030-03-${day}` });
    await store().loadAccount(patient.id);
    const all = store().account!;
    expect(all.data).toHaveLength(6);

    const api = await import("../services/api");
    const firstPage = await api.unwrap(api.client.GET("/api/patients/{id}/account", { params: { path: { id: patient.id }, query: { limit: 4 } } }));
    usePaymentStore.setState({ account: firstPage });
    await store().loadMoreEntries();
    expect(store().account!.data.map((e) => `${e.kind}:${e.id}`)).toEqual(all.data.map((e) => `${e.kind}:${e.id}`));
    expect(store().account!.pagination.hasMore).toBe(false);

    expect(await store().record({ patientId: patient.id, amount: 1.005, method: "cash" })).toBeNull();
    expect(store().errors.record?.fieldMessage("amount")).toBeTruthy();

    await signInAs("staff");
    expect(await store().record({ patientId: patient.id, amount: 5, method: "transfer" })).not.toBeNull();
    expect(await store().loadTakings()).toBeNull();
    expect(store().errors.takings).toMatchObject({ status: 403, code: "FORBIDDEN" });
    expect(await store().refund(store().items[0]?.id ?? crypto.randomUUID(), 1, "no")).toBeNull();
    expect(store().errors.refund).toMatchObject({ status: 403 });
  });
});
