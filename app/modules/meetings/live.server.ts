import { and, asc, count, eq, inArray } from "drizzle-orm";
import type { Queryable } from "#db/client.server";
import { meetingAttendance, meetingBallots, meetingHands, meetingItems, meetingMotions, type meetings, proposals, users } from "#db/schema";
import type { MeetingLive } from "#realtime/events";
import { orderQueue } from "./rules";

type Meeting = typeof meetings.$inferSelect;

/** How many of the waiting hands the state names (the rest go by their people's ids only). */
export const QUEUE_SHOWN = 12;

/**
 * The live state of a meeting (realtime/events.ts MeetingLive), read in a few
 * small queries: the item under discussion, its hands and motions, the
 * people present. Every command that changes the room emits it after commit.
 */
export async function liveState(q: Queryable, meeting: Meeting, now: Date): Promise<MeetingLive> {
  const [[present], items] = await Promise.all([
    q.select({ n: count() }).from(meetingAttendance).where(eq(meetingAttendance.meetingId, meeting.id)),
    q
      .select({ id: meetingItems.id, position: meetingItems.position, proposalId: meetingItems.proposalId, minutes: meetingItems.minutes, startedAt: meetingItems.startedAt, title: proposals.title })
      .from(meetingItems)
      .innerJoin(proposals, eq(proposals.id, meetingItems.proposalId))
      .where(eq(meetingItems.meetingId, meeting.id))
      .orderBy(asc(meetingItems.position)),
  ]);
  const base = {
    meetingId: meeting.id,
    rev: meeting.rev,
    status: meeting.status,
    serverNow: now.toISOString(),
    present: present?.n ?? 0,
    quorum: meeting.quorum,
  };
  const item = items.find((i) => i.position === meeting.currentItem);
  if (!item) return { ...base, item: null, speaker: null, queue: [], order: [], spoken: [], motions: [] };

  const [hands, motions] = await Promise.all([
    q
      .select({ hand: meetingHands, name: users.displayName })
      .from(meetingHands)
      .innerJoin(users, eq(users.id, meetingHands.userId))
      .where(and(eq(meetingHands.itemId, item.id), inArray(meetingHands.status, ["waiting", "speaking", "spoken"])))
      .orderBy(asc(meetingHands.id)),
    q.select().from(meetingMotions).where(eq(meetingMotions.itemId, item.id)).orderBy(asc(meetingMotions.id)),
  ]);
  const tallies = motions.length
    ? await q
        .select({ motionId: meetingBallots.motionId, choice: meetingBallots.choice, n: count() })
        .from(meetingBallots)
        .where(inArray(meetingBallots.motionId, motions.map((m) => m.id)))
        .groupBy(meetingBallots.motionId, meetingBallots.choice)
    : [];
  const phones = (motionId: number) => {
    const of = (choice: string) => tallies.find((x) => x.motionId === motionId && x.choice === choice)?.n ?? 0;
    return { for: of("for"), against: of("against"), abstain: of("abstain") };
  };
  const spoken = new Map<number, number>();
  let last: { stance: "for" | "against"; at: number } | null = null;
  for (const { hand } of hands) {
    if (hand.status === "waiting") continue;
    spoken.set(hand.userId, (spoken.get(hand.userId) ?? 0) + 1);
    const at = hand.startedAt!.getTime();
    if (!last || at >= last.at) last = { stance: hand.stance, at };
  }
  const waiting = hands.filter((h) => h.hand.status === "waiting").map((h) => ({ id: h.hand.id, userId: h.hand.userId, stance: h.hand.stance, raisedAt: h.hand.raisedAt.getTime(), name: h.name }));
  const order = orderQueue(waiting, spoken, last?.stance ?? null, meeting.alternate);
  const speaking = hands.find((h) => h.hand.status === "speaking");
  const names = new Map(hands.map((h) => [h.hand.userId, h.name]));
  const people = await namesOf(q, motions.flatMap((m) => [m.movedBy, m.secondedBy ?? 0]).filter((id) => id && !names.has(id)));
  for (const [id, name] of people) names.set(id, name);

  return {
    ...base,
    item: { id: item.id, position: item.position, count: items.length, proposalId: item.proposalId, title: item.title, minutes: item.minutes, startedAt: item.startedAt?.toISOString() ?? null },
    speaker: speaking
      ? {
          handId: speaking.hand.id,
          userId: speaking.hand.userId,
          name: speaking.name,
          stance: speaking.hand.stance,
          startedAt: speaking.hand.startedAt!.toISOString(),
          allottedSeconds: speaking.hand.allottedSeconds!,
          extended: speaking.hand.extended,
          warnedAt: speaking.hand.warnedAt?.toISOString() ?? null,
        }
      : null,
    queue: order.slice(0, QUEUE_SHOWN).map((h) => ({ handId: h.id, userId: h.userId, name: h.name, stance: h.stance, spoken: spoken.get(h.userId) ?? 0 })),
    order: order.map((h) => h.userId),
    spoken: [...spoken.entries()],
    motions: motions.map((m) => ({
      id: m.id,
      kind: m.kind,
      amendsId: m.amendsId,
      text: m.text,
      status: m.status,
      movedBy: m.movedBy,
      movedByName: names.get(m.movedBy) ?? "",
      secondedByName: m.secondedBy ? (names.get(m.secondedBy) ?? "") : null,
      votesFor: m.votesFor,
      votesAgainst: m.votesAgainst,
      abstentions: m.abstentions,
      phones: phones(m.id),
    })),
  };
}

async function namesOf(q: Queryable, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await q.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, [...new Set(ids)]));
  return new Map(rows.map((r) => [r.id, r.name]));
}
