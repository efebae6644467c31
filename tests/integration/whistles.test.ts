import { asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { assignments, departments, dutyAssignments, notifications, positions, proposals, whistleEvents, whistles } from "#db/schema";
import { CommandError, ForbiddenError } from "~/lib/command.server";
import { loadActor } from "~/modules/identity/actor.server";
import { createProposal, openDebate, secondProposal } from "~/modules/proposals/commands.server";
import { castBallot, createVote, runVoteClock } from "~/modules/votes/commands.server";
import { YES } from "~/modules/votes/rules";
import { blowWhistle, escalateProposal, rateWhistle, redispatch, reopenWhistle, suggestDepartments, supervise, sweepWhistles, workAssignment } from "~/modules/whistles/commands.server";
import { monthlyRates } from "~/modules/whistles/queries.server";
import { replay } from "~/modules/whistles/rules";
import { open311Request, open311Requests } from "~/modules/whistles/open311.server";
import { createUser } from "../support/factories";
import { buildHallWorld, type HallWorld } from "../support/hall-world";

const actor = (id: number) => loadActor(db(), id);
const later = (minutes: number) => new Date(Date.now() + minutes * 60_000);

/** A passed proposal, the real way: raised, seconded, debated, voted and closed. */
async function passedProposal(w: HallWorld) {
  const p = await createProposal(await actor(w.author.id), { hallId: w.hall.id, title: "胡同口乱停车堵住消防通道", body: "夜间胡同口停满车，消防车进不来。", categoryCode: "parking", publish: true, clientKey: `k${Math.random()}` });
  for (const m of w.members.slice(0, 3)) await secondProposal(await actor(m.id), p.id);
  await openDebate(await actor(w.convener.id), p.id);
  const vote = await createVote(await actor(w.convener.id), { hallId: w.hall.id, proposalId: p.id, question: "是否提请街道吹哨？", method: "yes_no", options: [], maxChoices: 1, electorate: "members", opensAt: new Date(), closesAt: later(1), quorumPercent: 0, threshold: "simple_majority", abstentionsCountForQuorum: true, secret: false, liveResults: false });
  await castBallot(await actor(w.members[0]!.id), { voteId: vote.id, choices: [YES] });
  await runVoteClock(later(2));
  return p;
}

/** Departments and their officers for district A: the team serving S leads parking, the police co-operate. */
async function departmentsWithOfficers(w: HallWorld) {
  const [police] = await db().insert(departments).values({ districtId: w.districtA.id, kind: "police", level: "station", name: "朝阳门派出所", servesUnitId: w.s.id }).returning();
  const [traffic] = await db().insert(departments).values({ districtId: w.districtA.id, kind: "traffic", level: "station", name: "交通大队", servesUnitId: w.s.id }).returning();
  await db().insert(dutyAssignments).values([
    { districtId: w.districtA.id, categoryCode: "parking", departmentKind: "enforcement", role: "lead" },
    { districtId: w.districtA.id, categoryCode: "parking", departmentKind: "police", role: "cooperate" },
  ]);
  const officer = async (name: string, departmentId: number, kind: "station_officer" | "department_officer" | "department_head" = "station_officer") => {
    const u = await createUser({ username: name });
    await db().insert(positions).values({ userId: u.id, kind, departmentId });
    return u;
  };
  return {
    police: police!,
    traffic: traffic!,
    teamOfficer: await officer("team_officer", w.team.id),
    policeOfficer: await officer("police_officer", police!.id),
    trafficOfficer: await officer("traffic_officer", traffic!.id),
    head: await officer("enforcement_head", w.enforcement.id, "department_head"),
  };
}

describe("a passed proposal is escalated and departments report for duty", () => {
  it("lets the convener hand a station-level matter to the community, whose staff whistle the stations (社区吹哨、科站队所报到)", async () => {
    const w = await buildHallWorld();
    const d = await departmentsWithOfficers(w);
    const p = await passedProposal(w);
    const requested = await escalateProposal(await actor(w.convener.id), p.id, new Date(), "stations", "请社区协调派出所");
    expect(requested).toMatchObject({ state: "requested", subdistrictId: w.s.id, communityId: w.c.id });
    const told = await db().select().from(notifications).where(eq(notifications.kind, "notification.whistleRequested"));
    expect(told.map((n) => n.userId)).toEqual([w.people.communityWorker.id]);

    const worker = await actor(w.people.communityWorker.id);
    // The community whistles stations only: not the district's enforcement team.
    await expect(blowWhistle(worker, { whistleId: requested.id, kind: "resident_request", leadIds: [w.enforcement.id], cooperateIds: [] })).rejects.toBeInstanceOf(CommandError);
    await blowWhistle(worker, { whistleId: requested.id, kind: "resident_request", leadIds: [d.police.id], cooperateIds: [] });
    const parts = await db().select().from(assignments).where(eq(assignments.whistleId, requested.id));
    expect(parts.map((a) => a.departmentId)).toEqual([d.police.id]);
    // Another community's staff may not.
    const other = await escalateProposal(await actor(w.convener.id), (await passedProposal(w)).id, new Date(), "stations", "请社区协调派出所");
    await expect(blowWhistle(await actor(w.people.otherCommunityWorker.id), { whistleId: other.id, kind: "resident_request", leadIds: [d.police.id], cooperateIds: [] })).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("runs the whole loop: escalate, whistle, sign, arrive, resolve; a return is re-dispatched; residents rate; the timeline replays", async () => {
    const w = await buildHallWorld();
    const d = await departmentsWithOfficers(w);
    const p = await passedProposal(w);
    const subdistrictOfficer = await actor(w.people.subdistrictOfficer.id);

    const requested = await escalateProposal(await actor(w.convener.id), p.id, new Date(), "subdistrict", "请街道协调城管和派出所");
    expect(requested).toMatchObject({ state: "requested", subdistrictId: w.s.id, kind: "resident_request" });
    expect((await db().select().from(proposals).where(eq(proposals.id, p.id)))[0]!.state).toBe("escalated");

    const suggestion = await suggestDepartments(db(), w.s.id, "parking");
    expect(suggestion).toMatchObject({ lead: [w.team.id], cooperate: [d.police.id] });
    await blowWhistle(subdistrictOfficer, { whistleId: requested.id, kind: "resident_request", leadIds: [w.team.id, d.police.id], cooperateIds: [], instructions: "今晚到场" });
    const [teamA, policeA] = await db().select().from(assignments).where(eq(assignments.whistleId, requested.id)).orderBy(asc(assignments.id));
    expect(teamA!.dueSignAt.getTime() - teamA!.dispatchedAt.getTime()).toBe(24 * 3_600_000);

    const team = await actor(d.teamOfficer.id);
    await expect(workAssignment(await actor(d.policeOfficer.id), { assignmentId: teamA!.id, action: "sign" })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(workAssignment(team, { assignmentId: teamA!.id, action: "resolve", resultText: "已处理", noEvidenceReason: "现场未拍照" })).rejects.toMatchObject({ messageKey: "whistle.error.signFirst" });
    await workAssignment(team, { assignmentId: teamA!.id, action: "sign" });
    await workAssignment(team, { assignmentId: teamA!.id, action: "on_site", people: 3, note: "已到胡同口" });
    await expect(workAssignment(team, { assignmentId: teamA!.id, action: "resolve", resultText: " ", noEvidenceReason: "现场未拍照" })).rejects.toMatchObject({ messageKey: "whistle.error.resultRequired" });
    await workAssignment(team, { assignmentId: teamA!.id, action: "resolve", resultText: "设置夜间限停标志和隔离桩", noEvidenceReason: "现场未拍照" });

    const police = await actor(d.policeOfficer.id);
    await expect(workAssignment(police, { assignmentId: policeA!.id, action: "return", reason: "" })).rejects.toMatchObject({ messageKey: "validation.reasonRequired" });
    await workAssignment(police, { assignmentId: policeA!.id, action: "return", reason: "停车管理属交通大队职责" });
    expect((await db().select().from(whistles).where(eq(whistles.id, requested.id)))[0]!.state).toBe("dispatched");

    const fresh = await redispatch(subdistrictOfficer, { assignmentId: policeA!.id, departmentId: d.traffic.id });
    const traffic = await actor(d.trafficOfficer.id);
    await workAssignment(traffic, { assignmentId: fresh.id, action: "sign" });
    await workAssignment(traffic, { assignmentId: fresh.id, action: "on_site", people: 2, note: "已到场" });
    await workAssignment(traffic, { assignmentId: fresh.id, action: "resolve", resultText: "夜间巡查，违停贴单", noEvidenceReason: "现场未拍照" });
    const [resolved] = await db().select().from(whistles).where(eq(whistles.id, requested.id));
    expect(resolved).toMatchObject({ state: "resolved" });
    const asked = await db().select().from(notifications).where(eq(notifications.kind, "notification.pleaseRate"));
    expect(asked.map((n) => n.userId).sort()).toEqual([w.author.id, ...w.members.slice(0, 3).map((m) => m.id)].sort());

    // Residents rate: only those who raised or seconded it, once; dissatisfaction reopens it once.
    await expect(rateWhistle(await actor(w.members[3]!.id), { whistleId: requested.id, solved: true, satisfaction: "satisfied" })).rejects.toBeInstanceOf(ForbiddenError);
    await rateWhistle(await actor(w.members[0]!.id), { whistleId: requested.id, solved: true, satisfaction: "satisfied" });
    await expect(rateWhistle(await actor(w.members[0]!.id), { whistleId: requested.id, solved: false, satisfaction: "dissatisfied" })).rejects.toMatchObject({ messageKey: "whistle.error.alreadyRated" });
    await expect(reopenWhistle(await actor(w.members[0]!.id), requested.id)).rejects.toMatchObject({ messageKey: "whistle.error.rateFirst" });
    await rateWhistle(await actor(w.author.id), { whistleId: requested.id, solved: false, satisfaction: "dissatisfied", comment: "晚上还是停满了" });
    const redone = await reopenWhistle(await actor(w.author.id), requested.id);
    expect(redone).toMatchObject({ state: "dispatched", round: 1 });
    const round2 = await db().select().from(assignments).where(eq(assignments.whistleId, requested.id));
    // The departments that resolved it last time do it again (the police returned it; traffic replaced them).
    expect(round2.filter((a) => a.round === 1).map((a) => a.departmentId).sort()).toEqual([w.team.id, d.traffic.id].sort());

    // The stored state is exactly what the events say.
    const events = await db().select().from(whistleEvents).where(eq(whistleEvents.whistleId, requested.id)).orderBy(asc(whistleEvents.id));
    const rebuilt = replay(events);
    const [stored] = await db().select().from(whistles).where(eq(whistles.id, requested.id));
    expect(rebuilt.whistle).toBe(stored!.state);
    const all = await db().select().from(assignments).where(eq(assignments.whistleId, requested.id));
    expect(Object.fromEntries(rebuilt.assignments)).toEqual(Object.fromEntries(all.map((a) => [a.id, a.state])));

    // Open311 shows it without personal data.
    const [open] = await open311Request(db(), requested.id);
    expect(open).toMatchObject({ service_request_id: String(requested.id), status: "open", service_code: "parking" });
    expect(JSON.stringify(await open311Requests(db(), {}))).not.toMatch(/author|user|phone|晚上还是停满了/);
  });
});

describe("deadlines that hold", () => {
  it("flags overdue from stored deadlines, supervises a day later, lists publicly after five working days", async () => {
    const w = await buildHallWorld();
    await departmentsWithOfficers(w);
    const officer = await actor(w.people.subdistrictOfficer.id);
    const whistle = await blowWhistle(officer, { subdistrictId: w.s.id, title: "路面塌陷", description: "胡同口路面塌陷约一米", categoryCode: "parking", kind: "enforcement", leadIds: [w.team.id], cooperateIds: [] });
    const at = (minutes: number) => new Date(whistle.dispatchedAt!.getTime() + minutes * 60_000);
    expect(await sweepWhistles(at(10))).toMatchObject({ remind: 1 }); // within 24 h of the 2 h sign deadline
    expect(await sweepWhistles(at(20))).toMatchObject({ remind: 0 });
    expect(await sweepWhistles(at(121))).toMatchObject({ overdue: 1 });
    const [a] = await db().select().from(assignments).where(eq(assignments.whistleId, whistle.id));
    expect(a!.overdueSince!.getTime()).toBe(a!.dueSignAt.getTime());
    expect(await sweepWhistles(at(120 + 1441))).toMatchObject({ supervise: 1 });
    expect(await sweepWhistles(at(120 + 1442))).toMatchObject({ supervise: 0 });
    expect(await sweepWhistles(at(120 + 8 * 1440))).toMatchObject({ public: 1 });
    const kinds = (await db().select().from(whistleEvents).where(eq(whistleEvents.whistleId, whistle.id))).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(["overdue", "auto_supervised", "public_overdue"]));
  });

  it("lets a subdistrict leader supervise and refuses anyone else", async () => {
    const w = await buildHallWorld();
    await departmentsWithOfficers(w);
    const whistle = await blowWhistle(await actor(w.people.subdistrictOfficer.id), { subdistrictId: w.s.id, title: "开墙打洞", description: "临街开墙打洞经营", categoryCode: "parking", kind: "key_task", leadIds: [w.team.id], cooperateIds: [], keyTaskDueAt: later(60 * 24 * 10) });
    await expect(supervise(await actor(w.people.subdistrictOfficer.id), { whistleId: whistle.id, message: "抓紧办" })).rejects.toBeInstanceOf(ForbiddenError);
    await supervise(await actor(w.people.subdistrictLeader.id), { whistleId: whistle.id, message: "请本周内到场" });
    await expect(blowWhistle(await actor(w.people.communityWorker.id), { subdistrictId: w.s.id, title: "x", description: "y", categoryCode: "parking", kind: "enforcement", leadIds: [w.team.id], cooperateIds: [] })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(blowWhistle(await actor(w.people.subdistrictOfficer.id), { subdistrictId: w.s.id, title: "重点工作", description: "无期限", categoryCode: "parking", kind: "key_task", leadIds: [w.team.id], cooperateIds: [] })).rejects.toMatchObject({ messageKey: "whistle.error.keyTaskDue" });
  });

  it("computes a month's rates per department", async () => {
    const w = await buildHallWorld();
    const d = await departmentsWithOfficers(w);
    const whistle = await blowWhistle(await actor(w.people.subdistrictOfficer.id), { subdistrictId: w.s.id, title: "堆物堆料", description: "楼道堆物", categoryCode: "parking", kind: "enforcement", leadIds: [w.team.id], cooperateIds: [] });
    const [a] = await db().select().from(assignments).where(eq(assignments.whistleId, whistle.id));
    await workAssignment(await actor(d.teamOfficer.id), { assignmentId: a!.id, action: "sign" });
    const rows = await monthlyRates(db(), w.districtA.path, new Date(Date.now() + 8 * 3_600_000));
    expect(rows).toMatchObject([{ departmentId: w.team.id, dispatched: 1, signedInTime: 1, responseRate: 1 }]);
  });
});
