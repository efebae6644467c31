#!/usr/bin/env node
// Take screenshots of pages of a running site with Debian's Chromium:
//   node scripts/screenshot.mjs http://localhost:3000 out-dir /path [/path …]
// Set SHOT_USER=<demo username> to log in first, SHOT_WIDTH for the viewport width.
import { chromium } from "@playwright/test";
import path from "node:path";

const [base, outDir, ...paths] = process.argv.slice(2);
const width = Number(process.env.SHOT_WIDTH ?? 390);
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
const context = await browser.newContext({ baseURL: base, viewport: { width, height: 844 }, deviceScaleFactor: 1, locale: "zh-CN" });
if (process.env.SHOT_USER) {
  const { DEMO_PASSWORD } = await import("../app/modules/identity/demo-accounts.ts").catch(() => ({ DEMO_PASSWORD: "gongzhi2026" }));
  await context.request.post("/login", { form: { identifier: process.env.SHOT_USER, password: DEMO_PASSWORD, redirectTo: "/" }, headers: { Origin: base }, maxRedirects: 0 });
}
const page = await context.newPage();
for (const p of paths) {
  await page.goto(p);
  await page.waitForLoadState("networkidle");
  const file = path.join(outDir, `${p.replace(/[^a-z0-9]+/gi, "_").replace(/^_|_$/g, "") || "home"}-${width}.png`);
  await page.screenshot({ path: file, fullPage: true });
  console.log(file);
}
await browser.close();
