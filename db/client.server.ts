import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import type { ExtractTablesWithRelations } from "drizzle-orm";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
// The server's driver is loaded only when DATABASE_URL is set: the embedded default starts without it (restart time).
import type postgres from "postgres";
import * as schema from "./schema";

export type Schema = typeof schema;
/** The one database type every query and command is written against, whatever the driver. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** Either the database or an open transaction: queries accept both. */
export type Queryable = Database | Tx;

/** The rows of a raw `execute()`: postgres.js returns an array, PGlite an object with `rows`. */
export function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : ((result as { rows?: T[] }).rows ?? []);
}

export interface DatabaseHandle {
  db: Database;
  kind: "pglite" | "postgres";
  /** The raw driver, for the few things drizzle does not do (advisory locks, LISTEN). */
  pglite?: PGlite;
  sql?: postgres.Sql;
  /** The server's connection URL (postgres only). */
  url?: string;
  close(): Promise<void>;
}

export type OpenOptions =
  | { kind: "postgres"; url: string; max?: number }
  | { kind: "pglite"; dataDir?: string /* undefined: in memory */ };

/**
 * Statements this process has sent through drizzle since it started (`/healthz` reports it; the benchmarks divide it
 * by requests). Kept on globalThis, like the handle: the server and the Remix build each bundle this module.
 */
export const statementsSent = () => holder.__gongzhiStatements ?? 0;
const countStatement = () => void (holder.__gongzhiStatements = (holder.__gongzhiStatements ?? 0) + 1);

export async function openDatabase(options: OpenOptions): Promise<DatabaseHandle> {
  if (options.kind === "postgres") {
    const [{ default: postgres }, { drizzle: drizzlePostgres }] = await Promise.all([import("postgres"), import("drizzle-orm/postgres-js")]);
    const connect = (purpose: string) =>
      postgres(options.url, {
        max: options.max ?? 10,
        onnotice: () => {},
        connect_timeout: 5,
        connection: { application_name: `gongzhi ${purpose}` },
      });
    // Two pools (ADR 0014): single statements pipeline freely on the first; transactions run on the
    // second, where BEGIN is only ever sent on an idle connection. postgres.js 3.4.9 can send BEGIN
    // without reserving the connection when it lands on a busy, pipelining one (porsager/postgres#823,
    // #1189): the transaction's connection then serves unrelated queries inside it.
    const sql = connect("queries");
    const txSql = connect("transactions");
    try {
      await Promise.all([sql`select 1`, txSql`select 1`]);
    } catch (error) {
      await Promise.all([sql.end({ timeout: 1 }), txSql.end({ timeout: 1 })]).catch(() => {});
      throw new DatabaseUnreachableError(redact(options.url), error);
    }
    const db = drizzlePostgres(preparing(sql, txSql), { schema, casing: "snake_case" }) as unknown as Database;
    // drizzle hands json and jsonb to the driver already as JSON text and tells the client it is given
    // (the queries' pool) to pass that text through. The transactions' pool must do the same, or
    // postgres.js encodes the text a second time and jsonb columns hold a JSON *string*
    // (`result->>'outcome'` is null; issue 12 §7, ADR 0017).
    for (const oid of [114, 3802]) txSql.options.serializers[oid] = sql.options.serializers[oid]!;
    return {
      db,
      kind: "postgres",
      sql,
      url: options.url,
      close: async () => {
        await Promise.all([sql.end({ timeout: 5 }), txSql.end({ timeout: 5 })]);
      },
    };
  }
  // PGlite does not create parent folders (stack-notes.md).
  if (options.dataDir) mkdirSync(path.dirname(path.resolve(options.dataDir)), { recursive: true });
  // No extensions: each one costs start-up time, and search uses bigrams in a plain tsvector (ADR 0008).
  const pglite = await PGlite.create({ dataDir: options.dataDir });
  const db = drizzlePglite(pglite, { schema, casing: "snake_case", logger: { logQuery: countStatement } }) as unknown as Database;
  return { db, kind: "pglite", pglite, close: () => pglite.close() };
}

/**
 * The postgres.js client as drizzle should see it: every statement with
 * parameters is a named prepared statement, cached per connection by its text
 * (drizzle asks for that only for queries built with `.prepare()`). The server
 * then parses and plans each query once per connection instead of on every
 * call, which the structure benchmark measured at 0.2–0.3 ms a query (ADR 0014).
 * Transactions begin on their own pool (see openDatabase).
 * PostgreSQL's default plan_cache_mode still picks a custom plan whenever a
 * generic one would be worse. Transactions and savepoints hand out clients of
 * their own, wrapped the same way.
 */
function preparing(sql: postgres.Sql, transactions: postgres.Sql = sql): postgres.Sql {
  return new Proxy(sql, {
    get(target, property, receiver) {
      if (property === "unsafe")
        return (query: string, args?: unknown[], options?: object) => {
          countStatement();
          return target.unsafe(query, args as postgres.ParameterOrJSON<never>[], { ...options, prepare: true });
        };
      if (property === "begin" || property === "savepoint")
        return (...params: unknown[]) => {
          const fn = params.pop() as (client: postgres.Sql) => unknown;
          // A transaction begins on the transactions' pool; a savepoint stays on its transaction's connection.
          const owner = property === "begin" ? transactions : target;
          const original = Reflect.get(owner, property) as (...a: unknown[]) => unknown;
          return original.call(owner, ...params, (client: postgres.Sql) => fn(preparing(client)));
        };
      return Reflect.get(target, property, receiver);
    },
  });
}

export class DatabaseUnreachableError extends Error {
  constructor(
    readonly where: string,
    cause: unknown,
  ) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`Cannot reach the database at ${where}: ${reason}`);
  }
}

/** Hide the password in a connection URL before it is printed. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "****";
    return u.toString();
  } catch {
    return "(unparseable DATABASE_URL)";
  }
}

// One handle per process, kept on globalThis so the server entry and the
// Remix bundle (and Vite reloads) share it (stack-notes.md).
const holder = globalThis as unknown as { __gongzhiDb?: DatabaseHandle; __gongzhiResetHooks?: Set<() => void>; __gongzhiStatements?: number };

/**
 * In-process copies of database rows (such as an open vote's frozen rules)
 * register here to be forgotten when the tables are emptied and ids start
 * again, which only tests do (`databaseEmptied`). Ids are never reused otherwise.
 */
export function forgetWhenEmptied(forget: () => void) {
  (holder.__gongzhiResetHooks ??= new Set()).add(forget);
}

export function databaseEmptied() {
  for (const forget of holder.__gongzhiResetHooks ?? []) forget();
}

export function setDatabase(handle: DatabaseHandle | undefined) {
  if (handle !== holder.__gongzhiDb) databaseEmptied();
  holder.__gongzhiDb = handle;
}

export function databaseHandle(): DatabaseHandle {
  const handle = holder.__gongzhiDb;
  if (!handle) throw new Error("The database has not been opened (call openDatabase at boot).");
  return handle;
}

/** The process's database. */
export function db(): Database {
  return databaseHandle().db;
}
