import { test as base, expect, type APIRequestContext, type Browser, type BrowserContext, type Locator, type Page } from "@playwright/test";
import { DEMO_PASSWORD } from "../../app/modules/identity/demo-accounts";

/**
 * The browser tests' one helpers file: logging in, and the steps several
 * scenarios take (registering, raising a proposal, putting it on the agenda,
 * opening a vote, blowing a whistle), plus the server's test clock.
 *
 * Every scenario makes the objects it acts on through the site itself, so none
 * depends on a seeded object's id or on state another scenario may change.
 * Seeded demo people (app/modules/identity/demo-accounts.ts, db/seed/demo.ts) are the actors:
 * lijuan convenes the 史家 hall and verifies its residents; sunlei is a
 * 朝阳门街道 officer; neighbourNN are verified 史家 residents and hall members.
 */

/** The demo district's hall every scenario works in (found by name, never by id). */
export const HALL = "史家胡同老街坊议事厅";
/** A password the site accepts for newly registered people. */
export const NEW_PASSWORD = "hutong2026";

/** A short unique suffix for titles and account names. */
export const unique = () => `${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`;

// ——— Logging in ———

/**
 * Log a browser context in as a demo person through the real login endpoint
 * (one POST, no clicking): the server may own an embedded database that no
 * other process can open, so the fixture cannot write a session row itself.
 */
export async function loginAs(context: BrowserContext, baseURL: string, username: string, password = DEMO_PASSWORD) {
  const response = await context.request.post("/login", {
    form: { identifier: username, password, redirectTo: "/" },
    headers: { Origin: baseURL },
    maxRedirects: 0,
  });
  expect(response.status(), `log in as ${username}`).toBe(302);
}

/** A new browser context (its own cookies: another person, another device), already logged in. */
export async function personPage(browser: Browser, baseURL: string, username: string): Promise<Page> {
  const context = await browser.newContext({ baseURL, locale: "zh-CN" });
  await loginAs(context, baseURL, username);
  return context.newPage();
}

/** An anonymous visitor: a context of its own, no cookies. */
export async function visitorPage(browser: Browser, baseURL: string): Promise<Page> {
  const context = await browser.newContext({ baseURL, locale: "zh-CN" });
  return context.newPage();
}

/** Register a new person through the page, as a newcomer would (the page is then logged in). Returns the account name. */
export async function register(page: Page, name: string, account = `e2e_${unique()}`): Promise<string> {
  await page.goto("/register");
  await page.getByLabel("称呼").fill(name);
  await page.getByLabel("手机号或用户名").fill(account);
  await page.getByLabel("密码", { exact: true }).fill(NEW_PASSWORD);
  await page.getByLabel("再次输入密码").fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "注册" }).click();
  await expect(page.getByText(`${name}，欢迎回来`)).toBeVisible();
  return account;
}

/** On /me: claim residency at `address` in 史家社区; it then waits for the community. */
export async function claimResidency(page: Page, address: string) {
  await page.goto("/me");
  await page.getByLabel("所在社区").first().selectOption({ label: "史家社区" });
  await page.getByLabel("详细住址").fill(address);
  await page.getByRole("button", { name: "提交认证申请" }).click();
  await expect(page.getByTestId("residency-status")).toContainText("等待社区审核");
}

/**
 * The community worker (lijuan) verifies the waiting claim of the person called `name`, on her desk.
 * At an address already on the roll (居民名册) the desk offers to link the claim to a person there;
 * `newOnRoll` takes the other button, a new person in that household.
 */
export async function verifyResidency(browser: Browser, baseURL: string, name: string, newOnRoll = false) {
  const worker = await personPage(browser, baseURL, "lijuan");
  await worker.goto("/desk");
  const button = newOnRoll ? "认证，并在名册中新建一条" : "认证通过";
  await worker.locator("li", { hasText: name }).getByRole("button", { name: button, exact: true }).click();
  await expect(worker.locator("li", { hasText: name })).toHaveCount(0);
  await worker.context().close();
}

