import { test as base, expect, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { DEMO_PASSWORD } from "../../app/modules/identity/demo-accounts";

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

export const test = base;
export { expect };
