import { eq } from "drizzle-orm";
import { expect, it } from "vitest";
import { db } from "#db/client.server";
import { assignments } from "#db/schema";
import { ForbiddenError } from "~/lib/command.server";
import { blowWhistle, confirmAssignment, decideUnreasonableClosure, requestUnreasonableClosure, setScoreWeights, supervise, workAssignment } from "~/modules/whistles/commands.server";
import { whistleRules } from "~/modules/whistles/permissions";
import { actorOf, buildWhistleWorld, directWhistle, type WhistleWorld } from "../support/whistle-world";
import { checkedPng } from "../support/images";
import { permissionMatrix, type Row } from "../support/matrix";

/** Every new whistle action × every role, through the real commands (tests/support/matrix.ts). */
type Role = "visitor" | "resident" | "communityWorker" | "otherCommunityWorker" | "subdistrictOfficer" | "subdistrictLeader" | "teamOfficer" | "otherStation" | "districtAdmin";
const { only, rows } = permissionMatrix<WhistleWorld, Role>({
  roles: ["visitor", "resident", "communityWorker", "otherCommunityWorker", "subdistrictOfficer", "subdistrictLeader", "teamOfficer", "otherStation", "districtAdmin"],
  world: buildWhistleWorld,
  people: (w) => ({
    resident: w.author.id,
    communityWorker: w.people.communityWorker.id,
    otherCommunityWorker: w.people.otherCommunityWorker.id,
    subdistrictOfficer: w.people.subdistrictOfficer.id,
    subdistrictLeader: w.people.subdistrictLeader.id,
    teamOfficer: w.teamOfficer.id,
    otherStation: w.policeOfficer.id,
    districtAdmin: w.people.districtAdmin.id,
  }),
});

/** The team's assignment of a fresh whistle, worked up to `upTo`. */
async function teamPart(w: WhistleWorld, kind: "enforcement" | "emergency", upTo: "dispatched" | "resolved") {
  const whistle = await directWhistle(w, kind);
  const [a] = await db().select().from(assignments).where(eq(assignments.whistleId, whistle.id));
  if (upTo === "resolved") {
    const team = await actorOf(w.teamOfficer.id);
    await workAssignment(team, { assignmentId: a!.id, action: "sign" });
    await workAssignment(team, { assignmentId: a!.id, action: "on_site", people: 2, note: "已到场" });
    await workAssignment(team, { assignmentId: a!.id, action: "resolve", resultText: "已处理", noEvidenceReason: "现场未拍照" });
  }
  return { whistle, assignment: a! };
}

const cases: Row<WhistleWorld, Role>[] = [
  {
    action: "confirm a resolved emergency part (确认办结)",
    rule: "assignment:confirm",
    expected: only({ subdistrictOfficer: "allow", subdistrictLeader: "allow", districtAdmin: "allow" }),
    attempt: async (w, a) => {
      const { assignment } = await teamPart(w, "emergency", "resolved");
      return () => confirmAssignment(a, { assignmentId: assignment.id });
    },
  },
  {
    action: "report on site with photos",
    rule: "assignment:work",
    expected: only({ teamOfficer: "allow" }),
    attempt: async (w, a) => {
      const { assignment } = await teamPart(w, "enforcement", "dispatched");
      await workAssignment(await actorOf(w.teamOfficer.id), { assignmentId: assignment.id, action: "sign" });
      return () => workAssignment(a, { assignmentId: assignment.id, action: "on_site", people: 1, photos: [checkedPng()] });
    },
  },
  {
    action: "ask to close as unreasonable",
    rule: "whistle:requestUnreasonable",
    // The subdistrict's staff, the district (over it), and the department working it; another station is not working it.
    expected: only({ subdistrictOfficer: "allow", subdistrictLeader: "allow", teamOfficer: "allow" }),
    attempt: async (w, a) => {
      const { whistle } = await teamPart(w, "enforcement", "dispatched");
      return () => requestUnreasonableClosure(a, { whistleId: whistle.id, reason: "恶意诉求" });
    },
  },
  {
    action: "approve closing as unreasonable",
    rule: "whistle:decideUnreasonable",
    // Only a subdistrict leader; the district administrator is not one.
    expected: only({ subdistrictLeader: "allow" }),
    attempt: async (w, a) => {
      const { whistle } = await teamPart(w, "enforcement", "dispatched");
      const req = await requestUnreasonableClosure(await actorOf(w.teamOfficer.id), { whistleId: whistle.id, reason: "恶意诉求" });
      return () => decideUnreasonableClosure(a, { requestId: req.id, approve: true });
    },
  },
  {
    action: "supervise a whistle of the subdistrict (督办)",
    rule: "whistle:supervise",
    // The subdistrict's leader and the district's administrator over it.
    expected: only({ subdistrictLeader: "allow", districtAdmin: "allow" }),
    attempt: async (w, a) => {
      const { whistle } = await teamPart(w, "enforcement", "dispatched");
      return () => supervise(a, { whistleId: whistle.id, message: "请尽快处理" });
    },
  },
  {
    action: "set composite-score weights of the district",
    rule: "scoreWeights:set",
    expected: only({ districtAdmin: "allow" }),
    attempt: async (w, a) => () => setScoreWeights(a, { districtId: w.districtA.id, validFrom: "2026-07", response: 40, resolution: 30, satisfaction: 30 }),
  },
  {
    action: "blow a whistle from community C to a station serving its subdistrict (社区吹哨)",
    rule: "whistle:blow",
    // C's own worker, and the subdistrict's staff and the district's administrator above it; not the worker of C2.
    expected: only({ communityWorker: "allow", subdistrictOfficer: "allow", subdistrictLeader: "allow", districtAdmin: "allow" }),
    attempt: async (w, a) => () => blowWhistle(a, { communityId: w.c.id, title: "群租房", description: "噪音", categoryCode: "parking", kind: "resident_request", leadIds: [w.police.id], cooperateIds: [] }),
  },
  {
    action: "blow a whistle directly for the subdistrict",
    rule: "whistle:blow",
    expected: only({ subdistrictOfficer: "allow", subdistrictLeader: "allow", districtAdmin: "allow" }),
    attempt: async (w, a) => () => blowWhistle(a, { subdistrictId: w.s.id, title: "燃气泄漏", description: "胡同口", categoryCode: "parking", kind: "emergency", leadIds: [w.team.id], cooperateIds: [] }),
  },
];

it("a district administrator may not set another district's weights", async () => {
  const w = await buildWhistleWorld();
  await expect(setScoreWeights(await actorOf(w.people.districtAdmin.id), { districtId: w.districtB.id, validFrom: "2026-07", response: 40, resolution: 30, satisfaction: 30 })).rejects.toBeInstanceOf(ForbiddenError);
});

it("a leader may not approve their own request", async () => {
  const w = await buildWhistleWorld();
  const { whistle } = await teamPart(w, "enforcement", "dispatched");
  const leader = await actorOf(w.people.subdistrictLeader.id);
  const req = await requestUnreasonableClosure(leader, { whistleId: whistle.id, reason: "恶意诉求" });
  await expect(decideUnreasonableClosure(leader, { requestId: req.id, approve: true })).rejects.toBeInstanceOf(ForbiddenError);
});

rows("whistle permission matrix", cases, {
  actions: Object.keys(whistleRules),
  elsewhere: {
    "whistle:rate": "no row yet (rateWhistle, reopenWhistle; whistles-rates.test.ts)",
  },
});
