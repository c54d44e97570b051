// The patient's form at /medical-history/<token>: opened on a phone without signing in, every
// question type, a signature drawn with the mouse, the API's field errors, and links that cannot be used; the
// submission and its signature on the staff patient page.
import { createFormLink, createPatient, setQuestions } from "./api.mjs";
import { checkA11y, desktop, expect, phone, signIn, uniqueName } from "./harness.mjs";

/** Draws a stroke across the signature box with the mouse. */
async function drawSignature(page) {
  const box = await page.getByTestId("signature-pad").boundingBox();
  expect(box && box.width > 200, "the signature box is on screen");
  const y = box.y + box.height / 2;
  await page.mouse.move(box.x + 20, y);
  await page.mouse.down();
  for (let i = 1; i <= 12; i++) await page.mouse.move(box.x + 20 + i * ((box.width - 40) / 12), y + (i % 2 ? -25 : 25), { steps: 3 });
  await page.mouse.up();
}

const pathOf = (url) => new URL(url).pathname;

export const tests = [
  {
    name: "a patient fills the form on a phone: every question type, a drawn signature, submit",
    viewport: phone,
    async run({ page }) {
      const questions = await setQuestions([
        { question: "Do you smoke?", type: "radio", options: ["Yes", "No"], required: true },
        { question: "Do you have any of these?", type: "checkbox", options: ["Diabetes", "Asthma", "Heart condition"] },
        { question: "Your doctor's name", type: "text" },
        { question: "Medicines you take", type: "textarea", required: true },
      ]);
      expect(questions.length === 4, "questionnaire set");
      const patient = await createPatient(uniqueName("Form"), { dateOfBirth: "1985-04-12" });
      const link = await createFormLink(patient.id);
      expect(pathOf(link.url) === `/medical-history/${link.token}`, `the link points at the app's form page: ${link.url}`);

      await page.goto(pathOf(link.url));
      await page.getByRole("heading", { name: "Medical history" }).waitFor();
      await page.getByText("Hello Ana").waitFor();
      await checkA11y(page, "the patient's form");

      // Sent empty: the API's messages appear next to the fields they name.
      await page.getByRole("button", { name: "Send to the clinic" }).click();
      await page.getByText("Please check the answers marked below.").waitFor();
      await page.getByText("Date of birth is required").waitFor();
      await page.getByText("Signature is required").waitFor();
      await checkA11y(page, "the patient's form with errors");

      // Signed, but with a wrong date of birth and the required questions left out.
      await page.getByLabel(/^Date of birth/).fill("1990-01-01");
      await drawSignature(page);
      await page.getByRole("button", { name: "Send to the clinic" }).click();
      await page.getByText("Date of birth does not match our records").waitFor();
      await page.getByRole("group", { name: "Do you smoke? *" }).getByText('An answer to "Do you smoke?" is required').waitFor();
      await page.getByText('An answer to "Medicines you take" is required').waitFor();
      expect(await page.getByLabel("Medicines you take *").getAttribute("aria-invalid") === "true", "the textarea is marked invalid");

      // Every question type, by keyboard where a patient would type.
      await page.getByRole("group", { name: "Do you smoke? *" }).getByLabel("Yes").check();
      const conditions = page.getByRole("group", { name: "Do you have any of these?" });
      await conditions.getByLabel("Diabetes").check();
      await conditions.getByLabel("Asthma").check();
      await conditions.getByLabel("Diabetes").uncheck();
      await conditions.getByLabel("Heart condition").check();
      await page.getByLabel("Your doctor's name").fill("Dr. Rivera");
      await page.getByLabel("Medicines you take *").fill("Aspirin 100 mg\nVitamin D");
      await page.getByLabel(/^Date of birth/).fill("1985-04-12");
      await page.getByRole("button", { name: "Clear signature" }).click();
      await drawSignature(page);
      await page.getByText("Signed.").waitFor();
      await page.getByRole("button", { name: "Send to the clinic" }).click();
      await page.getByRole("heading", { name: "Thank you, Ana" }).waitFor();
      await checkA11y(page, "the form sent");

      // What the clinic received: the answers, the date of birth and a signature image.
      const { api } = await import("./api.mjs");
      const [submission] = await api("GET", `/api/medical-history/patient/${patient.id}`);
      expect(submission?.dateOfBirth === "1985-04-12", "date of birth stored");
      const answers = Object.fromEntries(submission.answers.map((a) => [a.question, a.answer]));
      expect(answers["Do you smoke?"] === "Yes", `radio answer ${JSON.stringify(answers)}`);
      expect(JSON.stringify(answers["Do you have any of these?"]) === JSON.stringify(["Asthma", "Heart condition"]), "checkbox answers");
      expect(answers["Your doctor's name"] === "Dr. Rivera", "text answer");
      expect(answers["Medicines you take"] === "Aspirin 100 mg\nVitamin D", "textarea answer");
      const image = await fetch(submission.signatureUrl);
      expect(image.ok && image.headers.get("content-type") === "image/png", "the drawn signature is a PNG");
      expect((await image.arrayBuffer()).byteLength > 1000, "the signature image holds the drawing");

      // The clinic's side: the patient page shows the submission, its answers and the signature image.
      await page.setViewportSize(desktop);
      await page.goto(`/sign-in?next=${encodeURIComponent(`/patient?id=${patient.id}`)}`);
      await signIn(page);
      const shown = page.getByRole("article", { name: /^Submitted / });
      await shown.waitFor();
      await shown.getByText("Aspirin 100 mg").waitFor();
      const medicines = await shown.locator("dd", { hasText: "Aspirin 100 mg" }).innerText();
      expect(medicines === "Aspirin 100 mg\nVitamin D", `a multi-line answer keeps its lines (shown: ${JSON.stringify(medicines)})`);
      await shown.getByText("Asthma, Heart condition").waitFor();
      await shown.getByText("Dr. Rivera").waitFor();
      const signature = shown.getByRole("img", { name: `Signature of Ana ${patient.lastName}` });
      await signature.scrollIntoViewIfNeeded();
      await page.waitForFunction((img) => img.complete && img.naturalWidth > 0, await signature.elementHandle());
      await checkA11y(page, "the patient page with the submission");
    },
  },
  {
    name: "a used link and an unknown link show the right message",
    viewport: phone,
    async run({ page }) {
      await setQuestions([{ question: "Any allergies?", type: "text" }]);
      const patient = await createPatient(uniqueName("Used"), { dateOfBirth: "1970-02-03" });
      const link = await createFormLink(patient.id);
      await page.goto(pathOf(link.url));
      await page.getByLabel(/^Date of birth/).fill("1970-02-03");
      await page.getByLabel("Or type your full name to sign").fill("Ana Used");
      await page.getByRole("button", { name: "Send to the clinic" }).click();
      await page.getByRole("heading", { name: "Thank you, Ana" }).waitFor();

      await page.goto("/medical-history/no-such-token-0123456789");
      await page.getByText("This link is not valid. Please ask the clinic for a new one.").waitFor();
      await checkA11y(page, "an unknown link");

      await page.goto(pathOf(link.url));
      await page.getByText("This medical-history link has already been used. Please ask the clinic for a new link.").waitFor();
      await checkA11y(page, "a used link");
    },
  },
];
