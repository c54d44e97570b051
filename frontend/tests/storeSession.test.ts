import { afterEach, describe, expect, it } from "vitest";
import { auth } from "../services/api";
import { tokenStore } from "../services/tokenStore";
import { patientActions, usePatientStore } from "../store/patientStore";
import { appointmentActions, useAppointmentStore } from "../store/appointmentStore";
import { treatmentActions, useTreatmentStore } from "../store/treatmentStore";
import { settingsActions, useSettingsStore } from "../store/settingsStore";
import { createPatient, createType, randomFutureDate } from "./fixtures";
import { accessTokenSeconds, signInAsAdmin, sleep } from "./session";

const noneLoading = (actions: readonly string[]) => Object.fromEntries(actions.map((a) => [a, false]));
const noErrors = (actions: readonly string[]) => Object.fromEntries(actions.map((a) => [a, null]));

describe("stores and the session", () => {
  afterEach(() => auth.logout());

  it("refreshes the token when it expires in the middle of store use", async () => {
    await signInAsAdmin();
    const patient = await createPatient();
    const type = await createType();
    const date = randomFutureDate();
    await useAppointmentStore.getState().loadByDate(date);
    const accessToken = tokenStore.get()!.accessToken;
    const refreshes = auth.refreshCount();

    await sleep((accessTokenSeconds + 1) * 1000);

    // Several stores at once on an expired token: one refresh, every call succeeds.
    const [found, booked, treatments, settings] = await Promise.all([
      usePatientStore.getState().search(patient.lastName),
      useAppointmentStore.getState().create({ patientId: patient.id, appointmentTypeId: type.id, date, time: "10:00" }),
      useTreatmentStore.getState().loadByPatient(patient.id),
      useSettingsStore.getState().load(),
    ]);

    expect(found?.map((p) => p.id)).toEqual([patient.id]);
    expect(booked).not.toBeNull();
    expect(treatments).toEqual([]);
    expect(settings).not.toBeNull();
    expect(auth.refreshCount()).toBe(refreshes + 1);
    expect(tokenStore.get()!.accessToken).not.toBe(accessToken);
    for (const state of [usePatientStore.getState(), useAppointmentStore.getState(), useTreatmentStore.getState(), useSettingsStore.getState()]) {
      expect(Object.values(state.errors).filter((e) => e !== null)).toEqual([]);
    }
    expect(useAppointmentStore.getState().day.map((a) => a.id)).toEqual([booked!.id]);
  });

  it("surfaces a 401 in the store when the session cannot be refreshed", async () => {
    await signInAsAdmin();
    tokenStore.set({ accessToken: "not-a-token", refreshToken: "not-a-refresh-token" });
    expect(await usePatientStore.getState().search("anything")).toBeNull();
    expect(usePatientStore.getState().errors.search).toMatchObject({ status: 401, code: "UNAUTHORIZED" });
    expect(auth.isSignedIn()).toBe(false);
  });

  it("a new login empties the stores of the previous session", async () => {
    await signInAsAdmin();
    const patient = await createPatient();
    await usePatientStore.getState().search(patient.lastName);
    expect(usePatientStore.getState().results.map((p) => p.id)).toEqual([patient.id]);

    await signInAsAdmin();

    expect(usePatientStore.getState().results).toEqual([]);
  });

  it("logout empties every store", async () => {
    await signInAsAdmin();
    const patient = await createPatient();
    const type = await createType();
    const date = randomFutureDate();
    await usePatientStore.getState().search(patient.lastName);
    await usePatientStore.getState().get(patient.id);
    await useAppointmentStore.getState().loadByDate(date);
    await useAppointmentStore.getState().create({ patientId: patient.id, appointmentTypeId: type.id, date, time: "12:00" });
    await useAppointmentStore.getState().loadRange({ from: date, to: date });
    await useTreatmentStore.getState().loadByPatient(patient.id);
    await useTreatmentStore.getState().create({ patientId: patient.id, toothNumber: 8, appointmentTypeId: type.id, totalPrice: 10, amountPaid: 0, date: "2030-01-01" });
    await useSettingsStore.getState().load();
    await usePatientStore.getState().get("0190a0a0-0000-7000-8000-000000000000"); // an error to clear too
    expect(usePatientStore.getState().results).toHaveLength(1);
    expect(usePatientStore.getState().errors.get).not.toBeNull();
    expect(useAppointmentStore.getState().day).toHaveLength(1);
    expect(useTreatmentStore.getState().errors.create).toBeNull();
    expect(useTreatmentStore.getState().items).toHaveLength(1);
    expect(useSettingsStore.getState().settings).not.toBeNull();

    // A search still under way at logout must not fill the store afterwards.
    const late = usePatientStore.getState().search(patient.lastName);
    await auth.logout();
    await late;

    expect(auth.isSignedIn()).toBe(false);
    expect(usePatientStore.getState()).toMatchObject({
      query: "", results: [], nextCursor: null, hasMore: false, current: null,
      loading: noneLoading(patientActions), errors: noErrors(patientActions),
    });
    expect(useAppointmentStore.getState()).toMatchObject({
      date: null, day: [], rangeFilter: null, rangeItems: [], rangeNextCursor: null, types: [],
      loading: noneLoading(appointmentActions), errors: noErrors(appointmentActions),
    });
    expect(useTreatmentStore.getState()).toMatchObject({
      patientId: null, items: [], loading: noneLoading(treatmentActions), errors: noErrors(treatmentActions),
    });
    expect(useSettingsStore.getState()).toMatchObject({
      settings: null, logo: null, uploadProgress: null, loading: noneLoading(settingsActions), errors: noErrors(settingsActions),
    });
  });
});
