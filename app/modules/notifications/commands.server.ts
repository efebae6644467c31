import { and, eq, isNull } from "drizzle-orm";
import type { Tx } from "#db/client.server";
import { notifications } from "#db/schema";
import type { Outbox } from "~/lib/command.server";
import { queueDeliveries } from "~/modules/messages/enqueue.server";
import { serverNow } from "~/lib/clock.server";
import { FANOUT_AT, queueAudienceFanout, queueFanout } from "./fanout.server";
import type { Audience } from "./audiences";
import { readAudience } from "./audiences.server";

export interface NewNotification {
  userId: number;
  /** The message key the notification is rendered from (e.g. `notification.welcome`). */
  kind: string;
  params?: Record<string, string | number>;
  link?: string | null;
  /** When it happened (quiet hours and digests are reckoned from it); default now. */
  at?: Date;
}

/**
 * Store a notification and, once the transaction commits, show it live in the
 * recipient's open tabs; in the same transaction, queue its email and SMS
 * deliveries as the recipient chose (ADR 0022).
 */
export async function notify(tx: Tx, outbox: Outbox, input: NewNotification): Promise<void> {
  const [row] = await tx
    .insert(notifications)
    .values({ userId: input.userId, kind: input.kind, params: input.params ?? {}, link: input.link ?? null })
    .returning();
  outbox.emit(`user:${input.userId}`, "notification:new", {
    id: row!.id,
    kind: row!.kind,
    params: row!.params,
    link: row!.link,
    createdAt: row!.createdAt.toISOString(),
  });
  await queueDeliveries(tx, [input.userId], input, input.at);
}

/**
 * The same notification to many people (followers of a proposal, voters …):
 * to fewer than FANOUT_AT, in one insert and their deliveries in one more; to
 * more, as one fan-out row that the sender expands into both within seconds
 * of the commit (ADR 0041), so a district-wide event commits as fast as a
 * small one.
 */
export async function notifyMany(tx: Tx, outbox: Outbox, userIds: number[], input: Omit<NewNotification, "userId">): Promise<void> {
  const recipients = [...new Set(userIds)];
  if (recipients.length >= FANOUT_AT) {
    await queueFanout(tx, recipients, { ...input, at: input.at ?? serverNow() });
    return;
  }
  if (recipients.length === 0) return;
  const rows = await tx
    .insert(notifications)
    .values(recipients.map((userId) => ({ userId, kind: input.kind, params: input.params ?? {}, link: input.link ?? null })))
    .returning();
  for (const row of rows) {
    outbox.emit(`user:${row.userId}`, "notification:new", {
      id: row.id,
      kind: row.kind,
      params: row.params,
      link: row.link,
      createdAt: row.createdAt.toISOString(),
    });
  }
  await queueDeliveries(tx, recipients, input, input.at);
}

/**
 * The same notification to an audience named by what it is (a vote's
 * electorate, a proposal's followers, a meeting's invitees: audiences.ts).
 * To FANOUT_AT people or more it costs the event ONE statement of constant
 * cost: a fan-out row holding the audience's kinds and parameters, read by
 * the sender as of the event (ADR 0041, amended). To fewer, the same query
 * gives the ids and they are notified at once, as by notifyMany: whether a
 * person hears of an event does not depend on how large its audience is.
 */
export async function notifyAudience(tx: Tx, outbox: Outbox, audience: Audience, input: Omit<NewNotification, "userId">): Promise<void> {
  if (await queueAudienceFanout(tx, audience, { ...input, at: input.at ?? serverNow() })) return;
  await notifyMany(tx, outbox, await readAudience(tx, audience), input);
}

export async function markAllRead(tx: Tx, userId: number, now = serverNow()): Promise<void> {
  await tx
    .update(notifications)
    .set({ readAt: now })
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
}
