import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { whistles } from "#db/schema";
import { districtNow, residentHome } from "~/modules/home/queries.server";
import { createProposal, openDebate, postComment, secondProposal, setFollow } from "~/modules/proposals/commands.server";
import { indexUnindexedWhistles, search } from "~/modules/search/queries.server";
import { queryText } from "~/modules/search/bigrams";
import { castBallot, createVote } from "~/modules/votes/commands.server";
import { YES } from "~/modules/votes/rules";
import { rateWhistle } from "~/modules/whistles/commands.server";
import { actorOf, buildWhistleWorld, directWhistle, type WhistleWorld } from "../support/whistle-world";

const later = (minutes: number) => new Date(Date.now() + minutes * 60_000);

async function proposal(w: WhistleWorld, title: string) {
  return createProposal(await actorOf(w.author.id), { hallId: w.hall.id, title, body: `${title}，请大家议一议。`, categoryCode: "parking", publish: true, clientKey: `k${Math.random()}` });
}

/** A members' vote on a proposal in debate, open now. */
async function openVote(w: WhistleWorld, title: string) {
  const p = await proposal(w, title);
  for (const m of w.members.slice(0, 3)) await secondProposal(await actorOf(m.id), p.id);
  await openDebate(await actorOf(w.convener.id), p.id);
  return createVote(await actorOf(w.convener.id), {
    hallId: w.hall.id,
    proposalId: p.id,
    question: `${title}：是否同意？`,
    method: "yes_no",
    options: [],
    maxChoices: 1,
    electorate: "members",
    opensAt: new Date(),
    closesAt: later(60),
    quorumPercent: 0,
    threshold: "simple_majority",
    abstentionsCountForQuorum: true,
    secret: false,
    liveResults: false,
  });
}

describe("search finds whistles", () => {
  it("finds a whistle by words of its title, description or address, and indexes whistles written without a vector", async () => {
    const w = await buildWhistleWorld();
    const blown = await directWhistle(w, "emergency");
    const hits = await search(db(), queryText("燃气")!);
    expect(hits.whistles.map((h) => h.id)).toContain(blown.id);
    expect(hits.whistles.find((h) => h.id === blown.id)).toMatchObject({ subdistrict: "朝阳门街道", state: "dispatched" });
    expect((await search(db(), queryText("游泳池")!)).whistles).toEqual([]);

    // A whistle from before whistles were searchable (or from the demo seed) has no vector until start-up indexes it.
    const [old] = await db()
      .insert(whistles)
      .values({ subdistrictId: w.s.id, source: "patrol", kind: "enforcement", title: "共享单车堆满胡同口", description: "早高峰走不过去", address: "演乐胡同", categoryCode: "parking", state: "requested" })
      .returning();
    expect((await search(db(), queryText("单车")!)).whistles.map((h) => h.id)).not.toContain(old!.id);
    expect(await indexUnindexedWhistles(db())).toBeGreaterThanOrEqual(1);
    expect((await search(db(), queryText("演乐胡同")!)).whistles.map((h) => h.id)).toContain(old!.id);
    expect(await indexUnindexedWhistles(db())).toBe(0);
  });
});

