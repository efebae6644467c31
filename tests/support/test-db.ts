import { sql } from "drizzle-orm";
import postgres from "postgres";
import { databaseEmptied, openDatabase, setDatabase, type DatabaseHandle } from "#db/client.server";
import { migrate } from "#db/migrate.server";

/**
 * One migrated database per test worker: in-process PGlite by default, or a
 * fresh database of its own on the server named by DATABASE_URL. Tests reset
 * its rows, not the database, between tests (stack-notes.md: initdb is slow).
 */
const holder = globalThis as unknown as { __testDb?: Promise<DatabaseHandle>; __testTables?: string[] };

export function testDatabase(): Promise<DatabaseHandle> {
  holder.__testDb ??= open();
  return holder.__testDb;
}

async function open(): Promise<DatabaseHandle> {
  const url = process.env.DATABASE_URL;
  let handle: DatabaseHandle;
  if (url) {
    const worker = process.env.VITEST_POOL_ID ?? process.env.VITEST_WORKER_ID ?? "0";
    const base = new URL(url);
    const name = `${base.pathname.slice(1) || "gongzhi"}_vitest_${worker}`;
    const adminUrl = new URL(url);
    adminUrl.pathname = "/postgres"; // the maintenance database: DATABASE_URL's own may not exist yet
    const admin = postgres(adminUrl.toString(), { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.unsafe(`create database "${name}"`);
    await admin.end();
    base.pathname = `/${name}`;
    handle = await openDatabase({ kind: "postgres", url: base.toString(), max: 20 });
  } else {
    handle = await openDatabase({ kind: "pglite" });
  }
  await migrate(handle);
  setDatabase(handle);
  return handle;
}

/** Empty every table (keeping the migrations' bookkeeping), so each test starts clean. */
export async function resetDatabase(): Promise<void> {
  const handle = await testDatabase();
  if (!holder.__testTables) {
    const rows = await handle.db.execute<{ tablename: string }>(
      sql`select tablename from pg_tables where schemaname = 'public' order by tablename`,
    );
    // The room log is left alone: a live node's pulse may be numbering news while a test ends, and
    // truncating its two tables in one lock order while that statement writes them in the other deadlocks.
    // Tests read a room's number before they act and count from it (ADR 0046).
    const kept = new Set(["room_events", "room_seqs"]);
    holder.__testTables = rowsOf<{ tablename: string }>(rows)
      .filter((r) => !kept.has(r.tablename))
      .map((r) => `"${r.tablename}"`);
  }
  if (holder.__testTables.length) {
    await handle.db.execute(sql.raw(`truncate ${holder.__testTables.join(", ")} restart identity cascade`));
  }
  databaseEmptied();
}

/** drizzle's `execute` returns rows directly (postgres.js) or in `.rows` (PGlite). */
export function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : ((result as { rows: T[] }).rows ?? []);
}
