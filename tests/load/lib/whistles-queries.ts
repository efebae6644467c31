/**
 * Looking inside `monthlyRates` (app/modules/whistles/queries.server.ts) for
 * the whistles benchmark: capture the statements it sends (a logging drizzle
 * on the same connection), time them on their own, EXPLAIN ANALYZE them, try
 * an index, and time a reference post-processing with maps — to tell the
 * database's share of the time from the JavaScript's. Nothing here changes
 * the app: indexes made here are dropped again.
 */
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import type { Database, DatabaseHandle } from "#db/client.server";
import * as schema from "#db/schema";
import { monthlyRates } from "~/modules/whistles/queries.server";
import { rates, type AssignmentFact, type WhistleOutcome } from "~/modules/whistles/rules";

export interface Statement {
  query: string;
  params: unknown[];
}

/** A drizzle on the handle's own connection that records every statement before sending it. */
function loggingDatabase(handle: DatabaseHandle, into: Statement[]): Database {
  const logger = { logQuery: (query: string, params: unknown[]) => void into.push({ query, params }) };
  return handle.kind === "pglite"
    ? (drizzlePglite(handle.pglite!, { schema, casing: "snake_case", logger }) as unknown as Database)
    : (drizzlePostgres(handle.sql!, { schema, casing: "snake_case", logger }) as unknown as Database);
}

/**
 * The statements one `monthlyRates` call sends, and how that call ended (it may
 * fail — the statements are recorded before they are sent).
 */
export async function captureMonthlyRates(handle: DatabaseHandle, unitPath: string, month: Date): Promise<{ statements: Statement[]; error: string | null }> {
  const statements: Statement[] = [];
  try {
    await monthlyRates(loggingDatabase(handle, statements), unitPath, month);
    return { statements, error: null };
  } catch (error) {
    return { statements, error: errorText(error) };
  }
}

/** One line about an error: the driver's own (drizzle wraps it as the `cause` of "Failed query: …"). */
export function errorText(error: unknown): string {
  const e = ((error as { cause?: unknown }).cause ?? error) as { message?: string; code?: string };
  const message = e.message ?? String(e);
  return `${e.code && !message.startsWith(e.code) ? `${e.code}: ` : ""}${message}`.split("\n")[0]!.slice(0, 200);
}

/** Run one raw statement with its parameters; returns its rows. */
export async function runRaw(handle: DatabaseHandle, query: string, params: unknown[] = []): Promise<Record<string, unknown>[]> {
  if (handle.kind === "pglite") return (await handle.pglite!.query<Record<string, unknown>>(query, params)).rows;
  return (await handle.sql!.unsafe(query, params as never[])) as unknown as Record<string, unknown>[];
}

/** Milliseconds of `runs` executions of a statement (the first one unrecorded, to warm the cache). */
export async function timeRaw(handle: DatabaseHandle, s: Statement, runs: number): Promise<{ ms: number[]; rows: number }> {
  let rows = (await runRaw(handle, s.query, s.params)).length;
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    rows = (await runRaw(handle, s.query, s.params)).length;
    ms.push(performance.now() - started);
  }
  return { ms, rows };
}

/** EXPLAIN (ANALYZE, BUFFERS) of a statement: the plan's lines. */
export async function explain(handle: DatabaseHandle, s: Statement): Promise<string[]> {
  const rows = await runRaw(handle, `explain (analyze, buffers) ${s.query}`, s.params);
  return rows.map((r) => String(Object.values(r)[0]));
}

/**
 * EXPLAIN ANALYZE with planner settings for this statement only (`set local` in a transaction of its own), e.g.
 * hash joins off to see what an index-driven plan would cost.
 */
