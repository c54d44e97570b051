import { afterAll, describe, expect, it } from "vitest";
import { auth } from "../services/api";
import { usePatientStore } from "../store/patientStore";
import { useAppointmentStore } from "../store/appointmentStore";
import { useSettingsStore } from "../store/settingsStore";
import { useTreatmentStore } from "../store/treatmentStore";
import { createPatient, createType, tinyPng } from "./fixtures";
import { signInAs, signInAsAdmin } from "./session";

describe("stores as staff", () => {
  afterAll(() => auth.logout());

  it("shows what staff may not do as typed 403 errors, per action", async () => {
    await signInAsAdmin();
    const type = await createType();
    await signInAs("staff");

    // Staff read and write patients and appointments…
    const patient = await createPatient();
    expect(await usePatientStore.getState().get(patient.id)).not.toBeNull();
    expect(await useAppointmentStore.getState().loadTypes()).not.toBeNull();
    expect(await useSettingsStore.getState().load()).not.toBeNull();

    // …but do not archive patients, write types or treatments, change settings or the logo.
    expect(await usePatientStore.getState().archive(patient.id)).toBeNull();
    expect(usePatientStore.getState().errors.archive).toMatchObject({ status: 403, code: "FORBIDDEN" });
    expect(usePatientStore.getState().errors.get).toBeNull();

    expect(await useAppointmentStore.getState().createType({ name: "Nope", price: 1, duration: 30, color: "#000000" })).toBeNull();
    expect(useAppointmentStore.getState().errors.createType).toMatchObject({ status: 403, code: "FORBIDDEN" });

    expect(await useTreatmentStore.getState().create({ patientId: patient.id, toothNumber: 1, appointmentTypeId: type.id, totalPrice: 1, amountPaid: 0, date: "2030-01-01" })).toBeNull();
    expect(useTreatmentStore.getState().errors.create).toMatchObject({ status: 403, code: "FORBIDDEN" });

    expect(await useSettingsStore.getState().update({ clinicName: "Nope" })).toBeNull();
    expect(useSettingsStore.getState().errors.update).toMatchObject({ status: 403, code: "FORBIDDEN" });
    expect(await useSettingsStore.getState().uploadLogo(new Blob([tinyPng()]))).toBeNull();
    expect(useSettingsStore.getState().errors.uploadLogo).toMatchObject({ status: 403, code: "FORBIDDEN" });
  });

  it("reports a tampered cursor as a 400 in errors.nextPage and keeps the results", async () => {
    await signInAsAdmin();
    const patient = await createPatient();
    await usePatientStore.getState().search(patient.lastName);
    usePatientStore.setState({ nextCursor: "tampered-cursor", hasMore: true });
    expect(await usePatientStore.getState().nextPage()).toBeNull();
    expect(usePatientStore.getState().errors.nextPage).toMatchObject({ status: 400, code: "BAD_REQUEST" });
    expect(usePatientStore.getState().results.map((p) => p.id)).toEqual([patient.id]);
  });
});
