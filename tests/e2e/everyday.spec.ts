import type { Page } from "@playwright/test";
import { claimResidency, expect, expectNotReloaded, fillProposal, HALL, loginAs, NEW_PASSWORD, personPage, raiseProposal, register, test, unique, visitorPage, watch } from "./fixtures";

/**
 * Everyday use (issue 14): a draft can be finished later — listed for its
 * author in the hall and in 我的, edited, published or deleted — and nobody
 * else ever sees it.
 */

async function saveDraft(page: Page, title: string): Promise<string> {
  await fillProposal(page, title, "楼道里停满了自行车，老人上下楼很不方便，想商量个办法。");
  await page.getByRole("button", { name: "先存为草稿" }).click();
  await expect(page).toHaveURL(/\/proposals\/\d+$/);
  return new URL(page.url()).pathname;
}

test("a draft is listed for its author, edited, published; another is deleted; nobody else sees them", async ({ browser, baseURL }) => {
  const author = await personPage(browser, baseURL!, "neighbour14");
  const title = `草稿${unique()}`;
  const path = await saveDraft(author, title);

  // The draft page offers what a draft needs, not the debate of a closed proposal.
  const panel = author.getByTestId("draft-panel");
  await expect(panel.getByText("这是您的草稿，只有您自己能看到。")).toBeVisible();
  await expect(author.getByText("议事已经结束。")).toHaveCount(0);
  await expect(author.getByRole("button", { name: "撤回议题" })).toHaveCount(0);

  // Someone else gets a plain 404.
  const other = await personPage(browser, baseURL!, "neighbour15");
  const seen = await other.goto(path);
  expect(seen?.status()).toBe(404);

  // Listed in the hall and in 我的 for the author only.
  await author.goto("/halls");
  await author.getByRole("link", { name: new RegExp(HALL) }).click();
  await expect(author.getByTestId("my-drafts").getByRole("link", { name: title })).toBeVisible();
  await author.goto("/me");
  await expect(author.getByTestId("my-drafts").getByRole("link", { name: title })).toBeVisible();
  await other.goto("/halls");
  await other.getByRole("link", { name: new RegExp(HALL) }).click();
  await expect(other.getByText(title)).toHaveCount(0);

  // Edit: a too-short title is refused beside the field, what was typed stays.
  await author.getByTestId("my-drafts").getByRole("link", { name: title }).click();
  await author.getByRole("link", { name: "修改草稿" }).click();
  await author.getByLabel("标题", { exact: true }).fill("短");
  await author.getByRole("button", { name: "保存草稿" }).click();
  await expect(author.getByText("标题至少", { exact: false })).toBeVisible();
  const edited = `${title}改`;
  await author.getByLabel("标题", { exact: true }).fill(edited);
  await author.getByRole("button", { name: "保存草稿" }).click();
  await expect(author).toHaveURL(new RegExp(`${path}$`));
  await expect(author.getByRole("heading", { level: 1, name: edited })).toBeVisible();

  // Publish: seconding starts, the neighbour can now see and second it.
  await author.getByRole("button", { name: "发布，开始征集附议" }).click();
  await expect(author.locator(".proposal-head [data-state]")).toHaveText(/征集附议/);
  await expect(author.getByTestId("draft-panel")).toHaveCount(0);
  await other.goto(path);
  await expect(other.getByRole("button", { name: "附议" })).toBeVisible();

  // A second draft is deleted after confirming.
  const doomed = `要删的草稿${unique()}`;
  await saveDraft(author, doomed);
  author.once("dialog", (d) => void d.accept());
  await author.getByRole("button", { name: "删除草稿" }).click();
  await expect(author.getByText("草稿已删除。")).toBeVisible();
  await expect(author.getByRole("heading", { level: 1, name: HALL })).toBeVisible();
  await expect(author.getByText(doomed)).toHaveCount(0);
});

/* Photos from phones: shrunk in the browser, refused with a 413 and the form kept without scripts, stored without EXIF. */

