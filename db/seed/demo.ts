import { count, sql } from "drizzle-orm";
import type { Database } from "../client.server";
import { users } from "../schema";
import { hashPassword } from "~/modules/identity/password.server";
import { DEMO_PASSWORD, demoAccounts } from "./demo-accounts";

/**
 * Fill an empty database with the demo district. Does nothing when any
 * account exists, so it is safe on every start and on several nodes at once.
 */
export async function seedDemoIfEmpty(db: Database): Promise<{ ms: number } | null> {
  const started = performance.now();
  const [existing] = await db.select({ n: count() }).from(users);
  if ((existing?.n ?? 0) > 0) return null;
  // One hash for every demo account: argon2 is deliberately slow.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const seeded = await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(7305153)`);
    const [again] = await tx.select({ n: count() }).from(users);
    if ((again?.n ?? 0) > 0) return false;
    await tx.insert(users).values(demoAccounts.map((a) => ({ username: a.username, displayName: a.displayName, passwordHash })));
    return true;
  });
  return seeded ? { ms: Math.round(performance.now() - started) } : null;
}
