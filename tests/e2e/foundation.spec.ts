import AxeBuilder from "@axe-core/playwright";
import { expect, loginAs, personPage, test } from "./fixtures";

test.describe("newcomer", () => {
  test("registers, logs out, logs in again and switches language", async ({ page }) => {
    const account = `e2e_${Date.now().toString(36)}`;
    await page.goto("/register");
    await expect(page.getByRole("heading", { name: "注册" })).toBeVisible();

    // A weak password is refused next to its field, in Chinese; what was typed stays.
    await page.getByLabel("称呼").fill("赵大爷");
    await page.getByLabel("手机号或用户名").fill(account);
    await page.getByLabel("密码", { exact: true }).fill("abcdefgh");
    await page.getByLabel("再次输入密码").fill("abcdefgh");
    await page.getByRole("button", { name: "注册" }).click();
    await expect(page.getByText("密码太简单")).toBeVisible();
    await expect(page.getByLabel("称呼")).toHaveValue("赵大爷");

    await page.getByLabel("密码", { exact: true }).fill("hutong2026");
    await page.getByLabel("再次输入密码").fill("hutong2026");
    await page.getByRole("button", { name: "注册" }).click();
    await expect(page.getByText("赵大爷，欢迎回来")).toBeVisible();

    // The welcome notification is waiting.
    await page.getByRole("link", { name: /未读通知/ }).click();
    await expect(page.getByText("欢迎来到共治，赵大爷")).toBeVisible();

    await page.goto("/settings");
    await page.getByRole("button", { name: "退出登录", exact: true }).click();
    await expect(page.getByRole("link", { name: "登录" }).first()).toBeVisible();

    await page.goto("/login");
    await page.getByLabel("手机号或用户名").fill(account);
    await page.getByLabel("密码").fill("wrong-password1");
    await page.getByRole("button", { name: "登录", exact: true }).click();
    await expect(page.getByText("手机号、用户名或密码不正确。")).toBeVisible();
    await expect(page.getByLabel("手机号或用户名")).toHaveValue(account);
    await page.getByLabel("密码").fill("hutong2026");
    await page.getByRole("button", { name: "登录", exact: true }).click();
    await expect(page.getByText("赵大爷，欢迎回来")).toBeVisible();

    // The language switch keeps the page and is remembered.
    await page.goto("/notifications");
    await page.getByRole("button", { name: "Switch to English" }).click();
    await expect(page).toHaveURL(/\/notifications$/);
    await expect(page.getByRole("heading", { name: "Notifications" })).toBeVisible();
    await page.goto("/");
    await expect(page.getByText("Welcome back, 赵大爷")).toBeVisible();
    await page.getByRole("button", { name: "切换为中文" }).click();
    await expect(page.getByText("赵大爷，欢迎回来")).toBeVisible();
  });

  test("sees a taken name refused next to the field", async ({ page }) => {
    await page.goto("/register");
    await page.getByLabel("称呼").fill("另一个王秀兰");
    await page.getByLabel("手机号或用户名").fill("wangxiulan");
    await page.getByLabel("密码", { exact: true }).fill("hutong2026");
    await page.getByLabel("再次输入密码").fill("hutong2026");
    await page.getByRole("button", { name: "注册" }).click();
    await expect(page.getByText("这个手机号或用户名已被注册。")).toBeVisible();
    await expect(page.getByLabel("手机号或用户名")).toHaveAttribute("aria-invalid", "true");
  });
});

test("a second browser receives a live notification without reloading", async ({ browser, baseURL }) => {
  const first = await personPage(browser, baseURL!, "chenjianguo");
  await first.goto("/");
  await expect(first.getByText("陈建国，欢迎回来")).toBeVisible();
  const badge = first.getByTestId("unread-badge");
  const before = Number((await badge.count()) ? await badge.textContent() : 0);
  // Wait until the page's socket is connected before acting elsewhere.
  await expect(first.locator("html")).toHaveAttribute("data-live", "connected");

  // The same person signs in on another device (a second browser context, clicking the demo login).
  const second = await (await browser.newContext({ baseURL })).newPage();
  await second.goto("/login");
  await second.getByRole("button", { name: "以陈建国身份登录" }).click();
  await expect(second.getByText("陈建国，欢迎回来")).toBeVisible();

  await expect(first.getByTestId("toast")).toContainText("您的账号刚刚在另一台设备上登录");
  await expect(badge).toHaveText(String(before + 1));
});

test("demo accounts for every role are listed on the login page, grouped, with 48 neighbours folded away", async ({ page }) => {
  await page.goto("/login");
  for (const role of ["居民", "在职党员", "社区工作者", "街道领导", "部门工作人员", "街巷长", "区级管理员", "平台管理员"]) {
    await expect(page.locator(".demo-account__role", { hasText: role }).first()).toBeVisible();
  }
  for (const group of ["居民", "党员和社会组织", "社区工作者", "街道", "职能部门和派出机构", "区和平台"]) {
    await expect(page.getByRole("heading", { level: 3, name: group, exact: true })).toBeVisible();
  }
  // The neighbours are folded: the page stays short until someone asks for them.
  const neighbours = page.getByTestId("demo-neighbours");
  await expect(neighbours.getByRole("button", { name: /以王淑珍身份登录/ })).toBeHidden();
  await neighbours.getByText("还有 48 位邻居").click();
  await expect(neighbours.getByRole("button")).toHaveCount(48);
  await neighbours.getByRole("button", { name: /以王淑珍身份登录/ }).click();
  await expect(page.getByText("王淑珍，欢迎回来")).toBeVisible();
});

