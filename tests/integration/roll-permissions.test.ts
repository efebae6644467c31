import { describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { hallConveners, halls, households, residencyClaims, rollResidents } from "#db/schema";
import { CommandError, ForbiddenError, NotFoundError } from "~/lib/command.server";
import type { Actor } from "~/modules/identity/actor";
import { decideResidencyClaim } from "~/modules/identity/residency.server";
import { addHousehold, addResident, editHousehold, editResident, endHousehold, linkAccount, moveOutResident } from "~/modules/roll/commands.server";
import { findPaperElectors, getRollHousehold, listRoll, rollCommunities } from "~/modules/roll/queries.server";
import { createVote } from "~/modules/votes/commands.server";
import { loadActor } from "~/modules/identity/actor.server";
import { createUser } from "../support/factories";
import { actorFor, buildWorld, roles, type Role, type World } from "../support/world";

/**
 * The permission matrix of the roll of residents (居民名册): every role × every
 * roll action, reads included (it is personal data), through the real
 * commands and queries. Only staff of community C and of its subdistrict S.
 */
type Outcome = "allow" | "deny" | "refuse";

async function outcome(run: () => Promise<unknown>): Promise<Outcome> {
  try {
    const result = await run();
    // A read that finds nothing for this actor is no read.
    if (Array.isArray(result) && result.length === 0) return "deny";
    return "allow";
  } catch (error) {
    if (error instanceof ForbiddenError) return "deny";
    if (error instanceof NotFoundError) return "deny";
    if (error instanceof CommandError) return "refuse";
    throw error;
  }
}

const staffOfC = (): Record<Role, Outcome> =>
  Object.fromEntries(roles.map((r) => [r, ["communityWorker", "subdistrictOfficer", "subdistrictLeader"].includes(r) ? "allow" : "deny"])) as Record<Role, Outcome>;

let n = 0;
/** A household of C with an elderly resident who has no account. */
async function elderlyHousehold(w: World) {
  const [h] = await db().insert(households).values({ communityId: w.c.id, address: `史家胡同${100 + ++n}号` }).returning();
  const [r] = await db().insert(rollResidents).values({ communityId: w.c.id, householdId: h!.id, name: "王秀兰", birthYear: 1941, isHead: true }).returning();
  return { household: h!, resident: r! };
}

const cases: { action: string; attempt: (w: World, a: Actor) => Promise<() => Promise<unknown>> }[] = [
  { action: "see C among the communities whose roll one keeps", attempt: async (w, a) => async () => (await rollCommunities(db(), a)).filter((c) => c.id === w.c.id) },
  { action: "read the roll of C", attempt: async (w, a) => () => listRoll(db(), a, { communityId: w.c.id }) },
  {
    action: "read a household of C with its history",
    attempt: async (w, a) => {
      const { household } = await elderlyHousehold(w);
      return () => getRollHousehold(db(), a, household.id);
    },
  },
  { action: "add a household to C", attempt: async (w, a) => () => addHousehold(a, { communityId: w.c.id, address: `史家胡同${200 + ++n}号` }) },
  {
    action: "edit a household of C",
    attempt: async (w, a) => {
      const { household } = await elderlyHousehold(w);
      return () => editHousehold(a, { householdId: household.id, address: household.address, note: "独居老人" });
    },
  },
  {
    action: "record a household of C moving out",
    attempt: async (w, a) => {
      const { household } = await elderlyHousehold(w);
      return () => endHousehold(a, { householdId: household.id, date: "2026-01-01", reason: "房屋出售" });
    },
  },
  {
    action: "add a resident without an account",
    attempt: async (w, a) => {
      const { household } = await elderlyHousehold(w);
      return () => addResident(a, { householdId: household.id, name: "李淑珍", birthYear: 1938 });
    },
  },
  {
    action: "edit a resident",
    attempt: async (w, a) => {
      const { household, resident } = await elderlyHousehold(w);
      return () => editResident(a, { residentId: resident.id, householdId: household.id, name: "王秀兰", birthYear: 1940, isHead: true });
    },
  },
  {
    action: "record a resident moving out",
    attempt: async (w, a) => {
      const { resident } = await elderlyHousehold(w);
      return () => moveOutResident(a, { residentId: resident.id, date: "2026-01-01", reason: "搬到女儿家" });
    },
  },
  {
    action: "link a newly registered account to a roll entry",
    attempt: async (w, a) => {
      const { resident } = await elderlyHousehold(w);
      const user = await createUser({ displayName: "王秀兰" });
      const [claim] = await db().insert(residencyClaims).values({ userId: user.id, communityId: w.c.id, address: "史家胡同101号" }).returning();
      return () => linkAccount(a, { residentId: resident.id, claimId: claim!.id });
    },
  },
  {
    action: "verify a claim at the desk as an existing roll entry",
    attempt: async (w, a) => {
      const { resident } = await elderlyHousehold(w);
      const user = await createUser({ displayName: "王秀兰" });
      const [claim] = await db().insert(residencyClaims).values({ userId: user.id, communityId: w.c.id, address: "史家胡同101号" }).returning();
      return () => decideResidencyClaim(a, { claimId: claim!.id, decision: "verify", residentId: resident.id });
    },
  },
];

describe("permission matrix: the roll of residents", () => {
  for (const c of cases) {
    it(c.action, async () => {
      const w = await buildWorld();
      const actual: Record<string, Outcome> = {};
      for (const role of roles) actual[role] = await outcome(await c.attempt(w, await actorFor(w, role)));
      expect(actual).toEqual(staffOfC());
    });
  }

  it("find voters on the roll for a paper ballot: only staff who keep that roll see names", async () => {
    const w = await buildWorld();
    await elderlyHousehold(w);
    const [hall] = await db().insert(halls).values({ unitId: w.c.id, name: "史家议事厅" }).returning();
    await db().insert(hallConveners).values({ hallId: hall!.id, userId: w.people.communityWorker.id });
    const vote = await createVote(await loadActor(db(), w.people.communityWorker.id), {
      hallId: hall!.id,
      question: "是否同意加装电梯？",
      method: "yes_no",
      options: [],
      maxChoices: 1,
      electorate: "households",
      opensAt: new Date(),
      closesAt: new Date(Date.now() + 3_600_000),
      quorumPercent: 0,
      threshold: "simple_majority",
      abstentionsCountForQuorum: true,
      secret: false,
      liveResults: false,
    });
    const actual: Record<string, Outcome> = {};
    for (const role of roles) actual[role] = await outcome(async () => findPaperElectors(db(), await actorFor(w, role), vote, "王秀兰"));
    expect(actual).toEqual(staffOfC());
  });
});
