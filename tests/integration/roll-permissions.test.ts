import { describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { hallConveners, halls, households, residencyClaims, rollResidents } from "#db/schema";
import { decideResidencyClaim } from "~/modules/identity/residency.server";
import { addHousehold, addResident, editHousehold, editResident, endHousehold, linkAccount, moveOutResident } from "~/modules/roll/commands.server";
import { rollRules } from "~/modules/roll/permissions";
import { findPaperElectors, getRollHousehold, listRoll, rollCommunities } from "~/modules/roll/queries.server";
import { createVote } from "~/modules/votes/commands.server";
import { loadActor } from "~/modules/identity/actor.server";
import { createUser } from "../support/factories";
import { idsOf, permissionMatrix, type Row } from "../support/matrix";
import { buildWorld, roles, type Role, type World } from "../support/world";

/**
 * The permission matrix of the roll of residents (居民名册): every role × every
 * roll action, reads included (it is personal data), through the real
 * commands and queries (tests/support/matrix.ts). Only staff of community C and of its subdistrict S.
 */
const { only, outcomes, rows } = permissionMatrix<World, Role>({
  roles,
  world: buildWorld,
  people: (w) => idsOf(w.people),
  hiddenIsDenied: true,
  // A read that finds nothing for this actor is no read.
  emptyIsDenied: true,
});

const staffOfC = only({ communityWorker: "allow", subdistrictOfficer: "allow", subdistrictLeader: "allow" });

let n = 0;
/** A household of C with an elderly resident who has no account. */
async function elderlyHousehold(w: World) {
  const [h] = await db().insert(households).values({ communityId: w.c.id, address: `史家胡同${100 + ++n}号` }).returning();
  const [r] = await db().insert(rollResidents).values({ communityId: w.c.id, householdId: h!.id, name: "王秀兰", birthYear: 1941, isHead: true }).returning();
  return { household: h!, resident: r! };
}

const cases: Row<World, Role>[] = [
  { action: "see C among the communities whose roll one keeps", rule: "roll:read", expected: staffOfC, attempt: async (w, a) => async () => (await rollCommunities(db(), a)).filter((c) => c.id === w.c.id) },
  { action: "read the roll of C", rule: "roll:read", expected: staffOfC, attempt: async (w, a) => () => listRoll(db(), a, { communityId: w.c.id }) },
  {
    action: "read a household of C with its history",
    rule: "roll:read",
    expected: staffOfC,
    attempt: async (w, a) => {
      const { household } = await elderlyHousehold(w);
      return () => getRollHousehold(db(), a, household.id);
    },
  },
  { action: "add a household to C", rule: "roll:edit", expected: staffOfC, attempt: async (w, a) => () => addHousehold(a, { communityId: w.c.id, address: `史家胡同${200 + ++n}号` }) },
  {
    action: "edit a household of C",
    rule: "roll:edit",
    expected: staffOfC,
    attempt: async (w, a) => {
      const { household } = await elderlyHousehold(w);
      return () => editHousehold(a, { householdId: household.id, address: household.address, note: "独居老人" });
    },
  },
  {
    action: "record a household of C moving out",
    rule: "roll:edit",
    expected: staffOfC,
    attempt: async (w, a) => {
      const { household } = await elderlyHousehold(w);
      return () => endHousehold(a, { householdId: household.id, date: "2026-01-01", reason: "房屋出售" });
    },
  },
  {
    action: "add a resident without an account",
    rule: "roll:edit",
    expected: staffOfC,
    attempt: async (w, a) => {
      const { household } = await elderlyHousehold(w);
      return () => addResident(a, { householdId: household.id, name: "李淑珍", birthYear: 1938 });
    },
  },
  {
    action: "edit a resident",
    rule: "roll:edit",
    expected: staffOfC,
    attempt: async (w, a) => {
      const { household, resident } = await elderlyHousehold(w);
      return () => editResident(a, { residentId: resident.id, householdId: household.id, name: "王秀兰", birthYear: 1940, isHead: true });
    },
  },
  {
    action: "record a resident moving out",
    rule: "roll:edit",
    expected: staffOfC,
    attempt: async (w, a) => {
      const { resident } = await elderlyHousehold(w);
      return () => moveOutResident(a, { residentId: resident.id, date: "2026-01-01", reason: "搬到女儿家" });
    },
  },
  {
    action: "link a newly registered account to a roll entry",
    rule: "roll:link",
    expected: staffOfC,
    attempt: async (w, a) => {
      const { resident } = await elderlyHousehold(w);
      const user = await createUser({ displayName: "王秀兰" });
      const [claim] = await db().insert(residencyClaims).values({ userId: user.id, communityId: w.c.id, address: "史家胡同101号" }).returning();
      return () => linkAccount(a, { residentId: resident.id, claimId: claim!.id });
    },
  },
  {
    action: "verify a claim at the desk as an existing roll entry",
    rule: "residency:decide",
    expected: staffOfC,
    attempt: async (w, a) => {
      const { resident } = await elderlyHousehold(w);
      const user = await createUser({ displayName: "王秀兰" });
      const [claim] = await db().insert(residencyClaims).values({ userId: user.id, communityId: w.c.id, address: "史家胡同101号" }).returning();
      return () => decideResidencyClaim(a, { claimId: claim!.id, decision: "verify", residentId: resident.id });
    },
  },
];

rows("permission matrix: the roll of residents", cases, { actions: Object.keys(rollRules) });

describe("permission matrix: the roll of residents", () => {
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
    expect(await outcomes(w, (_w, a) => () => findPaperElectors(db(), a, vote, "王秀兰"))).toEqual(staffOfC);
  });
});
