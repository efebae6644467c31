import { and, count, eq, sql } from "drizzle-orm";
import { io as connect, type Socket } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { residencyClaims, roomEvents, signups } from "#db/schema";
import type { ActivityChange, ClientToServerEvents, CommentPayload, OutboxMessage, ProposalChange, RoomEvent, RoomMeta, ServerToClientEvents } from "#realtime/events";
import { onPublish } from "#realtime/publish.server";
import { missedSince, pruneRoomLog, ROOM_LOG_KEEP_MS, roomSeqs } from "#realtime/room-log.server";
import { runCommand } from "~/lib/command.server";
import { loadActor } from "~/modules/identity/actor.server";
import { createProposal, editComment, moderateComment, openDebate, postComment, secondProposal } from "~/modules/proposals/commands.server";
import { cancelSignup, signUp } from "~/modules/pledges/commands.server";
import { buildHallWorld, type HallWorld } from "../support/hall-world";
import { createUser } from "../support/factories";
import { activityIn, actorOf, buildPledgeWorld, NOW } from "../support/pledge-world";
import { startRealtimeNode } from "../support/realtime-node";

/**
 * Sequence numbers for live rooms (ADR 0046): every event to a public room
 * has the room's next number, in commit order; a page's data carries the
 * number it was read at; a client that was away gets exactly what it missed.
 */
const actor = (id: number) => loadActor(db(), id);
let keys = 0;
const key = () => `room-log-${++keys}-${Math.random().toString(36).slice(2)}`;

async function debate(w: HallWorld) {
  const p = await createProposal(await actor(w.author.id), {
    hallId: w.hall.id,
    title: "楼道里堆放杂物，老人上下楼不方便",
    body: "三单元楼道堆满了纸箱和旧家具，老人上下楼很危险。",
    categoryCode: "parking",
    publish: true,
    clientKey: key(),
  });
  for (const m of w.members.slice(0, 3)) await secondProposal(await actor(m.id), p.id);
  await openDebate(await actor(w.convener.id), p.id);
  return p;
}

/** What is published to a room from now on, with its number. */
function listen(room: string) {
  const heard: OutboxMessage[] = [];
  const stop = onPublish((r, m) => void (r === room && heard.push(m)));
  return { heard, stop };
}

