import { describe, expect, it } from "vitest";
import { advanceClock, enableTestClock, serverNow } from "~/lib/clock.server";

describe("the server's clock (ADR 0025)", () => {
  it("is real time, cannot be moved until the test clock is on, then only moves forward", () => {
    const before = Date.now();
    expect(serverNow().getTime()).toBeGreaterThanOrEqual(before);
    expect(serverNow().getTime()).toBeLessThan(before + 1_000);
    expect(() => advanceClock(60_000)).toThrowError(/test clock is off/);

    enableTestClock();
    try {
      const moved = advanceClock(3_600_000).getTime();
      expect(moved - Date.now()).toBeGreaterThan(3_590_000);
      expect(serverNow().getTime() - Date.now()).toBeGreaterThan(3_590_000);
      expect(() => advanceClock(-1)).toThrowError(/only moves forward/);
      expect(() => advanceClock(Number.NaN)).toThrowError(/only moves forward/);
    } finally {
      // The offset lives on globalThis: leave real time to the other test files of this worker.
      Object.assign(globalThis, { __gongzhiClockOffsetMs: 0, __gongzhiTestClock: false });
    }
  });
});
