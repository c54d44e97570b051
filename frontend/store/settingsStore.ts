// The clinic's settings (any signed-in role reads them, admins change them) and its logo, uploaded
// with progress (admins and dentists).
import { create } from "zustand";
import { ApiError, client, onSessionCleared, unwrap, type Schemas } from "../services/api";
import { uploadLogo, type Logo, type UploadOptions } from "../services/upload";
import { idle, runner, type ActionState } from "./actions";

export type Settings = Schemas["SettingsDto"];
export type UpdateSettingsInput = Schemas["UpdateSettings"];
export type { Logo };

export const settingsActions = ["load", "update", "loadLogo", "uploadLogo"] as const;
export type SettingsAction = (typeof settingsActions)[number];

export interface SettingsState extends ActionState<SettingsAction> {
  settings: Settings | null;
  /** The logo's metadata and public URL; null when there is none (or before loading). */
  logo: Logo | null;
  /** Progress of the logo upload under way, 0 to 1; null when none is. */
  uploadProgress: number | null;

  load(): Promise<Settings | null>;
  /** Admins only: missing fields are left unchanged, an empty contact field clears it. */
  update(input: UpdateSettingsInput): Promise<Settings | null>;
  /** Reads the logo's metadata (a clinic without a logo is not an error: `logo` stays null). */
  loadLogo(): Promise<Logo | null>;
  /** Uploads a PNG or JPEG (at most 5 MB); `uploadProgress` follows it. */
  uploadLogo(file: Blob, options?: Omit<UploadOptions, "onProgress">): Promise<Logo | null>;

  clearError(action: SettingsAction): void;
  reset(): void;
}

const initial = () => ({ settings: null, logo: null, uploadProgress: null, ...idle(settingsActions) });

export const useSettingsStore = create<SettingsState>()((set) => {
  const actions = runner<SettingsState, SettingsAction>(set);
  let uploads = 0;

  return {
    ...initial(),

    load: () =>
      actions.run("load", () => unwrap(client.GET("/api/settings")), (settings) => ({ settings, logo: settings.logo }), { latestOnly: true }),

    update: (input) =>
      actions.run("update", () => unwrap(client.PUT("/api/settings", { body: input })), (settings) => ({ settings, logo: settings.logo })),

    loadLogo: () =>
      actions.run(
        "loadLogo",
        () => unwrap(client.GET("/api/settings/logo")).catch((error: unknown) => {
          if (error instanceof ApiError && error.status === 404) return null;
          throw error;
        }),
        (logo, state) => ({ logo, settings: state.settings && { ...state.settings, logo } }),
        { latestOnly: true },
      ),

    uploadLogo: async (file, options = {}) => {
      const upload = ++uploads;
      const progress = (fraction: number) => {
        if (upload === uploads) set({ uploadProgress: fraction });
      };
      const logo = await actions.run(
        "uploadLogo",
        () => uploadLogo(file, { ...options, onProgress: progress }),
        (logo, state) => ({ logo, settings: state.settings && { ...state.settings, logo } }),
      );
      if (upload === uploads) set({ uploadProgress: null });
      return logo;
    },

    clearError: (action) => set((state) => ({ errors: { ...state.errors, [action]: null } })),

    reset: () => {
      actions.invalidate();
      uploads++;
      set(initial());
    },
  };
});

onSessionCleared(() => useSettingsStore.getState().reset());
