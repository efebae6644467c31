import type { APIRequestContext } from "@playwright/test";

/**
 * The server's test clock (ADR 0025): browser tests that wait for a vote to
 * close move the server's time forward instead of sleeping through it. They
 * run in the "clock" project, one at a time, so a jump never cuts short
 * another test's vote.
 */

/** The server's current time (it runs ahead of this process's once a test has moved it). */
export async function serverTime(request: APIRequestContext, base: string): Promise<number> {
  const res = await request.get(`${base}/__test/clock`);
  if (!res.ok()) throw new Error(`The server's test clock is off (${res.status()}): is TEST_CLOCK=1 set?`);
  return Date.parse(((await res.json()) as { now: string }).now);
}

/** Move the server's clock to `marginMs` past `at` (negative: before it); the scheduler's next tick then acts on it. */
export async function advanceServerClockPast(request: APIRequestContext, base: string, at: Date, marginMs = 1_000): Promise<void> {
  const ms = Math.max(0, at.getTime() - (await serverTime(request, base)) + marginMs);
  const res = await request.post(`${base}/__test/clock`, { data: { advanceMs: ms }, headers: { origin: base } });
  if (!res.ok()) throw new Error(`Could not move the server's clock: ${res.status()} ${await res.text()}`);
}

/**
 * A closing time for the vote form: Beijing wall-clock time, to the minute
 * (what datetime-local sends and the server accepts), at least `leadMs` ahead
 * of the server's clock. Returns the form value and the instant it names.
 */
export async function closingTime(request: APIRequestContext, base: string, leadMs: number): Promise<{ value: string; at: Date }> {
  const at = new Date(Math.ceil(((await serverTime(request, base)) + leadMs) / 60_000) * 60_000);
  return { value: new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 16), at };
}

/** After the clock has passed a closing time: the vote clock's 5 s tick and the page's refresh, with slack. */
export const UNTIL_CLOSED_MS = 30_000;
