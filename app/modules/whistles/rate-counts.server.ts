import { and, asc, eq, gt, inArray, sql } from "drizzle-orm";
import type { Database, Queryable } from "#db/client.server";
import { assignments, ratings, whistleRateCounts, whistles } from "#db/schema";
import {
  addFlags,
  emptyCounts,
  flagDelta,
  monthKeyOf,
  RATE_COUNT_NAMES,
  rateFlags,
  whistleSatisfied,
  type RateCountName,
  type RateCounts,
} from "./rules";
import { timeZone } from "~/lib/clock.server";

/**
 * The monthly per-department counts behind the three rates, kept in the same
 * transaction as every step (ADR 0018). Each assignment stores the bits it
 * adds (`assignments.rate_flags`); `refreshRateCounts` recomputes the bits of
 * one whistle's assignments from their current state and moves the counters by
 * the difference. Call it after the step changed the rows, inside the command.
 */
export async function refreshRateCounts(tx: Queryable, whistleId: number) {
  // The whistle's lock serialises refreshes of its assignments: each reads the others' committed state and bits together.
  const [w] = await tx.select().from(whistles).where(eq(whistles.id, whistleId)).for("update");
  if (!w) return;
  const parts = await tx.select().from(assignments).where(eq(assignments.whistleId, whistleId));
  const answers = await tx
    .select({ satisfaction: ratings.satisfaction })
    .from(ratings)
    .where(and(eq(ratings.whistleId, whistleId), eq(ratings.round, w.round)));
  const rw = { kind: w.kind, state: w.state, round: w.round, closure: w.closure, satisfied: whistleSatisfied(answers) };
  const deltas = new Map<string, { month: string; departmentId: number; d: RateCounts }>();
  for (const a of parts) {
    const flags = rateFlags(a, rw);
    if (flags === a.rateFlags) continue;
    await tx.update(assignments).set({ rateFlags: flags }).where(eq(assignments.id, a.id));
    const month = monthKeyOf(a.dispatchedAt, timeZone());
    const key = `${month}:${a.departmentId}`;
    const entry = deltas.get(key) ?? { month, departmentId: a.departmentId, d: emptyCounts() };
    for (const [k, v] of Object.entries(flagDelta(a.rateFlags, flags))) entry.d[k as RateCountName] += v;
    deltas.set(key, entry);
  }
  for (const { month, departmentId, d } of deltas.values()) await addToCounts(tx, month, w.subdistrictId, departmentId, d);
}

async function addToCounts(tx: Queryable, month: string, subdistrictId: number, departmentId: number, d: RateCounts) {
  const changed = RATE_COUNT_NAMES.filter((k) => d[k] !== 0);
  if (changed.length === 0) return;
  await tx
    .insert(whistleRateCounts)
    .values({ month, subdistrictId, departmentId, ...d })
    .onConflictDoUpdate({
      target: [whistleRateCounts.month, whistleRateCounts.subdistrictId, whistleRateCounts.departmentId],
      set: Object.fromEntries(changed.map((k) => [k, sql`${whistleRateCounts[k]} + ${d[k]}`])),
    });
}

/**
 * The full recount, written nowhere: every assignment's bits from scratch and
 * the count rows they sum to (to check the running counts, or to rebuild them).
 * Whistles are read in batches by id, so memory stays bounded at any size.
 */
