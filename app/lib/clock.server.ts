/**
 * The server's one clock (ADR 0025). Every rule that asks "what time is it?"
 * (deadlines, the vote clock, lapses, rate windows, sessions) asks here, so a
 * browser test can move time forward instead of waiting for it.
 *
 * Real time unless the process was started with TEST_CLOCK=1 (refused outside
 * demo mode by the configuration); then `advanceClock` adds to an offset.
 * Durations measured for speed (performance.now, cache ages) stay real time,
 * and so do the database's own `now()` column defaults (creation stamps).
 *
 * The offset lives on globalThis: the server entry and the Remix build are two
 * bundles, each with its own copy of this module, and both must agree.
 */
import { config } from "~/config.server";

const clock = globalThis as unknown as { __gongzhiClockOffsetMs?: number; __gongzhiTestClock?: boolean };

/** The current time as the application's rules see it. */
export function serverNow(): Date {
  return new Date(Date.now() + (clock.__gongzhiClockOffsetMs ?? 0));
}

/** Allow `advanceClock` in this process (browser tests only; see config.server.ts TEST_CLOCK). */
export function enableTestClock(): void {
  clock.__gongzhiTestClock = true;
}

/** Move this process's clock forward by `ms` (never back: time that went back would undo deadlines). */
export function advanceClock(ms: number): Date {
  if (!clock.__gongzhiTestClock) throw new Error("The test clock is off: start the server with TEST_CLOCK=1.");
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError("The clock only moves forward.");
  clock.__gongzhiClockOffsetMs = (clock.__gongzhiClockOffsetMs ?? 0) + ms;
  return serverNow();
}

/** The zone calendar days and months are counted in (TIME_ZONE; app/lib/time.ts does the arithmetic). */
export const timeZone = (): string => config().timeZone;
