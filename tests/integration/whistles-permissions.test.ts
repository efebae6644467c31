import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { assignments } from "#db/schema";
import { CommandError, ForbiddenError } from "~/lib/command.server";
import { visitor, type Actor } from "~/modules/identity/actor";
import { blowWhistle, confirmAssignment, decideUnreasonableClosure, requestUnreasonableClosure, setScoreWeights, workAssignment } from "~/modules/whistles/commands.server";
import { actorOf, buildWhistleWorld, directWhistle, type WhistleWorld } from "../support/whistle-world";
import { checkedPng } from "../support/images";

/** Every new whistle action × every role, through the real commands. */
type Role = "visitor" | "resident" | "communityWorker" | "otherCommunityWorker" | "subdistrictOfficer" | "subdistrictLeader" | "teamOfficer" | "otherStation" | "districtAdmin";
const roles: Role[] = ["visitor", "resident", "communityWorker", "otherCommunityWorker", "subdistrictOfficer", "subdistrictLeader", "teamOfficer", "otherStation", "districtAdmin"];
type Outcome = "allow" | "deny" | "refuse";

function who(w: WhistleWorld, role: Role): Promise<Actor> {
  const ids: Record<Exclude<Role, "visitor">, number> = {
    resident: w.author.id,
    communityWorker: w.people.communityWorker.id,
    otherCommunityWorker: w.people.otherCommunityWorker.id,
    subdistrictOfficer: w.people.subdistrictOfficer.id,
    subdistrictLeader: w.people.subdistrictLeader.id,
    teamOfficer: w.teamOfficer.id,
    otherStation: w.policeOfficer.id,
    districtAdmin: w.people.districtAdmin.id,
  };
  return role === "visitor" ? Promise.resolve(visitor) : actorOf(ids[role]);
}

async function outcome(run: () => Promise<unknown>): Promise<Outcome> {
  try {
    await run();
    return "allow";
  } catch (error) {
    if (error instanceof ForbiddenError) return "deny";
    if (error instanceof CommandError) return "refuse";
    throw error;
  }
}

const only = (map: Partial<Record<Role, Outcome>>, rest: Outcome = "deny") => Object.fromEntries(roles.map((r) => [r, map[r] ?? rest]));

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

const cases: { action: string; expected: Record<string, Outcome>; attempt: (w: WhistleWorld, a: Actor) => Promise<() => Promise<unknown>> }[] = [
  {
    action: "confirm a resolved emergency part (确认办结)",
    expected: only({ subdistrictOfficer: "allow", subdistrictLeader: "allow", districtAdmin: "allow" }),
    attempt: async (w, a) => {
      const { assignment } = await teamPart(w, "emergency", "resolved");
      return () => confirmAssignment(a, { assignmentId: assignment.id });
    },
  },
  {
    action: "report on site with photos",
    expected: only({ teamOfficer: "allow" }),
    attempt: async (w, a) => {
      const { assignment } = await teamPart(w, "enforcement", "dispatched");
      await workAssignment(await actorOf(w.teamOfficer.id), { assignmentId: assignment.id, action: "sign" });
      return () => workAssignment(a, { assignmentId: assignment.id, action: "on_site", people: 1, photos: [checkedPng()] });
    },
  },
  {
    action: "ask to close as unreasonable",
    // The subdistrict's staff, the district (over it), and the department working it; another station is not working it.
    expected: only({ subdistrictOfficer: "allow", subdistrictLeader: "allow", teamOfficer: "allow" }),
    attempt: async (w, a) => {
      const { whistle } = await teamPart(w, "enforcement", "dispatched");
      return () => requestUnreasonableClosure(a, { whistleId: whistle.id, reason: "恶意诉求" });
    },
  },
  {
    action: "approve closing as unreasonable",
    // Only a subdistrict leader; the district administrator is not one.
    expected: only({ subdistrictLeader: "allow" }),
    attempt: async (w, a) => {
      const { whistle } = await teamPart(w, "enforcement", "dispatched");
      const req = await requestUnreasonableClosure(await actorOf(w.teamOfficer.id), { whistleId: whistle.id, reason: "恶意诉求" });
      return () => decideUnreasonableClosure(a, { requestId: req.id, approve: true });
    },
  },
  {
    action: "set composite-score weights of the district",
    expected: only({ districtAdmin: "allow" }),
    attempt: async (w, a) => () => setScoreWeights(a, { districtId: w.districtA.id, validFrom: "2026-07", response: 40, resolution: 30, satisfaction: 30 }),
  },
  {
    action: "blow a whistle from community C to a station serving its subdistrict (社区吹哨)",
    // C's own worker, and the subdistrict's staff and the district's administrator above it; not the worker of C2.
    expected: only({ communityWorker: "allow", subdistrictOfficer: "allow", subdistrictLeader: "allow", districtAdmin: "allow" }),
    attempt: async (w, a) => () => blowWhistle(a, { communityId: w.c.id, title: "群租房", description: "噪音", categoryCode: "parking", kind: "resident_request", leadIds: [w.police.id], cooperateIds: [] }),
  },
  {
    action: "blow a whistle directly for the subdistrict",
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

describe("whistle permission matrix", () => {
  for (const c of cases) {
    it(c.action, async () => {
      const w = await buildWhistleWorld();
      const got: Record<string, Outcome> = {};
      for (const role of roles) got[role] = await outcome(await c.attempt(w, await who(w, role)));
      expect(got).toEqual(c.expected);
    });
  }
});
