/**
 * `npm run bench -- page-weight <url>`: the JavaScript one page of a running
 * local server ships, measured as the halls benchmark measures the hall page
 * (lib/page-weight.ts: a visitor's Chromium, every script until the network is
 * quiet, gzip). Prints each script and the total against the budget
 * (targets.md: < 120 KB), then one JSON line; exits 1 over the budget.
 * Without a whole benchmark run: start the server (`npm run serve` after a
 * build) and point this at, say, http://127.0.0.1:3000/halls/1.
 */
import { JS_BUDGET_BYTES, measurePageWeight } from "./lib/page-weight";

const url = process.argv[2];
if (!url) {
  console.error("Usage: npm run bench -- page-weight <url of a page on a local server>");
  process.exit(2);
}
const weight = await measurePageWeight(url, { acceptLanguage: process.env.ACCEPT_LANGUAGE });
const kb = (bytes: number) => (bytes / 1024).toFixed(1);
for (const s of weight.scripts) console.log(`  ${kb(s.bytes).padStart(6)} KB  ${kb(s.rawBytes).padStart(6)} KB raw  ${s.url}`);
const within = weight.jsBytes < JS_BUDGET_BYTES;
console.log(`  total ${kb(weight.jsBytes)} KB gzip (${kb(weight.jsRawBytes)} KB raw), budget < ${kb(JS_BUDGET_BYTES)} KB: ${within ? "ok" : "MISSED"}`);
console.log(JSON.stringify({ url, js_gzip_kb: Number(kb(weight.jsBytes)), js_raw_kb: Number(kb(weight.jsRawBytes)), files: weight.scripts.length, hydrated: weight.hydrated, within }));
process.exit(within && weight.hydrated ? 0 : 1);
