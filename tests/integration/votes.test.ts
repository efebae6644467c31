import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { ballotHistory, ballots, encryptedBallots, follows, notifications, participations, proposalEvents, proposals, rollResidents, voteElectors, votes } from "#db/schema";
import { onPublish } from "#realtime/publish.server";
import { runCommand } from "~/lib/command.server";
import { ForbiddenError } from "~/lib/command.server";
import { loadActor } from "~/modules/identity/actor.server";
import { createProposal, moveProposal, openDebate, secondProposal } from "~/modules/proposals/commands.server";
import { cancelVote, castBallot, countVote, createVote, recordPaperBallot, runVoteClock, type NewVote } from "~/modules/votes/commands.server";
import { ballotReceipt } from "~/modules/votes/crypto";
import { ABSTAIN, NO, YES } from "~/modules/votes/rules";
import { createUser } from "../support/factories";
import { buildHallWorld, type HallWorld } from "../support/hall-world";
import { runKeyCeremony } from "../support/tellers";

const actor = (id: number) => loadActor(db(), id);
const rollEntryOf = async (userId: number) => (await db().select().from(rollResidents).where(eq(rollResidents.userId, userId)))[0]!.id;
const minutes = (n: number) => new Date(Date.now() + n * 60_000);

async function debatedProposal(w: HallWorld) {
  const p = await createProposal(await actor(w.author.id), { hallId: w.hall.id, title: "加装电梯表决", body: "老楼加装电梯需要全楼同意。。。", categoryCode: "parking", publish: true, clientKey: `k${Math.random()}` });
  for (const m of w.members.slice(0, 3)) await secondProposal(await actor(m.id), p.id);
  await openDebate(await actor(w.convener.id), p.id);
  return p;
}

function voteInput(w: HallWorld, overrides: Partial<NewVote> = {}): NewVote {
  return {
    hallId: w.hall.id,
    question: "是否加装电梯？",
    method: "yes_no",
    options: [],
    maxChoices: 1,
    electorate: "members",
    opensAt: new Date(),
    closesAt: minutes(60),
    quorumPercent: 0,
    threshold: "simple_majority",
    abstentionsCountForQuorum: true,
    secret: false,
    liveResults: true,
    ...overrides,
  };
}

describe("convener opens a vote", () => {
  it("freezes the electorate at opening, moves the proposal to voting and tells each voter", async () => {
    const w = await buildHallWorld();
    const p = await debatedProposal(w);
    const vote = await createVote(await actor(w.convener.id), voteInput(w, { proposalId: p.id }));
    expect(vote).toMatchObject({ state: "open", electorateSize: 6 }); // convener, author, 4 members
    const [row] = await db().select().from(proposals).where(eq(proposals.id, p.id));
    expect(row!.state).toBe("voting");
    expect(await db().select().from(notifications).where(eq(notifications.kind, "notification.voteOpened"))).toHaveLength(6);
    // Someone joining later is not in this vote.
    const late = await createUser();
    await expect(castBallot(await actor(late.id), { voteId: vote.id, choices: [YES] })).rejects.toMatchObject({ messageKey: "vote.error.notEligible" });
  });

  it("only moderators open votes, and a proposal must be in debate", async () => {
    const w = await buildHallWorld();
    await expect(createVote(await actor(w.members[0]!.id), voteInput(w))).rejects.toBeInstanceOf(ForbiddenError);
    const fresh = await createProposal(await actor(w.author.id), { hallId: w.hall.id, title: "还在征集附议", body: "还在征集附议的议题。。。。", categoryCode: "parking", publish: true, clientKey: "k-open" });
    await expect(createVote(await actor(w.convener.id), voteInput(w, { proposalId: fresh.id }))).rejects.toMatchObject({ messageKey: "vote.error.proposalState" });
    await expect(createVote(await actor(w.convener.id), voteInput(w, { closesAt: minutes(-1) }))).rejects.toMatchObject({ field: "closesAt" });
  });
});

