import { and, asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { activityRoles, assignments, contactPoints, deliveries, whistles } from "#db/schema";
import { claimResidency, decideResidencyClaim } from "~/modules/identity/residency.server";
import { remindActivities, signUp } from "~/modules/pledges/commands.server";
import { createProposal, openDebate, secondProposal, setFollow } from "~/modules/proposals/commands.server";
import { castBallot, createVote, runVoteClock, type NewVote } from "~/modules/votes/commands.server";
import { YES } from "~/modules/votes/rules";
import { blowWhistle, escalateProposal, supervise, sweepWhistles, workAssignment } from "~/modules/whistles/commands.server";
import { createUser } from "../support/factories";
import type { HallWorld } from "../support/hall-world";
import { activityIn, buildPledgeWorld, hoursFrom, NOW as PLEDGE_NOW, TZ } from "../support/pledge-world";
import { actorOf, buildWhistleWorld, directWhistle } from "../support/whistle-world";

/** What goes out when things happen: the product's own commands, the deliveries they queue (ADR 0022). */
const LATE = new Date("2026-12-01T15:00:00Z"); // 23:00 in Beijing, in the default quiet hours
const NOON = new Date("2026-12-01T04:00:00Z");

async function withPhone(userId: number) {
  await db().insert(contactPoints).values({ userId, channel: "sms", address: "13800138000", verifiedAt: NOON });
}
async function withEmail(userId: number) {
  await db().insert(contactPoints).values({ userId, channel: "email", address: `u${userId}@example.com`, verifiedAt: NOON });
}
const deliveriesOf = (userId: number, kind: string) =>
  db().select().from(deliveries).where(and(eq(deliveries.userId, userId), eq(deliveries.kind, kind))).orderBy(asc(deliveries.id));
/** Who got a delivery of this kind (by any channel), sorted. */
const recipientsOf = async (kind: string) =>
  [...new Set((await db().select({ userId: deliveries.userId }).from(deliveries).where(eq(deliveries.kind, kind))).map((r) => r.userId))].sort((a, b) => a - b);
const sorted = (ids: number[]) => [...ids].sort((a, b) => a - b);
const HOUR = 3_600_000;
const after = (d: Date, ms: number) => new Date(d.getTime() + ms);

function voteOn(w: HallWorld, opensAt: Date, hours: number, proposalId?: number): NewVote {
  return {
    hallId: w.hall.id,
    ...(proposalId ? { proposalId } : {}),
    question: "是否加装电梯？",
    method: "yes_no",
    options: [],
    maxChoices: 1,
    electorate: "members",
    opensAt,
    closesAt: after(opensAt, hours * HOUR),
    quorumPercent: 0,
    threshold: "simple_majority",
    abstentionsCountForQuorum: true,
    secret: false,
    liveResults: false,
  };
}

describe("what goes out to departments and stations", () => {
  it("a new assignment waits out the night, an emergency one does not", async () => {
    const w = await buildWhistleWorld();
    await withPhone(w.teamOfficer.id);
    await directWhistle(w, "enforcement", LATE);
    await directWhistle(w, "emergency", LATE);
    const rows = await deliveriesOf(w.teamOfficer.id, "notification.assignment");
    expect(rows.map((r) => [r.params.title, r.urgent, r.nextAttemptAt.toISOString()]).sort()).toEqual([
      ["堆物堆料", false, "2026-12-01T23:00:00.000Z"],
      ["燃气管道泄漏", true, LATE.toISOString()],
    ]);
  });

  it("a deadline approaching and an overdue assignment reach the station's officers at once", async () => {
    const w = await buildWhistleWorld();
    await withPhone(w.teamOfficer.id);
    const whistle = await directWhistle(w, "enforcement", NOON);
    const at = (minutes: number) => new Date(whistle.dispatchedAt!.getTime() + minutes * 60_000);
    expect(await sweepWhistles(at(10))).toMatchObject({ remind: 1 });
    expect(await sweepWhistles(at(121))).toMatchObject({ overdue: 1 });
    expect((await deliveriesOf(w.teamOfficer.id, "notification.deadlineSoon")).map((r) => r.urgent)).toEqual([true]);
    const overdue = await deliveriesOf(w.teamOfficer.id, "notification.overdue");
    expect(overdue.map((r) => [r.urgent, r.state, r.nextAttemptAt.toISOString()])).toEqual([[true, "pending", at(121).toISOString()]]);
  });

  it("supervision (督办) reaches the officers at once, in the night too", async () => {
    const w = await buildWhistleWorld();
    await withPhone(w.teamOfficer.id);
    const whistle = await directWhistle(w, "enforcement", LATE);
    await supervise(await actorOf(w.people.subdistrictLeader.id), { whistleId: whistle.id, message: "请今天处理" }, LATE);
    const rows = await deliveriesOf(w.teamOfficer.id, "notification.supervised");
    // In the night and still at once: supervision is urgent.
    expect(rows.map((r) => [r.channel, r.urgent, r.state, r.nextAttemptAt.toISOString(), r.link])).toEqual([["sms", true, "pending", LATE.toISOString(), `/whistles/${whistle.id}`]]);
  });
});

describe("what goes out to voters", () => {
  it("a vote opened, closing within 24 hours (to those who have not voted) and the result", async () => {
    const w = await buildWhistleWorld();
    const voters = [w.convener, w.author, ...w.members];
    for (const v of voters) await withEmail(v.id);
    const vote = await createVote(await actorOf(w.convener.id), voteOn(w, NOON, 72), NOON);
    const opened = await db().select().from(deliveries).where(eq(deliveries.kind, "notification.voteOpened"));
    expect(sorted(opened.map((r) => r.userId))).toEqual(sorted(voters.map((v) => v.id)));
    // Due when the vote opened (noon: no quiet hours), with a link to it.
    expect(new Set(opened.map((r) => `${r.state} ${r.nextAttemptAt.toISOString()} ${r.link}`))).toEqual(new Set([`pending ${NOON.toISOString()} /votes/${vote.id}`]));

    await castBallot(await actorOf(w.members[0]!.id), { voteId: vote.id, choices: [YES] }, after(NOON, HOUR));
    await runVoteClock(after(NOON, 48 * HOUR));
    expect(await recipientsOf("notification.voteClosing")).toEqual(sorted(voters.filter((v) => v.id !== w.members[0]!.id).map((v) => v.id)));

    await runVoteClock(after(NOON, 72 * HOUR));
    expect(await recipientsOf("notification.voteClosed")).toEqual(sorted(voters.map((v) => v.id)));
  });
});

describe("what goes out to followers", () => {
  it("a proposal decided and escalated, and its whistle resolved: a link to rate it for those who may, the news for the others", async () => {
    const w = await buildWhistleWorld();
    const follower = await createUser({ displayName: "关注者" });
    for (const u of [w.author, ...w.members, follower]) await withEmail(u.id);
    const now = new Date();
    const p = await createProposal(await actorOf(w.author.id), { hallId: w.hall.id, title: "胡同口乱停车", body: "夜间胡同口停满车，消防车进不来。", categoryCode: "parking", publish: true, clientKey: `k${Math.random()}` });
    for (const m of w.members.slice(0, 3)) await secondProposal(await actorOf(m.id), p.id);
    await setFollow(await actorOf(follower.id), p.id, true);
    await openDebate(await actorOf(w.convener.id), p.id);
    const vote = await createVote(await actorOf(w.convener.id), voteOn(w, now, 1, p.id), now);
    await castBallot(await actorOf(w.members[0]!.id), { voteId: vote.id, choices: [YES] }, now);
    await runVoteClock(after(now, 2 * HOUR));
    // Decided: the result reaches the voters and the proposal's followers, voters or not.
    expect(await recipientsOf("notification.voteClosed")).toContain(follower.id);

    await escalateProposal(await actorOf(w.convener.id), p.id, after(now, 3 * HOUR), "subdistrict", "请街道协调城管");
    const escalated = (await deliveriesOf(follower.id, "notification.proposalState")).map((r) => r.params.state);
    expect(escalated).toEqual(["escalated"]);

    const [requested] = await db().select().from(whistles).where(eq(whistles.proposalId, p.id));
    await blowWhistle(await actorOf(w.people.subdistrictOfficer.id), { whistleId: requested!.id, kind: "resident_request", leadIds: [w.team.id], cooperateIds: [] });
    const [part] = await db().select().from(assignments).where(eq(assignments.whistleId, requested!.id));
    const team = await actorOf(w.teamOfficer.id);
    await workAssignment(team, { assignmentId: part!.id, action: "sign" });
    await workAssignment(team, { assignmentId: part!.id, action: "on_site", people: 2, note: "已到场" });
    await workAssignment(team, { assignmentId: part!.id, action: "resolve", resultText: "设置隔离桩", noEvidenceReason: "现场未拍照" });

    const raisers = [w.author, ...w.members.slice(0, 3)].map((u) => u.id);
    const rate = await db().select().from(deliveries).where(eq(deliveries.kind, "notification.pleaseRate"));
    expect(sorted(rate.map((r) => r.userId))).toEqual(sorted(raisers));
    expect(new Set(rate.map((r) => r.link))).toEqual(new Set([`/whistles/${requested!.id}#rate-title`])); // straight to the rating form
    // A follower who may not rate hears that it is resolved.
    expect(await recipientsOf("notification.whistleResolved")).toEqual([follower.id]);
  });
});

describe("what goes out to residents and volunteers", () => {
  it("residency verified", async () => {
    const w = await buildWhistleWorld();
    const user = await createUser({ displayName: "王秀兰" });
    await withEmail(user.id);
    const claim = await claimResidency(await actorOf(user.id), { communityId: w.c.id, address: "史家胡同 30 号" });
    await decideResidencyClaim(await actorOf(w.people.communityWorker.id), { claimId: claim.id, decision: "verify" });
    expect((await deliveriesOf(user.id, "notification.residencyVerified")).map((r) => [r.channel, r.link])).toEqual([["email", "/me"]]);
  });

  it("an activity's reminders, the day before and the hour before", async () => {
    const w = await buildPledgeWorld();
    const activity = await activityIn(w, { inHours: 30 });
    const [role] = await db().select().from(activityRoles).where(eq(activityRoles.activityId, activity.id));
    await withEmail(w.people.resident.id);
    await signUp(await actorOf(w.people.resident.id), { activityId: activity.id, roleId: role!.id }, PLEDGE_NOW);
    await remindActivities(hoursFrom(PLEDGE_NOW, 7), TZ);
    await remindActivities(hoursFrom(PLEDGE_NOW, 29.5), TZ);
    const kinds = (await db().select().from(deliveries).where(eq(deliveries.userId, w.people.resident.id))).filter((d) => d.link === `/activities/${activity.id}`).map((d) => d.kind);
    expect(kinds).toEqual(["notification.activityTomorrow", "notification.activitySoon"]);
  });
});
