import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiError, auth } from "../services/api";
import { usePatientStore } from "../store/patientStore";
import { createPatient, randomName, randomPhone } from "./fixtures";
import { signInAsAdmin } from "./session";

const store = () => usePatientStore.getState();

describe("patient store", () => {
  beforeAll(signInAsAdmin);
  afterAll(() => auth.logout());

  it("creates a patient and finds it by name", async () => {
    const lastName = randomName("Zzpat");
    const created = await store().create({ firstName: "Émilie", lastName, mobileNumber: randomPhone(), email: `${lastName}@example.com`, dateOfBirth: "1990-04-02" });
    expect(created).not.toBeNull();
    expect(store().errors.create).toBeNull();
    expect(store().loading.create).toBe(false);

    const search = store().search(lastName.slice(0, 8));
    expect(store().loading.search).toBe(true);
    const results = await search;

    expect(store().loading.search).toBe(false);
    expect(results?.map((p) => p.id)).toContain(created!.id);
    expect(store().query).toBe(lastName.slice(0, 8));
    expect(store().results.find((p) => p.id === created!.id)).toMatchObject({ firstName: "Émilie", lastName, dateOfBirth: "1990-04-02" });
  });

  it("keeps a patient's postal address and emergency contact", async () => {
    const lastName = randomName("Zzadr");
    const created = await store().create({
      firstName: "Ana", lastName, mobileNumber: randomPhone(),
      address: "12 Harbour Road\nFlat 3\nPortsmouth", emergencyContactName: "Rui Lima", emergencyContactPhone: "+44 7911 123456",
    });
    expect(created).toMatchObject({ address: "12 Harbour Road\nFlat 3\nPortsmouth", emergencyContactName: "Rui Lima", emergencyContactPhone: "+44 7911 123456" });

    const updated = await store().update(created!.id, { firstName: "Ana", lastName, mobileNumber: created!.mobileNumber, emergencyContactPhone: "not a phone" });
    expect(updated).toBeNull();
    expect(store().errors.update?.fieldMessage("emergencyContactPhone")).toMatch(/not a valid phone number/);

    const cleared = await store().update(created!.id, { firstName: "Ana", lastName, mobileNumber: created!.mobileNumber });
    expect(cleared).toMatchObject({ address: null, emergencyContactName: null, emergencyContactPhone: null });
  });

  it("pages through results with nextPage, appending", async () => {
    const family = randomName("Zzfam");
    const ids = new Set<string>();
    for (let i = 0; i < 5; i++) ids.add((await createPatient(`${family}${"abcde"[i]}`)).id);

    await store().search(family, { limit: 2 });
    expect(store().results).toHaveLength(2);
    expect(store().hasMore).toBe(true);
    expect(store().nextCursor).toBeTruthy();

    await store().nextPage();
    expect(store().results).toHaveLength(4);
    await store().nextPage();
    expect(store().results).toHaveLength(5);
    expect(store().hasMore).toBe(false);
    expect(store().nextCursor).toBeNull();
    expect(new Set(store().results.map((p) => p.id))).toEqual(ids);
    // Ordered by last name when searching a shared prefix of equally good matches.
    expect(store().results.map((p) => p.lastName)).toEqual([...store().results.map((p) => p.lastName)].sort());

    // Nothing more to fetch: nextPage is a no-op.
    await store().nextPage();
    expect(store().results).toHaveLength(5);
  });

  it("gets a patient with the account summary, updates and archives it", async () => {
    const patient = await createPatient();
    const details = await store().get(patient.id);
    expect(details?.account).toEqual({ totalBilled: 0, discounts: 0, paid: 0, balance: 0 });
    expect(store().current?.id).toBe(patient.id);

    await store().search(patient.lastName);
    const updated = await store().update(patient.id, { firstName: "Beatriz", lastName: patient.lastName, mobileNumber: patient.mobileNumber });
    expect(updated?.firstName).toBe("Beatriz");
    expect(store().current).toMatchObject({ firstName: "Beatriz", account: { balance: 0 } });
    expect(store().results.find((p) => p.id === patient.id)?.firstName).toBe("Beatriz");

    expect(await store().archive(patient.id)).toBe(true);
    expect(store().results.some((p) => p.id === patient.id)).toBe(false);
    expect(store().current).toBeNull();

    await store().search(patient.lastName);
    expect(store().results.some((p) => p.id === patient.id)).toBe(false);
  });

  it("keeps typed errors per action: validation, conflict, not found", async () => {
    const invalid = await store().create({ firstName: "", lastName: "X", mobileNumber: "12" });
    expect(invalid).toBeNull();
    const error = store().errors.create;
    expect(error).toBeInstanceOf(ApiError);
    expect(error?.status).toBe(400);
    expect(error?.code).toBe("VALIDATION_ERROR");
    expect(error?.fieldMessage("firstName")).toBeTruthy();
    expect(error?.fieldMessage("mobileNumber")).toBeTruthy();

    const existing = await createPatient();
    expect(store().errors.create).toBeNull();
    await store().create({ firstName: "Other", lastName: randomName("Dup"), mobileNumber: existing.mobileNumber });
    expect(store().errors.create).toMatchObject({ status: 409, code: "CONFLICT" });

    expect(await store().get("0190a0a0-0000-7000-8000-000000000000")).toBeNull();
    expect(store().errors.get).toMatchObject({ status: 404, code: "NOT_FOUND" });
    expect(store().errors.search).toBeNull();

    store().clearError("get");
    expect(store().errors.get).toBeNull();
  });

  it("drops the answer of a superseded search", async () => {
    const patient = await createPatient();
    const first = store().search("zzzz-nobody-has-this-name");
    const second = store().search(patient.lastName);
    await Promise.all([first, second]);
    expect(store().query).toBe(patient.lastName);
    expect(store().results.map((p) => p.id)).toEqual([patient.id]);
  });
});
