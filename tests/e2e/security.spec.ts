import type { Page } from "@playwright/test";
import { expect, loginAs, test } from "./fixtures";

/**
 * The Content-Security-Policy (issue 12 §7, ADR 0017): every main page loads
 * and hydrates under `script-src 'self' 'nonce-…'` with no violation, each
 * response has its own nonce (cached visitor pages too), and the redirect
 * after login stays on the site.
 */
declare global {
  interface Window {
    __cspViolations?: string[];
  }
}

async function watchViolations(page: Page): Promise<string[]> {
  const seen: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" && /Content Security Policy|Refused to (execute|load|connect|apply)/i.test(m.text())) seen.push(m.text());
  });
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      (window.__cspViolations ??= []).push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
    });
  });
  return seen;
}

async function visit(page: Page, path: string, seen: string[]) {
  const response = await page.goto(path);
  expect(response?.status(), path).toBeLessThan(500);
  const csp = response?.headers()["content-security-policy"] ?? "";
  const nonce = /'nonce-([\w-]+)'/.exec(csp)?.[1];
  expect(nonce, `${path} has a nonce in its policy`).toBeTruthy();
  expect(/script-src[^;]*/.exec(csp)?.[0], path).not.toContain("unsafe");
  // Hydrated: the scripts ran, and every script element carries this response's nonce.
  // (The app shell marks the socket's state once it runs: connected, or offline for a visitor's page without a room.)
  await expect(page.locator("html"), path).toHaveAttribute("data-live", /connected|offline/);
  const nonces = await page.evaluate(() => [...document.querySelectorAll("script")].filter((s) => !s.src || s.type === "module").map((s) => s.nonce));
  expect(nonces.length, path).toBeGreaterThan(0);
  expect(new Set(nonces), path).toEqual(new Set([nonce]));
  await page.waitForTimeout(300); // a late violation (a lazy chunk, the socket) has time to show
  const reported = await page.evaluate(() => window.__cspViolations ?? []);
  expect([...reported, ...seen], `CSP violations on ${path}`).toEqual([]);
  return nonce!;
}

test("every main page runs under the Content-Security-Policy without a violation", async ({ browser, baseURL }) => {
  test.setTimeout(180_000);
  const visitor = await (await browser.newContext({ baseURL, locale: "zh-CN" })).newPage();
  const seen = await watchViolations(visitor);
  for (const path of ["/", "/login", "/register", "/halls", "/halls/1", "/proposals/1", "/units", "/units/1", "/search?q=%E5%81%9C%E8%BD%A6", "/whistles/1", "/votes/1"]) {
    await visit(visitor, path, seen);
  }
  // A busy page served twice to visitors (the second from the page cache) carries a fresh nonce each time.
  const first = await visit(visitor, "/proposals/1", seen);
  const second = await visit(visitor, "/proposals/1", seen);
  expect(second).not.toBe(first);

  const context = await browser.newContext({ baseURL, locale: "zh-CN" });
  await loginAs(context, baseURL!, "lijuan");
  const member = await context.newPage();
  const seenMember = await watchViolations(member);
  for (const path of ["/", "/notifications", "/settings", "/me", "/halls/1", "/proposals/1", "/desk"]) await visit(member, path, seenMember);
});

test("the redirect after login stays on the site: a tab, a backslash or a full-width slash goes home", async ({ browser, baseURL }) => {
  for (const bad of ["/\t/evil.example", "/\\evil.example", "/／evil.example", "//evil.example"]) {
    const context = await browser.newContext({ baseURL, locale: "zh-CN" });
    const response = await context.request.post("/login", {
      form: { identifier: "wangxiulan", password: "gongzhi2026", redirectTo: bad },
      headers: { Origin: baseURL! },
      maxRedirects: 0,
    });
    expect(response.status(), JSON.stringify(bad)).toBe(302);
    expect(response.headers().location, JSON.stringify(bad)).toBe("/");
    await context.close();
  }
});
