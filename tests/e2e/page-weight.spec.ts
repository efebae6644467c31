import { JS_BUDGET_BYTES, measurePageWeight } from "../load/lib/page-weight";
import { expect, openHall, test, visitorPage } from "./fixtures";

/*
 * targets.md (kept from round 1): a page ships less than 120 KB of JavaScript
 * with gzip, measured on the hall page. The halls benchmark prints the figure;
 * this fails the suite when it grows past the budget. Same measurement
 * (tests/load/lib/page-weight.ts): every script a visitor's Chromium loads
 * until the network is quiet, at the size that crossed the wire with gzip.
 */
test("the hall page ships less than 120 KB of JavaScript with gzip", async ({ browser, baseURL }) => {
  const visitor = await visitorPage(browser, baseURL!);
  const hallId = await openHall(visitor);
  await visitor.context().close();

  const weight = await measurePageWeight(`${baseURL}/halls/${hallId}`, { browser });
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  const scripts = weight.scripts.map((s) => `${kb(s.bytes)} ${s.url}`);
  expect(weight.hydrated, "the page hydrated (its live socket opened)").toBe(true);
  expect(weight.scripts.length, "scripts were measured").toBeGreaterThan(3);
  expect(
    weight.scripts.every((s) => s.bytes > 0),
    "every script's size on the wire was read",
  ).toBe(true);
  expect({ total: kb(weight.jsBytes), within: weight.jsBytes < JS_BUDGET_BYTES, scripts }).toMatchObject({ within: true });
});