/**
 * A new person, registered through the page in a context of their own and verified as a 史家社区 resident
 * at `address` (`newOnRoll`: an address on the roll; they become a new member of that household).
 */
export async function newResident(browser: Browser, baseURL: string, name: string, address: string, newOnRoll = false): Promise<Page> {
  const page = await visitorPage(browser, baseURL);
  await register(page, name);
  await claimResidency(page, address);
  await verifyResidency(browser, baseURL, name, newOnRoll);
  await expect(page.getByTestId("residency-status")).toContainText("已认证");
  return page;
}

// ——— Live pages ———

/** Open a page (or keep the one open) and wait until its socket is connected, so it hears what happens next; marks it to detect reloads. */
export async function watch(page: Page, url?: string) {
  if (url) await page.goto(url);
  await expect(page.locator("html")).toHaveAttribute("data-live", "connected");
  await page.evaluate(() => ((window as unknown as { __stayed: boolean }).__stayed = true));
}

/** The page was never reloaded since `watch`. */
export async function expectNotReloaded(page: Page) {
  expect(await page.evaluate(() => (window as unknown as { __stayed?: boolean }).__stayed)).toBe(true);
}

/**
 * The page has hydrated (the app shell marks the socket's state once it runs). Buttons that only open
 * something on the page (report, restore) do nothing before that, as on a slow phone.
 */
/** Load `path` until the server answers it from its page cache (another worker's news may drop a copy between two looks). */
export async function loadUntilCached(page: Page, path: string) {
  await expect
    .poll(async () => (await page.goto(path))?.headers()["x-page-cache"] ?? "miss", { timeout: 20_000, intervals: [100, 250, 500] })
    .toBe("hit");
}

export async function hydrated(page: Page) {
  await expect(page.locator("html")).toHaveAttribute("data-live", /connected|offline/);
}

// ——— Halls and proposals ———

/** Open the demo hall from the list of halls; returns its id (read from the address, for links such as /votes/new?hall=). */
export async function openHall(page: Page): Promise<number> {
  await page.goto("/halls");
  await page.getByRole("link", { name: new RegExp(HALL) }).click();
  await expect(page.getByRole("heading", { level: 1, name: HALL })).toBeVisible();
  return Number(/\/halls\/(\d+)/.exec(page.url())?.[1]);
}

/** On the new-proposal form of the demo hall, filled in but not sent. */
export async function fillProposal(page: Page, title: string, body: string, category = "乱停车") {
  await openHall(page);
  await page.getByRole("link", { name: "提出议题" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "提出议题" })).toBeVisible();
  await page.getByLabel("标题", { exact: true }).fill(title);
  await page.getByLabel("具体情况", { exact: true }).fill(body);
  await page.getByLabel("类别", { exact: true }).selectOption({ label: category });
}

/** A member raises a proposal in the demo hall through the page; returns its path. */
export async function raiseProposal(page: Page, title: string, body: string, category = "乱停车"): Promise<string> {
  await fillProposal(page, title, body, category);
  await page.getByRole("button", { name: "发布，开始征集附议" }).click();
  await expect(page).toHaveURL(/\/proposals\/\d+$/);
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  return new URL(page.url()).pathname;
}

/** The state pill of the proposal open on `page`. */
export const statePill = (page: Page) => page.locator(".proposal-head [data-state]");

/**
 * The action's reply from a single-fetch (`.data`) POST: a turbo-stream whose
 * first line is a flat JSON array in which objects map `_<index of key>` to
 * the index of the value. Reads the few plain fields the routes return.
 */
/**
 * Decode an action's single-fetch answer (turbo-stream's flat JSON: objects
 * as {"_<key index>": value index}, negative indices for null and undefined)
 * and flatten the form reply in it (lib/intents.ts): ok, the first error, a
 * ballot's receipt.
 */
