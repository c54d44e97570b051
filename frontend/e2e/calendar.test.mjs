// The calendar: book from a free time, the booking rules in words, status changes, move, cancel.
import { api, checkA11y, expect, phone, randomFutureDate, randomPhone, signIn, uniqueName } from "./harness.mjs";

async function setup() {
  const type = await api("/api/appointment-types", { method: "POST", body: { name: uniqueName("Checkup "), price: 60, duration: 30, color: "#F59E0B" } });
  const lastName = uniqueName("Booker");
  const patient = await api("/api/patients", { method: "POST", body: { firstName: "Bea", lastName, mobileNumber: randomPhone() } });
  return { type, patient, date: randomFutureDate() };
}

/** Books from the free time on the grid, or (`taken`) through the toolbar's button and the time field. */
async function book(page, { patient, type }, time, { taken = false } = {}) {
  if (taken) await page.getByRole("button", { name: "Book an appointment" }).click();
  else await page.getByRole("button", { name: new RegExp(` at ${time}$`) }).click();
  const form = page.getByRole("region", { name: "Book an appointment" });
  if (taken) await form.getByLabel("Time").fill(time);
  await form.getByRole("combobox", { name: "Patient" }).pressSequentially(patient.lastName.slice(0, 8), { delay: 20 });
  await page.getByRole("option", { name: new RegExp(patient.lastName) }).click();
  await form.getByLabel("Type").selectOption({ label: `${type.name} (${type.duration} min)` });
  expect(await form.getByLabel("Time").inputValue() === time, "the chosen time is filled in");
  await form.getByRole("button", { name: "Book", exact: true }).click();
  return form;
}

export const tests = [
  {
    name: "book from a free time on the calendar; a clash is explained",
    async run({ page }) {
      const data = await setup();
      await page.goto(`/sign-in?next=${encodeURIComponent(`/calendar?date=${data.date}`)}`);
      await signIn(page);
      await page.getByText("No appointments on this day.").waitFor();
      await checkA11y(page, "empty day");
      await book(page, data, "10:00");
      await page.getByText(`Booked Bea ${data.patient.lastName}`).waitFor();
      const block = page.getByRole("button", { name: new RegExp(`^10:00–10:30 Bea ${data.patient.lastName}`) });
      await block.waitFor();
      await checkA11y(page, "day with an appointment");

      // The same patient again at 10:00: refused (409), explained, and an admin may book anyway.
      const form = await book(page, data, "10:00", { taken: true });
      await form.locator(".alert.warn").waitFor();
      const text = await form.locator(".alert.warn").innerText();
      expect(/overlap|already|busy/i.test(text), `the clash is explained: ${text}`);
      await checkA11y(page, "booking refused");
      await form.getByRole("button", { name: "Book anyway" }).click();
      await page.getByText(`Booked Bea ${data.patient.lastName}`).waitFor();
      await page.waitForFunction(() => document.querySelectorAll(".appointment").length === 2);
    },
  },
  {
    name: "change an appointment's status, move it, cancel it",
    async run({ page }) {
      const data = await setup();
      await api("/api/appointments", { method: "POST", body: { patientId: data.patient.id, appointmentTypeId: data.type.id, date: data.date, time: "09:00" } });
      await page.goto(`/sign-in?next=${encodeURIComponent(`/calendar?date=${data.date}`)}`);
      await signIn(page);
      await page.getByRole("button", { name: new RegExp(`^09:00–09:30 Bea`) }).click();
      const panel = page.getByRole("region", { name: /09:00–09:30/ });
      await panel.getByRole("button", { name: "Confirm" }).click();
      await page.getByText(`Bea ${data.patient.lastName}: Confirmed.`).waitFor();
      await checkA11y(page, "appointment panel");

      await panel.getByRole("button", { name: "Move" }).click();
      await panel.getByLabel("New time").fill("11:30");
      await panel.getByRole("button", { name: "Move", exact: true }).last().click();
      await page.getByText(/Moved Bea .* at 11:30/).waitFor();
      await page.getByRole("button", { name: new RegExp(`^11:30–12:00 Bea`) }).waitFor();

      await page.getByRole("region", { name: /11:30–12:00/ }).getByRole("button", { name: "Cancel appointment" }).click();
      await page.getByRole("button", { name: "Yes, cancel it" }).click();
      await page.getByText(/Cancelled Bea/).waitFor();
      await page.getByRole("button", { name: /^11:30–12:00 Bea .*Cancelled$/ }).waitFor();
      await checkA11y(page, "day with a cancelled appointment");
    },
  },
  {
    name: "the calendar on a phone",
    viewport: phone,
    async run({ page }) {
      const data = await setup();
      await api("/api/appointments", { method: "POST", body: { patientId: data.patient.id, appointmentTypeId: data.type.id, date: data.date, time: "14:00" } });
      await page.goto(`/sign-in?next=${encodeURIComponent(`/calendar?date=${data.date}`)}`);
      await signIn(page);
      await page.getByRole("button", { name: new RegExp(`^14:00–14:30 Bea`) }).waitFor();
      await checkA11y(page, "calendar on a phone");
    },
  },
];
