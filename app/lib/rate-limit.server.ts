import { eq, sql } from "drizzle-orm";
import type { Queryable } from "#db/client.server";
import { rateLimits } from "#db/schema";
import { serverNow } from "~/lib/clock.server";

export interface Limit {
  /** How many hits a window allows. */
  max: number;
  windowSeconds: number;
}

export interface LimitState {
  allowed: boolean;
  count: number;
  /** Seconds until the window resets (0 when allowed and fresh). */
  retryAfterSeconds: number;
}

/**
 * Count one hit (or `weight` units, such as kilobytes uploaded) against `key` in a fixed window, atomically (one upsert), and
 * say whether the hit was within the limit. Stored in the database so the limit
 * holds across nodes and restarts.
 */
export async function hitRateLimit(q: Queryable, key: string, limit: Limit, now = serverNow(), weight = 1): Promise<LimitState> {
  // Dates inside raw SQL go as ISO text: postgres.js cannot bind a Date there.
  const cutoff = sql`${new Date(now.getTime() - limit.windowSeconds * 1000).toISOString()}::timestamptz`;
  const nowSql = sql`${now.toISOString()}::timestamptz`;
  const [row] = await q
    .insert(rateLimits)
    .values({ key, windowStart: now, count: weight })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        count: sql`case when ${rateLimits.windowStart} <= ${cutoff} then ${weight}::int else ${rateLimits.count} + ${weight}::int end`,
        windowStart: sql`case when ${rateLimits.windowStart} <= ${cutoff} then ${nowSql} else ${rateLimits.windowStart} end`,
      },
    })
    .returning({ count: rateLimits.count, windowStart: rateLimits.windowStart });
  return toState(row!, limit, now, (count) => count <= limit.max);
}

/** Whether `key` is already over its limit, without counting a hit. */
export async function peekRateLimit(q: Queryable, key: string, limit: Limit, now = serverNow()): Promise<LimitState> {
  const [row] = await q.select().from(rateLimits).where(eq(rateLimits.key, key));
  if (!row || row.windowStart.getTime() <= now.getTime() - limit.windowSeconds * 1000) {
    return { allowed: true, count: 0, retryAfterSeconds: 0 };
  }
  return toState(row, limit, now, (count) => count < limit.max);
}

/** Give one hit back (a successful login does not use up its address's attempts). */
export async function refundRateLimit(q: Queryable, key: string): Promise<void> {
  await q.update(rateLimits).set({ count: sql`greatest(${rateLimits.count} - 1, 0)` }).where(eq(rateLimits.key, key));
}

export async function clearRateLimit(q: Queryable, key: string): Promise<void> {
  await q.delete(rateLimits).where(eq(rateLimits.key, key));
}

function toState(
  row: { count: number; windowStart: Date },
  limit: Limit,
  now: Date,
  ok: (count: number) => boolean,
): LimitState {
  const allowed = ok(row.count);
  const resetAt = row.windowStart.getTime() + limit.windowSeconds * 1000;
  return {
    allowed,
    count: row.count,
    retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((resetAt - now.getTime()) / 1000)),
  };
}
