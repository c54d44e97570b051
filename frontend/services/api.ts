// The typed client of the DentalClinic API (openapi-fetch over the generated schema).
//  - base URL from NEXT_PUBLIC_API_URL;
//  - the bearer token from tokenStore on every request;
//  - on a 401 one single-flight refresh (however many requests failed at once) and one retry;
//  - failures thrown as ApiError with the envelope's code, message and details;
//  - logout() ends the session on the server and clears tokens and every store.
import createClient from "openapi-fetch";
import type { components, paths } from "./schema";
import { tokenStore } from "./tokenStore";

export type Schemas = components["schemas"];
export type FieldError = Schemas["FieldError"];
export type UserSummary = Schemas["UserSummary"];

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: FieldError[];

  constructor(status: number, code: string, message: string, details: FieldError[] = []) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /** The message for one field, for showing next to a form input. */
  fieldMessage(field: string): string | undefined {
    return this.details.find((d) => d.field === field)?.message;
  }
}

function isErrorResponse(body: unknown): body is Schemas["ErrorResponse"] {
  return typeof body === "object" && body !== null && "error" in body &&
    typeof (body as { error: unknown }).error === "object";
}

function toApiError(status: number, body: unknown): ApiError {
  if (isErrorResponse(body)) {
    const { code, message, details } = body.error;
    return new ApiError(status, code, message, details ?? []);
  }
  return new ApiError(status, status === 0 ? "NETWORK_ERROR" : "UNKNOWN_ERROR", `Request failed with status ${status}`);
}

/**
 * The API's address: NEXT_PUBLIC_API_URL (inlined by `next build`/`next dev`, read from the
 * environment in node); in a browser without it, the page's own origin (the app served by the API);
 * otherwise the API's default address.
 */
function apiBaseUrl(): string {
  const configured = process.env.NEXT_PUBLIC_API_URL;
  if (configured) return configured;
  if (typeof window !== "undefined") return window.location.origin;
  return "http://localhost:5080";
}

export const baseUrl = apiBaseUrl().replace(/\/$/, "");

const authPaths = ["/api/auth/login", "/api/auth/refresh"];
let refreshing: Promise<boolean> | null = null;
let refreshCount = 0;

/** Exchanges the refresh token for new tokens. Concurrent callers share one request. */
function refreshOnce(): Promise<boolean> {
  refreshing ??= (async () => {
    const refreshToken = tokenStore.refreshToken();
    if (!refreshToken) return false;
    const response = await fetch(`${baseUrl}/api/auth/refresh`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ refreshToken }),
    });
    if (!response.ok) {
      tokenStore.clear();
      return false;
    }
    const session = (await response.json()) as Schemas["LoginResponse"];
    tokenStore.set({ accessToken: session.accessToken, refreshToken: session.refreshToken });
    refreshCount++;
    return true;
  })().finally(() => {
    refreshing = null;
  });
  return refreshing;
}

function withToken(request: Request): Request {
  const token = tokenStore.get()?.accessToken;
  if (token) request.headers.set("Authorization", `Bearer ${token}`);
  return request;
}

/** Sends one request: `fetch` by default; the logo upload uses XMLHttpRequest for its progress. */
export type Transport = (request: Request) => Promise<Response>;

/** Wraps a transport with the session rules: the bearer token, and on a 401 one shared refresh and one retry. */
export function withSession(transport: Transport): Transport {
  return async (input) => {
    const retry = input.clone();
    const response = await transport(withToken(input));
    const isAuthCall = authPaths.some((p) => new URL(input.url).pathname === p);
    if (response.status !== 401 || isAuthCall) return response;
    const final = tokenStore.refreshToken() && (await refreshOnce()) ? await transport(withToken(retry)) : response;
    if (final.status === 401) sessionExpired();
    return final;
  };
}

const expiredListeners = new Set<() => void>();

/** Called when a request is refused for want of a valid session (expired, revoked): the app asks to sign in again. */
export function onSessionExpired(listener: () => void): () => void {
  expiredListeners.add(listener);
  return () => expiredListeners.delete(listener);
}

function sessionExpired(): void {
  tokenStore.clear();
  expiredListeners.forEach((listener) => listener());
}

const authenticatedFetch = withSession((request) => fetch(request));

export const client = createClient<paths>({ baseUrl, fetch: authenticatedFetch });

/** Returns the data of a successful call, or throws ApiError. */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch (e) {
    if (e instanceof ApiError) throw e;
    throw new ApiError(0, "NETWORK_ERROR", e instanceof Error ? e.message : "Network error");
  }
  if (!result.response.ok) throw toApiError(result.response.status, result.error);
  return result.data as T;
}

const sessionListeners = new Set<() => void>();

/** Stores register here to be emptied when the session ends. */
export function onSessionCleared(listener: () => void): () => void {
  sessionListeners.add(listener);
  return () => sessionListeners.delete(listener);
}

export const auth = {
  /** Starts a new session: the stores are emptied, so nothing of a previous user's data stays on screen. */
  async login(email: string, password: string): Promise<UserSummary> {
    const session = await unwrap(client.POST("/api/auth/login", { body: { email, password } }));
    sessionListeners.forEach((listener) => listener());
    tokenStore.set({ accessToken: session.accessToken, refreshToken: session.refreshToken });
    return session.user;
  },
  me(): Promise<UserSummary> {
    return unwrap(client.GET("/api/auth/me"));
  },
  async logout(): Promise<void> {
    try {
      if (tokenStore.get()) {
        await client.POST("/api/auth/logout", { body: { refreshToken: tokenStore.refreshToken() } });
      }
    } finally {
      tokenStore.clear();
      sessionListeners.forEach((listener) => listener());
    }
  },
  isSignedIn(): boolean {
    return tokenStore.get() !== null;
  },
  /** How many refreshes this client has done (for diagnostics and tests). */
  refreshCount(): number {
    return refreshCount;
  },
};
