// Patients: the search list (query, results, cursor paging), the patient being viewed (with the
// account summary of their treatments), and create / update / archive.
import { create } from "zustand";
import { client, onSessionCleared, unwrap, type Schemas } from "../services/api";
import type { paths } from "../services/schema";
import { idle, runner, type ActionState } from "./actions";

export type Patient = Schemas["PatientDto"];
export type PatientDetails = Schemas["PatientDetailsDto"];
export type PatientAccount = Schemas["PatientAccount"];
export type CreatePatientInput = Schemas["CreatePatient"];
export type UpdatePatientInput = Schemas["UpdatePatient"];
/** `search`, `limit` (page size, at most 100) and, for admins, `archived`. The cursor is the store's business. */
export type PatientSearch = Omit<NonNullable<paths["/api/patients"]["get"]["parameters"]["query"]>, "cursor">;

export const patientActions = ["search", "nextPage", "lookup", "get", "create", "update", "archive"] as const;
export type PatientAction = (typeof patientActions)[number];

export interface PatientState extends ActionState<PatientAction> {
  /** The search text of the shown results ("" lists every patient by name). */
  query: string;
  /** The other parameters of the shown results (page size, archived). */
  filter: Omit<PatientSearch, "search">;
  results: Patient[];
  /** The cursor of the next page; null when the results are complete. */
  nextCursor: string | null;
  hasMore: boolean;
  /** The patient being viewed, with their account; kept in step with updates. */
  current: PatientDetails | null;

  /** Replaces the results with the first page for `query`. */
  search(query?: string, filter?: Omit<PatientSearch, "search">): Promise<Patient[] | null>;
  /** Appends the next page of the current search (nothing to do when there is none). */
  nextPage(): Promise<Patient[] | null>;
  /** The first matches of `query` for a picker (booking, payments), leaving the search list alone. */
  lookup(query: string, limit?: number): Promise<Patient[] | null>;
  /** Loads one patient with their account summary into `current`. */
  get(id: string): Promise<PatientDetails | null>;
  create(input: CreatePatientInput): Promise<Patient | null>;
  /** Replaces the patient's details (an omitted email, date of birth, address or emergency contact is cleared). */
  update(id: string, input: UpdatePatientInput): Promise<Patient | null>;
  /** Archives the patient (DELETE; admins and dentists); true when done. */
  archive(id: string): Promise<boolean | null>;
  clearError(action: PatientAction): void;
  reset(): void;
}

const initial = () => ({
  query: "",
  filter: {},
  results: [] as Patient[],
  nextCursor: null,
  hasMore: false,
  current: null,
  ...idle(patientActions),
});

export const usePatientStore = create<PatientState>()((set, get) => {
  const actions = runner<PatientState, PatientAction>(set);

  return {
    ...initial(),

    search: (query = get().query, filter = get().filter) =>
      actions.run(
        "search",
        () => unwrap(client.GET("/api/patients", { params: { query: { ...filter, search: query || undefined } } })),
        (page) => ({
          query,
          filter,
          results: page.data,
          nextCursor: page.pagination.nextCursor ?? null,
          hasMore: page.pagination.hasMore,
        }),
        { latestOnly: true },
      ).then((page) => page?.data ?? null),

    nextPage: async () => {
      const { query, filter, nextCursor, loading } = get();
      if (!nextCursor || loading.nextPage) return get().results;
      const page = await actions.run(
        "nextPage",
        () => unwrap(client.GET("/api/patients", { params: { query: { ...filter, search: query || undefined, cursor: nextCursor } } })),
        (page, state) =>
          // A new search since this page was asked for makes it stale.
          state.nextCursor !== nextCursor ? {} : {
            results: [...state.results, ...page.data.filter((p) => !state.results.some((r) => r.id === p.id))],
            nextCursor: page.pagination.nextCursor ?? null,
            hasMore: page.pagination.hasMore,
          },
        { latestOnly: true },
      );
      return page ? get().results : null;
    },

    lookup: (query, limit = 8) =>
      actions.run(
        "lookup",
        () => unwrap(client.GET("/api/patients", { params: { query: { search: query || undefined, limit } } })),
        undefined,
        { latestOnly: true },
      ).then((page) => page?.data ?? null),

    get: (id) =>
      actions.run(
        "get",
        () => unwrap(client.GET("/api/patients/{id}", { params: { path: { id } } })),
        (patient) => ({ current: patient }),
        { latestOnly: true },
      ),

    create: (input) => actions.run("create", () => unwrap(client.POST("/api/patients", { body: input }))),

    update: (id, input) =>
      actions.run(
        "update",
        () => unwrap(client.PUT("/api/patients/{id}", { params: { path: { id } }, body: input })),
        (patient, state) => ({
          results: state.results.map((p) => (p.id === id ? patient : p)),
          current: state.current?.id === id ? { ...state.current, ...patient } : state.current,
        }),
      ),

    archive: (id) =>
      actions.run(
        "archive",
        async () => {
          await unwrap(client.DELETE("/api/patients/{id}", { params: { path: { id } } }));
          return true;
        },
        (_, state) => ({
          results: state.results.filter((p) => p.id !== id),
          current: state.current?.id === id ? null : state.current,
        }),
      ),

    clearError: (action) => set((state) => ({ errors: { ...state.errors, [action]: null } })),

    reset: () => {
      actions.invalidate();
      set(initial());
    },
  };
});

onSessionCleared(() => usePatientStore.getState().reset());
