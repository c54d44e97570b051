// The calendar: book from a free slot (availability), the booking rules in words, status changes,
// move, cancel with a reason, the week view, columns per chair and per dentist, on a phone.
import { api, checkA11y, expect, phone, randomFutureDate, randomPhone, signIn, unique, uniqueName } from "./harness.mjs";

async function setup() {
  const type = await api("/api/appointment-types", { method: "POST", body: { name: uniqueName("Checkup "), price: 60, duration: 30, color: "#F59E0B" } });
  const lastName = uniqueName("Booker");
  const patient = await api("/api/patients", { method: "POST", body: { firstName: "Bea", lastName, mobileNumber: randomPhone() } });
  return { type, patient, date: randomFutureDate() };
}

/** A weekday at least two days ago (on or before "today" in any clinic time zone): arrived and completed are allowed. */
function randomPastDate() {
  for (;;) {
    const date = new Date(Date.UTC(2020 + Math.floor(Math.random() * 5), Math.floor(Math.random() * 12), 1 + Math.floor(Math.random() * 28)));
    if (date.getUTCDay() >= 1 && date.getUTCDay() <= 5) return date.toISOString().slice(0, 10);
  }
}

async function open(page, path) {
  await page.goto(`/sign-in?next=${encodeURIComponent(path)}`);
  await signIn(page);
}

/** Chooses the patient in the booking form by typing part of the name. */
async function choosePatient(page, form, patient) {
  await form.getByRole("combobox", { name: "Patient" }).pressSequentially(patient.lastName.slice(0, 14), { delay: 20 });
  await page.getByRole("option", { name: new RegExp(patient.lastName) }).click();
}

const block = (page, time, patient) => page.getByRole("button", { name: new RegExp(`^${time}–\\d\\d:\\d\\d ${patient.firstName} ${patient.lastName}`) });

