// A small end-to-end harness on playwright-core and Debian's Chromium: one browser, a fresh context
// per test, axe on every screen a test visits (serious and critical violations fail it), and a
// screenshot of each test's last screen in test-results/.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { chromium } from "playwright-core";
import AxeBuilder from "@axe-core/playwright";

export const baseUrl = (process.env.E2E_BASE_URL ?? "http://localhost:5080").replace(/\/$/, "");
export const adminEmail = process.env.TEST_ADMIN_EMAIL ?? "admin@clinic.test";
export const adminPassword = process.env.TEST_ADMIN_PASSWORD ?? "Admin-password-1";
export const resultsDir = new URL("../test-results/", import.meta.url).pathname;
const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const chromiumArgs = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--no-first-run"];

export const desktop = { width: 1280, height: 860 };
export const phone = { width: 390, height: 844 };

/** Runs axe on the page as it is; throws on any serious or critical violation. */
export async function checkA11y(page, screen) {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  if (bad.length) {
    const lines = bad.map((v) => `  ${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).slice(0, 3).join(", ")})`);
    throw new Error(`accessibility violations on ${screen}:\n${lines.join("\n")}`);
  }
  return results.violations.length;
}

const slug = (name) => name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");

/** Runs the tests one after another; returns { passed, failed }. */
export async function runAll(tests, { only } = {}) {
  mkdirSync(resultsDir, { recursive: true });
  const browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
  const outcomes = [];
  try {
    for (const t of tests) {
      if (only && !t.name.toLowerCase().includes(only.toLowerCase())) continue;
      const started = Date.now();
      const context = await browser.newContext({ viewport: t.viewport ?? desktop, baseURL: baseUrl });
      context.setDefaultTimeout(15_000);
      const page = await context.newPage();
      const consoleErrors = [];
      page.on("pageerror", (e) => consoleErrors.push(e.message));
      let error = null;
      try {
        await Promise.race([
          t.run({ page, context, browser }),
          new Promise((_, reject) => setTimeout(() => reject(new Error("test timed out after 120 s")), 120_000)),
        ]);
        if (consoleErrors.length) throw new Error(`uncaught errors in the page: ${consoleErrors.join("; ")}`);
      } catch (e) {
        error = e;
      }
      await page.screenshot({ path: join(resultsDir, `${slug(t.name)}.png`), fullPage: true }).catch(() => {});
      await context.close();
      const ms = Date.now() - started;
      outcomes.push({ name: t.name, ok: !error, ms, error: error ? String(error.stack ?? error) : null });
      console.log(error ? `  ✗ ${t.name} (${ms} ms)\n${String(error.message ?? error).replace(/^/gm, "      ")}` : `  ✓ ${t.name} (${ms} ms)`);
    }
  } finally {
    await browser.close();
  }
  const passed = outcomes.filter((o) => o.ok).length;
  const failed = outcomes.length - passed;
  writeFileSync(join(resultsDir, "e2e.json"), JSON.stringify({ passed, failed, tests: outcomes }, null, 2));
  return { passed, failed };
}

/** Signs in through the sign-in page and waits for the page it leads to. */
export async function signIn(page, email = adminEmail, password = adminPassword) {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
}

export function unique(prefix) {
  return `${prefix}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/** Letters only (the search matches word prefixes). */
export const uniqueName = (prefix) => unique(prefix).replace(/[0-9]/g, (d) => "abcdefghij"[Number(d)]);

export function expect(condition, message) {
  if (!condition) throw new Error(message);
}

/** Calls the API directly (to prepare data a test needs but does not test): api(path, { method, body, email, password }). */
export async function api(path, { method = "GET", body, email = adminEmail, password = adminPassword } = {}) {
  const login = await fetch(`${baseUrl}/api/auth/login`, {
    method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password }),
  });
  if (!login.ok) throw new Error(`login as ${email}: ${login.status} ${await login.text()}`);
  const { accessToken } = await login.json();
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${accessToken}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

const digits = (n) => Array.from({ length: n }, () => Math.floor(Math.random() * 10)).join("");
/** A valid, random San Francisco mobile number. */
export const randomPhone = () => `+1 415 2${digits(2)} ${digits(4)}`;

/** A random weekday far in the future, so the bookings of different tests never meet. */
export function randomFutureDate() {
  for (;;) {
    const date = new Date(Date.UTC(2031 + Math.floor(Math.random() * 60), Math.floor(Math.random() * 12), 1 + Math.floor(Math.random() * 28)));
    if (date.getUTCDay() >= 1 && date.getUTCDay() <= 5) return date.toISOString().slice(0, 10);
  }
}