describe("voters cast ballots", () => {
  it("stores ballots cast at the same moment together, each answered for itself (group commit)", async () => {
    const w = await buildHallWorld();
    const vote = await createVote(await actor(w.convener.id), voteInput(w));
    const voters = await Promise.all([w.convener, w.author, ...w.members].map((u) => actor(u.id)));
    const outsider = await actor(w.outsider.id);
    // Refused alone first; the vote's row is then at hand, so the calls below reach the batcher in one turn.
    await expect(castBallot(outsider, { voteId: vote.id, choices: [YES] })).rejects.toMatchObject({ messageKey: "vote.error.notEligible" });
    // All at once: one batch, with a voter who is not in the electorate among them.
    const firsts = await Promise.allSettled([...voters.map((v) => castBallot(v, { voteId: vote.id, choices: [YES] })), castBallot(outsider, { voteId: vote.id, choices: [YES] })]);
    expect(firsts.slice(0, -1).map((r) => r.status === "fulfilled" && r.value.changed)).toEqual(voters.map(() => false));
    expect(firsts.at(-1)).toMatchObject({ status: "rejected", reason: { messageKey: "vote.error.notEligible" } });
    // All change their minds at once: every old choice goes to the history.
    const changes = await Promise.all(voters.map((v) => castBallot(v, { voteId: vote.id, choices: [NO] })));
    expect(changes.map((c) => c.changed)).toEqual(voters.map(() => true));
    const box = await db().select().from(ballots).where(eq(ballots.voteId, vote.id));
    expect(box.map((b) => b.choices)).toEqual(voters.map(() => [NO]));
    const history = await db().select().from(ballotHistory).where(eq(ballotHistory.voteId, vote.id));
    expect(history.map((h) => h.choices)).toEqual(voters.map(() => [YES]));
    expect(await countVote(db(), vote)).toMatchObject({ ballots: voters.length });
  });

  it("gives each of several secret ballots cast at once its own receipt, the hash of its encrypted ballot", async () => {
    const w = await buildHallWorld();
    const vote = await createVote(await actor(w.convener.id), voteInput(w, { secret: true, tellers: [w.convener.id, w.members[0]!.id, w.eligible.id] }));
    await runKeyCeremony(vote.id, [w.convener.id, w.members[0]!.id, w.eligible.id]);
    const voters = await Promise.all([w.convener, w.author, ...w.members].map((u) => actor(u.id)));
    const results = await Promise.all(voters.map((v, k) => castBallot(v, { voteId: vote.id, choices: [k % 2 ? YES : NO] })));
    const receipts = results.map((r) => r.receipt);
    expect(new Set(receipts).size).toBe(voters.length);
    const box = await db().select().from(encryptedBallots).where(eq(encryptedBallots.voteId, vote.id));
    expect(box.map((b) => b.receipt).sort()).toEqual([...receipts].sort());
    for (const b of box) expect(b.receipt).toBe(ballotReceipt(b.ballot));
    expect(await db().select().from(participations).where(eq(participations.voteId, vote.id))).toHaveLength(voters.length);
  }, 60_000);

  it("lets an open ballot be changed until closing, keeping the history", async () => {
    const w = await buildHallWorld();
    const vote = await createVote(await actor(w.convener.id), voteInput(w));
    const m = await actor(w.members[0]!.id);
    await castBallot(m, { voteId: vote.id, choices: [YES] });
    expect(await castBallot(m, { voteId: vote.id, choices: [NO] })).toMatchObject({ changed: true });
    const [b] = await db().select().from(ballots).where(eq(ballots.voteId, vote.id));
    expect(b!.choices).toEqual([NO]);
    expect(await db().select().from(ballotHistory)).toMatchObject([{ choices: [YES] }]);
    await expect(castBallot(m, { voteId: vote.id, choices: [7] })).rejects.toMatchObject({ messageKey: "vote.error.notAnOption" });
  });

  it("200 parallel requests for the same voter make exactly one ballot", async () => {
    const w = await buildHallWorld();
    const vote = await createVote(await actor(w.convener.id), voteInput(w, { secret: true, tellers: [w.convener.id, w.author.id] }));
    await runKeyCeremony(vote.id, [w.convener.id, w.author.id]);
    const m = await actor(w.members[0]!.id);
    const results = await Promise.allSettled(Array.from({ length: 200 }, () => castBallot(m, { voteId: vote.id, choices: [YES] })));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await db().select().from(participations).where(eq(participations.voteId, vote.id))).toHaveLength(1);
    expect((await countVote(db(), vote)).ballots).toBe(1);
  }, 60_000);

  it("one ballot per household: the second member of a household is refused", async () => {
    const w = await buildHallWorld();
    const vote = await createVote(await actor(w.convener.id), voteInput(w, { electorate: "households" }));
    // Every resident of the hall world's community C shares one household at 史家胡同7号, except the world's own residents.
    expect(vote.electorateSize).toBeGreaterThanOrEqual(1);
    await castBallot(await actor(w.members[0]!.id), { voteId: vote.id, choices: [YES] });
    await expect(castBallot(await actor(w.members[1]!.id), { voteId: vote.id, choices: [NO] })).rejects.toMatchObject({ messageKey: "vote.error.householdVoted" });
  });

  it("refuses ballots before opening and after closing, by the server's clock", async () => {
    const w = await buildHallWorld();
    const later = await createVote(await actor(w.convener.id), voteInput(w, { opensAt: minutes(10), closesAt: minutes(20) }));
    expect(later.state).toBe("scheduled");
    await expect(castBallot(await actor(w.members[0]!.id), { voteId: later.id, choices: [YES] })).rejects.toMatchObject({ messageKey: "vote.error.notOpen" });
    const now = await createVote(await actor(w.convener.id), voteInput(w, { closesAt: minutes(5) }));
    await expect(castBallot(await actor(w.members[0]!.id), { voteId: now.id, choices: [YES] }, minutes(6))).rejects.toMatchObject({ messageKey: "vote.error.closed" });
  });

  it("records a paper ballot at a meeting, after which that voter cannot vote online", async () => {
    const w = await buildHallWorld();
    const vote = await createVote(await actor(w.convener.id), voteInput(w));
    // Staff choose the voter from the roll (居民名册), not by account name.
    const m2 = await rollEntryOf(w.members[1]!.id);
    await recordPaperBallot(await actor(w.staff.id), { voteId: vote.id, residentId: m2, choices: [YES], meeting: "11月28日居民会议" });
    const [b] = await db().select().from(ballots).where(eq(ballots.voteId, vote.id));
    expect(b).toMatchObject({ channel: "paper", recordedBy: w.staff.id, meeting: "11月28日居民会议", castBy: w.members[1]!.id, residentId: m2 });
    await expect(castBallot(await actor(w.members[1]!.id), { voteId: vote.id, choices: [NO] })).rejects.toMatchObject({ messageKey: "vote.error.youVotedOnPaper" });
    const m3 = await rollEntryOf(w.members[2]!.id);
    await expect(recordPaperBallot(await actor(w.members[0]!.id), { voteId: vote.id, residentId: m3, choices: [YES], meeting: "会议" })).rejects.toBeInstanceOf(ForbiddenError);
  });
});

