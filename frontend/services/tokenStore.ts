// Where the session's tokens live. In memory by default; in a browser the refresh token is also
// kept in sessionStorage so a reload keeps the session (the access token is never persisted).
export interface Tokens {
  accessToken: string;
  refreshToken: string;
}

const storageKey = "dentalclinic.refreshToken";
let current: Tokens | null = null;

function storage(): Storage | null {
  return typeof globalThis.sessionStorage === "undefined" ? null : globalThis.sessionStorage;
}

export const tokenStore = {
  get(): Tokens | null {
    return current;
  },
  refreshToken(): string | null {
    return current?.refreshToken ?? storage()?.getItem(storageKey) ?? null;
  },
  set(tokens: Tokens): void {
    current = tokens;
    storage()?.setItem(storageKey, tokens.refreshToken);
  },
  clear(): void {
    current = null;
    storage()?.removeItem(storageKey);
  },
};
