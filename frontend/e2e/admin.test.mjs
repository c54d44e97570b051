// The admin UI (admins only) and the settings screens: users, audit log, backups, reminders and SMS,
// health; the clinic's details and logo upload, appointment types, the questionnaire editor.
import { deflateSync } from "node:zlib";
import { randomBytes } from "node:crypto";
import { checkA11y, expect, signIn, unique, uniqueName } from "./harness.mjs";

/** A PNG of random pixels (incompressible, so the upload takes long enough to report progress). */
function noisyPng(width, height) {
  const table = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = table[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    out.write(type, 4, "ascii");
    data.copy(out, 8);
    out.writeUInt32BE(crc(out.subarray(4, 8 + data.length)), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; header[9] = 2; // 8-bit RGB
  const rows = [];
  for (let y = 0; y < height; y++) rows.push(Buffer.from([0]), randomBytes(width * 3));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", header),
    chunk("IDAT", deflateSync(Buffer.concat(rows), { level: 0 })), chunk("IEND", Buffer.alloc(0))]);
}

export const tests = [
  {
    name: "an admin creates a staff user, who then cannot open the admin UI",
    async run({ page }) {
      await page.goto("/sign-in?next=%2Fadmin%2Fusers");
      await signIn(page);
      await page.getByRole("heading", { name: "Users" }).waitFor();
      await page.getByRole("cell", { name: "admin@clinic.test" }).waitFor();
      await checkA11y(page, "users");

      const email = `${unique("staff")}@clinic.test`;
      const name = `Sam ${uniqueName("Staff")}`;
      const form = page.getByRole("form", { name: "New user" });
      await form.getByLabel("Name").fill(name);
      await form.getByLabel("Email").fill(email);
      await form.getByLabel("Role").selectOption("staff");
      await form.getByLabel("Password").fill("short");
      await form.getByRole("button", { name: "Create user" }).click();
      // The API's message next to the field it names.
      await form.getByText("Password must be at least 10 characters").waitFor();
      await checkA11y(page, "users with an error");
      await form.getByLabel("Password").fill("Staff-password-1");
      await form.getByRole("button", { name: "Create user" }).click();
      await page.getByText(`${name} (${email}) can now sign in as staff.`).waitFor();
      await page.getByRole("row", { name: new RegExp(email) }).waitFor();

      // A new password set by the admin.
      await page.getByRole("button", { name: `Set a new password for ${name}` }).click();
      await page.getByLabel(`New password for ${name}`).fill("Staff-password-2");
      await page.getByRole("button", { name: "Save" }).click();
      await page.getByText("Password set; tell them in person.").waitFor();

      await page.getByRole("button", { name: "Sign out" }).click();
      await page.waitForURL(/\/sign-in$/);
      await signIn(page, email, "Staff-password-2");
      const nav = page.getByRole("navigation", { name: "Main" });
      await nav.getByRole("link", { name: "Calendar" }).waitFor();
      expect(await nav.getByRole("link", { name: "Admin" }).count() === 0, "no Admin menu for staff");
      expect(await nav.getByRole("link", { name: "Settings" }).count() === 0, "no Settings menu for staff");
      for (const path of ["/admin", "/admin/users", "/settings/questionnaire"]) {
        await page.goto(path);
        await page.waitForURL(/\/calendar\?denied=/);
      }
      await checkA11y(page, "staff sent away from the admin UI");
    },
  },
  {
    name: "admin screens: health, audit log with before and after, backups, reminders and SMS",
    async run({ page }) {
      await page.goto("/sign-in?next=%2Fadmin");
      await signIn(page);
      await page.getByRole("heading", { name: "System health" }).waitFor();
      await page.getByTestId("health-status").getByText("Healthy").waitFor();
      const api = page.getByRole("link", { name: "API reference" });
      expect((await api.getAttribute("href")).endsWith("/docs"), "the API reference link");
      await checkA11y(page, "admin overview");

      // An audited change to look for: a user renamed.
      const email = `${unique("audit")}@clinic.test`;
      const name = `Audit ${uniqueName("Person")}`;
      await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Users" }).click();
      const form = page.getByRole("form", { name: "New user" });
      await form.getByLabel("Name").fill(name);
      await form.getByLabel("Email").fill(email);
      await form.getByLabel("Password").fill("Audit-password-1");
      await form.getByRole("button", { name: "Create user" }).click();
      await page.getByRole("row", { name: new RegExp(email) }).waitFor();
      await page.getByRole("button", { name: `Change role of ${name}` }).click();
      await page.getByLabel(`Role of ${name}`, { exact: true }).selectOption("dentist");
      await page.getByRole("button", { name: "Save" }).click();
      await page.getByText("Role changed to dentist.").waitFor();

      await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Audit log" }).click();
      await page.getByRole("heading", { name: "Audit log" }).waitFor();
      await page.getByLabel("Table").selectOption("users");
      await page.getByLabel("From").fill("2020-01-01");
      await page.getByLabel("To (not included)").fill("2019-01-01");
      await page.getByRole("button", { name: "Show" }).click();
      await page.getByText("To must be later than from").waitFor();
      await page.getByLabel("To (not included)").fill("");
      await page.getByRole("button", { name: "Show" }).click();
      const entry = page.getByRole("list", { name: "Audit entries" }).locator("li").filter({ hasText: /^update users/ }).first();
      await entry.locator("summary").click();
      const roleRow = entry.getByRole("row", { name: /role/ });
      await roleRow.getByText('"staff"').waitFor();
      await roleRow.getByText('"dentist"').waitFor();
      await checkA11y(page, "audit log with an entry open");

      // A dentist's calendar colour.
      await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Users" }).click();
      await page.getByRole("button", { name: `Change the calendar colour of ${name}` }).click();
      await page.getByLabel(`Calendar colour of ${name}`, { exact: true }).fill("#aa3366");
      await page.getByRole("button", { name: "Save" }).click();
      await page.getByText("Calendar colour saved.").waitFor();
      const { api: callApi } = await import("./api.mjs");
      const dentist = (await callApi("GET", "/api/dentists")).find((d) => d.name === name);
      expect(dentist?.calendarColor?.toLowerCase() === "#aa3366", `the calendar colour: ${JSON.stringify(dentist)}`);


      await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Backups" }).click();
      await page.getByRole("button", { name: "Back up now" }).click();
      await page.getByRole("cell", { name: "succeeded" }).first().waitFor({ timeout: 60_000 });
      await checkA11y(page, "backups");
      // Download: fetched with the admin's token, saved by the browser under the backup's file name.
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("button", { name: /^Download the backup of / }).first().click(),
      ]);
      expect(/\.(db|sqlite|pgdump)$/.test(download.suggestedFilename()), `the backup's file name: ${download.suggestedFilename()}`);
      const { statSync } = await import("node:fs");
      const size = statSync(await download.path()).size;
      expect(size > 10_000, `the backup file holds the database: ${size} bytes`);

      await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Reminders & SMS" }).click();
      await page.getByRole("heading", { name: "SMS outbox" }).waitFor();
      await page.getByLabel("Text messages per status").getByText("pending").waitFor();
      await checkA11y(page, "reminders and SMS");
    },
  },
  {
    name: "upload a logo and watch the progress reach 100 %",
    async run({ page }) {
      await page.goto("/sign-in?next=%2Fsettings");
      await signIn(page);
      await page.getByRole("heading", { name: "Clinic settings" }).waitFor();
      await checkA11y(page, "clinic settings");

      // The clinic's details: the API's message next to the field.
      await page.getByLabel("Reminder lead time (hours)").fill("0");
      await page.getByRole("button", { name: "Save details" }).click();
      await page.locator(".field-error").first().waitFor();
      await page.getByLabel("Reminder lead time (hours)").fill("24");
      await page.getByRole("button", { name: "Save details" }).click();
      await page.getByText("Saved.").waitFor();

      const png = noisyPng(700, 700); // ~1.4 MB
      await page.getByLabel("New logo").setInputFiles({ name: "logo.png", mimeType: "image/png", buffer: png });
      await page.evaluate(() => {
        window.__progress = [];
        new MutationObserver(() => {
          const bar = document.getElementById("logo-progress");
          if (bar && window.__progress.at(-1) !== bar.value) window.__progress.push(bar.value);
        }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
      });
      await page.getByRole("button", { name: "Upload logo" }).click();
      await page.getByText("Logo uploaded.").waitFor({ timeout: 60_000 });
      await page.getByTestId("upload-percent").getByText("100 %").waitFor();
      const seen = await page.evaluate(() => window.__progress);
      expect(seen.at(-1) === 100, `the bar ends at 100: ${seen}`);
      expect(seen.length >= 2 && seen[0] < 100, `the bar moved up to 100: ${seen}`);
      const logo = page.getByRole("img", { name: "The clinic's current logo" });
      await logo.waitFor();
      expect(await logo.evaluate((img) => img.complete && img.naturalWidth === 700), "the new logo is shown");

      // A file that is not an image: the API's message next to the file input.
      await page.getByLabel("New logo").setInputFiles({ name: "notes.png", mimeType: "image/png", buffer: Buffer.from("not an image") });
      await page.getByRole("button", { name: "Upload logo" }).click();
      await page.locator("#logo-error").waitFor();
      await checkA11y(page, "logo upload with an error");
      await page.getByLabel("New logo").setInputFiles({ name: "logo.png", mimeType: "image/png", buffer: png });
      await page.getByRole("button", { name: "Upload logo" }).click();
      await page.getByText("Logo uploaded.").waitFor({ timeout: 60_000 });
    },
  },
  {
    name: "settings: appointment types and the questionnaire editor",
    async run({ page }) {
      await page.goto("/sign-in?next=%2Fsettings%2Fappointment-types");
      await signIn(page);
      await page.getByRole("heading", { name: "Appointment types" }).waitFor();
      const name = uniqueName("Whitening ");
      const form = page.getByRole("form", { name: "New type" });
      await form.getByLabel("Name").fill(name);
      await form.getByLabel("Price").fill("120");
      await form.getByLabel("Duration (minutes)").fill("2");
      await form.getByRole("button", { name: "Add type" }).click();
      await form.locator(".field-error").waitFor();
      await form.getByLabel("Duration (minutes)").fill("45");
      await form.getByRole("button", { name: "Add type" }).click();
      await page.getByText(`${name} can now be booked.`).waitFor();
      await page.getByRole("button", { name: `Edit ${name}` }).click();
      await page.getByLabel(`${name}: Price`).fill("135.50");
      await page.getByRole("button", { name: "Save" }).click();
      await page.getByRole("listitem").filter({ hasText: name }).getByText("135.50").waitFor();
      await checkA11y(page, "appointment types");

      const { api, setQuestions } = await import("./api.mjs");
      await setQuestions([{ question: "Any allergies?", type: "text" }, { question: "Do you bleed easily?", type: "radio", options: ["Yes", "No"] }]);
      await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Questionnaire" }).click();
      await page.getByRole("heading", { name: "Medical-history questionnaire" }).waitFor();
      const questions = page.getByRole("list", { name: "Questions" });
      await page.getByLabel("Question 2", { exact: true }).waitFor();
      const before = await questions.locator("> li").count();
      expect(before === 2, `two questions: ${before}`);
      await page.getByRole("button", { name: "Add a question" }).click();
      const n = before + 1;
      await page.getByLabel(`Question ${n}`, { exact: true }).fill("Are you pregnant?");
      await page.getByLabel(`Type of question ${n}`).selectOption("radio");
      await page.getByLabel(`Options of question ${n}, one per line`).fill("Yes");
      await page.getByRole("button", { name: "Save questionnaire" }).click();
      await page.getByText("At least 2 options are required").waitFor();
      await checkA11y(page, "questionnaire with an error");
      await page.getByLabel(`Options of question ${n}, one per line`).fill("Yes\nNo\nNot sure");
      await page.getByLabel(`Question ${n} is required`).check();
      // Moved up by keyboard: the focus stays on the moved question's button.
      await page.getByRole("button", { name: `Move question ${n} up` }).focus();
      await page.keyboard.press("Enter");
      expect(await page.getByLabel(`Question ${n - 1}`, { exact: true }).inputValue() === "Are you pregnant?", "moved up");
      const focused = await page.evaluate(() => document.activeElement?.getAttribute("aria-label"));
      expect(focused === `Move question ${n - 1} up`, `focus follows the moved question: ${focused}`);
      await page.getByRole("button", { name: "Save questionnaire" }).click();
      await page.getByText(/^Saved: \d+ questions\.$/).waitFor();
      const saved = await api("GET", "/api/medical-history/questions");
      const q = saved.find((s) => s.question === "Are you pregnant?");
      expect(q && q.required && q.type === "radio" && q.options.join() === "Yes,No,Not sure", `saved: ${JSON.stringify(q)}`);
      expect(saved.length === 3, `three questions saved: ${saved.length}`);
      expect(saved.sort((a, b) => a.order - b.order).map((s) => s.question).join("|") === "Any allergies?|Are you pregnant?|Do you bleed easily?", "saved in its new place");
      await checkA11y(page, "questionnaire");
    },
  },
];