describe("the home page", () => {
  it("shows everyone what is happening: open votes with turnout, proposals in the halls, whistles being handled, and counts", async () => {
    const w = await buildWhistleWorld();
    const collecting = await proposal(w, "楼道灯坏了");
    const vote = await openVote(w, "增设电动车充电桩");
    await castBallot(await actorOf(w.members[0]!.id), { voteId: vote.id, choices: [YES] });
    const blown = await directWhistle(w);
    const now = await districtNow(db(), new Date());
    expect(now.openVotes.find((v) => v.id === vote.id)).toMatchObject({ turnout: 1, hallName: w.hall.name, secret: false });
    expect(now.active.find((p) => p.id === collecting.id)).toMatchObject({ state: "open", seconds: 0, secondsRequired: 3 });
    expect(now.working.map((x) => x.id)).toContain(blown.id);
    expect(now.counts.collecting).toBeGreaterThanOrEqual(1);
    expect(now.counts.deliberating).toBeGreaterThanOrEqual(1);
    expect(now.counts.whistles).toBeGreaterThanOrEqual(1);
  });

  it("lists the proposal with the latest news first: a new comment brings an older proposal up", async () => {
    const w = await buildWhistleWorld();
    const older = await proposal(w, "小区门口的快递柜");
    const newer = await proposal(w, "健身器材坏了");
    const ids = async () => (await districtNow(db(), new Date())).active.map((p) => p.id).filter((id) => id === older.id || id === newer.id);
    expect(await ids()).toEqual([newer.id, older.id]);
    await postComment(await actorOf(w.members[0]!.id), { proposalId: older.id, stance: "support", body: "快递柜应该挪到里面。", clientKey: `c${Math.random()}` });
    expect(await ids()).toEqual([older.id, newer.id]);
  });

  it("shows a resident the vote they may still cast until they cast it, and not to someone outside the electorate", async () => {
    const w = await buildWhistleWorld();
    const vote = await openVote(w, "楼前绿地改停车位");
    const member = await actorOf(w.members[1]!.id);
    expect((await residentHome(db(), member, new Date())).toCast.map((v) => v.id)).toContain(vote.id);
    expect((await residentHome(db(), await actorOf(w.outsider.id), new Date())).toCast.map((v) => v.id)).not.toContain(vote.id);
    await castBallot(member, { voteId: vote.id, choices: [YES] });
    expect((await residentHome(db(), member, new Date())).toCast.map((v) => v.id)).not.toContain(vote.id);
  });

  it("asks the proposal's author and seconders, not others, to rate a resolved whistle, until they have rated", async () => {
    const w = await buildWhistleWorld();
    const p = await proposal(w, "下水道返味");
    await secondProposal(await actorOf(w.members[0]!.id), p.id);
    const [resolved] = await db()
      .insert(whistles)
      .values({ subdistrictId: w.s.id, source: "proposal", proposalId: p.id, kind: "resident_request", title: p.title, description: p.body, categoryCode: "parking", state: "resolved", resolvedAt: new Date(), ratingClosesAt: later(60 * 24) })
      .returning();
    const toRate = async (userId: number) => (await residentHome(db(), await actorOf(userId), new Date())).toRate.map((x) => x.id);
    expect(await toRate(w.author.id)).toContain(resolved!.id);
    expect(await toRate(w.members[0]!.id)).toContain(resolved!.id);
    expect(await toRate(w.members[1]!.id)).not.toContain(resolved!.id);
    await rateWhistle(await actorOf(w.author.id), { whistleId: resolved!.id, solved: true, satisfaction: "satisfied" });
    expect(await toRate(w.author.id)).not.toContain(resolved!.id);
    expect(await toRate(w.members[0]!.id)).toContain(resolved!.id);
    // Once the rating window has closed, it no longer waits.
    await db().update(whistles).set({ ratingClosesAt: new Date(Date.now() - 1000) }).where(eq(whistles.id, resolved!.id));
    expect(await toRate(w.members[0]!.id)).not.toContain(resolved!.id);
  });

  it("lists a resident's halls with their active proposals, and what they follow, latest change first", async () => {
    const w = await buildWhistleWorld();
    const a = await proposal(w, "垃圾桶太少");
    const b = await proposal(w, "路灯不亮");
    const reader = await actorOf(w.members[2]!.id);
    await setFollow(reader, a.id, true);
    await setFollow(reader, b.id, true);
    await secondProposal(await actorOf(w.members[3]!.id), a.id); // a changes after b was made
    const mine = await residentHome(db(), reader, new Date());
    expect(mine.myHalls.find((h) => h.id === w.hall.id)?.active).toBeGreaterThanOrEqual(2);
    expect(mine.followed.map((p) => p.id).slice(0, 2)).toEqual([a.id, b.id]);
    expect((await residentHome(db(), await actorOf(w.outsider.id), new Date())).myHalls.map((h) => h.id)).not.toContain(w.hall.id);
  });
});
