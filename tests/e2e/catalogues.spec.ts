import type { Page } from "@playwright/test";
import { catalogs } from "~/i18n/catalogs.server";
import { expect, hydrated, openHall, personPage, test, visitorPage } from "./fixtures";

/*
 * Some domains' messages are downloaded only by the pages that use them
 * (app/i18n/scoped/: admin, the vote page, service projects, meetings, and
 * since the hall page's diet whistles, votes, the roll, pledges and
 * activities, the three lists, wishes, messages, the governance structure and
 * the home page's own). A page
 * that shows such a message without importing its domain would show the key
 * itself once hydrated, and React would report a hydration mismatch (the
 * server has every message). This walks the pages of those domains and the
 * pages that link to them, in both languages, after hydration, as the people
 * who see them (tests/unit/i18n-scopes.test.ts reads the modules instead).
 */
const keys = Object.keys(catalogs["zh-CN"]);

async function expectNoKeys(page: Page, path: string) {
  const problems: string[] = [];
  const onConsole = (m: { type(): string; text(): string }) => {
    if (m.type() === "error" && /hydrat|did not match|Minified React error #(418|423|425)/i.test(m.text()))
      problems.push(m.text().slice(0, 200));
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

/** The address of a unit, reached down the directory by its links' names (the demo's ids are not fixed). */
async function unitPath(page: Page, names: RegExp[]): Promise<string> {
  await page.goto("/units");
  for (const name of names) await page.goto((await page.getByRole("link", { name }).first().getAttribute("href", { timeout: 15_000 }))!);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(names[names.length - 1]!);
  return new URL(page.url()).pathname;
}

/** Like `linksOn`, but the list must offer at least one. */
async function someLinksOn(page: Page, path: string, pattern: RegExp, what: string): Promise<string[]> {
  const links = await linksOn(page, path, pattern);
  expect(links.length, `${path} links to ${what}`).toBeGreaterThan(0);
  return links.slice(0, 2);
}

// The two languages' walks are independent and each takes about a minute: the two workers share them.
test.describe.configure({ mode: "parallel" });

for (const locale of ["zh-CN", "en"] as const) {
  test(`no page of the page-scoped domains shows a message key, in ${locale}`, async ({ browser, baseURL }) => {
    test.setTimeout(600_000);
    const wang = await personPage(browser, baseURL!, "wangxiulan");
    const visitor = await visitorPage(browser, baseURL!);
    for (const page of [wang, visitor]) await page.context().addCookies([{ name: "gz_locale", value: locale, url: baseURL! }]);

    const hallId = await openHall(wang);
    const projects = await linksOn(wang, "/projects", /^\/projects\/\d+$/);
    const meetings = await linksOn(wang, `/halls/${hallId}/meetings`, /^\/meetings\/\d+$/);
    expect(projects.length, "the demo has service projects").toBeGreaterThan(0);
    expect(meetings.length, "the demo hall has meetings").toBeGreaterThan(0);

    const paths = [
      "/",
      `/halls/${hallId}`,
      `/halls/${hallId}/meetings`,
      "/projects",
      ...projects,
      ...meetings,
      "/notifications",
      "/me",
      "/pledges",
    ];
    for (const path of paths) await expectNoKeys(wang, path);
    for (const path of ["/", `/halls/${hallId}`, "/projects", ...projects, ...meetings]) await expectNoKeys(visitor, path);

    // The domains scoped for the hall page's budget: their pages, as a resident and as a visitor.
    const proposals = await someLinksOn(wang, `/halls/${hallId}`, /^\/proposals\/\d+$/, "proposals");
    const votes = await someLinksOn(wang, `/halls/${hallId}`, /^\/votes\/\d+$/, "votes");
    const whistles = await someLinksOn(visitor, "/", /^\/whistles\/\d+$/, "whistles");
    const units = await someLinksOn(visitor, "/units", /^\/units\/\d+$/, "units");
    const pledges = await someLinksOn(visitor, "/pledges", /^\/pledges\/\d+$/, "pledges");
    const activities = await someLinksOn(visitor, "/activities", /^\/activities\/\d+$/, "activities");
    const wishes = await someLinksOn(visitor, "/wishes", /^\/wishes\/\d+$/, "wishes");
    const subdistrict = await unitPath(visitor, [/东城区/, /朝阳门街道/]);
    const community = await unitPath(visitor, [/东城区/, /朝阳门街道/, /史家社区/]);
    const needs = await someLinksOn(visitor, `${community}/lists`, /^\/needs\/\d+$/, "needs");
    const orgs = await someLinksOn(visitor, subdistrict, /^\/orgs\/\d+$/, "organisations");
    const everyone = [
      ...proposals,
      ...votes,
      ...votes.map((v) => `${v}/board`),
      ...whistles,
      "/search?q=%E5%81%9C%E8%BD%A6",
      ...units,
      subdistrict,
      community,
      `${community}/alleys`,
      `${community}/lists`,
      `${community}/service`,
      ...needs,
      ...orgs,
      ...orgs.map((o) => `${o}/service`),
      "/pledges",
      ...pledges,
      "/activities",
      ...activities,
      "/wishes",
      ...wishes,
      "/unsubscribe/not-a-token",
    ];
    for (const path of everyone) await expectNoKeys(visitor, path);
    for (const path of [...everyone, "/settings", "/settings/messages", "/service-record", "/pledges/new", "/whistles/new"])
      await expectNoKeys(wang, path);

    // Staff pages of those domains, each as the person who works there (and the first entry a list of theirs links to).
    const staff: [string, string[], [string, RegExp]?][] = [
      [
        "lijuan",
        [
          "/workbench",
          "/desk",
          "/desk/roll",
          "/needs/new",
          "/resources/new",
          "/wishes/new",
          "/activities/new",
          `/votes/new?hall=${hallId}`,
        ],
        ["/desk/roll", /^\/desk\/roll\/households\/\d+$/],
      ],
      ["maqiang", ["/inbox", ...whistles]],
      ["sunlei", ["/supervision", `/dashboards${subdistrict}`], [`/dashboards${subdistrict}`, /^\/dashboards\/units\/\d+\/cases\?/]],
      ["wugang", ["/admin", "/admin/weights", "/admin/stars", "/admin/deliveries", "/admin/positions", "/admin/duty-list"]],
      ["zhaomin", ["/orgs/new", ...orgs]],
    ];
    for (const [username, paths, list] of staff) {
      const page = await personPage(browser, baseURL!, username);
      await page.context().addCookies([{ name: "gz_locale", value: locale, url: baseURL! }]);
      const more = list ? (await someLinksOn(page, list[0], list[1], `${username}'s entries`)).slice(0, 1) : [];
      for (const path of [...paths, ...more]) await expectNoKeys(page, path);
      await page.context().close();
    }
    await expectNoKeys(visitor, "/demo/outbox");
    for (const page of [wang, visitor]) await page.context().close();
  });
}
