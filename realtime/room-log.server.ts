import { sql } from "drizzle-orm";
import { db, rowsOf, type Queryable } from "#db/client.server";
import { batcher } from "~/lib/batch.server";
import { isPublicRoom, type OutboxMessage, type RoomEvent, type ServerEvent } from "./events";
import { publish } from "./publish.server";

/**
 * Sequence numbers for live rooms (ADR 0046).
 *
 * Every message to a public room gets the room's next number and a line in
 * the room's log, in the transaction that made the news: the row of
 * `room_seqs` it bumps stays locked until that transaction commits, so a
 * room's numbers follow its commits. From that:
 * - a page that reads its rooms' numbers (`roomSeqs`) before its data holds
 *   every event up to them, and applies only what is newer;
 * - a client that was away asks for what it missed (`missedSince`) and gets
 *   exactly that, from whichever node it reconnects to.
 * Private rooms (`user:`, `session:`) carry no number: what they announce
 * (notifications) is read from its own table.
 */

/** How long a room's events are kept for clients that reconnect; older, they reload. */
export const ROOM_LOG_KEEP_MS = 60 * 60_000;
/** Most events one catch-up sends; further behind, the page reloads (cheaper than a replay). */
export const CATCH_UP_MAX = 500;

/**
 * Number the messages to public rooms and write them to the log, in one
 * statement on `q` (a transaction's, so the numbers commit with the news).
 * Sets `seq` on each numbered message.
 */
export async function sequence(q: Queryable, messages: OutboxMessage[]): Promise<void> {
  const numbered = messages.filter((m) => m.seq === undefined && isPublicRoom(m.room));
  if (numbered.length === 0) return;
  const seqs = await sequenceStatement(q, numbered);
  numbered.forEach((m, i) => (m.seq = seqs[i]));
}

async function sequenceStatement(q: Queryable, messages: OutboxMessage[]): Promise<number[]> {
  const list = JSON.stringify(messages.map((m) => ({ room: m.room, event: m.event, args: m.args })));
  // Rooms are locked in name order, so two commands that touch the same rooms cannot deadlock here.
  const rows = rowsOf<{ n: string | number; seq: string | number }>(
    await q.execute(sql`
      with m as (
        select x.e->>'room' as room, x.e->>'event' as event, x.e->'args' as args, x.n
        from jsonb_array_elements(${list}::jsonb) with ordinality as x(e, n)
      ), counts as (
        select room, count(*)::bigint as k from m group by room
      ), bumped as (
        insert into room_seqs (room, seq) select room, k from counts order by room
        on conflict (room) do update set seq = room_seqs.seq + excluded.seq
        returning room, seq
      ), numbered as (
        select m.n, m.room, m.event, m.args, b.seq - c.k + row_number() over (partition by m.room order by m.n) as seq
        from m join bumped b using (room) join counts c using (room)
      ), logged as (
        insert into room_events (room, seq, event, args) select room, seq, event, args from numbered
      )
      select n, seq from numbered order by n`),
  );
  if (rows.length !== messages.length) throw new Error(`Numbered ${rows.length} of ${messages.length} room events.`);
  return rows.map((r) => Number(r.seq));
}

/**
 * For news sent outside a transaction (a comment stored by group commit, a
 * coalesced turnout, the district's pulse): number it in a statement of its
 * own, shared with whatever else is being numbered at that moment.
 */
const sequenceSoon = batcher<OutboxMessage, number>(
  async (messages) => {
    const seqs = await sequenceStatement(db(), messages);
    return seqs;
  },
  { maxBatch: 200, maxInFlight: 2 },
);

/** Number the messages that have no number yet, each in the shared statement. */
export async function sequenceApart(messages: OutboxMessage[]): Promise<void> {
  const pending = messages.filter((m) => m.seq === undefined && isPublicRoom(m.room));
  const seqs = await Promise.all(pending.map((m) => sequenceSoon(m)));
  pending.forEach((m, i) => (m.seq = seqs[i]));
}

/**
 * The rooms' current numbers (0 for a room that has heard nothing yet). A
 * loader reads them before its data: its data then holds every event up to
 * them, and the page applies only later ones.
 */
