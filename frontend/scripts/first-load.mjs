// Prints the first-load JavaScript of pages of the built app (out/), gzipped, and fails when one is
// over the budget:  node scripts/first-load.mjs [page.html …]   (default: sign-in and the patient's form)
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const budgetKb = 200;
const out = new URL("../out/", import.meta.url);
const pages = process.argv.slice(2).length ? process.argv.slice(2) : ["sign-in.html", "medical-history.html"];
let over = false;
for (const page of pages) {
  const html = readFileSync(new URL(page, out), "utf8");
  // Every script the page loads (modern browsers skip the noModule polyfills), and its inline payload.
  const sources = new Set([...html.matchAll(/<script\s+src="([^"]+)"(?![^>]*noModule)[^>]*>/g)].map((m) => m[1]));
  const linked = [...html.matchAll(/<link rel="preload" as="script"[^>]*href="([^"]+)"/g)].map((m) => m[1]);
  linked.forEach((s) => sources.add(s));
  let bytes = 0;
  for (const src of sources) bytes += gzipSync(readFileSync(new URL("." + src, out))).length;
  const inline = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join("");
  bytes += gzipSync(Buffer.from(inline)).length;
  const kb = bytes / 1024;
  over ||= kb > budgetKb;
  console.log(`first-load JS of /${page.replace(/\.html$/, "")}: ${kb.toFixed(1)} kB gzipped (${sources.size} scripts; budget ${budgetKb} kB)`);
}
process.exit(over ? 1 : 0);