test("unknown pages and forbidden requests get proper pages, in the reader's language", async ({ page, context, baseURL }) => {
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "找不到这个页面。它可能已被删除，或链接有误。" })).toBeVisible();
  await expect(page.locator("body")).not.toContainText("at ");

  await context.addCookies([{ name: "gz_locale", value: "en", url: baseURL! }]);
  await page.goto("/no-such-page");
  await expect(page.getByRole("heading", { name: /We cannot find this page/ })).toBeVisible();

  const crossSite = await page.request.post("/logout", { headers: { Origin: "https://evil.example" }, maxRedirects: 0 });
  expect(crossSite.status()).toBe(403);
});

test("a tampered session cookie is treated as logged out and cleared", async ({ page, context, baseURL }) => {
  await loginAs(context, baseURL!, "wangxiulan");
  const cookie = (await context.cookies()).find((c) => c.name === "gz_session")!;
  await context.addCookies([{ ...cookie, value: cookie.value.slice(0, -1) + (cookie.value.endsWith("a") ? "b" : "a") }]);
  const response = await page.goto("/");
  expect(response?.status()).toBe(200);
  await expect(page.getByRole("link", { name: "注册账号" })).toBeVisible();
  expect((await context.cookies()).find((c) => c.name === "gz_session")).toBeUndefined();
});

test("pages fit a 360 px phone, with large tap targets and no accessibility violations", async ({ browser, baseURL }) => {
  const context = await browser.newContext({ baseURL, viewport: { width: 360, height: 740 }, locale: "zh-CN" });
  const page = await context.newPage();
  for (const path of ["/", "/login", "/register"]) {
    await page.goto(path);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `${path} scrolls sideways`).toBeLessThanOrEqual(0);
    const small = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>("button, .button, input:not([type=hidden]), .bottom-nav__link")]
        .filter((el) => el.offsetParent !== null)
        .filter((el) => el.getBoundingClientRect().height < 40)
        .map((el) => el.outerHTML.slice(0, 80)),
    );
    expect(small, `${path} has small tap targets`).toEqual([]);
    const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
    expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(", ")}`), path).toEqual([]);
  }
  await context.close();
});

test("the larger-text switch is remembered", async ({ page }) => {
  await page.goto("/");
  const size = () => page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
  const normal = await size();
  await page.getByRole("button", { name: "切换为大字显示" }).click();
  await expect(page.locator("html")).toHaveAttribute("data-text-size", "large");
  expect(await size()).toBeGreaterThan(normal);
  await page.reload();
  await expect(page.locator("html")).toHaveAttribute("data-text-size", "large");
});

test("pages hydrate in either language without errors, loading only that language's messages, titled in it", async ({ browser, baseURL }) => {
  for (const locale of ["zh-CN", "en"] as const) {
    const context = await browser.newContext({ baseURL });
    await context.addCookies([{ name: "gz_locale", value: locale, url: baseURL! }]);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(`${locale}: ${error.message}`));
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(`${locale}: ${message.text()}`);
    });
    const catalogues: string[] = [];
    page.on("request", (request) => {
      const file = new URL(request.url()).pathname.split("/").pop() ?? "";
      if (/^(zh-CN|en)-[\w-]+\.js$/.test(file)) catalogues.push(file.split("-")[0] === "zh" ? "zh-CN" : "en");
    });
    for (const path of ["/", "/halls/1", "/proposals/1"]) {
      await page.goto(path, { waitUntil: "networkidle" });
    }
    // Hydrated: a client-side navigation works and renders in the same language.
    await page.getByRole("link", { name: locale === "en" ? "Halls" : "议事厅", exact: true }).first().click();
    await expect(page).toHaveURL(/\/halls$/);
    // The title too, which screen readers announce on each navigation.
    await expect(page).toHaveTitle(locale === "en" ? "Discussion halls · Gongzhi" : "议事厅 · 共治");
    expect(problems).toEqual([]);
    expect([...new Set(catalogues)]).toEqual([locale]);

    // A district administrator's pages bring the admin.* messages their own module adds (not in the shared
    // catalogue): every page of the frame, by address and by a client-side navigation, without errors.
    await loginAs(context, baseURL!, "wugang");
    for (const path of ["/admin", "/admin/positions", "/admin/duty-list", "/admin/audit", "/admin/weights", "/admin/stars", "/me"]) {
      await page.goto(path, { waitUntil: "networkidle" });
      await expect(page.locator("body")).not.toContainText(/\badmin\.[a-z]+\.[a-zA-Z.]+/);
    }
    await page.goto("/", { waitUntil: "networkidle" });
    await page.goto("/me", { waitUntil: "networkidle" });
    await page.getByRole("link", { name: locale === "en" ? "District administration" : "区级管理" }).first().click();
    await expect(page).toHaveURL(/\/admin$/);
    await expect(page.locator("main")).not.toContainText(/\badmin\.[a-z]+/);
    expect(problems).toEqual([]);
    await context.close();
  }
});
