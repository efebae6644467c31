import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import type { PgliteDatabase } from "drizzle-orm/pglite";
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import type { DatabaseHandle } from "./client.server";

/** Beside this file in the source; from the compiled server (build/node/server.js), in db/ at the project's root. */
export const migrationsFolder = [new URL("./migrations", import.meta.url), new URL("../../db/migrations", import.meta.url)]
  .map((url) => fileURLToPath(url))
  .find((dir) => existsSync(dir))!;

/** Arbitrary constant: the advisory lock that serialises migrations across nodes. */
const MIGRATION_LOCK = 7_305_152;

/**
 * Apply the committed drizzle-kit migrations. The same SQL files and the same
 * bookkeeping table serve both drivers; on a server, an advisory lock held on
 * a reserved connection lets several nodes start at once safely.
 */
export async function migrate(handle: DatabaseHandle): Promise<void> {
  if (handle.kind === "pglite") {
    await migratePglite(handle.db as unknown as PgliteDatabase, { migrationsFolder });
    return;
  }
  const lock = await handle.sql!.reserve();
  try {
    await lock`select pg_advisory_lock(${MIGRATION_LOCK})`;
    const { migrate: migratePostgres } = await import("drizzle-orm/postgres-js/migrator");
    await migratePostgres(handle.db as unknown as PostgresJsDatabase, { migrationsFolder });
  } finally {
    await lock`select pg_advisory_unlock(${MIGRATION_LOCK})`.catch(() => {});
    lock.release();
  }
}
