/**
 * `npm run db:seed`: migrate, then seed the demo district if the database has
 * no accounts yet (the same step `DEMO=true` runs at start-up), and exit.
 */
import path from "node:path";
import { config } from "~/config.server";
import { openDatabase, redact } from "../client.server";
import { migrate } from "../migrate.server";
import { seedDemoIfEmpty } from "./demo";

const cfg = config();
const where = cfg.databaseUrl ? redact(cfg.databaseUrl) : path.join(cfg.dataDir, "pglite");
const handle = await openDatabase(cfg.databaseUrl ? { kind: "postgres", url: cfg.databaseUrl } : { kind: "pglite", dataDir: path.join(cfg.dataDir, "pglite") });
try {
  await migrate(handle);
  const seeded = await seedDemoIfEmpty(handle.db);
  console.log(seeded ? `Seeded the demo district into ${where} in ${Math.round(seeded.ms)} ms.` : `${where} already has accounts: nothing seeded.`);
} finally {
  await handle.close();
}
