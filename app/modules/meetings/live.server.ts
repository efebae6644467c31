import { and, asc, count, eq, inArray, sql, type SQL } from "drizzle-orm";
import { db, type Queryable } from "#db/client.server";
import { meetingAttendance, meetingBallots, meetingHands, meetingItems, meetingMotions, meetings, proposals, users } from "#db/schema";
import type { MeetingLive, OutboxMessage } from "#realtime/events";
import { realtimeServer } from "#realtime/publish.server";
import { publishNumbered, roomSeqColumn } from "#realtime/room-log.server";
import { serverNow } from "~/lib/clock.server";
import { logError } from "~/lib/log.server";
import { orderQueue } from "./rules";

type Meeting = typeof meetings.$inferSelect;

/** How many of the waiting hands the state names (the rest go by their people's ids only). */
export const QUEUE_SHOWN = 12;

/**
 * The live state of a meeting (realtime/events.ts MeetingLive), read in a few
 * small queries: the item under discussion, its hands and motions, the
 * people present. Every command that changes the room emits it after commit.
 */
export async function liveState(q: Queryable, given: Meeting, now: Date): Promise<MeetingLive> {
  const asOf = readingMark();
  // The room's number and the meeting's row in one statement, before the rest (ADR 0046): the state holds every event up to it.
  const [read] = await q.select({ meeting: meetings, seq: roomSeqColumn(`meeting:${given.id}`) }).from(meetings).where(eq(meetings.id, given.id));
  const meeting = read?.meeting ?? given;
  const seq = read?.seq ?? 0;
  // One round of queries (each on its own connection of the pool): the item under discussion is found in each.
  const current = meeting.currentItem ?? -1;
  const itemId = sql`(select ci.id from ${meetingItems} ci where ci.meeting_id = ${meeting.id} and ci.position = ${current})`;
  const [[present], items, hands, motions, tallies] = await Promise.all([
    q.select({ n: count() }).from(meetingAttendance).where(eq(meetingAttendance.meetingId, meeting.id)),
    q
      .select({
        id: meetingItems.id,
        position: meetingItems.position,
        proposalId: meetingItems.proposalId,
        minutes: meetingItems.minutes,
        startedAt: meetingItems.startedAt,
        title: proposals.title,
      })
      .from(meetingItems)
      .innerJoin(proposals, eq(proposals.id, meetingItems.proposalId))
      .where(eq(meetingItems.meetingId, meeting.id))
      .orderBy(asc(meetingItems.position)),
    meeting.currentItem === null
      ? []
      : q
          .select({ hand: meetingHands, name: users.displayName })
          .from(meetingHands)
          .innerJoin(users, eq(users.id, meetingHands.userId))
          .where(and(eq(meetingHands.itemId, itemId), inArray(meetingHands.status, ["waiting", "speaking", "spoken"])))
          .orderBy(asc(meetingHands.id)),
    meeting.currentItem === null
      ? []
      : q
          .select({
            motion: meetingMotions,
            movedByName: sql<string>`(select u.display_name from ${users} u where u.id = ${meetingMotions.movedBy})`,
            secondedByName: sql<string | null>`(select u.display_name from ${users} u where u.id = ${meetingMotions.secondedBy})`,
          })
          .from(meetingMotions)
          .where(eq(meetingMotions.itemId, itemId))
          .orderBy(asc(meetingMotions.id)),
    meeting.currentItem === null ? null : phoneCounts(q, sql`(select mo.id from ${meetingMotions} mo where mo.item_id = ${itemId})`),
  ]);
  const base = {
    meetingId: meeting.id,
    rev: meeting.rev,
    seq,
    asOf,
    status: meeting.status,
    serverNow: now.toISOString(),
    present: present?.n ?? 0,
    quorum: meeting.quorum,
  };
  const item = items.find((i) => i.position === meeting.currentItem);
  if (!item || !tallies) return { ...base, item: null, speaker: null, queue: [], order: [], spoken: [], motions: [] };
  const phones = tallies;
  const spoken = new Map<number, number>();
  let last: { stance: "for" | "against"; at: number } | null = null;
  for (const { hand } of hands) {
    if (hand.status === "waiting") continue;
    spoken.set(hand.userId, (spoken.get(hand.userId) ?? 0) + 1);
    const at = hand.startedAt!.getTime();
    if (!last || at >= last.at) last = { stance: hand.stance, at };
  }
  const waiting = hands
    .filter((h) => h.hand.status === "waiting")
    .map((h) => ({ id: h.hand.id, userId: h.hand.userId, stance: h.hand.stance, raisedAt: h.hand.raisedAt.getTime(), name: h.name }));
  const order = orderQueue(waiting, spoken, last?.stance ?? null, meeting.alternate);
  const speaking = hands.find((h) => h.hand.status === "speaking");
  return {
    ...base,
    item: {
      id: item.id,
      position: item.position,
      count: items.length,
      proposalId: item.proposalId,
      title: item.title,
      minutes: item.minutes,
      startedAt: item.startedAt?.toISOString() ?? null,
    },
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
    queue: order
      .slice(0, QUEUE_SHOWN)
      .map((h) => ({ handId: h.id, userId: h.userId, name: h.name, stance: h.stance, spoken: spoken.get(h.userId) ?? 0 })),
    order: order.map((h) => h.userId),
    spoken: [...spoken.entries()],
    motions: motions.map(({ motion: m, movedByName, secondedByName }) => ({
      id: m.id,
      kind: m.kind,
      amendsId: m.amendsId,
      text: m.text,
      status: m.status,
      movedBy: m.movedBy,
      movedByName: movedByName ?? "",
      secondedByName: m.secondedBy ? (secondedByName ?? "") : null,
      votesFor: m.votesFor,
      votesAgainst: m.votesAgainst,
      abstentions: m.abstentions,
      phones: phones(m.id),
      channels: m.channels ?? null,
    })),
  };
}

