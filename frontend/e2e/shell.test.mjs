// The app shell: signing in and out, the session across reloads, the page asked for, roles' menus.
import { checkA11y, expect, signIn, adminPassword } from "./harness.mjs";

export const tests = [
  {
    name: "sign in, keep the session across a reload, sign out",
    async run({ page }) {
      // Not signed in: the page asked for leads to sign-in, and back to it afterwards.
      await page.goto("/patients");
      await page.waitForURL(/\/sign-in\?next=%2Fpatients/);
      await page.getByRole("heading", { name: "Sign in to DentalClinic" }).waitFor();
      await checkA11y(page, "sign-in");

      await page.getByLabel("Email").fill("admin@clinic.test");
      await page.getByLabel("Password").fill("wrong-password");
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.locator(".alert.error").waitFor();
      expect((await page.locator(".alert.error").innerText()).length > 0, "the API's message is shown");
      await checkA11y(page, "sign-in with an error");

      await page.getByLabel("Password").fill(adminPassword);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL(/\/patients$/);
      await page.getByRole("heading", { name: "Patients" }).waitFor();
      for (const item of ["Calendar", "Patients", "Takings", "Settings", "Admin"])
        await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: item }).waitFor();
      await checkA11y(page, "patients");

      await page.reload();
      await page.getByRole("heading", { name: "Patients" }).waitFor();
      expect(new URL(page.url()).pathname === "/patients", "a reload keeps the session and the page");

      await page.getByRole("button", { name: "Sign out" }).click();
      await page.waitForURL(/\/sign-in$/);
      await page.goto("/calendar");
      await page.waitForURL(/\/sign-in\?next=%2Fcalendar/);
    },
  },
  {
    name: "an ended session leads to sign-in and back to the page asked for",
    async run({ page }) {
      await page.goto("/sign-in");
      await signIn(page);
      await page.goto("/patients");
      await page.getByRole("heading", { name: "Patients" }).waitFor();
      // The session ends elsewhere (revoked); the next call is refused and the app asks to sign in again.
      await page.evaluate(async () => {
        const refreshToken = sessionStorage.getItem("dentalclinic.refreshToken");
        await fetch("/api/auth/refresh", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ refreshToken }) });
      });
      await page.reload();
      await page.waitForURL(/\/sign-in\?next=%2Fpatients/);
      await signIn(page);
      await page.waitForURL(/\/patients$/);
      await checkA11y(page, "patients after signing in again");
    },
  },
  {
    name: "an unknown page shows the app's not-found page",
    async run({ page }) {
      const response = await page.goto("/no-such-page");
      expect(response?.status() === 404, `status ${response?.status()}`);
      await page.getByRole("heading", { name: "Page not found" }).waitFor();
      await checkA11y(page, "not found");
    },
  },
];
