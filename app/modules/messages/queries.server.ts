import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { rowsOf, type Queryable } from "#db/client.server";
import { contactPoints, deliveries, messagePreferences, type DeliveryChannel, type DeliveryState } from "#db/schema";
import type { Actor } from "~/modules/identity/actor";
import { authorize } from "~/modules/access";
import { DEFAULT_DIGEST_AT, DEFAULT_QUIET, defaultChannels, maskAddress, minutesToClock } from "./rules";
import { serverNow } from "~/lib/clock.server";

/** A person's own addresses and choices (defaults when they have not chosen). Only ever for themselves. */
export async function myMessageSettings(q: Queryable, actor: Actor) {
  authorize(actor, "messages:manageOwn", { ownerId: actor.userId ?? -1 });
  const contacts = await q
    .select({ channel: contactPoints.channel, address: contactPoints.address, verifiedAt: contactPoints.verifiedAt, codeExpiresAt: contactPoints.codeExpiresAt })
    .from(contactPoints)
    .where(eq(contactPoints.userId, actor.userId!));
  const [prefs] = await q.select().from(messagePreferences).where(eq(messagePreferences.userId, actor.userId!));
  const contact = (channel: DeliveryChannel) => {
    const c = contacts.find((x) => x.channel === channel);
    return c ? { address: c.address, verified: c.verifiedAt !== null, codePending: c.codeExpiresAt !== null } : null;
  };
  return {
    contacts: { email: contact("email"), sms: contact("sms") },
    preferences: {
      email: prefs?.emailCategories ?? defaultChannels.email,
      sms: prefs?.smsCategories ?? defaultChannels.sms,
      quietStart: minutesToClock(prefs?.quietStart ?? DEFAULT_QUIET.start),
      quietEnd: minutesToClock(prefs?.quietEnd ?? DEFAULT_QUIET.end),
      digest: prefs?.digest ?? false,
      digestAt: minutesToClock(prefs?.digestAt ?? DEFAULT_DIGEST_AT),
    },
  };
}

const DEAD_LETTERS = 100;

/**
 * The queue as an administrator sees it: counts by state and channel (the
 * last seven days, and everything still to do), the large audiences still
 * being expanded, the oldest waiting delivery, and the latest dead letters
 * with masked addresses.
 */
export async function deliveryOverview(q: Queryable, actor: Actor, now = serverNow()) {
  authorize(actor, "deliveries:view", {});
  const counts = rowsOf<{ state: DeliveryState; channel: DeliveryChannel; n: number }>(
    await q.execute(sql`
      select state, channel, count(*)::int as n from deliveries
      where state in ('held', 'pending', 'sending', 'dead') or created_at > ${new Date(now.getTime() - 7 * 86_400_000).toISOString()}::timestamptz
      group by state, channel`),
  );
  const [oldest] = await q
    .select({ at: deliveries.nextAttemptAt })
    .from(deliveries)
    .where(inArray(deliveries.state, ["pending", "sending"]))
    .orderBy(deliveries.nextAttemptAt)
    .limit(1);
  const dead = await q
    .select({
      id: deliveries.id,
      channel: deliveries.channel,
      address: deliveries.address,
      kind: deliveries.kind,
      attempts: deliveries.attempts,
      lastError: deliveries.lastError,
      createdAt: deliveries.createdAt,
    })
    .from(deliveries)
    .where(and(eq(deliveries.state, "dead")))
    .orderBy(desc(deliveries.createdAt))
    .limit(DEAD_LETTERS);
  // Large audiences' notices not yet expanded into deliveries (ADR 0041): how many, how many people are left among
  // those whose audience is read, and how many name their audience by a query the sender has not read yet.
  const [expanding] = rowsOf<{ fanouts: number; people: number; unread: number }>(
    await q.execute(sql`select count(*)::int as fanouts, coalesce(sum(total - done), 0)::int as people, count(*) filter (where total is null)::int as unread
      from delivery_fanouts where finished_at is null`),
  );
  return {
    counts,
    expanding: expanding ?? { fanouts: 0, people: 0, unread: 0 },
    oldestDue: oldest?.at.toISOString() ?? null,
    dead: dead.map(({ address, ...d }) => ({ ...d, to: maskAddress(d.channel, address), createdAt: d.createdAt.toISOString() })),
  };
}