describe("closing", () => {
  it("closes at its time whoever is looking, freezes the result with its rule and decides the proposal", async () => {
    const w = await buildHallWorld();
    const p = await debatedProposal(w);
    const vote = await createVote(await actor(w.convener.id), voteInput(w, { proposalId: p.id, closesAt: minutes(10), quorumPercent: 50, threshold: "two_thirds_cast" }));
    await castBallot(await actor(w.members[0]!.id), { voteId: vote.id, choices: [YES] });
    await castBallot(await actor(w.members[1]!.id), { voteId: vote.id, choices: [YES] });
    await castBallot(await actor(w.members[2]!.id), { voteId: vote.id, choices: [NO] });
    await castBallot(await actor(w.members[3]!.id), { voteId: vote.id, choices: [ABSTAIN] });
    expect(await runVoteClock(minutes(5))).toMatchObject({ closed: 0 });
    expect(await runVoteClock(minutes(10))).toMatchObject({ closed: 1 });
    const [closed] = await db().select().from(votes).where(eq(votes.id, vote.id));
    expect(closed).toMatchObject({ state: "closed" });
    expect(closed!.result).toMatchObject({ outcome: "passed", counts: [2, 1, 1], ballots: 4, electorateSize: 6, rule: { threshold: "two_thirds_cast", quorumPercent: 50 } });
    const [row] = await db().select().from(proposals).where(eq(proposals.id, p.id));
    expect(row!.state).toBe("decided_passed");
    // Closing twice changes nothing.
    expect(await runVoteClock(minutes(11))).toMatchObject({ closed: 0 });
  });

  it("reminds only those who have not voted, once, a day before closing", async () => {
    const w = await buildHallWorld();
    const vote = await createVote(await actor(w.convener.id), voteInput(w, { closesAt: minutes(48 * 60) }));
    await castBallot(await actor(w.members[0]!.id), { voteId: vote.id, choices: [YES] });
    await runVoteClock(minutes(23 * 60));
    expect(await db().select().from(notifications).where(eq(notifications.kind, "notification.voteClosing"))).toHaveLength(0);
    await runVoteClock(minutes(24 * 60 + 1));
    await runVoteClock(minutes(24 * 60 + 2));
    const reminded = await db().select().from(notifications).where(eq(notifications.kind, "notification.voteClosing"));
    expect(reminded).toHaveLength(5);
    expect(reminded.map((n) => n.userId)).not.toContain(w.members[0]!.id);
  });

  it("cancels with a public reason and returns the proposal to debate", async () => {
    const w = await buildHallWorld();
    const p = await debatedProposal(w);
    const vote = await createVote(await actor(w.convener.id), voteInput(w, { proposalId: p.id }));
    await expect(cancelVote(await actor(w.convener.id), { voteId: vote.id, reason: " " })).rejects.toMatchObject({ messageKey: "validation.reasonRequired" });
    await cancelVote(await actor(w.convener.id), { voteId: vote.id, reason: "规则写错了，重新发起" });
    const [row] = await db().select().from(proposals).where(eq(proposals.id, p.id));
    expect(row!.state).toBe("in_debate");
    await expect(castBallot(await actor(w.members[0]!.id), { voteId: vote.id, choices: [YES] })).rejects.toMatchObject({ messageKey: "vote.error.notOpen" });
  });

  it("counts in SQL exactly what the pure tally counts", async () => {
    const w = await buildHallWorld();
    const vote = await createVote(await actor(w.convener.id), voteInput(w, { method: "approval", options: ["东", "西", "南", "北"], maxChoices: 3 }));
    const electors = await db().select().from(voteElectors).where(eq(voteElectors.voteId, vote.id));
    const choices = [[0, 1], [], [2], [0, 2, 3], [1], [0]];
    await db().insert(ballots).values(electors.map((e, i) => ({ voteId: vote.id, electorId: e.electorId, choices: choices[i]!, castBy: e.electorId })));
    expect(await countVote(db(), vote)).toEqual({ counts: [3, 2, 2, 1], ballots: 6, abstentions: 1 });
  });

  it("counts options past the 31 a choice mask holds by their arrays, beside masked ones", async () => {
    const w = await buildHallWorld();
    const options = Array.from({ length: 34 }, (_, k) => `方案${k + 1}`);
    const vote = await createVote(await actor(w.convener.id), voteInput(w, { method: "approval", options, maxChoices: 3 }));
    const electors = await db().select().from(voteElectors).where(eq(voteElectors.voteId, vote.id));
    const choices = [[33], [0, 31], [30], [0, 30], [33], []];
    await db().insert(ballots).values(electors.map((e, i) => ({ voteId: vote.id, electorId: e.electorId, choices: choices[i]!, castBy: e.electorId })));
    const masks = await db().select({ mask: ballots.choiceMask }).from(ballots).where(eq(ballots.voteId, vote.id));
    expect(masks.map((m) => m.mask).sort()).toEqual([0, 1 + 2 ** 30, 2 ** 30, null, null, null].sort());
    const expected = new Array<number>(34).fill(0);
    for (const c of choices.flat()) expected[c]!++;
    expect(await countVote(db(), vote)).toEqual({ counts: expected, ballots: 6, abstentions: 1 });
  });
});

