// Treatments of one patient (newest first), with create / update / delete. A change also refreshes
// the patient store's account summary when it shows the same patient.
import { create } from "zustand";
import { client, onSessionCleared, unwrap, type Schemas } from "../services/api";
import { idle, runner, type ActionState } from "./actions";
import { usePatientStore } from "./patientStore";

export type Treatment = Schemas["TreatmentDto"];
export type CreateTreatmentInput = Schemas["CreateTreatment"];
export type UpdateTreatmentInput = Schemas["UpdateTreatment"];

export const treatmentActions = ["byPatient", "create", "update", "remove"] as const;
export type TreatmentAction = (typeof treatmentActions)[number];

export interface TreatmentState extends ActionState<TreatmentAction> {
  /** Whose treatments `items` holds. */
  patientId: string | null;
  /** Newest first (date, then id), as the API lists them. */
  items: Treatment[];

  loadByPatient(patientId: string): Promise<Treatment[] | null>;
  /** Records a treatment (admins and dentists); money has at most 2 decimals, `discount` defaults to 0. */
  create(input: CreateTreatmentInput): Promise<Treatment | null>;
  /** Changes any of the fields; missing ones are left unchanged, `notes: ""` clears the notes. */
  update(id: string, input: UpdateTreatmentInput): Promise<Treatment | null>;
  /** Deletes the treatment (DELETE); true when done. */
  remove(id: string): Promise<boolean | null>;

  clearError(action: TreatmentAction): void;
  reset(): void;
}

const initial = () => ({ patientId: null, items: [] as Treatment[], ...idle(treatmentActions) });

/** The API's order: date descending, then id descending (ids are time-ordered). */
const newestFirst = (a: Treatment, b: Treatment) => b.date.localeCompare(a.date) || b.id.localeCompare(a.id);

/** Keeps the patient store's account summary right after a change to this patient's treatments. */
async function refreshAccount(...patientIds: (string | undefined)[]): Promise<void> {
  const current = usePatientStore.getState().current;
  if (current && patientIds.includes(current.id)) await usePatientStore.getState().get(current.id);
}

export const useTreatmentStore = create<TreatmentState>()((set, get) => {
  const actions = runner<TreatmentState, TreatmentAction>(set);

  return {
    ...initial(),

    loadByPatient: (patientId) =>
      actions.run(
        "byPatient",
        () => unwrap(client.GET("/api/treatments/patient/{patientId}", { params: { path: { patientId } } })),
        (items) => ({ patientId, items }),
        { latestOnly: true },
      ),

    create: async (input) => {
      const treatment = await actions.run(
        "create",
        () => unwrap(client.POST("/api/treatments", { body: input })),
        (treatment, state) =>
          state.patientId === treatment.patientId ? { items: [...state.items, treatment].sort(newestFirst) } : {},
      );
      if (treatment) await refreshAccount(treatment.patientId);
      return treatment;
    },

    update: async (id, input) => {
      const before = get().items.find((t) => t.id === id);
      const treatment = await actions.run(
        "update",
        () => unwrap(client.PUT("/api/treatments/{id}", { params: { path: { id } }, body: input })),
        (treatment, state) => ({
          items: state.items
            .filter((t) => t.id !== id)
            .concat(state.patientId === treatment.patientId ? [treatment] : [])
            .sort(newestFirst),
        }),
      );
      if (treatment) await refreshAccount(treatment.patientId, before?.patientId);
      return treatment;
    },

    remove: async (id) => {
      const before = get().items.find((t) => t.id === id);
      const done = await actions.run(
        "remove",
        async () => {
          await unwrap(client.DELETE("/api/treatments/{id}", { params: { path: { id } } }));
          return true;
        },
        (_, state) => ({ items: state.items.filter((t) => t.id !== id) }),
      );
      if (done) await refreshAccount(before?.patientId ?? get().patientId ?? undefined);
      return done;
    },

    clearError: (action) => set((state) => ({ errors: { ...state.errors, [action]: null } })),

    reset: () => {
      actions.invalidate();
      set(initial());
    },
  };
});

onSessionCleared(() => useTreatmentStore.getState().reset());