export async function explainWith(handle: DatabaseHandle, s: Statement, settings: string[]): Promise<string[]> {
  const text = `explain (analyze) ${s.query}`;
  let rows: Record<string, unknown>[];
  if (handle.kind === "pglite") {
    rows = await handle.pglite!.transaction(async (tx) => {
      for (const setting of settings) await tx.exec(`set local ${setting}`);
      return (await tx.query<Record<string, unknown>>(text, s.params)).rows;
    });
  } else {
    rows = (await handle.sql!.begin(async (tx) => {
      for (const setting of settings) await tx.unsafe(`set local ${setting}`);
      return tx.unsafe(text, s.params as never[]);
    })) as unknown as Record<string, unknown>[];
  }
  return rows.map((r) => String(Object.values(r)[0]));
}

/**
 * The month's ratings in one statement with the facts' own filter (a join
 * instead of a list of every whistle id as parameters): what the second query
 * of `monthlyRates` could be. `facts` is the captured first statement, whose
 * parameters are [start, end, path pattern].
 */
export function ratingsByJoin(facts: Statement): Statement {
  return {
    query: `select r.whistle_id, avg(case when r.solved then 1 else 0 end)::float as solved,
                   avg(case when r.satisfaction in ('satisfied','basically_satisfied') then 1 else 0 end)::float as satisfied
            from ratings r
            where r.whistle_id in (select a.whistle_id from assignments a join whistles w on w.id = a.whistle_id join units u on u.id = w.subdistrict_id
                                   where a.dispatched_at >= $1 and a.dispatched_at < $2 and u.path like $3)
            group by r.whistle_id`,
    params: facts.params.slice(0, 3),
  };
}

/** A fact row as the captured first statement returns it (driver column names are snake_case). */
interface FactRow {
  department_id: number;
  whistle_id: number;
  dispatched_at: string | Date;
  due_sign_at: string | Date;
  signed_at: string | Date | null;
  resolved_at: string | Date | null;
  due_resolve_at: string | Date | null;
  state: string;
  round: number;
  closure: string | null;
}
const date = (v: string | Date | null) => (v === null ? null : v instanceof Date ? v : new Date(v));

/**
 * The post-processing of `monthlyRates` written with maps instead of
 * `find`/`some` over arrays (same grouping, same pure `rates` per department):
 * a reference for how long the JavaScript part needs to take. Returns ms and
 * the number of departments.
 */
export function referencePostProcessing(factRows: Record<string, unknown>[], answerRows: Record<string, unknown>[]): { ms: number; departments: number } {
  const started = performance.now();
  const facts = factRows as unknown as FactRow[];
  const answers = new Map(answerRows.map((a) => [Number(a.whistle_id), { solved: Number(a.solved), satisfied: Number(a.satisfied) }]));
  const closure = new Map<number, string | null>();
  for (const f of facts) if (!closure.has(f.whistle_id)) closure.set(f.whistle_id, f.closure);
  const outcomes = new Map<number, WhistleOutcome>();
  for (const [id, c] of closure) {
    const a = answers.get(id);
    outcomes.set(id, { whistleId: id, solved: a ? a.solved >= 0.5 : null, satisfaction: a ? (a.satisfied >= 0.5 ? "satisfied" : "dissatisfied") : null, unreasonable: c === "unreasonable" });
  }
  const byDept = new Map<number, { facts: AssignmentFact[]; whistles: Set<number> }>();
  for (const f of facts) {
    const entry = byDept.get(f.department_id) ?? { facts: [], whistles: new Set<number>() };
    entry.facts.push({
      departmentId: f.department_id,
      dispatchedAt: date(f.dispatched_at)!,
      dueSignAt: date(f.due_sign_at)!,
      signedAt: date(f.signed_at),
      resolvedAt: date(f.resolved_at),
      dueResolveAt: date(f.due_resolve_at),
      returned: f.state === "returned",
      whistleId: f.whistle_id,
      redone: f.round > 0,
    });
    entry.whistles.add(f.whistle_id);
    byDept.set(f.department_id, entry);
  }
  let departments = 0;
  for (const d of byDept.values()) {
    rates(
      d.facts,
      [...d.whistles].map((id) => outcomes.get(id)!),
    );
    departments++;
  }
  return { ms: performance.now() - started, departments };
}
