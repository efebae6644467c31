import type { Page } from "@playwright/test";
import { catalogs } from "~/i18n/catalogs.server";
import { expect, hydrated, openHall, personPage, test, visitorPage } from "./fixtures";

/*
 * Some domains' messages are downloaded only by the pages that use them
 * (app/i18n/scoped/: admin, the vote page, service projects, meetings). A page
 * that shows such a message without importing its domain would show the key
 * itself once hydrated, and React would report a hydration mismatch (the
 * server has every message). This walks the pages of those domains and the
 * pages that link to them, in both languages, after hydration.
 */
const keys = Object.keys(catalogs["zh-CN"]);

async function expectNoKeys(page: Page, path: string) {
  const problems: string[] = [];
  const onConsole = (m: { type(): string; text(): string }) => {
    if (m.type() === "error" && /hydrat|did not match|Minified React error #(418|423|425)/i.test(m.text())) problems.push(m.text().slice(0, 200));
  };
  page.on("console", onConsole);
  await page.goto(path);
  await hydrated(page);
  const text = await page.locator("body").innerText();
  page.off("console", onConsole);
  const shown = keys.filter((k) => text.includes(k));
  expect({ path, shown, problems }).toEqual({ path, shown: [], problems: [] });
}

/** The links of a list page that match `pattern` (the demo's own ids). */
async function linksOn(page: Page, path: string, pattern: RegExp): Promise<string[]> {
  await page.goto(path);
  const hrefs = await page.locator("a[href]").evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? ""));
  return [...new Set(hrefs.filter((h) => pattern.test(h)))].slice(0, 3);
}

for (const locale of ["zh-CN", "en"] as const) {
  test(`no page of the page-scoped domains shows a message key, in ${locale}`, async ({ browser, baseURL }) => {
    test.setTimeout(180_000);
    const wang = await personPage(browser, baseURL!, "wangxiulan");
    const visitor = await visitorPage(browser, baseURL!);
    for (const page of [wang, visitor]) await page.context().addCookies([{ name: "gz_locale", value: locale, url: baseURL! }]);

    const hallId = await openHall(wang);
    const projects = await linksOn(wang, "/projects", /^\/projects\/\d+$/);
    const meetings = await linksOn(wang, `/halls/${hallId}/meetings`, /^\/meetings\/\d+$/);
    expect(projects.length, "the demo has service projects").toBeGreaterThan(0);
    expect(meetings.length, "the demo hall has meetings").toBeGreaterThan(0);

    const paths = ["/", `/halls/${hallId}`, `/halls/${hallId}/meetings`, "/projects", ...projects, ...meetings, "/notifications", "/me", "/pledges"];
    for (const path of paths) await expectNoKeys(wang, path);
    for (const path of ["/", `/halls/${hallId}`, "/projects", ...projects, ...meetings]) await expectNoKeys(visitor, path);
    for (const page of [wang, visitor]) await page.context().close();
  });
}