/** Noise photographs as big as a phone's: they compress badly, as real detail does. */
async function bigPhotos(dir: string) {
  const sharp = (await import("sharp")).default;
  const { randomBytes } = await import("node:crypto");
  const { mkdir, writeFile } = await import("node:fs/promises");
  await mkdir(dir, { recursive: true });
  const noise = (w: number, h: number) => sharp(randomBytes(w * h * 3), { raw: { width: w, height: h, channels: 3 } });
  const jpeg = await noise(5600, 4200)
    .jpeg({ quality: 100 })
    .withExif({ IFD0: { Make: "GongzhiPhone" }, IFD3: { GPSLatitudeRef: "N", GPSLatitude: "39/1 55/1 0/1" } })
    .toBuffer();
  const png = await noise(3500, 3500).png({ compressionLevel: 0 }).toBuffer();
  expect(jpeg.length).toBeGreaterThan(30_000_000);
  expect(png.length).toBeGreaterThan(36_000_000);
  const small = await sharp({ create: { width: 1600, height: 1200, channels: 3, background: "#8a6" } })
    .jpeg()
    .withExif({ IFD0: { Make: "GongzhiPhone" }, IFD3: { GPSLatitudeRef: "N", GPSLatitude: "39/1 55/1 0/1" } })
    .toBuffer();
  const paths = { jpeg: `${dir}/phone-30mb.jpg`, png: `${dir}/screenshot-36mb.png`, small: `${dir}/small-with-gps.jpg` };
  await Promise.all([writeFile(paths.jpeg, jpeg), writeFile(paths.png, png), writeFile(paths.small, small)]);
  return paths;
}

async function storedPhoto(page: Page, index: number) {
  const src = await page.locator(".photos img").nth(index).getAttribute("src");
  const response = await page.request.get(src!);
  expect(response.ok()).toBe(true);
  const sharp = (await import("sharp")).default;
  const body = await response.body();
  return { size: body.length, meta: await sharp(body).metadata() };
}

const PHOTO_BODY = "院门口的井盖松了，踩上去会晃，照片在下面。";

