// A forgotten password: "Forgot password?" on the sign-in page, the e-mailed link (read from the SMTP
// sink the test command runs: TEST_SMTP_DIR), the /reset-password page, and the link used twice.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { checkA11y, expect, signIn, unique, uniqueName } from "./harness.mjs";
import { api } from "./api.mjs";

/** The token of the latest reset link e-mailed to an address (waits for it to arrive). */
async function emailedToken(email) {
  const dir = process.env.TEST_SMTP_DIR;
  if (!dir) throw new Error("TEST_SMTP_DIR is not set: run the API with Email__Smtp__Host pointing at tools/smtp_sink.py (./test.sh does)");
  for (let i = 0; i < 100; i++) {
    const mails = readdirSync(dir).filter((f) => /^\d+\.json$/.test(f)).sort((a, b) => parseInt(a) - parseInt(b))
      .map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")))
      .filter((m) => m.rcpt_tos.some((to) => to.toLowerCase() === email.toLowerCase()));
    const last = mails.at(-1)?.data.replace(/=\r?\n/g, "");
    const match = last && /\/reset-password\?token=([A-Za-z0-9_-]{43})/.exec(last);
    if (match) return match[1];
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no reset link e-mailed to ${email}`);
}

export const tests = [
  {
    name: "forgot password: the e-mailed link sets a new password once, and a used link says so",
    async run({ page }) {
      const email = `${unique("forgot")}@clinic.test`;
      const name = `Fay ${uniqueName("Forgot")}`;
      await api("POST", "/api/users", { name, email, role: "staff", password: "Staff-password-1" });

      await page.goto("/sign-in");
      await page.getByRole("button", { name: "Forgot password?" }).click();
      const forgot = page.getByRole("form", { name: "Get a link by e-mail" });
      await forgot.getByLabel("Your email").fill(email);
      await forgot.getByRole("button", { name: "E-mail me a link" }).click();
      await page.getByText("If this address belongs to an active user, a link to choose a new password is on its way.").waitFor();
      await checkA11y(page, "sign-in, forgot password");
      const token = await emailedToken(email);

      // The link's page: a weak password is the API's message next to the field; then a good one.
      await page.goto(`/reset-password?token=${token}`);
      await page.getByRole("heading", { name: "Choose a new password" }).waitFor();
      await page.getByLabel("New password").fill("weak");
      await page.getByLabel("The same again").fill("weak");
      await page.getByRole("button", { name: "Set the new password" }).click();
      await page.locator(".field-error").first().waitFor();
      expect(await page.getByLabel("New password").getAttribute("aria-invalid") === "true", "the API's message on the new password");
      await checkA11y(page, "reset password with an error");
      await page.getByLabel("New password").fill("Chosen-anew-42");
      await page.getByLabel("The same again").fill("Chosen-anew-43");
      await page.getByRole("button", { name: "Set the new password" }).click();
      await page.getByText("The two passwords differ").waitFor();
      await page.getByLabel("The same again").fill("Chosen-anew-42");
      await page.getByRole("button", { name: "Set the new password" }).click();
      await page.getByText("Your password is changed").waitFor();
      await checkA11y(page, "reset password done");
      await page.getByRole("link", { name: "Sign in with it" }).click();
      await page.waitForURL(/\/sign-in/);
      await signIn(page, email, "Chosen-anew-42");
      await page.getByRole("navigation", { name: "Main" }).waitFor();
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.waitForURL(/\/sign-in$/);

      // The same link again: the API's message on the token, and the way to a new link.
      await page.goto(`/reset-password?token=${token}`);
      await page.getByLabel("New password").fill("Another-one-44");
      await page.getByLabel("The same again").fill("Another-one-44");
      await page.getByRole("button", { name: "Set the new password" }).click();
      await page.getByRole("alert").getByText("This link is not valid any more: ask for a new one").waitFor();
      await page.getByRole("link", { name: "Ask for a new link" }).waitFor();
      await checkA11y(page, "reset password with a used link");
    },
  },
  {
    name: "the reset page without a token, and an admin e-mails a user a reset link",
    async run({ page }) {
      await page.goto("/reset-password");
      await page.getByText("This page opens from the link in the e-mail about choosing a new password.").waitFor();
      await page.getByRole("link", { name: "Ask for a link" }).click();
      await page.getByRole("form", { name: "Get a link by e-mail" }).waitFor();

      const email = `${unique("linked")}@clinic.test`;
      const name = `Lin ${uniqueName("Linked")}`;
      await api("POST", "/api/users", { name, email, role: "staff", password: "Staff-password-1" });
      await page.goto("/sign-in?next=%2Fadmin%2Fusers");
      await signIn(page);
      await page.getByRole("button", { name: `E-mail reset link to ${name}` }).click();
      await page.getByText(`A link to choose a new password is on its way to ${email}.`).waitFor();
      const token = await emailedToken(email);
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.waitForURL(/\/sign-in$/);
      await page.goto(`/reset-password?token=${token}`);
      await page.getByLabel("New password").fill("Linked-anew-42");
      await page.getByLabel("The same again").fill("Linked-anew-42");
      await page.getByRole("button", { name: "Set the new password" }).click();
      await page.getByText("Your password is changed").waitFor();
    },
  },
];