export const tests = [
  {
    name: "book from a free slot on the calendar; a clash is explained in words",
    async run({ page }) {
      const data = await setup();
      await open(page, `/calendar?date=${data.date}`);
      await page.getByText("No appointments on this day.").waitFor();
      await checkA11y(page, "empty day");

      // The free slots of the day for the type (GET /api/appointments/availability), then the form prefilled.
      await page.getByRole("button", { name: "Book an appointment" }).click();
      const finder = page.getByRole("region", { name: "Find a free slot" });
      await finder.getByLabel("Type").selectOption({ label: `${data.type.name} (${data.type.duration} min)` });
      await finder.getByRole("list", { name: /^Free slots on/ }).waitFor();
      await checkA11y(page, "free slots");
      await finder.getByRole("button", { name: /^10:00–10:30/ }).click();
      const form = page.getByRole("region", { name: "Book an appointment" });
      expect(await form.getByLabel("Time").inputValue() === "10:00", "the slot's time is filled in");
      expect(await form.getByLabel("Date").inputValue() === data.date, "the slot's date is filled in");
      expect(await form.getByLabel("Type").inputValue() === data.type.id, "the type is filled in");
      await choosePatient(page, form, data.patient);
      await form.getByRole("button", { name: "Book", exact: true }).click();
      await page.getByText(`Booked Bea ${data.patient.lastName}`).waitFor();
      await block(page, "10:00", data.patient).waitFor();
      const booked = await api(`/api/appointments?from=${data.date}&to=${data.date}&patientId=${data.patient.id}`);
      expect(booked.data.length === 1 && booked.data[0].time === "10:00", `booked at 10:00: ${JSON.stringify(booked.data)}`);
      await checkA11y(page, "day with an appointment");

      // The same patient again at 10:00, from a free time on the grid: refused (409), explained, booked anyway by an admin.
      await page.getByRole("button", { name: /^Book at 09:30/ }).first().click();
      await form.getByLabel("Time").fill("10:00");
      await form.getByLabel("Type").selectOption({ label: `${data.type.name} (${data.type.duration} min)` });
      await choosePatient(page, form, data.patient);
      await form.getByRole("button", { name: "Book", exact: true }).click();
      const warning = form.locator(".alert.warn");
      await warning.waitFor();
      const text = await warning.innerText();
      expect(/already has another appointment|busy|already/i.test(text), `the clash is explained in words: ${text}`);
      expect(!/allowOverlap/.test(text), `the API's hint for programmers is left out: ${text}`);
      await checkA11y(page, "booking refused");
      await form.getByRole("button", { name: "Book anyway" }).click();
      await page.getByText(`Booked Bea ${data.patient.lastName}`).waitFor();
      await page.waitForFunction(() => document.querySelectorAll(".calendar .appointment").length === 2);
    },
  },
  {
    name: "mark an appointment arrived and then completed; move another, cancel it with a reason",
    async run({ page }) {
      const data = await setup();
      // Arrived and completed are allowed on or after the appointment's day: a day already past.
      const past = randomPastDate();
      await api("/api/appointments", { method: "POST", body: { patientId: data.patient.id, appointmentTypeId: data.type.id, date: past, time: "09:00", allowOverlap: true } });
      await open(page, `/calendar?date=${past}`);
      await block(page, "09:00", data.patient).click();
      const panel = page.getByRole("region", { name: /09:00–09:30/ });
      await panel.getByRole("button", { name: "Mark arrived" }).click();
      await page.getByText(`Bea ${data.patient.lastName}: Arrived.`).waitFor();
      await panel.getByText("Arrived", { exact: true }).waitFor();
      await checkA11y(page, "appointment panel");
      await panel.getByRole("button", { name: "Mark completed" }).click();
      await page.getByText(`Bea ${data.patient.lastName}: Completed.`).waitFor();
      await block(page, "09:00", data.patient).filter({ hasText: "Completed" }).waitFor();
      const [done] = (await api(`/api/appointments?from=${past}&to=${past}&patientId=${data.patient.id}`)).data;
      expect(done?.status === "completed", `completed in the API: ${done?.status}`);
      expect(await panel.getByRole("button", { name: "Mark arrived" }).count() === 0, "completed is final: no more status changes");

      // A future appointment: confirm, move (the API's own message next to the time), cancel with a reason.
      await api("/api/appointments", { method: "POST", body: { patientId: data.patient.id, appointmentTypeId: data.type.id, date: data.date, time: "09:00" } });
      await page.goto(`/calendar?date=${data.date}`);
      await block(page, "09:00", data.patient).click();
      const future = page.getByRole("region", { name: /09:00–09:30/ });
      expect(await future.getByRole("button", { name: "Mark arrived" }).count() === 0, "not arrived before the day");
      await future.getByRole("button", { name: "Confirm" }).click();
      await page.getByText(`Bea ${data.patient.lastName}: Confirmed.`).waitFor();
      await future.getByRole("button", { name: "Move" }).click();
      await future.getByLabel("New time").fill("23:45");
      await future.getByRole("button", { name: "Move", exact: true }).last().click();
      await future.locator(".field-error").filter({ hasText: /midnight/ }).waitFor();
      await future.getByLabel("New time").fill("11:30");
      await future.getByRole("button", { name: "Move", exact: true }).last().click();
      await page.getByText(/Moved Bea .* at 11:30/).waitFor();
      await block(page, "11:30", data.patient).waitFor();

      const moved = page.getByRole("region", { name: /11:30–12:00/ });
      await moved.getByRole("button", { name: "Cancel appointment" }).click();
      await moved.getByLabel("Reason (optional)").fill("Patient has the flu");
      await moved.getByRole("button", { name: "Yes, cancel it" }).click();
      await page.getByText(/Cancelled Bea/).waitFor();
      await block(page, "11:30", data.patient).filter({ hasText: "Cancelled" }).waitFor();
      await moved.getByText("Patient has the flu").waitFor();
      await checkA11y(page, "day with a cancelled appointment");
    },
  },
  {
    name: "the week view shows the appointment; the day in columns per chair and per dentist",
    async run({ page }) {
      const data = await setup();
      const chairs = [];
      let dentist = null;
      try {
        for (const n of [1, 2]) chairs.push(await api("/api/chairs", { method: "POST", body: { name: unique(`Surgery ${n} `), color: n === 1 ? "#3366CC" : "#22AA66", displayOrder: 900 + n } }));
        dentist = await api("/api/users", {
          method: "POST", body: { name: uniqueName("Dr Col "), email: `${unique("dentist")}@clinic.test`, role: "dentist", password: "Dentist-password-1", calendarColor: "#AA3366" },
        });
        await api("/api/appointments", {
          method: "POST", body: { patientId: data.patient.id, appointmentTypeId: data.type.id, date: data.date, time: "14:00", chairId: chairs[1].id, dentistId: dentist.id },
        });

        await open(page, `/calendar?view=week&date=${data.date}`);
        await page.getByRole("heading", { name: /^Week of/ }).waitFor();
        const day = page.getByRole("region", { name: new RegExp(new Date(`${data.date}T12:00:00`).toLocaleDateString("en-US", { weekday: "short" })) });
        await day.getByRole("button", { name: new RegExp(`^14:00–14:30 Bea ${data.patient.lastName}`) }).waitFor();
        expect(await page.locator(".week-day").count() === 7, "seven days in the week");
        await checkA11y(page, "week view");
        // Next week has not got it; back again.
        await page.getByRole("button", { name: "Next week" }).click();
        await page.waitForURL((url) => url.searchParams.get("date") !== data.date);
        expect(await block(page, "14:00", data.patient).count() === 0, "next week is another week");
        await page.getByRole("button", { name: "Previous week" }).click();
        await block(page, "14:00", data.patient).waitFor();

        // The day from the week's heading: columns per chair, the appointment in its chair.
        await day.getByRole("button", { name: /open the day/ }).click();
        await page.waitForURL((url) => url.searchParams.get("view") === "day" && url.searchParams.get("date") === data.date);
        await page.getByRole("group", { name: chairs[0].name }).waitFor();
        await page.getByRole("group", { name: chairs[1].name }).getByRole("button", { name: new RegExp(`^14:00–14:30 Bea ${data.patient.lastName}`) }).waitFor();
        expect(await page.getByRole("group", { name: chairs[0].name }).locator(".appointment").count() === 0, "not in the other chair");
        await checkA11y(page, "day per chair");

        // Per dentist; the choice survives a reload (it is in the address).
        await page.getByRole("button", { name: "Per dentist" }).click();
        await page.waitForURL((url) => url.searchParams.get("by") === "dentist");
        await page.reload();
        await page.getByRole("group", { name: dentist.name }).getByRole("button", { name: new RegExp(`^14:00–14:30 Bea ${data.patient.lastName}`) }).waitFor();
        expect(await page.getByRole("button", { name: "Per dentist" }).getAttribute("aria-pressed") === "true", "per dentist is still chosen");
        await checkA11y(page, "day per dentist");
        // A free time in a dentist's column books with that dentist.
        await page.getByRole("button", { name: `Book at 16:00 with ${dentist.name}` }).click();
        expect(await page.getByRole("region", { name: "Book an appointment" }).getByLabel("Dentist").inputValue() === dentist.id, "the column's dentist is chosen");
      } finally {
        // Other tests book without chairs and dentists in mind: archive and deactivate these again.
        for (const c of chairs) await api(`/api/chairs/${c.id}`, { method: "DELETE" }).catch(() => {});
        if (dentist) await api(`/api/users/${dentist.id}`, { method: "DELETE" }).catch(() => {});
      }
    },
  },
  {
    name: "a closed day shows on the calendar; from a patient's page the slot finder books for that patient",
    async run({ page }) {
      const data = await setup();
      const closure = await api("/api/schedule/closures", { method: "POST", body: { from: data.date, to: data.date, dentistId: null, reason: "Staff training" } });
      try {
        await open(page, `/calendar?date=${data.date}&patient=${data.patient.id}`);
        const finder = page.getByRole("region", { name: "Find a free slot" });
        await page.getByText("The clinic is closed on this day (Staff training).").waitFor();
        await finder.getByLabel("Type").selectOption({ label: `${data.type.name} (${data.type.duration} min)` });
        await finder.getByText("No free slot for this type on this day.").waitFor();
        await checkA11y(page, "closed day, no free slot");

        // The next day has free slots; the form comes with the patient chosen.
        await page.getByRole("button", { name: "Next day" }).click();
        await finder.getByRole("button", { name: /^09:00–09:30/ }).click();
        const form = page.getByRole("region", { name: "Book an appointment" });
        await form.getByText(`Bea ${data.patient.lastName}`).waitFor();
        await form.getByRole("button", { name: "Book", exact: true }).click();
        await page.getByText(`Booked Bea ${data.patient.lastName}`).waitFor();

        await page.getByRole("button", { name: "Week", exact: true }).click();
        await page.getByText("Closed: Staff training").waitFor();
        await block(page, "09:00", data.patient).waitFor();
      } finally {
        await api(`/api/schedule/closures/${closure.id}`, { method: "DELETE" }).catch(() => {});
      }
    },
  },
  {
    name: "the calendar on a phone",
    viewport: phone,
    async run({ page }) {
      const data = await setup();
      await api("/api/appointments", { method: "POST", body: { patientId: data.patient.id, appointmentTypeId: data.type.id, date: data.date, time: "14:00" } });
      await open(page, `/calendar?date=${data.date}&view=week`);
      await block(page, "14:00", data.patient).waitFor();
      await checkA11y(page, "week on a phone");
      await page.getByRole("button", { name: "Day", exact: true }).click();
      await page.waitForURL((url) => url.searchParams.get("view") === "day");
      await block(page, "14:00", data.patient).click();
      await page.getByRole("region", { name: /14:00–14:30/ }).waitFor();
      await checkA11y(page, "calendar on a phone");
    },
  },
];