describe("a room's numbers", () => {
  it("number every event of a room one after another, in commit order, and the log keeps them", async () => {
    const w = await buildHallWorld();
    const room = `proposal:${(await debate(w)).id}`;
    const p = Number(room.split(":")[1]);
    const start = (await roomSeqs([room]))[room]!;
    const { heard, stop } = listen(room);
    // Comments (group commit, numbered apart) and edits and hides (numbered in their transaction), at once.
    const posted = await Promise.all(
      w.members.map(async (m) => postComment(await actor(m.id), { proposalId: p, stance: "support", body: `${m.username} 同意`, clientKey: key() })),
    );
    await Promise.all([
      editComment(await actor(w.members[0]!.id), { commentId: posted[0]!.id, body: "改过的意见：同意，尽快清理", stance: "support" }),
      moderateComment(await actor(w.convener.id), { commentId: posted[1]!.id, hide: true, reason: "与议题无关" }),
    ]);
    stop();
    const seqs = heard.map((m) => m.seq);
    expect(seqs).toHaveLength(6);
    expect([...seqs].sort((a, b) => a! - b!)).toEqual([1, 2, 3, 4, 5, 6].map((n) => start + n));
    expect((await roomSeqs([room]))[room]).toBe(start + 6);
    const missed = await missedSince(room, start);
    expect(missed?.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6].map((n) => start + n));
    // The log holds what was sent, argument for argument.
    for (const m of heard) expect(missed!.find((e) => e.seq === m.seq)).toMatchObject({ event: m.event, args: JSON.parse(JSON.stringify(m.args)) });
  });

  it("follow commits even when writers race: each reading of the seconds is newer than the one numbered before it", async () => {
    const w = await buildHallWorld({ secondingRule: { kind: "count", n: 9 } });
    const p = await createProposal(await actor(w.author.id), { hallId: w.hall.id, title: "小区东门夜里不亮灯", body: "东门的路灯坏了两个月，晚上回家看不清路。", categoryCode: "parking", publish: true, clientKey: key() });
    const room = `proposal:${p.id}`;
    const { heard, stop } = listen(room);
    await Promise.all([w.convener, ...w.members].map(async (m) => secondProposal(await actor(m.id), p.id)));
    stop();
    const changes = heard.filter((m) => m.event === "proposal:changed").sort((a, b) => a.seq! - b.seq!);
    expect(changes).toHaveLength(5);
    // Numbered in the transaction that counted: the numbers order the counts.
    expect(changes.map((m) => (m.args[0] as ProposalChange).seconds)).toEqual([1, 2, 3, 4, 5]);
  });

  it("let a retry announce a comment whose announcement died with the node that stored it, and only then", async () => {
    const w = await buildHallWorld();
    const p = await debate(w);
    const room = `proposal:${p.id}`;
    const m = await actor(w.members[0]!.id);
    const input = { proposalId: p.id, stance: "support" as const, body: "电梯加装的费用按楼层分摊", clientKey: key() };
    const first = await postComment(m, input);
    // A retry of an announced comment: nothing more is said.
    let heard = listen(room);
    await postComment(m, input);
    heard.stop();
    expect(heard.heard).toEqual([]);
    // Stored, but the node died before announcing it: the log has no line for it, and the retry says it.
    await db().execute(sql`delete from ${roomEvents} where room = ${room} and args->0->>'id' = ${String(first.id)}`);
    heard = listen(room);
    expect((await postComment(m, input)).id).toBe(first.id);
    heard.stop();
    expect(heard.heard.map((e) => [e.event, (e.args[0] as CommentPayload).id])).toEqual([["comment:upserted", first.id]]);
  });

  it("order an activity's slot counts as its lock ordered the changes: sign-ups and cancellations racing", async () => {
    const w = await buildPledgeWorld();
    const activity = await activityIn(w, { slots: 4 });
    const role = (await db().query.activityRoles.findFirst({ where: (r, { eq }) => eq(r.activityId, activity.id) }))!;
    const people = [];
    for (let i = 0; i < 12; i++) {
      const u = await createUser();
      await db().insert(residencyClaims).values({ userId: u.id, communityId: w.c.id, address: `史家胡同${i}号`, status: "verified" });
      people.push(await actorOf(u.id));
    }
    for (const a of people.slice(0, 6)) await signUp(a, { activityId: activity.id, roleId: role.id }, NOW);
    const room = `activity:${activity.id}`;
    const { heard, stop } = listen(room);
    // Six more sign up while three of the first cancel, all at once.
    await Promise.all([
      ...people.slice(6).map((a) => signUp(a, { activityId: activity.id, roleId: role.id }, NOW)),
      ...people.slice(0, 3).map((a) => cancelSignup(a, { activityId: activity.id }, NOW)),
    ]);
    stop();
    const counts = heard
      .filter((m) => m.event === "activity:changed")
      .sort((x, y) => x.seq! - y.seq!)
      .map((m) => (m.args[0] as ActivityChange).roles[0]!);
    // The last numbered is what the database holds now; seen in number order, the places taken plus waiting only grow by sign-ups and shrink by cancellations, one batch at a time.
    const [now] = await db().select({ n: count() }).from(signups).where(and(eq(signups.activityId, activity.id), eq(signups.status, "waitlisted")));
    expect(counts.at(-1)).toMatchObject({ signedUp: 4, waitlisted: now!.n });
    const numbers = heard.map((m) => m.seq!).sort((x, y) => x - y);
    expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => numbers[0]! + i));
  });

  it("consume no number when the command rolls back", async () => {
    const room = "hall:987654";
    const before = (await roomSeqs([room]))[room]!;
    await expect(
      runCommand(async (_tx, outbox) => {
        outbox.emit(room, "hall:changed", { hallId: 987654 });
        throw new Error("refused");
      }),
    ).rejects.toThrow("refused");
    expect((await roomSeqs([room]))[room]).toBe(before);
    await runCommand(async (_tx, outbox) => outbox.emit(room, "hall:changed", { hallId: 987654 }));
    expect((await roomSeqs([room]))[room]).toBe(before + 1);
    expect(await missedSince(room, before)).toEqual([{ seq: before + 1, event: "hall:changed", args: [{ hallId: 987654 }] }]);
  });

  it("are not given to private rooms, whose news is read from its own table", async () => {
    const { heard, stop } = onPublishAll();
    await runCommand(async (_tx, outbox) => outbox.emit("user:424242", "desk:changed", { unitId: 1 }));
    stop();
    expect(heard.find((m) => m.room === "user:424242")?.seq).toBeUndefined();
    expect(await missedSince("user:424242", 0)).toBeNull();
  });

  it("send a reload instead of a catch-up when the log no longer holds what was missed, or the number is not the room's", async () => {
    const room = "hall:987655";
    for (let i = 0; i < 3; i++) await runCommand(async (_tx, outbox) => outbox.emit(room, "hall:changed", { hallId: 987655 }));
    const last = (await roomSeqs([room]))[room]!;
    expect(await missedSince(room, last)).toEqual([]);
    expect(await missedSince(room, last + 5)).toBeNull();
    // An hour and more later the oldest are pruned: a client that far behind reloads.
    await db().execute(sql`update ${roomEvents} set at = now() - interval '2 hours' where room = ${room} and seq = ${last - 2}`);
    expect(await pruneRoomLog(new Date())).toBeGreaterThanOrEqual(1);
    expect(await missedSince(room, last - 3)).toBeNull();
    expect((await missedSince(room, last - 2))?.map((e) => e.seq)).toEqual([last - 1, last]);
    expect(ROOM_LOG_KEEP_MS).toBe(3_600_000);
  });
});

