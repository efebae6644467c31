/**
 * `npm run db:migrate`: apply the committed migrations to the configured
 * database (DATABASE_URL, or the embedded one under DATA_DIR) and exit.
 * The server does the same at start-up; this is for deployments that migrate
 * before they roll out new nodes.
 */
import path from "node:path";
import { config } from "~/config.server";
import { openDatabase, redact } from "./client.server";
import { migrate } from "./migrate.server";

const cfg = config();
const handle = await openDatabase(
  cfg.databaseUrl ? { kind: "postgres", url: cfg.databaseUrl } : { kind: "pglite", dataDir: path.join(cfg.dataDir, "pglite") },
);
try {
  await migrate(handle);
  console.log(`Migrated ${cfg.databaseUrl ? redact(cfg.databaseUrl) : path.join(cfg.dataDir, "pglite")}.`);
} finally {
  await handle.close();
}
