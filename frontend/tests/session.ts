import { auth, client, unwrap } from "../services/api";

export const adminEmail = process.env.TEST_ADMIN_EMAIL ?? "admin@clinic.test";
export const adminPassword = process.env.TEST_ADMIN_PASSWORD ?? "Admin-password-1";
/** Access-token lifetime the test API runs with (seconds), so tests can wait for expiry. */
export const accessTokenSeconds = Number(process.env.TEST_ACCESS_TOKEN_SECONDS ?? "5");

export async function signInAsAdmin(): Promise<void> {
  await auth.login(adminEmail, adminPassword);
}

export function unique(prefix: string): string {
  return `${prefix}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Creates a user of `role` as the admin (who must be signed in) and signs in as them. */
export async function signInAs(role: "dentist" | "staff"): Promise<void> {
  const email = `${unique(role)}@clinic.test`;
  const password = "Staff-password-1";
  await unwrap(client.POST("/api/users", { body: { name: `Test ${role}`, email, role, password } }));
  await auth.login(email, password);
}