test("a 30 MB JPEG and a 36 MB PNG are shrunk in the browser, previewed, sent and stored small without location", async ({ browser, baseURL }, info) => {
  test.setTimeout(180_000);
  const files = await bigPhotos(info.outputDir);
  const page = await personPage(browser, baseURL!, "neighbour08");
  const title = `井盖松了${unique()}`;
  await fillProposal(page, title, PHOTO_BODY);
  await expect(page.locator("html")).toHaveAttribute("data-live", /connected|offline/); // hydrated: the picker is live
  // What the browser cannot open is refused beside the field, before anything is sent; the rest of the form stays.
  await page.getByLabel("照片").setInputFiles({ name: "IMG_0001.heic", mimeType: "image/heic", buffer: Buffer.from("not a picture this browser can open") });
  await expect(page.getByText("这张照片打不开", { exact: false })).toBeVisible();
  expect(await page.getByLabel("照片").evaluate((el) => (el as HTMLInputElement).files!.length)).toBe(0);
  await expect(page.getByLabel("标题", { exact: true })).toHaveValue(title);
  await page.getByLabel("照片").setInputFiles([files.jpeg, files.png]);
  const previews = page.getByTestId("photo-previews");
  await expect(previews.getByRole("img")).toHaveCount(2, { timeout: 60_000 });
  await expect(previews).toContainText("原图");
  // What the form will send is what was shrunk.
  const sizes = await page.getByLabel("照片").evaluate((el) => [...(el as HTMLInputElement).files!].map((f) => [f.type, f.size] as const));
  expect(sizes).toHaveLength(2);
  for (const [type, size] of sizes) {
    expect(type).toBe("image/jpeg");
    expect(size).toBeLessThanOrEqual(5 * 1024 * 1024);
  }
  await page.getByRole("button", { name: "发布，开始征集附议" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page.locator(".photos img")).toHaveCount(2);
  for (const i of [0, 1]) {
    const { size, meta } = await storedPhoto(page, i);
    expect(size).toBeLessThanOrEqual(5 * 1024 * 1024);
    expect(Math.max(meta.width!, meta.height!)).toBeLessThanOrEqual(2048);
    expect(meta.exif).toBeUndefined();
  }
});

test("without scripts: a 30 MB photo gets a 413 page that keeps what was typed; a small one is stored without its GPS", async ({ browser, baseURL }, info) => {
  test.setTimeout(180_000);
  const files = await bigPhotos(info.outputDir);
  const context = await browser.newContext({ baseURL, locale: "zh-CN", javaScriptEnabled: false });
  await loginAs(context, baseURL!, "neighbour09");
  const page = await context.newPage();
  const title = `台阶塌了${unique()}`;
  await fillProposal(page, title, PHOTO_BODY);
  await page.getByLabel("照片").setInputFiles(files.jpeg);
  const [answer] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST" && r.url().includes("/proposals/new")),
    page.getByRole("button", { name: "发布，开始征集附议" }).click(),
  ]);
  expect(answer.status()).toBe(413);
  await expect(page.getByText("照片太大了，没有上传。", { exact: false })).toBeVisible();
  await expect(page.getByLabel("标题", { exact: true })).toHaveValue(title);
  await expect(page.getByLabel("具体情况", { exact: true })).toHaveValue(/井盖松了/);

  await page.getByLabel("照片").setInputFiles(files.small);
  await page.getByRole("button", { name: "发布，开始征集附议" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  const { meta } = await storedPhoto(page, 0);
  expect(meta.exif).toBeUndefined();
  expect([meta.width, meta.height]).toEqual([1600, 1200]);
  await context.close();
});

/* The staff workbench: a subdistrict officer's home, live. */

test("a subdistrict officer starts at the workbench (not the brochure, not a 403 on /inbox) and sees a new claim arrive live", async ({ page, browser, baseURL }) => {
  const sunlei = await personPage(browser, baseURL!, "sunlei");
  await sunlei.goto("/");
  await expect(sunlei).toHaveURL(/\/workbench$/);
  await expect(sunlei.getByRole("heading", { level: 1, name: "我的待办" })).toBeVisible();
  for (const name of ["待派单", "待审核", "已超时", "延期申请"]) await expect(sunlei.getByRole("heading", { level: 2, name: new RegExp(name) })).toBeVisible();
  const inbox = await sunlei.goto("/inbox");
  expect(inbox?.status()).toBe(200);
  await expect(sunlei).toHaveURL(/\/workbench$/);
  await expect(sunlei.locator("html")).toHaveAttribute("data-live", "connected");
  const verifications = sunlei.getByTestId("workbench-verifications");
  const before = Number(await verifications.locator("h2 .pill").textContent());

  // A newcomer in 史家社区 (under 朝阳门街道) asks to be verified.
  const name = `工作台新邻居${Math.floor(Math.random() * 100000)}`;
  await register(page, name, `e2e_wb_${unique()}`);
  await claimResidency(page, "史家胡同 40 号院");

  // The officer's open workbench counts it without a reload.
  await expect(verifications.locator("h2 .pill")).toHaveText(String(before + 1));
  await sunlei.context().close();
});

test("the home page is alive: a visitor sees a new proposal arrive without reloading; a resident sees what waits for them; search finds a whistle", async ({ browser, baseURL }) => {
  const visitor = await visitorPage(browser, baseURL!);
  await watch(visitor, "/");
  await expect(visitor.getByRole("heading", { level: 2, name: "街区此刻" })).toBeVisible();
  for (const heading of ["正在表决", "正在议事", "正在办理的吹哨", "最近的结果"]) await expect(visitor.getByRole("heading", { level: 3, name: heading })).toBeVisible();
  const collecting = Number(await visitor.locator(".home-now__tile strong").first().textContent());

  const resident = await personPage(browser, baseURL!, "wangxiulan");
  const title = `首页直播的新议题${unique()}`;
  await raiseProposal(resident, title, "楼门口的台阶坏了一块，晚上容易绊倒，请大家一起想办法。");

  // Within the pulse (two seconds) and a reload of the data, not of the page.
  await expect(visitor.getByTestId("home-active").getByRole("link", { name: title })).toBeVisible({ timeout: 15_000 });
  await expect(visitor.locator(".home-now__tile strong").first()).toHaveText(String(collecting + 1));
  await expectNotReloaded(visitor);

  // 王秀兰's own part: what waits for her comes first, then her halls and what she follows (she follows what she raised).
  await resident.goto("/");
  await expect(resident.getByRole("heading", { level: 1, name: /王秀兰/ })).toBeVisible();
  await expect(resident.getByRole("heading", { level: 2, name: /等我处理/ })).toBeVisible();
  await expect(resident.getByTestId("home-halls").getByRole("link", { name: HALL })).toBeVisible();
  await expect(resident.getByTestId("home-follows").getByRole("link", { name: title })).toBeVisible();

  // Search finds whistles too (the demo's are indexed at start-up).
  const firstWhistle = (await visitor.getByTestId("home-working").getByRole("link").first().textContent())!;
  await visitor.goto(`/search?q=${encodeURIComponent(firstWhistle.slice(0, 4))}`);
  await expect(visitor.getByTestId("search-whistles").getByRole("link", { name: firstWhistle })).toBeVisible();
  await visitor.context().close();
  await resident.context().close();
});

/* 360 px, logged out and in, normal and large text: nothing wider than the phone, the header on one line. */

const PUBLIC_PAGES = ["/", "/units/4/service", "/halls", "/halls/1", "/proposals/1", "/whistles/1", "/search?q=停车", "/units", "/units/2", "/dashboards/units/2", "/dashboards/units/4", "/supervision", "/login", "/register", "/pledges", "/activities", "/wishes", "/wishes/1", "/wishes/4", "/votes/1", "/votes/1/board", "/units/4/lists", "/needs/1", "/needs/3"];
const RESIDENT_PAGES = ["/me", "/notifications", "/settings", "/settings/messages", "/service-record", "/proposals/new?hall=1"];
const STAFF_PAGES = ["/workbench", "/desk", "/desk/roll", "/inbox"];
/** The three lists' forms and a need's claim form: a member who administers a unit Party organisation (陈建国), and a subdistrict officer who posts needs (孙磊). */
const LISTS_PAGES: [string, string[]][] = [
  ["chenjianguo", ["/resources/new", "/needs/2"]],
  ["sunlei", ["/needs/new", "/needs/3"]],
];

async function checkPhone(page: Page, path: string) {
  await page.goto(path);
  const report = await page.evaluate(() => {
    const right = (sel: string) => document.querySelector(sel)?.getBoundingClientRect().right ?? 0;
    // Lines of text, counted as the distinct tops of the text's boxes (a tall button is still one line).
    const lines = (sel: string) => {
      const el = document.querySelector<HTMLElement>(sel);
      if (!el) return 1;
      const range = document.createRange();
      range.selectNodeContents(el);
      return new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))).size;
    };
    return {
      overflow: document.documentElement.scrollWidth - window.innerWidth,
      brandLines: lines(".brand__name"),
      headerRight: Math.max(...[...document.querySelectorAll(".header-tools > *, .header-tools .tool-button, .header-tools .button")].map((el) => el.getBoundingClientRect().right)),
      stepRight: right(".stepbar li:last-child"),
      stepClipped: (() => {
        const bar = document.querySelector<HTMLElement>(".stepbar");
        return bar ? bar.scrollWidth - bar.clientWidth : 0;
      })(),
      searchButtonLines: lines(".search-form .button"),
    };
  });
  expect(report.overflow, `${path} scrolls sideways`).toBeLessThanOrEqual(0);
  expect(report.brandLines, `${path}: 共治 wraps`).toBe(1);
  expect(report.headerRight, `${path}: the header is cut off`).toBeLessThanOrEqual(360);
  expect(report.stepClipped, `${path}: the step bar clips`).toBeLessThanOrEqual(0);
  expect(report.searchButtonLines, `${path}: 搜索 wraps`).toBe(1);
}

