// Money at the desk: record a treatment, take a payment, print its receipt, refund and void it, the
// day's takings.
import { api, checkA11y, expect, randomPhone, signIn, uniqueName } from "./harness.mjs";

export const tests = [
  {
    name: "record a treatment, take a payment, print the receipt, refund, void, see the takings",
    async run({ page }) {
      const type = await api("/api/appointment-types", { method: "POST", body: { name: uniqueName("Crown "), price: 300, duration: 60, color: "#7C3AED" } });
      const lastName = uniqueName("Payer");
      const patient = await api("/api/patients", { method: "POST", body: { firstName: "Pat", lastName, mobileNumber: randomPhone() } });
      await page.goto(`/sign-in?next=${encodeURIComponent(`/patient?id=${patient.id}`)}`);
      await signIn(page);
      await page.getByRole("heading", { name: `Pat ${lastName}`, level: 1 }).waitFor();

      // A treatment of 300 on tooth 3.
      await page.getByRole("button", { name: "Record a treatment" }).click();
      const treatment = page.getByRole("form", { name: "Record a treatment" });
      await treatment.getByLabel("Tooth").selectOption("3");
      await treatment.getByLabel("Treatment type").selectOption({ label: type.name });
      await treatment.getByRole("button", { name: "Save treatment" }).click();
      await page.getByText("Treatment recorded.").waitFor();
      const account = page.getByRole("region", { name: "Account" });
      await account.locator(".summary dd").first().filter({ hasText: "300.00" }).waitFor();

      // 120 by card at the desk, towards that treatment.
      await account.getByRole("button", { name: "Take a payment" }).click();
      const form = page.getByRole("form", { name: "Take a payment" });
      await form.getByLabel("Amount").fill("120");
      await form.getByLabel("Method").selectOption("card");
      await form.getByLabel("Reference (optional)").fill("SLIP-1");
      await checkA11y(page, "take a payment");
      await form.getByRole("button", { name: "Record payment" }).click();
      await account.getByText("Payment of 120.00 recorded.").waitFor();
      await account.locator(".summary dd").first().filter({ hasText: "180.00" }).waitFor();
      await checkA11y(page, "patient with a payment");

      // The receipt.
      await account.getByRole("link", { name: "Print the receipt" }).click();
      await page.waitForURL(/\/receipt\?id=/);
      await page.getByRole("heading", { name: /^Receipt / }).waitFor();
      await page.getByText("SLIP-1", { exact: false }).waitFor();
      await page.getByRole("button", { name: "Print" }).waitFor();
      await checkA11y(page, "receipt");
      await page.goBack();

      // Refund 20 of it, then void a second payment.
      const payments = page.getByRole("region", { name: "Account" }).locator("table").first();
      await payments.getByRole("button", { name: "Refund" }).first().click();
      const refund = page.getByRole("form", { name: "Refund the payment" });
      await refund.getByLabel("Amount to give back").fill("20");
      await refund.getByLabel("Reason").fill("Goodwill");
      await refund.getByRole("button", { name: "Refund" }).click();
      await page.getByText("Refunded 20.00.").waitFor();
      await payments.getByText("Partly refunded").waitFor();

      await api("/api/payments", { method: "POST", body: { patientId: patient.id, amount: 10, method: "cash" } });
      await page.reload();
      await page.getByRole("heading", { name: `Pat ${lastName}`, level: 1 }).waitFor();
      await page.getByRole("region", { name: "Account" }).getByRole("button", { name: "Void" }).first().click();
      const voiding = page.getByRole("form", { name: "Void the payment" });
      await voiding.getByLabel("Reason").fill("Entered twice");
      await voiding.getByRole("button", { name: "Void payment" }).click();
      await page.getByText("Payment of 10.00 voided.").waitFor();
      await checkA11y(page, "patient after a refund and a void");

      // The day's takings count them.
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Takings" }).click();
      await page.getByRole("heading", { name: "Takings", level: 1 }).waitFor();
      await page.getByText("Net taken").waitFor();
      const net = await page.locator(".summary dd").first().innerText();
      expect(Number(net.replace(/,/g, "")) >= 100, `the net takings include this payment: ${net}`);
      await page.getByRole("cell", { name: /Card/ }).first().waitFor();
      await checkA11y(page, "takings");
    },
  },
];
