import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { db, rowsOf } from "#db/client.server";
import { runCommand } from "~/lib/command.server";
import { logEmail, logSms } from "~/modules/messages/channels.server";
import { runDeliveries, setChannels } from "~/modules/messages/sender.server";
import { notifyMany } from "~/modules/notifications/commands.server";
import { expandFanouts, FANOUT_AT } from "~/modules/notifications/fanout.server";
import { onPublish } from "#realtime/publish.server";
import { deliveryOverview } from "~/modules/messages/queries.server";
import { actorFor, buildWorld } from "../support/world";

/**
 * A large audience's notification is ONE fan-out row in the event's
 * transaction, expanded by the sender in chunks (ADR 0041): exactly one
 * notification per person and one delivery per person × channel, whatever
 * crashes or repeats happen between the chunks.
 */
const PEOPLE = 2_500; // above FANOUT_AT
const LATE = new Date("2026-12-01T15:00:00Z"); // 23:00 in Beijing, in the default quiet hours
const SEVEN_NEXT_MORNING = "2026-12-01T23:00:00.000Z";
const NOON = new Date("2026-12-01T04:00:00Z");
const VOTE = { kind: "notification.voteOpened", params: { question: "东四街道垃圾分类驿站选址" }, link: "/votes/1" };

const n = async (query: string) => rowsOf<{ n: number }>(await db().execute(sql.raw(query)))[0]!.n;
const counts = async () => ({
  fanouts: await n("select count(*)::int as n from delivery_fanouts"),
  notifications: await n("select count(*)::int as n from notifications"),
  email: await n("select count(*)::int as n from deliveries where channel = 'email'"),
  sms: await n("select count(*)::int as n from deliveries where channel = 'sms'"),
});
/** Repeats would show here: any person with two notifications, or two deliveries by one channel. */
const repeats = async () =>
  (await n("select count(*)::int as n from (select user_id from notifications group by user_id having count(*) > 1) x")) +
  (await n("select count(*)::int as n from (select user_id, channel from deliveries group by user_id, channel having count(*) > 1) x"));
/** Everyone expanded: a notification for each person, an email for each, an SMS for every second one (verified phones). */
const EXPANDED = { fanouts: 1, notifications: PEOPLE, email: PEOPLE, sms: PEOPLE / 2 };

/** PEOPLE accounts with a verified email address, every second one with a verified mobile number too. */
async function district(size = PEOPLE): Promise<number[]> {
  await db().execute(sql`insert into users (display_name, username, password_hash)
    select '居民' || i, 'fanout_' || i, 'x' from generate_series(1, ${size}) i`);
  await db().execute(sql`insert into contact_points (user_id, channel, address, verified_at)
    select id, 'email', 'r' || id || '@fanout.test', ${NOON.toISOString()}::timestamptz from users`);
  await db().execute(sql`insert into contact_points (user_id, channel, address, verified_at)
    select id, 'sms', (13000000000 + id)::text, ${NOON.toISOString()}::timestamptz from users where id % 2 = 0`);
  return rowsOf<{ id: number }>(await db().execute(sql`select id from users order by id`)).map((r) => r.id);
}

/** The event: its own row, and the notification to everyone, in one transaction. */
const event = (ids: number[], at = LATE) =>
  runCommand(async (tx, outbox) => {
    await tx.execute(sql`insert into audit_events (action, subject_type, subject_id) values ('test:event', 'unit', '1')`);
    await notifyMany(tx, outbox, ids, { ...VOTE, at });
    return outbox.messages.length;
  });

describe("a district-wide event queues one fan-out row", () => {
  it("the event's commit writes one row and nothing per person", async () => {
    const ids = await district();
    expect(await event(ids)).toBe(0); // no live notice per person in the event's own outbox either
    expect(await counts()).toEqual({ fanouts: 1, notifications: 0, email: 0, sms: 0 });
    const [f] = rowsOf<{ total: number; done: number; finished_at: unknown }>(
      await db().execute(sql`select total, done, finished_at from delivery_fanouts`),
    );
    expect(f).toEqual({ total: PEOPLE, done: 0, finished_at: null });
  });

  it("an audience below the threshold is still written at once", async () => {
    const ids = await district(FANOUT_AT - 1);
    expect(await event(ids)).toBe(FANOUT_AT - 1);
    expect(await counts()).toEqual({
      fanouts: 0,
      notifications: FANOUT_AT - 1,
      email: FANOUT_AT - 1,
      sms: Math.floor((FANOUT_AT - 1) / 2),
    });
  });

  it("an event rolled back leaves nothing to expand", async () => {
    const ids = await district();
    await expect(
      runCommand(async (tx, outbox) => {
        await notifyMany(tx, outbox, ids, { ...VOTE, at: LATE });
        throw new Error("the event failed");
      }),
    ).rejects.toThrow("the event failed");
    expect(await counts()).toEqual({ fanouts: 0, notifications: 0, email: 0, sms: 0 });
    expect(await expandFanouts()).toMatchObject({ chunks: 0, recipients: 0 });
  });
});

