import { describe, expect, it } from "vitest";
import { afterFailure, categoryOf, clip, clockToMinutes, goesOffSite, inQuietHours, isUrgent, maskAddress, retryDelayMs, smsSegments } from "~/modules/messages/rules";
import { signUnsubscribe, verifyUnsubscribe } from "~/modules/messages/tokens.server";
import { catalogs } from "~/i18n/catalogs.server";

describe("message rules", () => {
  it("puts every notification kind of the catalogue in a category, so each can go out by email or SMS", () => {
    const kinds = Object.keys(catalogs["zh-CN"]).filter((k) => k.startsWith("notification."));
    expect(kinds.filter((k) => categoryOf(k) === null)).toEqual([]);
  });

  it("sends a followed proposal's decision and escalation, not every step", () => {
    expect(goesOffSite("notification.proposalState", { state: "decided_passed" })).toBe(true);
    expect(goesOffSite("notification.proposalState", { state: "escalated" })).toBe(true);
    expect(goesOffSite("notification.proposalState", { state: "on_agenda" })).toBe(false);
    expect(goesOffSite("notification.unknown", {})).toBe(false);
  });

  it("treats deadlines and emergencies as urgent", () => {
    expect(isUrgent("notification.deadlineSoon", {})).toBe(true);
    expect(isUrgent("notification.assignment", { emergency: 1 })).toBe(true);
    expect(isUrgent("notification.assignment", {})).toBe(false);
  });

  it("knows quiet hours that wrap past midnight, and none when start equals end", () => {
    const q = { start: clockToMinutes("22:00")!, end: clockToMinutes("07:00")! };
    expect([21 * 60 + 59, 22 * 60, 3 * 60, 7 * 60 - 1, 7 * 60].map((m) => inQuietHours(m, q))).toEqual([false, true, true, true, false]);
    expect(inQuietHours(13 * 60, { start: 12 * 60, end: 14 * 60 })).toBe(true);
    expect(inQuietHours(3 * 60, { start: 0, end: 0 })).toBe(false);
    expect(clockToMinutes("24:00")).toBeNull();
  });

  it("backs off exponentially with jitter, capped; waits at least a minute (or Retry-After) when rate-limited", () => {
    expect([1, 2, 3, 4].map((n) => retryDelayMs(n))).toEqual([15_000, 30_000, 60_000, 120_000]);
    expect(retryDelayMs(20)).toBe(3_600_000);
    expect(retryDelayMs(1, undefined, 0)).toBe(12_000);
    expect(retryDelayMs(1, undefined, 0.999)).toBeLessThan(18_000);
    expect(retryDelayMs(1, undefined, 0.5, 0)).toBe(60_000);
    expect(retryDelayMs(1, undefined, 0.5, 90_000)).toBe(90_000);
  });

  it("dead-letters permanent errors at once and others after the last attempt", () => {
    const policy = { baseMs: 1000, maxMs: 10_000, maxAttempts: 3 };
    expect(afterFailure(1, { ok: false, failure: "permanent", error: "x" }, policy)).toEqual({ state: "dead" });
    expect(afterFailure(2, { ok: false, failure: "transient", error: "x" }, policy)).toEqual({ state: "pending", delayMs: 2000 });
    expect(afterFailure(3, { ok: false, failure: "transient", error: "x" }, policy)).toEqual({ state: "dead" });
  });

  it("counts SMS segments as the Chinese providers bill them", () => {
    expect(smsSegments("字".repeat(70))).toBe(1);
    expect(smsSegments("字".repeat(71))).toBe(2);
    expect(smsSegments("字".repeat(134))).toBe(2);
    expect(smsSegments("字".repeat(135))).toBe(3);
    expect(clip("一二三四五", 4)).toBe("一二三…");
  });

  it("masks addresses for administrators", () => {
    expect(maskAddress("sms", "13812345678")).toBe("138****5678");
    expect(maskAddress("email", "wang@example.com")).toBe("w***@example.com");
  });

  it("signs unsubscribe tokens for one person and one category", () => {
    const token = signUnsubscribe("s".repeat(32), 7, "votes");
    expect(verifyUnsubscribe("s".repeat(32), token)).toEqual({ userId: 7, scope: "votes" });
    expect(verifyUnsubscribe("t".repeat(32), token)).toBeNull();
    expect(verifyUnsubscribe("s".repeat(32), token.replace("7.", "8."))).toBeNull();
    expect(verifyUnsubscribe("s".repeat(32), "garbage")).toBeNull();
  });
});
