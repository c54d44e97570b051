// A forgotten password (no sign-in): ask for a link by e-mail, then choose a new password with the
// link's token. The API answers a request the same whether or not the address is a user's.
import { create } from "zustand";
import { client, unwrap } from "../services/api";
import { idle, runner, type ActionState } from "./actions";

export const passwordResetActions = ["forgot", "reset"] as const;
export type PasswordResetAction = (typeof passwordResetActions)[number];

export interface PasswordResetState extends ActionState<PasswordResetAction> {
  /** The API's answer to the last request for a link. */
  requested: string | null;
  /** True once a new password was set with a link. */
  done: boolean;

  /** POST /api/auth/forgot-password: e-mails a single-use, 30-minute link (when the address is an active user's). */
  forgot(email: string): Promise<string | null>;
  /** POST /api/auth/reset-password: a used, expired or unknown token is 400 on `token`. True when done. */
  reset(token: string, newPassword: string): Promise<boolean | null>;
  clearError(action: PasswordResetAction): void;
}

export const usePasswordResetStore = create<PasswordResetState>()((set) => {
  const actions = runner<PasswordResetState, PasswordResetAction>(set);
  return {
    requested: null,
    done: false,
    ...idle(passwordResetActions),

    forgot: (email) =>
      actions.run("forgot", async () => (await unwrap(client.POST("/api/auth/forgot-password", { body: { email } }))).message,
        (requested) => ({ requested })),

    reset: (token, newPassword) =>
      actions.run("reset", async () => {
        await unwrap(client.POST("/api/auth/reset-password", { body: { token, newPassword } }));
        return true;
      }, () => ({ done: true })),

    clearError: (action) => set((state) => ({ errors: { ...state.errors, [action]: null } })),
  };
});
