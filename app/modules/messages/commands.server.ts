import { createHash, randomInt } from "node:crypto";
import { and, eq, inArray, sql } from "drizzle-orm";
import { db, type Tx } from "#db/client.server";
import { contactPoints, deliveries, messagePreferences, users, type DeliveryChannel } from "#db/schema";
import { messageWithParams } from "~/i18n/i18n";
import { audit } from "~/lib/audit.server";
import { CommandError, runCommand } from "~/lib/command.server";
import { hitRateLimit } from "~/lib/rate-limit.server";
import type { Actor } from "~/modules/identity/actor";
import { authorize } from "~/modules/access";
import { CODE_MAX_ATTEMPTS, CODE_TTL_MS, codeFrom, defaultChannels, kindsOf, type MessageCategory } from "./rules";
import type { PreferencesInput } from "./schemas";
import { VERIFY_KIND } from "./templates.server";
import { messageSecret, verifyUnsubscribe } from "./tokens.server";
import { serverNow } from "~/lib/clock.server";

/** Codes a person may ask for in an hour, and codes one address may receive in an hour (so nobody floods someone else's phone). */
export const CODE_LIMIT = { max: 5, windowSeconds: 3600 };

const hashCode = (userId: number, channel: string, address: string, code: string) =>
  createHash("sha256").update(`${userId}:${channel}:${address}:${code}`).digest("hex");

/** Stop what is still waiting to go to a person by a channel (the address changed or went; they opted out). */
async function cancelWaiting(tx: Tx, userId: number, channel: DeliveryChannel, kinds?: string[]) {
  await tx
    .update(deliveries)
    .set({ state: "cancelled" })
    .where(
      and(
        eq(deliveries.userId, userId),
        eq(deliveries.channel, channel),
        inArray(deliveries.state, ["held", "pending"]),
        kinds ? inArray(deliveries.kind, kinds) : undefined,
      ),
    );
}

/**
 * Add (or change) the person's email address or mobile number and send a
 * six-digit code to it, through the outbox like every other message. Nothing
 * else is sent there until the code comes back. Rate-limited per person and
 * per address.
 */
export async function requestContactCode(actor: Actor, input: { channel: DeliveryChannel; address: string }, now = serverNow()) {
  authorize(actor, "messages:manageOwn", { ownerId: actor.userId ?? -1 });
  const userId = actor.userId!;
  return runCommand(async (tx) => {
    for (const key of [`contact-code:${userId}`, `contact-code-to:${input.address}`]) {
      const limit = await hitRateLimit(tx, key, CODE_LIMIT, now);
      if (!limit.allowed)
        throw new CommandError(messageWithParams("messages.error.tooManyCodes", { minutes: Math.ceil(limit.retryAfterSeconds / 60) }), "address");
    }
    const code = codeFrom(randomInt(0, 2 ** 31));
    const [existing] = await tx
      .select()
      .from(contactPoints)
      .where(and(eq(contactPoints.userId, userId), eq(contactPoints.channel, input.channel)))
      .for("update");
    const changed = existing?.address !== input.address;
    if (existing && changed) await cancelWaiting(tx, userId, input.channel);
    const values = {
      address: input.address,
      codeHash: hashCode(userId, input.channel, input.address, code),
      codeExpiresAt: new Date(now.getTime() + CODE_TTL_MS),
      codeAttempts: 0,
      ...(changed ? { verifiedAt: null } : {}),
    };
    await tx
      .insert(contactPoints)
      .values({ userId, channel: input.channel, ...values })
      .onConflictDoUpdate({ target: [contactPoints.userId, contactPoints.channel], set: values });
    const [user] = await tx.select({ locale: users.locale }).from(users).where(eq(users.id, userId));
    await tx.insert(deliveries).values({
      userId,
      channel: input.channel,
      address: input.address,
      kind: VERIFY_KIND,
      params: { code },
      locale: user?.locale ?? "zh-CN",
      urgent: true,
      nextAttemptAt: now,
    });
  });
}

