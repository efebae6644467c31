import { db } from "#db/client.server";
import { users } from "#db/schema";
import { hashPassword } from "~/modules/identity/password.server";
import { createSession } from "~/modules/identity/sessions.server";

export const TEST_PASSWORD = "river2026stone";
let passwordHash: Promise<string> | undefined;

/** A person with a known password (hashed once per worker: argon2 is slow on purpose). */
export async function createUser(overrides: Partial<typeof users.$inferInsert> = {}) {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const n = Math.random().toString(36).slice(2, 10);
  const [user] = await db()
    .insert(users)
    .values({ displayName: `测试用户${n}`, username: `user_${n}`, passwordHash: await passwordHash, ...overrides })
    .returning();
  return user!;
}

/** A person with a live session: the cookie value a browser would send. */
export async function createUserWithSession(overrides: Partial<typeof users.$inferInsert> = {}) {
  const user = await createUser(overrides);
  const session = await createSession(db(), user.id);
  return { user, ...session };
}