describe("a vote moves its proposal through the proposals module (issue 13 §3)", () => {
  it("opening and closing record the step, tell open pages the real seconds, and tell followers once", async () => {
    const w = await buildHallWorld();
    const p = await debatedProposal(w); // three members seconded it
    const follower = await createUser();
    await db().insert(follows).values({ proposalId: p.id, userId: follower.id });
    const heard: { event: string; args: unknown[] }[] = [];
    const stop = onPublish((room, message) => void (room === `proposal:${p.id}` && heard.push({ event: message.event, args: message.args })));
    try {
      const vote = await createVote(await actor(w.convener.id), voteInput(w, { proposalId: p.id, closesAt: minutes(30) }));
      const opened = heard.find((h) => h.event === "proposal:changed");
      expect(opened?.args[0]).toMatchObject({ state: "voting", seconds: 3, reload: true });
      // The follower (not a voter) hears the new state; the voters hear that voting began.
      const toFollower = await db().select().from(notifications).where(eq(notifications.userId, follower.id));
      expect(toFollower.map((n) => [n.kind, n.params])).toEqual([["notification.proposalState", { title: p.title, state: "voting" }]]);

      await castBallot(await actor(w.members[0]!.id), { voteId: vote.id, choices: [YES] });
      await runVoteClock(minutes(31));
      const closed = heard.filter((h) => h.event === "proposal:changed").at(-1);
      expect(closed?.args[0]).toMatchObject({ state: "decided_passed", seconds: 3 });
      const steps = await db().select().from(proposalEvents).where(eq(proposalEvents.proposalId, p.id));
      expect(steps.filter((e) => e.kind === "state").map((e) => `${e.fromState}→${e.toState}`).slice(-2)).toEqual(["in_debate→voting", "voting→decided_passed"]);
      // At the close the follower has one notice for it (the result), not a second one for the state.
      const after = await db().select().from(notifications).where(eq(notifications.userId, follower.id));
      expect(after.map((n) => n.kind)).toEqual(["notification.proposalState", "notification.voteClosed"]);
    } finally {
      stop();
    }
  });

  it("moves nothing that another step has already moved", async () => {
    const w = await buildHallWorld();
    const p = await debatedProposal(w);
    const moved = await runCommand((tx, outbox) => moveProposal(tx, outbox, { proposalId: p.id, from: "voting", to: "in_debate", actorId: null }));
    expect(moved).toBeNull();
    const [row] = await db().select().from(proposals).where(eq(proposals.id, p.id));
    expect(row!.state).toBe("in_debate");
  });
});
