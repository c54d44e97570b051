// The signed-in user: signing in and out, and finding the session again after a reload (the refresh
// token survives in sessionStorage; the first call refreshes it). `status` is "unknown" until then.
import { create } from "zustand";
import { ApiError, auth, onSessionExpired, type UserSummary } from "../services/api";
import { tokenStore } from "../services/tokenStore";
import { asApiError } from "./actions";

export type Role = UserSummary["role"];

export interface SessionState {
  status: "unknown" | "signed-in" | "signed-out";
  user: UserSummary | null;
  /** Why the last sign-in failed (wrong credentials, throttled). */
  error: ApiError | null;
  /** True when the session ended by itself (expired, revoked) rather than by signing out. */
  expired: boolean;
  signingIn: boolean;

  /** Finds the session of this tab again (after a reload): signed-in when the refresh token is still good. */
  restore(): Promise<void>;
  signIn(email: string, password: string): Promise<boolean>;
  signOut(): Promise<void>;
}

export const useSessionStore = create<SessionState>()((set, get) => ({
  status: "unknown",
  user: null,
  error: null,
  expired: false,
  signingIn: false,

  restore: async () => {
    if (get().status === "signed-in") return;
    if (!tokenStore.get() && !tokenStore.refreshToken()) {
      set({ status: "signed-out", user: null });
      return;
    }
    try {
      const user = await auth.me();
      set({ status: "signed-in", user, expired: false });
    } catch {
      set({ status: "signed-out", user: null });
    }
  },

  signIn: async (email, password) => {
    set({ signingIn: true, error: null });
    try {
      const user = await auth.login(email, password);
      set({ status: "signed-in", user, signingIn: false, expired: false });
      return true;
    } catch (error) {
      set({ signingIn: false, error: asApiError(error) });
      return false;
    }
  },

  signOut: async () => {
    await auth.logout().catch(() => undefined);
    set({ status: "signed-out", user: null, expired: false, error: null });
  },
}));

onSessionExpired(() => {
  if (useSessionStore.getState().status === "signed-in") useSessionStore.setState({ status: "signed-out", user: null, expired: true });
});

/** Whether a role may do something the API reserves for some roles (docs/architecture.md, "Roles"). */
export function can(role: Role | undefined, capability: "archivePatients" | "writeTreatments" | "voidPayments" | "takings" | "settings" | "readHistory" | "overrideRules" | "admin"): boolean {
  if (!role) return false;
  switch (capability) {
    case "admin":
      return role === "admin";
    default:
      return role === "admin" || role === "dentist";
  }
}
