import { eq } from "drizzle-orm";
import { db, type Queryable } from "#db/client.server";
import { users } from "#db/schema";
import { audit } from "~/lib/audit.server";
import { CommandError, runCommand } from "~/lib/command.server";
import { clearRateLimit, hitRateLimit, refundRateLimit, type Limit } from "~/lib/rate-limit.server";
import { notify } from "~/modules/notifications/commands.server";
import { dummyPasswordHash, hashPassword, verifyPassword } from "./password.server";
import { normaliseAccount } from "./schemas";
import { createSession, invalidateSession, invalidateUserSessions } from "./sessions.server";

export const LOGIN_LIMIT_PER_ACCOUNT: Limit = { max: 5, windowSeconds: 15 * 60 };
export const LOGIN_LIMIT_PER_IP: Limit = { max: 30, windowSeconds: 15 * 60 };
/** New accounts: per address, and per account name tried (ADR 0017). */
// Generous per address: a community centre may sign up a roomful of neighbours on one connection.
export const REGISTER_LIMIT_PER_IP: Limit = { max: 20, windowSeconds: 60 * 60 };
export const REGISTER_LIMIT_PER_ACCOUNT: Limit = { max: 5, windowSeconds: 60 * 60 };
/** The current-password check on /settings: per account and per address. */
export const PASSWORD_CHECK_LIMIT_PER_ACCOUNT: Limit = { max: 5, windowSeconds: 15 * 60 };
export const PASSWORD_CHECK_LIMIT_PER_IP: Limit = { max: 30, windowSeconds: 15 * 60 };

/** The key an account name is limited under: its normalised form, so `neighbour-40`, `NEIGHBOUR 40` and `ｎｅｉｇｈｂｏｕｒ40` are one account. */
export function accountKey(identifier: string): string {
  const login = normaliseAccount(identifier);
  return "phone" in login ? `phone:${login.phone}` : `username:${login.username}`;
}

/**
 * Count an attempt against every key and say whether all were within their
 * limits: one atomic upsert per key (check and count are one step), so N
 * parallel attempts get N distinct counts and at most `max` of them pass.
 */
async function admit(keys: [string, Limit][]): Promise<{ ok: true } | { ok: false; retryAfterSeconds: number }> {
  const states = await runCommand(async (tx) => {
    const out = [];
    for (const [key, limit] of keys) out.push(await hitRateLimit(tx, key, limit));
    return out;
  });
  const refused = states.filter((s) => !s.allowed);
  return refused.length === 0 ? { ok: true } : { ok: false, retryAfterSeconds: Math.max(...refused.map((s) => s.retryAfterSeconds)) };
}

export interface RegisterInput {
  displayName: string;
  account: string;
  password: string;
  /** The address the request came from, for the registration limit. */
  ip?: string;
}

/** Create an account and its first session. A taken name is a field error, not a crash. */
export async function register(input: RegisterInput) {
  const login = normaliseAccount(input.account);
  const admitted = await admit([
    [`register:ip:${input.ip ?? ""}`, REGISTER_LIMIT_PER_IP],
    [`register:account:${accountKey(input.account)}`, REGISTER_LIMIT_PER_ACCOUNT],
  ]);
  if (!admitted.ok) throw new CommandError("auth.register.tooMany", undefined, { minutes: Math.ceil(admitted.retryAfterSeconds / 60) });
  // Hash outside the transaction: it is the slow part and needs no lock.
  const passwordHash = await hashPassword(input.password);
  return runCommand(async (tx, outbox) => {
    const [user] = await tx
      .insert(users)
      .values({ displayName: input.displayName, passwordHash, ...login })
      .onConflictDoNothing()
      .returning({ id: users.id });
    if (!user) throw new CommandError("validation.account.taken", "account");
    await audit(tx, { actorId: user.id, action: "user:register", subjectType: "user", subjectId: user.id });
    await notify(tx, outbox, { userId: user.id, kind: "notification.welcome", params: { name: input.displayName } });
    const session = await createSession(tx, user.id);
    return { userId: user.id, token: session.token };
  });
}