type Phones = MeetingLive["motions"][number]["phones"];

/** The phones' ballots on these motions, by choice. */
async function phoneCounts(q: Queryable, motionIds: number[] | SQL): Promise<(motionId: number) => Phones> {
  const rows =
    !Array.isArray(motionIds) || motionIds.length
      ? await q
          .select({ motionId: meetingBallots.motionId, choice: meetingBallots.choice, n: count() })
          .from(meetingBallots)
          .where(inArray(meetingBallots.motionId, motionIds))
          .groupBy(meetingBallots.motionId, meetingBallots.choice)
      : [];
  return (motionId) => {
    const of = (choice: string) => rows.find((x) => x.motionId === motionId && x.choice === choice)?.n ?? 0;
    return { for: of("for"), against: of("against"), abstain: of("abstain") };
  };
}

// ——— Sending the room its state: coalesced, after commit ———

let lastMark = 0;
/**
 * A reading's mark: it grows with every reading in this process (and goes
 * with the clock in milliseconds, so that readings of different nodes order
 * as well as their clocks agree). A page keeps, of a state and a count, the
 * one read later.
 */
export function readingMark(): number {
  lastMark = Math.max(lastMark + 1, Date.now());
  return lastMark;
}

/** At most one reading of a room's state is sent every ROOM_GAP_MS; the first of a quiet room leaves at once. */
export const ROOM_GAP_MS = 50;

interface Pending {
  /** The whole state must be read again (a command changed it). */
  full: boolean;
  /** Only these motions' phone counts moved (ballots). */
  motions: Set<number>;
  timer: ReturnType<typeof setTimeout> | null;
  running: boolean;
  last: number;
}
const rooms = new Map<number, Pending>();

/**
 * Tell the room `meeting:<id>` that its meeting changed (committed already):
 * the whole state, or, with `motionId`, only that motion's phone ballots.
 * Changes that come while a reading is on its way or within ROOM_GAP_MS of
 * the last one are sent together by one later reading, so a burst of 300
 * ballots is a few messages, each with the latest counts; a reading always
 * starts after the commits it answers, so nothing is left unsent. Nothing
 * happens in a process without sockets (scripts, tests).
 */
export function announce(meetingId: number, what: { motionId?: number } = {}): void {
  if (!realtimeServer()) return;
  let room = rooms.get(meetingId);
  if (!room) {
    if (rooms.size > 500) for (const [id, r] of rooms) if (!r.running && !r.timer && Date.now() - r.last > 60_000) rooms.delete(id);
    rooms.set(meetingId, (room = { full: false, motions: new Set(), timer: null, running: false, last: 0 }));
  }
  if (what.motionId === undefined) room.full = true;
  else room.motions.add(what.motionId);
  schedule(meetingId, room);
}

function schedule(meetingId: number, room: Pending) {
  if (room.running || room.timer) return;
  const wait = room.last + ROOM_GAP_MS - Date.now();
  if (wait <= 0) void send(meetingId, room);
  else
    room.timer = setTimeout(() => {
      room.timer = null;
      void send(meetingId, room);
    }, wait);
}

async function send(meetingId: number, room: Pending) {
  room.running = true;
  room.last = Date.now();
  const full = room.full;
  const motions = [...room.motions];
  room.full = false;
  room.motions.clear();
  try {
    const q = db();
    let sent: number[] = [];
    if (full) {
      const [meeting] = await q.select().from(meetings).where(eq(meetings.id, meetingId));
      if (meeting) {
        const state = await liveState(q, meeting, serverNow());
        await publishNumbered({ room: `meeting:${meetingId}`, event: "meeting:changed", args: [state] });
        sent = state.motions.map((m) => m.id);
      }
    }
    const rest = motions.filter((id) => !sent.includes(id));
    if (rest.length) {
      const asOf = readingMark();
      const phones = await phoneCounts(q, rest);
      await publishNumbered(
        ...rest.map((motionId): OutboxMessage => {
          const p = phones(motionId);
          return { room: `meeting:${meetingId}`, event: "meeting:tally", args: [{ meetingId, motionId, phones: p, total: p.for + p.against + p.abstain, asOf }] };
        }),
      );
    }
  } catch (error) {
    logError("meeting: sending the room its state", error);
  } finally {
    room.running = false;
    if (room.full || room.motions.size) schedule(meetingId, room);
  }
}
