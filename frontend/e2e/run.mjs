// The browser tests: node e2e/run.mjs [part of a test name]. E2E_BASE_URL names the API serving the
// built app (./test.sh starts one). Every e2e/*.test.mjs exports `tests` ([{ name, viewport?, run }]).
// Prints each test and "e2e: N passed, N failed".
import { readdirSync } from "node:fs";
import { runAll } from "./harness.mjs";

const files = readdirSync(new URL(".", import.meta.url)).filter((f) => f.endsWith(".test.mjs")).sort();
const all = [];
for (const file of files) all.push(...(await import(`./${file}`)).tests);
const { passed, failed } = await runAll(all, { only: process.argv[2] });
console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