/** Enter the code: the address is verified, or the form says why not (a wrong guess counts, five end the code). */
export async function verifyContact(actor: Actor, input: { channel: DeliveryChannel; code: string }, now = serverNow()) {
  authorize(actor, "messages:manageOwn", { ownerId: actor.userId ?? -1 });
  const userId = actor.userId!;
  // A wrong guess must be counted even though the command refuses: decide inside, refuse after the commit.
  const refusal = await runCommand(async (tx) => {
    const [c] = await tx
      .select()
      .from(contactPoints)
      .where(and(eq(contactPoints.userId, userId), eq(contactPoints.channel, input.channel)))
      .for("update");
    if (!c?.codeHash || !c.codeExpiresAt) return "messages.error.noCode";
    if (c.codeAttempts >= CODE_MAX_ATTEMPTS) return "messages.error.tooManyAttempts";
    if (c.codeExpiresAt <= now) return "messages.error.codeExpired";
    if (hashCode(userId, c.channel, c.address, input.code) !== c.codeHash) {
      await tx
        .update(contactPoints)
        .set({ codeAttempts: c.codeAttempts + 1 })
        .where(and(eq(contactPoints.userId, userId), eq(contactPoints.channel, input.channel)));
      return c.codeAttempts + 1 >= CODE_MAX_ATTEMPTS ? "messages.error.tooManyAttempts" : "messages.error.wrongCode";
    }
    await tx
      .update(contactPoints)
      .set({ verifiedAt: now, codeHash: null, codeExpiresAt: null, codeAttempts: 0 })
      .where(and(eq(contactPoints.userId, userId), eq(contactPoints.channel, input.channel)));
    return null;
  });
  if (refusal) throw new CommandError(refusal, "code");
}

/** Remove an address: nothing more goes there, including what was waiting. */
export async function removeContact(actor: Actor, input: { channel: DeliveryChannel }) {
  authorize(actor, "messages:manageOwn", { ownerId: actor.userId ?? -1 });
  const userId = actor.userId!;
  await runCommand(async (tx) => {
    await tx.delete(contactPoints).where(and(eq(contactPoints.userId, userId), eq(contactPoints.channel, input.channel)));
    await cancelWaiting(tx, userId, input.channel);
  });
}

/** Save which categories go by which channel, the quiet hours and the digest. */
export async function savePreferences(actor: Actor, input: PreferencesInput, now = serverNow()) {
  authorize(actor, "messages:manageOwn", { ownerId: actor.userId ?? -1 });
  const values = {
    emailCategories: [...new Set(input.email)],
    smsCategories: [...new Set(input.sms)],
    quietStart: input.quietStart,
    quietEnd: input.quietEnd,
    digest: input.digest,
    digestAt: input.digestAt,
    updatedAt: now,
  };
  await runCommand(async (tx) => {
    await tx
      .insert(messagePreferences)
      .values({ userId: actor.userId!, ...values })
      .onConflictDoUpdate({ target: messagePreferences.userId, set: values });
    // A category switched off stops what of it is still waiting.
    for (const channel of ["email", "sms"] as const) {
      const off = (["duty", "votes", "following", "account"] as const).filter((c) => !values[channel === "email" ? "emailCategories" : "smsCategories"].includes(c));
      if (off.length) await cancelWaiting(tx, actor.userId!, channel, off.flatMap(kindsOf));
    }
  });
}

/** Read a signed unsubscribe token: whose and what, or null. No sign-in needed: the token is the permission. */
export async function readUnsubscribeToken(token: string) {
  return verifyUnsubscribe(await messageSecret(db()), token);
}

/** Stop one category of email (or all email) for the token's person. Idempotent. */
export async function unsubscribe(token: string) {
  const found = await readUnsubscribeToken(token);
  if (!found) throw new CommandError("messages.unsubscribe.invalid");
  await runCommand(async (tx) => {
    const [prefs] = await tx.select().from(messagePreferences).where(eq(messagePreferences.userId, found.userId)).for("update");
    const current = prefs?.emailCategories ?? defaultChannels.email;
    const emailCategories = found.scope === "all" ? [] : current.filter((c) => c !== found.scope);
    await tx
      .insert(messagePreferences)
      .values({ userId: found.userId, emailCategories, smsCategories: defaultChannels.sms })
      .onConflictDoUpdate({ target: messagePreferences.userId, set: { emailCategories, updatedAt: serverNow() } });
    const stopped: MessageCategory[] = found.scope === "all" ? ["duty", "votes", "following", "account"] : [found.scope];
    await cancelWaiting(tx, found.userId, "email", found.scope === "all" ? undefined : stopped.flatMap(kindsOf));
  });
  return found;
}

/**
 * An administrator sends dead letters again (after fixing what made them
 * fail): each goes back to the queue with its attempts reset and a new round,
 * so a provider that remembers the old idempotency key does not answer with
 * the old failure. Returns how many.
 */
export async function retryDeliveries(actor: Actor, input: { id?: number }, now = serverNow()) {
  authorize(actor, "deliveries:retry", {});
  return runCommand(async (tx) => {
    const retried = await tx
      .update(deliveries)
      .set({ state: "pending", attempts: 0, round: sql`${deliveries.round} + 1`, nextAttemptAt: now })
      .where(and(eq(deliveries.state, "dead"), input.id ? eq(deliveries.id, input.id) : undefined))
      .returning({ id: deliveries.id });
    await audit(tx, {
      actorId: actor.userId,
      action: "deliveries:retry",
      subjectType: "delivery",
      subjectId: input.id ?? "all",
      data: { count: retried.length },
    });
    return retried.length;
  });
}
