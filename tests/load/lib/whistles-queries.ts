/**
 * Looking inside `monthlyRates` (app/modules/whistles/queries.server.ts) for
 * the whistles benchmark: capture the statements it sends (a logging drizzle
 * on the same connection), time them on their own and EXPLAIN ANALYZE them.
 * Nothing here changes the app.
 */
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import type { Database, DatabaseHandle } from "#db/client.server";
import * as schema from "#db/schema";
import { monthlyRates } from "~/modules/whistles/queries.server";

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
