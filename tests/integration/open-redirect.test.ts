import type { AppLoadContext } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { safeRedirect } from "~/modules/identity/schemas";
import * as loginRoute from "~/routes/login";
import * as preferences from "~/routes/preferences";
import { createUser, TEST_PASSWORD } from "../support/factories";

/** No open redirect (issue 12 §5): the known bypasses, on the function and on /login and /preferences. */
const BYPASSES = [
  "//evil.example",
  "/\\evil.example",
  "\\\\evil.example",
  "/\t/evil.example",
  "/%09/evil.example".replace("%09", "\t"),
  "/\n/evil.example",
  "/\r\n/evil.example",
  "\t//evil.example",
  " //evil.example",
  "/ /evil.example",
  "/%2F/evil.example",
  "/%2f%2fevil.example",
  "/%5Cevil.example",
  "/%5c/evil.example",
  "／／evil.example",
  "/／evil.example",
  "/＼evil.example",
  "/\u3000/evil.example",
  "\u3000//evil.example",
  "https://evil.example",
  "http:/evil.example",
  "javascript:alert(1)",
  "evil.example",
  "",
];

const context = (): AppLoadContext => ({ user: null, sessionId: null, locale: "zh-CN", largeText: false, secure: false, ip: "10.70.0.1" });
const locationOf = (response: unknown) => (response instanceof Response ? response.headers.get("Location") : null);

describe("safeRedirect", () => {
  it("follows same-site paths only", () => {
    for (const good of ["/", "/notifications?x=1", "/proposals/12#comment-3", "/search?q=%E5%81%9C%E8%BD%A6"]) expect(safeRedirect(good)).toBe(good);
    for (const bad of BYPASSES) expect(safeRedirect(bad), JSON.stringify(bad)).toBe("/");
    expect(safeRedirect(undefined)).toBe("/");
    expect(safeRedirect(null)).toBe("/");
  });
});

describe("the redirect after login and on /preferences", () => {
  it("/login sends every bypass home, and a local path to that path", async () => {
    await createUser({ username: "redirected", displayName: "邻居" });
    const attempt = async (redirectTo: string) => {
      const body = new URLSearchParams({ identifier: "redirected", password: TEST_PASSWORD, redirectTo });
      return locationOf(await loginRoute.action({ request: new Request("http://localhost/login", { method: "POST", body }), params: {}, context: context() }));
    };
    expect(await attempt("/notifications")).toBe("/notifications");
    // Each bypass with a fresh login (the session is not the point here), from one address within its limit.
    for (const bad of BYPASSES.slice(0, 12)) expect(await attempt(bad), JSON.stringify(bad)).toBe("/");
  });

  it("/preferences sends every bypass home, including CR/LF and U+3000 (never a 500)", async () => {
    for (const bad of BYPASSES) {
      const body = new URLSearchParams({ locale: "en", redirectTo: bad });
      const response = await preferences.action({ request: new Request("http://localhost/preferences", { method: "POST", body }), params: {}, context: context() });
      expect(locationOf(response), JSON.stringify(bad)).toBe("/");
    }
    const body = new URLSearchParams({ locale: "en", redirectTo: "/halls/3?sort=new" });
    expect(locationOf(await preferences.action({ request: new Request("http://localhost/preferences", { method: "POST", body }), params: {}, context: context() }))).toBe("/halls/3?sort=new");
  });
});
