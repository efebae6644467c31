import { describe, expect, it } from "vitest";
import { isSameOriginRequest } from "~/lib/http.server";

const post = (h: { origin?: string; secFetchSite?: string; host?: string }) =>
  isSameOriginRequest({ method: "POST", host: h.host ?? "gongzhi.example", origin: h.origin, secFetchSite: h.secFetchSite });

describe("CSRF guard", () => {
  it("lets reads through from anywhere", () => {
    expect(isSameOriginRequest({ method: "GET", host: "a", origin: "https://evil.example", secFetchSite: "cross-site" })).toBe(true);
  });
  it("accepts a same-origin POST", () => {
    expect(post({ origin: "https://gongzhi.example", secFetchSite: "same-origin" })).toBe(true);
    expect(post({ origin: "https://gongzhi.example" })).toBe(true);
  });
  it("refuses cross-site and same-site-but-other-origin POSTs", () => {
    expect(post({ origin: "https://evil.example" })).toBe(false);
    expect(post({ origin: "https://gongzhi.example", secFetchSite: "cross-site" })).toBe(false);
    expect(post({ origin: "https://sub.gongzhi.example", secFetchSite: "same-site" })).toBe(false);
  });
  it("refuses a POST with neither Origin nor Sec-Fetch-Site", () => {
    expect(post({})).toBe(false);
  });
  it("refuses a malformed Origin", () => {
    expect(post({ origin: "null" })).toBe(false);
  });
});