// The sweeps below are independent (each opens its own contexts) and long (about two minutes each): in parallel mode
// the two workers share them, where the file's default (one worker, in order) left one worker with ten minutes of them.
test.describe("every main page, at 360 px and under axe", () => {
  test.describe.configure({ mode: "parallel" });

  for (const large of [false, true]) {
    test(`360 px${large ? " with large text" : ""}: every main page fits, logged out, as a resident and as staff`, async ({ browser, baseURL }) => {
      test.setTimeout(240_000);
      const who: [string | null, string[]][] = [
        [null, PUBLIC_PAGES],
        ["wangxiulan", [...PUBLIC_PAGES, ...RESIDENT_PAGES]],
        ["maqiang", [...STAFF_PAGES, "/", "/?public"]],
        ["sunlei", ["/workbench", "/desk", "/supervision", "/whistles/1", "/wishes/new", "/wishes/4"]],
        ...LISTS_PAGES,
      ];
      for (const [user, pages] of who) {
        const context = await browser.newContext({ baseURL, viewport: { width: 360, height: 740 }, locale: "zh-CN" });
        if (large) await context.addCookies([{ name: "gz_text", value: "large", url: baseURL! }]);
        if (user) await loginAs(context, baseURL!, user);
        const page = await context.newPage();
        if (large) {
          await page.goto("/login");
          await expect(page.locator("html")).toHaveAttribute("data-text-size", "large");
        }
        for (const path of pages) await checkPhone(page, path);
        await context.close();
      }
    });
  }

  /* Accessibility: WCAG 2.1 A/AA with the rules the earlier check missed, on every main page, logged out and in, in both languages. */

  // One test per language and width, so the two workers share them (parallel mode, above); one axe run per page (the tags plus the two rules).
  for (const locale of ["zh-CN", "en"] as const) {
    for (const width of [360, 1280]) {
      test(`axe WCAG 2.1 A/AA (with label-content-name-mismatch and scrollable-region-focusable) in ${locale} at ${width} px`, async ({ browser, baseURL }) => {
        test.setTimeout(240_000);
        const AxeBuilder = (await import("@axe-core/playwright")).default;
        const who: [string | null, string[]][] = [
          [null, PUBLIC_PAGES],
          ["wangxiulan", [...PUBLIC_PAGES.filter((p) => p !== "/login" && p !== "/register"), ...RESIDENT_PAGES]],
          ["sunlei", ["/workbench", "/desk", "/supervision", "/whistles/1", "/dashboards/units/3", "/wishes/new", "/wishes/4"]],
          ["maqiang", ["/workbench", "/inbox"]],
          ...LISTS_PAGES,
        ];
        for (const [user, pages] of who) {
          // Reduced motion: a live toast (another worker's action can notify this person) then appears at full opacity;
          // axe measured one mid-fade and reported the blend's contrast, not the toast's.
          const context = await browser.newContext({ baseURL, viewport: { width, height: 800 }, locale, reducedMotion: "reduce" });
          await context.addCookies([{ name: "gz_locale", value: locale, url: baseURL! }]);
          if (user) await loginAs(context, baseURL!, user);
          const page = await context.newPage();
          for (const path of pages) {
            await page.goto(path);
            // Two rules outside the tags' default set are switched on beside them (axe's `rules` adds to `runOnly`).
            // One `options` object: AxeBuilder's `options()` replaces what `withTags()` set, whichever comes last.
            const result = await new AxeBuilder({ page })
              .options({
                runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
                rules: { "label-content-name-mismatch": { enabled: true }, "scrollable-region-focusable": { enabled: true } },
                // Every violation in full, and only a sample of what passed: the same checks, run faster.
                resultTypes: ["violations"],
              })
              .analyze();
            const found = result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(", ")}`);
            expect(found, `${user ?? "visitor"} ${width}px ${path}`).toEqual([]);
          }
          await context.close();
        }
      });
    }
  }
});

/* The dashboard's six-month chart (issue 14 §10): the card's width on a desk, each point over its month, its numbers beneath. */

test("the dashboard's six-month chart takes its card's width, stands each point over its month and shows its numbers beneath, at 360 and 1280 px and with large text", async ({ browser, baseURL }) => {
  for (const [width, large] of [[1280, false], [1280, true], [360, false], [360, true]] as const) {
    const context = await browser.newContext({ baseURL, viewport: { width, height: 900 }, locale: "zh-CN" });
    if (large) await context.addCookies([{ name: "gz_text", value: "large", url: baseURL! }]);
    const page = await context.newPage();
    await page.goto("/dashboards/units/2");
    const section = page.locator("section", { has: page.getByRole("heading", { name: "近六个月三率走势" }) });
    const shape = await section.evaluate((el) => {
      const centre = (e: Element) => {
        const r = e.getBoundingClientRect();
        return r.left + r.width / 2;
      };
      const months = Object.fromEntries([...el.querySelectorAll<HTMLElement>(".trend__months li")].map((li) => [li.dataset.month!, centre(li)]));
      return {
        card: el.getBoundingClientRect().width,
        plot: el.querySelector(".trend__plot")?.getBoundingClientRect().width ?? 0,
        months,
        marks: [...el.querySelectorAll<HTMLElement>(".trend__mark[data-month]")].map((m) => ({ month: m.dataset.month!, off: centre(m) - months[m.dataset.month!]! })),
      };
    });
    const where = `${width} px${large ? ", large text" : ""}`;
    expect(shape.plot, `${where}: the chart uses the card's width`).toBeGreaterThan(shape.card * 0.85);
    expect(Object.keys(shape.months), `${where}: six months`).toHaveLength(6);
    expect(shape.marks.length, `${where}: the demo's whistles give points`).toBeGreaterThan(0);
    for (const m of shape.marks) expect(Math.abs(m.off), `${where}: a point of ${m.month} stands over its label`).toBeLessThan(1.5);
    // The numbers are beneath the chart, without a click.
    const table = section.getByRole("table", { name: "每月数字（括号内为原始数）" });
    await expect(table).toBeVisible();
    await expect(table.getByRole("row")).toHaveCount(7);
    await context.close();
  }
});

test("a live notice on a 360 px phone with large text sits under the header bar, not over the page, and takes no focus", async ({ browser, baseURL }, info) => {
  const context = await browser.newContext({ baseURL, locale: "zh-CN", viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  const account = await register(page, `大字${unique()}`);
  await page.getByRole("button", { name: "切换为大字显示" }).click();
  await expect(page.locator("html")).toHaveAttribute("data-text-size", "large");
  await page.goto("/halls");
  await expect(page.locator("html")).toHaveAttribute("data-live", "connected");
  const focused = await page.evaluate(() => document.activeElement?.tagName);

  // The same person signs in on another device: a notice arrives live.
  const other = await browser.newContext({ baseURL });
  await loginAs(other, baseURL!, account, NEW_PASSWORD);
  const toast = page.getByTestId("toast");
  await expect(toast).toContainText("您的账号刚刚在另一台设备上登录");
  await expect(page.getByRole("status").filter({ has: toast })).toHaveAttribute("aria-live", "polite");
  expect(await page.evaluate(() => document.activeElement?.tagName)).toBe(focused);

  // It lies above the page's content, inside the width, and leaves the bottom bar free.
  const box = (await toast.boundingBox())!;
  const main = (await page.locator("#main").boundingBox())!;
  const bottomBar = (await page.locator(".bottom-nav").boundingBox())!;
  expect(box.y + box.height).toBeLessThanOrEqual(main.y);
  expect(box.x + box.width).toBeLessThanOrEqual(360);
  expect(box.y + box.height).toBeLessThanOrEqual(bottomBar.y);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await page.screenshot({ path: info.outputPath("toast-360-large.png") });

  // × closes it.
  await toast.getByRole("button", { name: "关闭" }).click();
  await expect(toast).toHaveCount(0);
  await other.close();
  await context.close();
});