export async function roomSeqs(rooms: string[], q: Queryable = db()): Promise<Record<string, number>> {
  const seqs: Record<string, number> = Object.fromEntries(rooms.map((r) => [r, 0]));
  if (rooms.length === 0) return seqs;
  const rows = rowsOf<{ room: string; seq: string | number }>(
    await q.execute(sql`select room, seq from room_seqs where room in (${sql.join(
      rooms.map((r) => sql`${r}`),
      sql`, `,
    )})`),
  );
  for (const r of rows) seqs[r.room] = Number(r.seq);
  return seqs;
}

/**
 * A room's current number as a column of a loader's first statement: read
 * with (so before) the page's data, without a round trip of its own.
 */
export function roomSeqColumn(room: string) {
  return sql<number>`coalesce((select seq from room_seqs where room = ${room}), 0)`.mapWith(Number);
}

/**
 * What a room heard after `since`, in order; null when the log no longer
 * holds all of it (or it is more than CATCH_UP_MAX, or `since` is from
 * another database): the client reloads instead.
 */
export async function missedSince(room: string, since: number, q: Queryable = db()): Promise<RoomEvent[] | null> {
  if (!isPublicRoom(room) || !Number.isSafeInteger(since) || since < 0) return null;
  const rows = rowsOf<{ seq: string | number; event: string; args: unknown[] | string; current: string | number | null }>(
    await q.execute(sql`
      select e.seq, e.event, e.args, s.seq as current
      from (select 1) one
      left join room_seqs s on s.room = ${room}
      left join lateral (
        select seq, event, args from room_events where room = ${room} and seq > ${since} order by seq limit ${CATCH_UP_MAX + 1}
      ) e on true
      order by e.seq`),
  );
  const current = Number(rows[0]?.current ?? 0);
  if (since > current) return null; // a number this room never reached: not ours
  const events = rows
    .filter((r) => r.seq !== null)
    .map((r) => ({ seq: Number(r.seq), event: r.event, args: typeof r.args === "string" ? JSON.parse(r.args) : r.args }) as RoomEvent);
  if (events.length > CATCH_UP_MAX) return null;
  // Every number from since+1 to current must be there: a gap means the log was pruned.
  if (events.length !== current - since || (events.length > 0 && events[0]!.seq !== since + 1)) return null;
  return events;
}

/**
 * Whether the room's log holds an event of this kind about this id (its
 * payload's `id`): a retry asks before announcing a thing again.
 */
export async function logHolds(room: string, event: ServerEvent, id: number, q: Queryable = db()): Promise<boolean> {
  const rows = rowsOf<{ held: boolean }>(
    await q.execute(sql`select exists (select 1 from room_events where room = ${room} and event = ${event} and args->0->>'id' = ${String(id)}) as held`),
  );
  return rows[0]?.held === true;
}

/** Forget events older than the log keeps (a scheduled task). */
export async function pruneRoomLog(now: Date): Promise<number> {
  const before = new Date(now.getTime() - ROOM_LOG_KEEP_MS).toISOString();
  const rows = rowsOf<{ n: string | number }>(
    await db().execute(sql`with gone as (delete from room_events where at < ${before}::timestamptz returning 1) select count(*) as n from gone`),
  );
  return Number(rows[0]?.n ?? 0);
}

/**
 * Publish news to a public room from outside a command (after a group-commit
 * statement, a coalesced reading): numbered first, so clients can order it
 * and a client that missed it can ask for it. Resolves once it has left.
 */
export async function publishNumbered(...messages: OutboxMessage[]): Promise<void> {
  await sequenceApart(messages);
  for (const message of messages) publish(message);
}

/**
 * A loader's data with its rooms' numbers, read before it (ADR 0046): the
 * page applies only the events after them, and a reload that comes back
 * older than news it already heard is done again.
 */
export async function withRooms<T extends object>(rooms: string[], load: () => Promise<T>): Promise<T & { live: Record<string, number> }> {
  const live = await roomSeqs(rooms);
  return { ...(await load()), live };
}
