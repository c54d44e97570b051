// The scheduling settings: chairs, the clinic's opening hours with a lunch break, a dentist's own hours,
// closures and time off — each with the API's message next to the field it names.
import { join } from "node:path";
import { checkA11y, expect, phone, randomFutureDate, resultsDir, signIn, unique, uniqueName } from "./harness.mjs";
import { api, createPatient } from "./api.mjs";

export const tests = [
  {
    name: "settings: chairs, opening hours with a lunch break, a closure",
    async run({ page }) {
      const before = await api("GET", "/api/schedule/hours");
      try {
        await page.goto("/sign-in?next=%2Fsettings%2Fchairs");
        await signIn(page);
        await page.getByRole("heading", { name: "Chairs", level: 1 }).waitFor();

        // A chair: added, then the same name again is the API's 409 next to the name.
        const name = uniqueName("Surgery ");
        const form = page.getByRole("form", { name: "New chair" });
        await form.getByLabel("Name").fill(name);
        await form.getByLabel("Display order").fill("7");
        await form.getByRole("button", { name: "Add chair" }).click();
        await page.getByText(`${name} can now be booked.`).waitFor();
        const chairs = page.getByRole("list", { name: "Chairs", exact: true });
        await chairs.getByText(name, { exact: true }).waitFor();
        await form.getByLabel("Name").fill(name);
        await form.getByRole("button", { name: "Add chair" }).click();
        await form.locator(".field-error").getByText("An active chair with this name already exists").waitFor();
        expect(await form.getByLabel("Name").getAttribute("aria-invalid") === "true", "the name field is marked invalid");
        await checkA11y(page, "chairs with an error");

        // Renamed and reordered.
        await page.getByRole("button", { name: `Edit ${name}` }).click();
        await page.getByLabel(`${name}: Name`).fill(`${name} B`);
        await page.getByLabel(`${name}: Display order`).fill("3");
        await page.getByRole("button", { name: "Save" }).click();
        await chairs.getByText(`${name} B`, { exact: true }).waitFor();
        const saved = (await api("GET", "/api/chairs")).find((c) => c.name === `${name} B`);
        expect(saved && saved.displayOrder === 3, `saved: ${JSON.stringify(saved)}`);

        // Archived (a chair without appointments is removed).
        page.once("dialog", (d) => void d.accept());
        await page.getByRole("button", { name: `Archive ${name} B` }).click();
        await chairs.getByText(`${name} B`, { exact: true }).waitFor({ state: "detached" });
        expect(!(await api("GET", "/api/chairs")).some((c) => c.id === saved.id), "the chair is gone");

        // A chair with an appointment is archived instead: it moves to the archived list.
        const kept = await api("POST", "/api/chairs", { name: uniqueName("Chair "), color: "#884422" });
        const type = await api("POST", "/api/appointment-types", { name: uniqueName("Check "), price: 20, duration: 30, color: "#336699" });
        const patient = await createPatient(uniqueName("Chairson"));
        await api("POST", "/api/appointments",
          { patientId: patient.id, appointmentTypeId: type.id, date: randomFutureDate(), time: "10:00", chairId: kept.id, allowOverlap: true });
        await page.reload();
        await chairs.getByText(kept.name, { exact: true }).waitFor();
        page.once("dialog", (d) => void d.accept());
        await page.getByRole("button", { name: `Archive ${kept.name}` }).click();
        await page.getByRole("list", { name: "Archived chairs" }).getByText(kept.name, { exact: true }).waitFor();
        await chairs.getByText(kept.name, { exact: true }).waitFor({ state: "detached" });
        expect((await api("GET", "/api/chairs?archived=true")).some((c) => c.id === kept.id), "the chair is archived");
        await checkA11y(page, "chairs with an archived one");
        await page.screenshot({ path: join(resultsDir, "chairs-archived.png"), fullPage: true });

        // A closure: the last day before the first is the API's message next to "Last day".
        await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Closures & time off" }).click();
        await page.getByRole("heading", { name: "Closures and time off", level: 1 }).waitFor();
        const day = randomFutureDate();
        const reason = unique("Holiday ");
        const closure = page.getByRole("form", { name: "Close the clinic or give time off" });
        await closure.getByLabel("First day").fill(day);
        await closure.getByLabel("Last day").fill("2030-01-01");
        await closure.getByLabel("Reason (optional)").fill(reason);
        await closure.getByRole("button", { name: "Add" }).click();
        await closure.locator(".field-error").getByText("To must not be before from").waitFor();
        await checkA11y(page, "closures with an error");
        await closure.getByLabel("Last day").fill("");
        await closure.getByRole("button", { name: "Add" }).click();
        await page.getByText(/^Closure added: /).waitFor();
        await page.getByLabel("From").fill(day);
        await page.getByLabel("To", { exact: true }).fill(day);
        await page.getByRole("button", { name: "Show" }).click();
        const listed = page.getByRole("list", { name: "Closures" }).locator("li").filter({ hasText: reason });
        await listed.getByText("Clinic closed").waitFor();
        const stored = (await api("GET", `/api/schedule/closures?from=${day}&to=${day}`)).find((c) => c.reason === reason);
        expect(stored && stored.from === day && stored.to === day && stored.dentistId === null, `stored: ${JSON.stringify(stored)}`);
        await checkA11y(page, "closures");
        page.once("dialog", (d) => void d.accept());
        await listed.getByRole("button", { name: /^Remove closure/ }).click();
        await listed.waitFor({ state: "detached" });

        // Opening hours: Monday with a lunch break, first overlapping (the API names the interval), then right.
        await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Hours" }).click();
        await page.getByRole("heading", { name: "The clinic's opening hours" }).waitFor();
        for (const d of ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]) {
          while (await page.getByRole("button", { name: `Remove ${d} 1` }).count()) await page.getByRole("button", { name: `Remove ${d} 1` }).click();
        }
        await page.getByRole("button", { name: "Add hours on Monday" }).click();
        await page.getByRole("button", { name: "Add hours on Monday" }).click();
        await page.getByLabel("Monday 1: From").fill("08:00");
        await page.getByLabel("Monday 1: To").fill("12:30");
        await page.getByLabel("Monday 2: From").fill("12:00");
        await page.getByLabel("Monday 2: To").fill("11:00");
        await page.getByRole("button", { name: "Save hours" }).click();
        // The end before its start, next to Monday 2's end.
        await page.getByText("End must be after start").waitFor();
        const endError = await page.getByLabel("Monday 2: To").getAttribute("aria-describedby");
        await page.locator(`#${endError}`).getByText("End must be after start").waitFor();
        await page.getByLabel("Monday 2: To").fill("18:00");
        await page.getByRole("button", { name: "Save hours" }).click();
        // Overlapping intervals: the API names the interval (intervals[0], and the other one too), and the message shows there.
        await page.getByText("The interval overlaps another interval of the same weekday").first().waitFor();
        const overlap = await page.getByLabel("Monday 1: From").getAttribute("aria-describedby");
        await page.locator(`#${overlap}`).getByText("The interval overlaps another interval of the same weekday").waitFor();
        await checkA11y(page, "hours with an error");
        await page.getByLabel("Monday 2: From").fill("13:30");
        await page.getByRole("button", { name: "Copy Monday to Tuesday–Friday" }).click();
        await page.getByRole("button", { name: "Save hours" }).click();
        await page.getByText("Saved: 10 intervals.").waitFor();
        const hours = await api("GET", "/api/schedule/hours");
        const monday = hours.clinic.filter((i) => i.weekday === 1).map((i) => `${i.start}-${i.end}`).join(",");
        expect(monday === "08:00-12:30,13:30-18:00", `Monday with a lunch break: ${monday}`);
        expect(hours.clinic.length === 10 && !hours.clinic.some((i) => i.weekday > 5), `Monday to Friday: ${JSON.stringify(hours.clinic)}`);
        await page.reload();
        expect(await page.getByLabel("Friday 2: From").inputValue() === "13:30", "the hours are there after a reload");
        await page.getByText("Closed").first().waitFor(); // the weekend
        await checkA11y(page, "hours");
      } finally {
        // Leave the clinic's hours as they were: the other tests book at any time.
        await api("PUT", "/api/schedule/hours/clinic", { intervals: before.clinic });
      }
    },
  },
  {
    name: "a dentist sets their own hours and time off on a phone",
    viewport: phone,
    async run({ page }) {
      const email = `${unique("dentist")}@clinic.test`;
      const name = `Dr ${uniqueName("Hours")}`;
      const dentist = await api("POST", "/api/users", { name, email, role: "dentist", password: "Dentist-password-1", calendarColor: "#22aa66" });
      await page.goto("/sign-in?next=%2Fsettings%2Fhours");
      await signIn(page, email, "Dentist-password-1");
      await page.getByRole("heading", { name: `Working hours of ${name}` }).waitFor();
      await page.getByText(`No hours of their own: ${name} works the clinic's hours.`).waitFor();
      await page.getByRole("button", { name: "Add hours on Tuesday" }).click();
      await page.getByLabel("Tuesday 1: From").fill("13:00");
      await page.getByLabel("Tuesday 1: To").fill("20:00");
      await page.getByRole("button", { name: "Save hours" }).click();
      await page.getByText("Saved: 1 interval.").waitFor();
      const own = (await api("GET", "/api/schedule/hours")).dentists.find((d) => d.dentistId === dentist.id);
      expect(own && own.intervals.length === 1 && own.intervals[0].weekday === 2 && own.intervals[0].end === "20:00", `own hours: ${JSON.stringify(own)}`);

      // The clinic's hours are read-only for a dentist.
      await page.getByLabel("Hours of", { exact: true }).selectOption("clinic");
      await page.getByText("Only admins change the clinic's opening hours.").waitFor();
      expect(await page.getByRole("button", { name: "Save hours" }).count() === 0, "no saving the clinic's hours");
      await checkA11y(page, "hours (dentist, phone)");

      // Time off for themselves (a dentist cannot close the clinic).
      await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Closures & time off" }).click();
      const form = page.getByRole("form", { name: "Add time off" });
      await form.getByLabel("Who").locator("option", { hasText: name }).waitFor({ state: "attached" });
      expect(await form.getByLabel("Who").locator("option").count() === 1, "only themselves");
      const day = randomFutureDate();
      await form.getByLabel("First day").fill(day);
      await form.getByLabel("Reason (optional)").fill("Conference");
      await form.getByRole("button", { name: "Add" }).click();
      await page.getByText(/^Time off added: /).waitFor();
      const off = (await api("GET", `/api/schedule/closures?from=${day}&to=${day}`)).find((c) => c.dentistId === dentist.id);
      expect(off && off.reason === "Conference", `time off: ${JSON.stringify(off)}`);
      await page.getByLabel("From").fill(day);
      await page.getByLabel("To", { exact: true }).fill(day);
      await page.getByRole("button", { name: "Show" }).click();
      await page.getByRole("list", { name: "Closures" }).getByText(`Time off: ${name}`).waitFor();
      await checkA11y(page, "closures (dentist, phone)");
      await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Hours" }).click();
      await page.getByLabel("Tuesday 1: From").waitFor();
    },
  },
];
