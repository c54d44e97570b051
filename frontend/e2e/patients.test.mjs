// Patients: register, find by typing, edit with the API's field errors, the patient page, a
// treatment on the tooth chart, the form link.
import { api, checkA11y, expect, phone, randomPhone, signIn, uniqueName } from "./harness.mjs";

async function registerPatient(page, lastName, mobile) {
  await page.goto("/patients");
  await page.getByRole("button", { name: "New patient" }).click();
  await page.getByLabel("First name").fill("Ada");
  await page.getByLabel("Last name").fill(lastName);
  await page.getByLabel("Mobile number").fill(mobile);
  await page.getByRole("button", { name: "Register patient" }).click();
  await page.waitForURL(/\/patient\?id=/);
  await page.getByRole("heading", { name: `Ada ${lastName}`, level: 1 }).waitFor();
}

export const tests = [
  {
    name: "register a patient, with field errors first",
    async run({ page }) {
      await page.goto("/sign-in?next=%2Fpatients");
      await signIn(page);
      await page.getByRole("button", { name: "New patient" }).click();
      await page.getByLabel("First name").fill("Ada");
      await page.getByRole("button", { name: "Register patient" }).click();
      // The API names the fields; the messages appear next to them.
      const lastName = page.getByLabel("Last name");
      await page.locator(".field-error").first().waitFor();
      expect(await lastName.getAttribute("aria-invalid") === "true", "the last name is marked invalid");
      await checkA11y(page, "new patient with errors");

      const name = uniqueName("Lovelace");
      await lastName.fill(name);
      await page.getByLabel("Mobile number").fill(randomPhone());
      await page.getByRole("button", { name: "Register patient" }).click();
      await page.waitForURL(/\/patient\?id=/);
      await page.getByRole("heading", { name: `Ada ${name}`, level: 1 }).waitFor();
      await page.getByText("No treatments yet.").waitFor();
      await page.getByText("No appointments yet.").waitFor();
      await checkA11y(page, "patient page");
    },
  },
  {
    name: "find a patient by typing part of the name, load more",
    async run({ page }) {
      const family = uniqueName("Hopper");
      for (let i = 0; i < 22; i++)
        await api("/api/patients", { method: "POST", body: { firstName: `Grace${"abcdefghijklmnopqrstuvwxyz"[i]}`, lastName: family, mobileNumber: randomPhone() } });
      await page.goto("/sign-in?next=%2Fpatients");
      await signIn(page);
      await page.getByLabel("Search by name, phone or email").pressSequentially(family.slice(0, -2), { delay: 30 });
      const rows = page.locator("#patient-results li");
      await page.waitForFunction(() => document.querySelectorAll("#patient-results li").length === 20);
      await checkA11y(page, "patient search");
      await page.getByRole("button", { name: "Load more" }).click();
      await page.waitForFunction(() => document.querySelectorAll("#patient-results li").length === 22);
      expect(!(await page.getByRole("button", { name: "Load more" }).isVisible()), "no more pages");
      await rows.first().getByRole("link").click();
      await page.waitForURL(/\/patient\?id=/);
      await page.getByRole("heading", { name: family, level: 1 }).waitFor();

      await page.goto("/patients");
      await page.getByLabel("Search by name, phone or email").fill("zzqqxxnobody");
      await page.getByText("No patient matches").waitFor();
    },
  },
  {
    name: "edit a patient; a duplicate mobile number is refused next to the field",
    async run({ page }) {
      const taken = randomPhone();
      await api("/api/patients", { method: "POST", body: { firstName: "Other", lastName: uniqueName("Taken"), mobileNumber: taken } });
      await page.goto("/sign-in?next=%2Fpatients");
      await signIn(page);
      const name = uniqueName("Curie");
      await registerPatient(page, name, randomPhone());
      await page.getByRole("button", { name: "Edit details" }).click();
      await page.getByLabel("Mobile number").fill(taken);
      await page.getByRole("button", { name: "Save changes" }).click();
      await page.locator(".alert.error").waitFor();
      await checkA11y(page, "edit patient with a conflict");
      await page.getByLabel("Mobile number").fill(randomPhone());
      await page.getByLabel("Email (optional)").fill("ada@example.test");
      await page.getByRole("button", { name: "Save changes" }).click();
      await page.getByText("Saved.").waitFor();
      await page.getByText("ada@example.test").waitFor();
    },
  },
  {
    name: "record a treatment on the tooth chart",
    async run({ page }) {
      const type = await api("/api/appointment-types", { method: "POST", body: { name: uniqueName("Filling "), price: 120, duration: 30, color: "#2563EB" } });
      await page.goto("/sign-in?next=%2Fpatients");
      await signIn(page);
      await registerPatient(page, uniqueName("Fleming"), randomPhone());
      await page.getByRole("button", { name: "Tooth 14", exact: true }).click();
      await page.getByRole("button", { name: "Record a treatment" }).click();
      const form = page.getByRole("form", { name: "Record a treatment" });
      expect(await form.getByLabel("Tooth").inputValue() === "14", "the chosen tooth is preselected");
      await form.getByLabel("Treatment type").selectOption({ label: type.name });
      expect(await form.getByLabel("Price").inputValue() === "120", "the type's price is filled in");
      await form.getByLabel("Discount").fill("200");
      await form.getByRole("button", { name: "Save treatment" }).click();
      await form.locator(".field-error").first().waitFor();
      await checkA11y(page, "treatment form with errors");
      await form.getByLabel("Discount").fill("20");
      await form.getByRole("button", { name: "Save treatment" }).click();
      await page.getByText("Treatment recorded.").waitFor();
      await page.locator(".tooth.treated", { hasText: "14" }).waitFor();
      const toothName = await page.locator(".tooth.treated").first().evaluate((b) => b.textContent);
      expect(/^Tooth 14, 1 treatment/.test(toothName ?? ""), `the tooth says it has a treatment: ${toothName}`);
      const account = page.getByRole("region", { name: "Account" });
      await account.getByText("100.00").first().waitFor();
      await checkA11y(page, "patient with a treatment");
    },
  },
  {
    name: "send the form link: copy it, text it, see its status",
    async run({ page, context }) {
      await context.grantPermissions(["clipboard-read", "clipboard-write"]);
      await page.goto("/sign-in?next=%2Fpatients");
      await signIn(page);
      await registerPatient(page, uniqueName("Nightingale"), randomPhone());
      await page.getByText("No form link sent yet.").waitFor();
      await page.getByRole("button", { name: "Create form link" }).click();
      const link = page.getByLabel(/Form link/);
      await link.waitFor();
      const url = await link.inputValue();
      expect(new URL(url).pathname.startsWith("/medical-history/"), `the link is the app's form page: ${url}`);
      await page.getByRole("button", { name: "Copy link" }).click();
      await page.getByText("Link copied.").waitFor();
      expect(await page.evaluate(() => navigator.clipboard.readText()) === url, "the link is on the clipboard");
      await page.getByRole("button", { name: /Text form link/ }).click();
      await page.getByText(/Text to \+1415/).waitFor();
      await page.locator("table").filter({ hasText: "Text message" }).getByText(/Text (pending|sent|failed)/).first().waitFor();
      await checkA11y(page, "patient with form links");

      // The link opens the form page of the app, on a phone.
      const form = await context.newPage();
      await form.setViewportSize(phone);
      await form.goto(url);
      await form.getByRole("heading", { name: /medical history/i }).waitFor();
      await checkA11y(form, "the patient's form");
      await form.close();
    },
  },
];
