// Medical history, staff side: a patient's form links (create, send by SMS, their status) and their
// signed submissions (admins and dentists read them).
import { create } from "zustand";
import { client, onSessionCleared, unwrap, type Schemas } from "../services/api";
import { idle, runner, type ActionState } from "./actions";

export type MedicalHistoryLink = Schemas["MedicalHistoryLinkDto"];
export type MedicalHistoryLinkStatus = Schemas["MedicalHistoryLinkStatus"];
export type MedicalHistorySubmission = Schemas["MedicalHistorySubmissionDto"];

export const medicalHistoryActions = ["links", "createLink", "submissions"] as const;
export type MedicalHistoryAction = (typeof medicalHistoryActions)[number];

export interface MedicalHistoryState extends ActionState<MedicalHistoryAction> {
  /** Whose links and submissions are shown. */
  patientId: string | null;
  /** The patient's links, newest first, with their SMS delivery. */
  links: MedicalHistoryLinkStatus[];
  /** The link made last (its URL is only known when it is made). */
  lastLink: MedicalHistoryLink | null;
  /** The patient's signed submissions, newest first. */
  submissions: MedicalHistorySubmission[];

  loadLinks(patientId: string): Promise<MedicalHistoryLinkStatus[] | null>;
  /** Makes a single-use link (any role); `sendSms` queues a text with it to the patient's mobile. */
  createLink(patientId: string, options?: { sendSms?: boolean; expiresInHours?: number }): Promise<MedicalHistoryLink | null>;
  loadSubmissions(patientId: string): Promise<MedicalHistorySubmission[] | null>;

  clearError(action: MedicalHistoryAction): void;
  reset(): void;
}

const initial = () => ({
  patientId: null,
  links: [] as MedicalHistoryLinkStatus[],
  lastLink: null,
  submissions: [] as MedicalHistorySubmission[],
  ...idle(medicalHistoryActions),
});

export const useMedicalHistoryStore = create<MedicalHistoryState>()((set, get) => {
  const actions = runner<MedicalHistoryState, MedicalHistoryAction>(set);
  /** Another patient's data never stays on screen. */
  const forPatient = (patientId: string) => (get().patientId === patientId ? {} : { ...initial(), patientId });

  return {
    ...initial(),

    loadLinks: (patientId) => {
      set(forPatient(patientId));
      return actions.run(
        "links",
        () => unwrap(client.GET("/api/patients/{id}/medical-history-links", { params: { path: { id: patientId } } })),
        (links, state) => (state.patientId === patientId ? { links } : {}),
        { latestOnly: true },
      );
    },

    createLink: async (patientId, options = {}) => {
      const link = await actions.run(
        "createLink",
        () => unwrap(client.POST("/api/patients/{id}/medical-history-link", { params: { path: { id: patientId } }, body: options })),
        (link, state) => (state.patientId === patientId ? { lastLink: link } : {}),
      );
      if (link && get().patientId === patientId) await get().loadLinks(patientId);
      return link;
    },

    loadSubmissions: (patientId) => {
      set(forPatient(patientId));
      return actions.run(
        "submissions",
        () => unwrap(client.GET("/api/medical-history/patient/{patientId}", { params: { path: { patientId } } })),
        (submissions, state) => (state.patientId === patientId ? { submissions } : {}),
        { latestOnly: true },
      );
    },

    clearError: (action) => set((state) => ({ errors: { ...state.errors, [action]: null } })),

    reset: () => {
      actions.invalidate();
      set(initial());
    },
  };
});

onSessionCleared(() => useMedicalHistoryStore.getState().reset());
