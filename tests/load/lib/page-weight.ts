/**
 * What a page ships to a browser, measured in real Chromium (Debian's, as the
 * e2e tests use): every script the page loads until the network is quiet
 * (module preloads, the language catalogue loaded before hydration, the
 * live-update client), counted at the size that crossed the wire with gzip,
 * the encoding targets.md states. Local URLs only. The halls benchmark prints
 * it; tests/e2e/page-weight.spec.ts holds the hall page to its budget with it.
 */
import { chromium, type Browser, type BrowserContext } from "@playwright/test";
import { assertLocal } from "./votes-clients";

export interface PageWeight {
  /** Compressed bytes of every JavaScript response. */
  jsBytes: number;
  /** Uncompressed bytes of the same. */
  jsRawBytes: number;
  scripts: { url: string; bytes: number; rawBytes: number }[];
  /** Whether the page hydrated (a live socket was opened). */
  hydrated: boolean;
}

/** The hall page's budget (targets.md: JavaScript for any page < 120 KB with gzip). */
export const JS_BUDGET_BYTES = 120 * 1024;

/** `browser`: one already running (a test's); otherwise Chromium is started and closed here. */
export async function measurePageWeight(url: string, options: { acceptLanguage?: string; browser?: Browser } = {}): Promise<PageWeight> {
  assertLocal(url);
  const browser = options.browser ?? (await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" }));
  let context: BrowserContext | undefined;
  try {
    context = await browser.newContext({ extraHTTPHeaders: { "Accept-Encoding": "gzip", ...(options.acceptLanguage ? { "Accept-Language": options.acceptLanguage } : {}) } });
    const page = await context.newPage();
    const scripts: PageWeight["scripts"] = [];
    const pending: Promise<void>[] = [];
    let hydrated = false;
    page.on("websocket", () => (hydrated = true));
    page.on("requestfinished", (request) => {
      if (request.resourceType() !== "script") return;
      pending.push(
        (async () => {
          const sizes = await request.sizes();
          const response = await request.response();
          const body = response ? await response.body().catch(() => Buffer.alloc(0)) : Buffer.alloc(0);
          scripts.push({ url: new URL(request.url()).pathname, bytes: sizes.responseBodySize, rawBytes: body.length });
        })(),
      );
    });
    await page.goto(url, { waitUntil: "networkidle", timeout: 60_000 });
    await page.waitForTimeout(500); // a socket opened after idle still counts
    await Promise.all(pending);
    scripts.sort((a, b) => b.bytes - a.bytes);
    return {
      jsBytes: scripts.reduce((n, s) => n + s.bytes, 0),
      jsRawBytes: scripts.reduce((n, s) => n + s.rawBytes, 0),
      scripts,
      hydrated,
    };
  } finally {
    if (options.browser) await context?.close();
    else await browser.close();
  }
}
