import { afterEach, describe, expect, it } from "vitest";
import { ApiError, auth, client, unwrap } from "../services/api";
import { tokenStore } from "../services/tokenStore";
import { accessTokenSeconds, adminEmail, signInAsAdmin, sleep } from "./session";

describe("session", () => {
  afterEach(() => auth.logout());

  it("logs in and reads the current user", async () => {
    const user = await auth.login(adminEmail, process.env.TEST_ADMIN_PASSWORD ?? "Admin-password-1");
    expect(user.role).toBe("admin");
    expect((await auth.me()).email).toBe(adminEmail);
  });

  it("turns a wrong password into a typed ApiError", async () => {
    const error = await auth.login(adminEmail, "Wrong-password-1").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(401);
    expect((error as ApiError).code).toBe("UNAUTHORIZED");
  });

  it("reports validation details per field", async () => {
    const error = await unwrap(client.POST("/api/auth/login", { body: { email: "", password: "" } })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe("VALIDATION_ERROR");
    expect((error as ApiError).fieldMessage("email")).toBeTruthy();
  });

  it("refreshes once when the access token expires, for concurrent calls too", async () => {
    await signInAsAdmin();
    const before = tokenStore.get()!;
    const refreshesBefore = auth.refreshCount();
    await sleep((accessTokenSeconds + 1) * 1000);

    const users = await Promise.all([auth.me(), auth.me(), auth.me()]);

    expect(users.map((u) => u.email)).toEqual([adminEmail, adminEmail, adminEmail]);
    expect(auth.refreshCount()).toBe(refreshesBefore + 1);
    expect(tokenStore.get()!.accessToken).not.toBe(before.accessToken);
    expect(tokenStore.get()!.refreshToken).not.toBe(before.refreshToken);
  });

  it("logout clears the tokens and the server session", async () => {
    await signInAsAdmin();
    const refreshToken = tokenStore.refreshToken()!;
    await auth.logout();
    expect(auth.isSignedIn()).toBe(false);
    const error = await auth.me().catch((e: unknown) => e);
    expect((error as ApiError).status).toBe(401);
    const reuse = await unwrap(client.POST("/api/auth/refresh", { body: { refreshToken } })).catch((e: unknown) => e);
    expect((reuse as ApiError).status).toBe(401);
  });
});