function readReply(text: string): { ok?: boolean; error?: string; receipt?: string } {
  let flat: unknown;
  try {
    flat = JSON.parse(text.split("\n", 1)[0] ?? "");
  } catch {
    return {};
  }
  if (!Array.isArray(flat)) return {};
  const hydrate = (index: number, depth = 0): unknown => {
    if (index < 0 || depth > 20) return undefined;
    const v: unknown = flat[index];
    if (Array.isArray(v)) return v.map((j) => (typeof j === "number" ? hydrate(j, depth + 1) : j));
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, j]) => [flat[Number(k.slice(1))], typeof j === "number" ? hydrate(j, depth + 1) : j]));
    return v;
  };
  type Reply = { ok: boolean; intent: string; reply?: { error?: Record<string, string[] | null> }; data?: { receipt?: string } };
  const find = (v: unknown): Reply | undefined => {
    if (!v || typeof v !== "object") return undefined;
    if ("ok" in v && "intent" in v) return v as Reply;
    for (const child of Object.values(v)) {
      const found = find(child);
      if (found) return found;
    }
    return undefined;
  };
  const reply = find(hydrate(0));
  if (!reply) return {};
  const error = Object.values(reply.reply?.error ?? {}).find((m) => m?.length)?.[0];
  return { ok: reply.ok, error, receipt: reply.data?.receipt ?? undefined };
}

/** POST a form to a route's action the way the browser's Remix client does (`<path>.data`, same-origin Origin). */
export async function postAction(context: BrowserContext, baseURL: string, path: string, form: Record<string, string>) {
  const response = await context.request.post(`${path}.data`, { form, headers: { Origin: baseURL }, maxRedirects: 0 });
  expect(response.status(), `POST ${path}.data`).toBe(200);
  return readReply(await response.text());
}

/**
 * A member raises a proposal and five members second it through the action endpoint, which puts it
 * on the agenda; the author's page stays open (and is watched) throughout.
 */
export async function proposalOnAgenda(
  browser: Browser,
  baseURL: string,
  p: { author: string; title: string; body: string; category: string; seconders?: string[] },
): Promise<{ author: Page; proposalPath: string }> {
  const seconders = p.seconders ?? ["neighbour29", "neighbour30", "neighbour31", "neighbour32", "neighbour33"];
  const author = await personPage(browser, baseURL, p.author);
  const proposalPath = await raiseProposal(author, p.title, p.body, p.category);
  await watch(author);
  await expect(statePill(author)).toHaveText("征集附议");
  for (const [i, username] of seconders.entries()) {
    const seconder = await browser.newContext({ baseURL, locale: "zh-CN" });
    await loginAs(seconder, baseURL, username);
    expect(await postAction(seconder, baseURL, proposalPath, { intent: "second" }), `${username} seconds`).toMatchObject({ ok: true });
    await seconder.close();
    if (i < seconders.length - 1) await expect(author.getByTestId("seconds")).toContainText(`已有 ${i + 1} 人附议，需要 5 人`);
  }
  await expect(statePill(author)).toHaveText("已列入议程");
  await expectNotReloaded(author);
  return { author, proposalPath };
}

// ——— Votes ———

/**
 * Fill the 发起表决 form (the page is on /votes/new) and submit it; lands on the new vote's page, whose countdown
 * reads `countdown` (a vote closing within the hour counts seconds or minutes). Returns the vote's path.
 */
export async function openVote(
  page: Page,
  form: { question?: string; electorate: string; closes: string; quorum: string; threshold: string; secret?: boolean },
  countdown = /还剩 \d+ (秒|分钟)/,
): Promise<string> {
  await expect(page.getByRole("heading", { level: 1, name: "发起表决" })).toBeVisible();
  if (form.question) await page.getByLabel("表决事项").fill(form.question);
  await page.getByLabel("表决方式").selectOption({ label: "赞成 / 反对 / 弃权" });
  await page.getByLabel("谁来投票").selectOption({ label: form.electorate });
  await page.getByLabel("截止时间").fill(form.closes);
  await page.getByLabel("参与率门槛（%）").fill(form.quorum);
  await page.getByLabel("通过标准").selectOption({ label: form.threshold });
  if (form.secret) await page.getByLabel("无记名投票（投后不能修改，发给回执）").check();
  await page.getByRole("button", { name: "发起表决" }).click();
  await expect(page).toHaveURL(/\/votes\/\d+$/);
  await expect(page.getByTestId("vote-state")).toHaveText("投票中");
  await expect(page.getByTestId("countdown")).toContainText(countdown);
  return new URL(page.url()).pathname;
}