function onPublishAll() {
  const heard: OutboxMessage[] = [];
  const stop = onPublish((_r, m) => void heard.push(m));
  return { heard, stop };
}

describe("a client of the room", () => {
  type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
  let node: Awaited<ReturnType<typeof startRealtimeNode>>;
  beforeAll(async () => void (node = await startRealtimeNode()));
  afterAll(() => node.close());

  const open = async (): Promise<ClientSocket> => {
    const socket: ClientSocket = connect(node.url, { transports: ["websocket"], reconnection: false, forceNew: true });
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", () => resolve());
      socket.once("connect_error", reject);
    });
    return socket;
  };
  const join = (s: ClientSocket, room: string) => new Promise<boolean>((resolve) => s.emit("room:join", room, resolve));
  const catchUp = (s: ClientSocket, room: string, since: number) => new Promise<RoomEvent[] | null>((resolve) => s.emit("room:catch-up", room, since, resolve));

  it("hears each event with its room and number, and after being away gets exactly what it missed", async () => {
    const w = await buildHallWorld();
    const p = await debate(w);
    const room = `proposal:${p.id}`;
    const seqAtLoad = (await roomSeqs([room]))[room]!; // what the page's loader read
    // Said while the page was loading, before its socket joined the room.
    const early = await postComment(await actor(w.members[0]!.id), { proposalId: p.id, stance: "support", body: "早就该管管了", clientKey: key() });

    const s = await open();
    const live: { comment: CommentPayload; meta: RoomMeta }[] = [];
    (s.on as (e: string, l: (...a: unknown[]) => void) => void)("comment:upserted", (c, meta) => live.push({ comment: c as CommentPayload, meta: meta as RoomMeta }));
    expect(await join(s, room)).toBe(true);
    const missed = await catchUp(s, room, seqAtLoad);
    expect(missed?.map((e) => (e.args[0] as CommentPayload).id)).toEqual([early.id]);

    const heard = await postComment(await actor(w.members[1]!.id), { proposalId: p.id, stance: "oppose", body: "先问问物业怎么说", clientKey: key() });
    await expect.poll(() => live.length).toBe(1);
    expect(live[0]).toMatchObject({ comment: { id: heard.id }, meta: { room, seq: seqAtLoad + 2 } });

    // Away (the connection dropped), two things happen; back, it asks from its last number.
    s.disconnect();
    await editComment(await actor(w.members[1]!.id), { commentId: heard.id, body: "先问问物业和居委会怎么说", stance: "oppose" });
    const later = await postComment(await actor(w.members[2]!.id), { proposalId: p.id, stance: "neutral", body: "周末可以一起去清理", clientKey: key() });
    const back = await open();
    expect(await join(back, room)).toBe(true);
    const again = await catchUp(back, room, seqAtLoad + 2);
    expect(again?.map((e) => [e.seq, e.event, (e.args[0] as CommentPayload).id])).toEqual([
      [seqAtLoad + 3, "comment:upserted", heard.id],
      [seqAtLoad + 4, "comment:upserted", later.id],
    ]);
    expect((again![0]!.args[0] as CommentPayload).body).toBe("先问问物业和居委会怎么说");
    // Only a room it watches: a catch-up is what it would have heard live.
    expect(await catchUp(back, `proposal:${p.id + 100000}`, 0)).toBeNull();
    back.disconnect();
  });
});