export async function recountRates(q: Queryable, batch = 20_000) {
  const totals = new Map<string, { month: string; subdistrictId: number; departmentId: number; c: RateCounts }>();
  const stale = new Map<number, number[]>();
  let after = 0;
  for (;;) {
    const ws = await q
      .select({
        id: whistles.id,
        kind: whistles.kind,
        state: whistles.state,
        round: whistles.round,
        closure: whistles.closure,
        subdistrictId: whistles.subdistrictId,
      })
      .from(whistles)
      .where(gt(whistles.id, after))
      .orderBy(asc(whistles.id))
      .limit(batch);
    if (ws.length === 0) break;
    const first = ws[0]!.id;
    after = ws.at(-1)!.id;
    const range = sql`between ${first} and ${after}`;
    const parts = await q
      .select()
      .from(assignments)
      .where(sql`${assignments.whistleId} ${range}`);
    const answers = await q
      .select({ whistleId: ratings.whistleId, round: ratings.round, satisfaction: ratings.satisfaction })
      .from(ratings)
      .where(sql`${ratings.whistleId} ${range}`);
    const byWhistle = new Map(ws.map((w) => [w.id, w]));
    const answersOf = new Map<number, { satisfaction: (typeof answers)[number]["satisfaction"] }[]>();
    for (const r of answers) {
      if (byWhistle.get(r.whistleId)?.round !== r.round) continue;
      const list = answersOf.get(r.whistleId);
      if (list) list.push(r);
      else answersOf.set(r.whistleId, [r]);
    }
    for (const a of parts) {
      const w = byWhistle.get(a.whistleId)!;
      const flags = rateFlags(a, {
        kind: w.kind,
        state: w.state,
        round: w.round,
        closure: w.closure,
        satisfied: whistleSatisfied(answersOf.get(w.id) ?? []),
      });
      if (flags !== a.rateFlags) {
        const list = stale.get(flags);
        if (list) list.push(a.id);
        else stale.set(flags, [a.id]);
      }
      const month = monthKeyOf(a.dispatchedAt, timeZone());
      const key = `${month}:${w.subdistrictId}:${a.departmentId}`;
      const entry = totals.get(key) ?? { month, subdistrictId: w.subdistrictId, departmentId: a.departmentId, c: emptyCounts() };
      addFlags(entry.c, flags);
      totals.set(key, entry);
    }
  }
  const rows = [...totals.values()].map((t) => ({ month: t.month, subdistrictId: t.subdistrictId, departmentId: t.departmentId, ...t.c }));
  return { rows, stale };
}

/** Rebuild the counts and every assignment's bits from the recount (after a bulk import). Returns the number of count rows. */
export async function rebuildRateCounts(q: Queryable) {
  const { rows, stale } = await recountRates(q);
  await q.delete(whistleRateCounts);
  for (const [flags, idList] of stale)
    for (let i = 0; i < idList.length; i += 5_000)
      await q
        .update(assignments)
        .set({ rateFlags: flags })
        .where(inArray(assignments.id, idList.slice(i, i + 5_000)));
  for (let i = 0; i < rows.length; i += 1_000) await q.insert(whistleRateCounts).values(rows.slice(i, i + 1_000));
  return rows.length;
}

/** Above this many uncounted assignments a full rebuild is cheaper than refreshing whistle by whistle. */
const REFRESH_ONE_BY_ONE = 5_000;

/**
 * At start-up: if any assignment was never counted (a database migrated from
 * before the running counts, or rows written around the commands), count it.
 * A few: their whistles are refreshed one by one (the counters hold exactly
 * the stored bits, so adding the new ones is right); many: a full rebuild.
 * Cheap when there is nothing to do (a partial index holds only uncounted
 * rows); an advisory lock keeps two starting nodes apart.
 */
export async function rebuildRateCountsIfStale(db: Database): Promise<"none" | "refreshed" | "rebuilt"> {
  const uncounted = await db
    .selectDistinct({ whistleId: assignments.whistleId })
    .from(assignments)
    .where(eq(assignments.rateFlags, 0))
    .limit(REFRESH_ONE_BY_ONE + 1);
  if (uncounted.length === 0) return "none";
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(7305153)`);
    if (uncounted.length > REFRESH_ONE_BY_ONE) {
      await rebuildRateCounts(tx);
      return "rebuilt" as const;
    }
    for (const { whistleId } of uncounted) await refreshRateCounts(tx, whistleId);
    return "refreshed" as const;
  });
}