describe("the sender expands it in chunks", () => {
  it("into exactly one notification per person and one delivery per person × channel, due as if queued at the event", async () => {
    const ids = await district();
    await event(ids);
    const live: string[] = [];
    const stop = onPublish((room, m) => m.event === "notification:new" && live.push(room));
    try {
      expect(await expandFanouts({ chunk: 1_000 })).toEqual({
        chunks: 3,
        recipients: PEOPLE,
        notifications: PEOPLE,
        deliveries: PEOPLE * 1.5,
      });
    } finally {
      stop();
    }
    expect(await counts()).toEqual(EXPANDED);
    expect(await repeats()).toBe(0);
    expect(new Set(live).size).toBe(PEOPLE); // each person's open tabs hear of it, once the chunk commits
    // 23:00 is in everyone's quiet hours: the messages wait for 07:00, reckoned from the event, not the expansion.
    expect(await n(`select count(*)::int as n from deliveries where next_attempt_at <> '${SEVEN_NEXT_MORNING}'::timestamptz`)).toBe(0);
    const [f] = rowsOf<{ done: number; finished: boolean }>(
      await db().execute(sql`select done, finished_at is not null as finished from delivery_fanouts`),
    );
    expect(f).toEqual({ done: PEOPLE, finished: true });
    expect(await expandFanouts()).toMatchObject({ chunks: 0 }); // nothing left
  });

  it("a node that dies in the middle of a chunk loses nothing and doubles nothing", async () => {
    const ids = await district();
    await event(ids);
    expect(await expandFanouts({ chunk: 1_000, maxChunks: 1 })).toMatchObject({ chunks: 1, notifications: 1_000 });
    // The next chunk's writes are made, then the process "dies" before its commit.
    await expect(
      expandFanouts({
        chunk: 1_000,
        beforeCommit: () => {
          throw new Error("killed");
        },
      }),
    ).rejects.toThrow("killed");
    expect(await counts()).toMatchObject({ notifications: 1_000, email: 1_000, sms: 500 });
    expect(await n("select done::int as n from delivery_fanouts")).toBe(1_000);
    // Another run (any node) carries on from the cursor.
    expect(await expandFanouts({ chunk: 1_000 })).toMatchObject({ chunks: 2, recipients: 1_500, notifications: 1_500 });
    expect(await counts()).toEqual(EXPANDED);
    expect(await repeats()).toBe(0);
  });

  it("a stale worker that repeats chunks already written adds nothing", async () => {
    const ids = await district();
    await event(ids);
    await expandFanouts({ chunk: 1_000, maxChunks: 2 });
    // A worker acting on a cursor it read before the last two chunks (or a restored backup): back to the start.
    await db().execute(sql`update delivery_fanouts set done = 0, finished_at = null`);
    expect(await expandFanouts({ chunk: 700 })).toMatchObject({
      recipients: PEOPLE,
      notifications: PEOPLE - 2_000,
      deliveries: (PEOPLE - 2_000) * 1.5,
    });
    expect(await counts()).toEqual(EXPANDED);
    expect(await repeats()).toBe(0);
  });

  it("two nodes expanding at once write each person once", async () => {
    const ids = await district();
    await event(ids);
    await event(ids.slice(0, 1_200), new Date(LATE.getTime() + 1)); // a second, smaller fan-out
    const [a, b] = await Promise.all([expandFanouts({ chunk: 500 }), expandFanouts({ chunk: 500 })]);
    expect(a!.recipients + b!.recipients).toBe(PEOPLE + 1_200);
    expect(await n("select count(*)::int as n from notifications")).toBe(PEOPLE + 1_200);
    expect(
      await n("select count(*)::int as n from (select fanout_id, user_id from notifications group by 1, 2 having count(*) > 1) x"),
    ).toBe(0);
    expect(
      await n("select count(*)::int as n from (select fanout_id, user_id, channel from deliveries group by 1, 2, 3 having count(*) > 1) x"),
    ).toBe(0);
    expect(await n("select count(*)::int as n from deliveries")).toBe((PEOPLE + 1_200) * 1.5);
  });
});

describe("the scheduler's sender", () => {
  beforeEach(() => setChannels({ email: logEmail(), sms: logSms() }));
  afterEach(() => setChannels(undefined));

  it("expands and sends in the same runs; the administrators see what is left to expand", async () => {
    const ids = await district(FANOUT_AT);
    await event(ids, NOON);
    expect(await counts()).toMatchObject({ fanouts: 1, notifications: 0, email: 0 });
    // The administrators see what is still to be expanded.
    const admin = await actorFor(await buildWorld(), "districtAdmin");
    expect((await deliveryOverview(db(), admin, NOON)).expanding).toEqual({ fanouts: 1, people: FANOUT_AT, unread: 0 });
    const figures = await runDeliveries(NOON, { budgetMs: 60_000, batch: 500, concurrency: 16 });
    expect((await deliveryOverview(db(), admin, NOON)).expanding).toEqual({ fanouts: 0, people: 0, unread: 0 });
    expect(figures).toMatchObject({ expanded: FANOUT_AT, sent: FANOUT_AT * 1.5, retried: 0, dead: 0 });
    expect(await n("select count(*)::int as n from deliveries where state <> 'sent'")).toBe(0);
  });
});
