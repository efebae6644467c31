import { describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { hitRateLimit, peekRateLimit } from "~/lib/rate-limit.server";

describe("database rate limits", () => {
  const limit = { max: 3, windowSeconds: 60 };

  it("allows up to the limit in a window, then refuses until the window resets", async () => {
    const t0 = new Date("2026-03-01T08:00:00Z");
    const results = [];
    for (let i = 0; i < 4; i++) results.push((await hitRateLimit(db(), "k", limit, t0)).allowed);
    expect(results).toEqual([true, true, true, false]);
    expect((await peekRateLimit(db(), "k", limit, new Date(t0.getTime() + 30_000))).retryAfterSeconds).toBe(30);
    expect((await hitRateLimit(db(), "k", limit, new Date(t0.getTime() + 60_000))).allowed).toBe(true);
  });

  it("counts every one of many concurrent hits", async () => {
    const now = new Date();
    await Promise.all(Array.from({ length: 20 }, () => hitRateLimit(db(), "burst", { max: 100, windowSeconds: 60 }, now)));
    expect((await peekRateLimit(db(), "burst", { max: 100, windowSeconds: 60 }, now)).count).toBe(20);
  });
});