async function findByLogin(q: Queryable, identifier: string) {
  const login = normaliseAccount(identifier);
  const [user] = await q
    .select({ id: users.id, passwordHash: users.passwordHash })
    .from(users)
    .where("phone" in login ? eq(users.phone, login.phone) : eq(users.username, login.username));
  return user;
}

export type LoginResult =
  | { ok: true; userId: number; token: string }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "rate_limited"; retryAfterSeconds: number };

/**
 * Check a password, rate-limited per account and per IP address. Failures are
 * counted in the database so the limit holds on every node. The slow hash
 * check runs outside any transaction (PGlite has a single connection).
 */
export async function login(input: { identifier: string; password: string; ip: string }): Promise<LoginResult> {
  // The key is built from the normalised name (issue 12 §4), and every attempt is counted before the
  // password is checked, in one atomic step: a burst of parallel guesses cannot get more than the limit evaluated.
  const accountLimitKey = `login:account:${accountKey(input.identifier)}`;
  const ipKey = `login:ip:${input.ip}`;
  const admitted = await admit([
    [accountLimitKey, LOGIN_LIMIT_PER_ACCOUNT],
    [ipKey, LOGIN_LIMIT_PER_IP],
  ]);
  if (!admitted.ok) return { ok: false, reason: "rate_limited", retryAfterSeconds: admitted.retryAfterSeconds };
  const user = await findByLogin(db(), input.identifier);
  const valid = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), input.password);
  if (!user || !valid) return { ok: false, reason: "invalid" };
  return runCommand(async (tx, outbox) => {
    // A success forgets the account's failures and gives the address its attempt back.
    await clearRateLimit(tx, accountLimitKey);
    await refundRateLimit(tx, ipKey);
    const session = await createSession(tx, user.id);
    // Tell the person's other open tabs and devices about the new sign-in.
    await notify(tx, outbox, { userId: user.id, kind: "notification.newSignIn", link: "/settings" });
    return { ok: true as const, userId: user.id, token: session.token };
  });
}

export async function logout(sessionId: string): Promise<void> {
  await runCommand((tx) => invalidateSession(tx, sessionId));
}

/** End every session of the person, including this one. */
export async function logoutEverywhere(userId: number): Promise<void> {
  await runCommand(async (tx) => {
    await invalidateUserSessions(tx, userId);
    await audit(tx, { actorId: userId, action: "user:logout-everywhere", subjectType: "user", subjectId: userId });
  });
}

/** Change the password and log out every other session. */
export async function changePassword(input: { userId: number; sessionId: string; currentPassword: string; newPassword: string; ip?: string }) {
  const admitted = await admit([
    [`password-check:user:${input.userId}`, PASSWORD_CHECK_LIMIT_PER_ACCOUNT],
    [`password-check:ip:${input.ip ?? ""}`, PASSWORD_CHECK_LIMIT_PER_IP],
  ]);
  if (!admitted.ok) throw new CommandError("auth.password.tooManyChecks", "currentPassword", { minutes: Math.ceil(admitted.retryAfterSeconds / 60) });
  const [user] = await db().select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, input.userId));
  if (!user || !(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw new CommandError("auth.password.wrongCurrent", "currentPassword");
  }
  const passwordHash = await hashPassword(input.newPassword);
  await runCommand(async (tx, outbox) => {
    await tx.update(users).set({ passwordHash }).where(eq(users.id, input.userId));
    await invalidateUserSessions(tx, input.userId, input.sessionId);
    await audit(tx, { actorId: input.userId, action: "user:change-password", subjectType: "user", subjectId: input.userId });
    await notify(tx, outbox, { userId: input.userId, kind: "notification.passwordChanged" });
  });
}

export async function setPreferences(userId: number, prefs: { locale?: "zh-CN" | "en"; largeText?: boolean }) {
  await runCommand((tx) => tx.update(users).set(prefs).where(eq(users.id, userId)));
}