/** Cast a ballot on the vote page open on `page`. */
export async function cast(page: Page, choice: "赞成" | "反对" | "弃权") {
  const ballot = page.locator("form.ballot");
  await ballot.getByRole("radio", { name: choice, exact: true }).check();
  await ballot.getByRole("button", { name: "投出选票" }).click();
}

// ——— Whistles ———

/** One department's part on the whistle page. */
export const assignment = (page: Page, department: string): Locator =>
  page.getByTestId(/^assignment-\d+$/).filter({ has: page.locator("strong", { hasText: new RegExp(`^${department}$`) }) });

/**
 * Blow a whistle from the whistling unit's own form (/whistles/new), as the person logged in on `page`
 * (a subdistrict officer whistles to the district's departments, a community worker to its stations).
 * Lands on the new whistle's page; returns its path.
 */
export async function blowWhistle(
  page: Page,
  w: { title: string; description: string; category: string; kind?: "应急处置" | "综合执法" | "重点工作" | "居民诉求"; lead: string[]; instructions?: string },
): Promise<string> {
  await page.goto("/whistles/new");
  await expect(page.getByRole("heading", { level: 1, name: "吹哨" })).toBeVisible();
  if (w.kind) await page.getByLabel("吹哨类型").selectOption({ label: w.kind });
  await page.getByLabel("事项", { exact: true }).fill(w.title);
  await page.getByLabel("具体情况", { exact: true }).fill(w.description);
  await page.getByLabel("类别", { exact: true }).selectOption({ label: w.category });
  for (const department of w.lead) await page.getByLabel(`${department} 牵头`, { exact: true }).check();
  if (w.instructions) await page.getByLabel("工作要求").fill(w.instructions);
  await page.getByRole("button", { name: "吹哨，派单" }).click();
  await expect(page).toHaveURL(/\/whistles\/\d+$/);
  await expect(page.getByRole("heading", { level: 1, name: w.title })).toBeVisible();
  return new URL(page.url()).pathname;
}

// ——— The server's test clock (ADR 0025) ———
//
// Browser tests that wait for a vote to close move the server's time forward
// instead of sleeping through it. They run in the "clock" project, one at a
// time, so a jump never cuts short another test's vote.

/** The server's current time (it runs ahead of this process's once a test has moved it). */
export async function serverTime(request: APIRequestContext, baseURL: string): Promise<number> {
  const res = await request.get(`${baseURL}/__test/clock`);
  if (!res.ok()) throw new Error(`The server's test clock is off (${res.status()}): is TEST_CLOCK=1 set?`);
  return Date.parse(((await res.json()) as { now: string }).now);
}

/** Move the server's clock to `marginMs` past `at` (negative: before it); the scheduler's next tick then acts on it. */
export async function advanceServerClockPast(request: APIRequestContext, baseURL: string, at: Date, marginMs = 1_000): Promise<void> {
  const ms = Math.max(0, at.getTime() - (await serverTime(request, baseURL)) + marginMs);
  const res = await request.post(`${baseURL}/__test/clock`, { data: { advanceMs: ms }, headers: { origin: baseURL } });
  if (!res.ok()) throw new Error(`Could not move the server's clock: ${res.status()} ${await res.text()}`);
}

/**
 * A closing time for the vote form: Beijing wall-clock time, to the minute
 * (what datetime-local sends and the server accepts), at least `leadMs` ahead
 * of the server's clock. Returns the form value and the instant it names.
 */
export async function closingTime(request: APIRequestContext, baseURL: string, leadMs: number): Promise<{ value: string; at: Date }> {
  const at = new Date(Math.ceil(((await serverTime(request, baseURL)) + leadMs) / 60_000) * 60_000);
  return { value: new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 16), at };
}

/** After the clock has passed a closing time: the vote clock's 5 s tick and the page's refresh, with slack. */
export const UNTIL_CLOSED_MS = 30_000;

export const test = base;
export { expect };
