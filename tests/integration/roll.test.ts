import { readdirSync, readFileSync } from "node:fs";
import { runKeyCeremony } from "../support/tellers";
import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { migrationsFolder } from "#db/migrate.server";
import { auditEvents, ballots, participations, residencyClaims, rollResidents, voteElectors, votes } from "#db/schema";
import { loadActor } from "~/modules/identity/actor.server";
import { claimResidency, decideResidencyClaim, withdrawResidencyClaim } from "~/modules/identity/residency.server";
import { addHousehold, addResident, editResident, endHousehold, linkAccount, moveOutResident } from "~/modules/roll/commands.server";
import { getRollHousehold, listRoll, rollMatchesForClaims } from "~/modules/roll/queries.server";
import { castBallot, createVote, recordPaperBallot, turnoutByChannel, type NewVote } from "~/modules/votes/commands.server";
import { getVotePage } from "~/modules/votes/queries.server";
import { NO, YES } from "~/modules/votes/rules";
import { createUser } from "../support/factories";
import { buildHallWorld, type HallWorld } from "../support/hall-world";

const actor = (id: number) => loadActor(db(), id);
const rollEntryOf = async (userId: number) => (await db().select().from(rollResidents).where(eq(rollResidents.userId, userId)))[0]!.id;

function voteInput(w: HallWorld, overrides: Partial<NewVote> = {}): NewVote {
  return {
    hallId: w.hall.id,
    question: "是否同意在院内加装电梯？",
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
    ...overrides,
  };
}

/** Staff put an elderly resident without an account on the roll, in a household of her own. */
async function elderly(w: HallWorld, address: string, name: string) {
  const staff = await actor(w.staff.id);
  const household = await addHousehold(staff, { communityId: w.c.id, address });
  const resident = await addResident(staff, { householdId: household.id, name, birthYear: 1941, isHead: true });
  return { household, resident };
}

describe("the electorate comes from the roll (居民名册), accounts or not", () => {
  it("a households' vote counts households without accounts, and one ballot per household holds across paper and online", async () => {
    const w = await buildHallWorld();
    const wang = await elderly(w, "史家胡同30号", "王秀兰");
    const vote = await createVote(await actor(w.convener.id), voteInput(w));
    // 史家胡同1号 (the world's residents), 史家胡同7号 (the hall's members) and 王秀兰's household; not C2's.
    const electors = await db().select().from(voteElectors).where(eq(voteElectors.voteId, vote.id));
    expect(electors.map((e) => e.electorId).sort()).toEqual([await household(w.people.resident.id), w.household.id, wang.household.id].sort());
    expect(vote.electorateSize).toBe(3);
    const staff = await actor(w.staff.id);

    // Paper for a household, then a member of it online: refused, saying so.
    await recordPaperBallot(staff, { voteId: vote.id, residentId: await rollEntryOf(w.members[1]!.id), choices: [YES], meeting: "12月4日居民会议" });
    await expect(castBallot(await actor(w.members[0]!.id), { voteId: vote.id, choices: [NO] })).rejects.toMatchObject({ messageKey: "vote.error.householdVotedOnPaper" });
    // The other way round: a member online, then paper for another member of that household.
    await castBallot(await actor(w.people.resident.id), { voteId: vote.id, choices: [NO] });
    await expect(
      recordPaperBallot(staff, { voteId: vote.id, residentId: await rollEntryOf(w.people.partyMember.id), choices: [YES], meeting: "12月4日居民会议" }),
    ).rejects.toMatchObject({ messageKey: "vote.error.householdVotedOnline" });
    // Someone with no account at all, chosen from the roll.
    await recordPaperBallot(staff, { voteId: vote.id, residentId: wang.resident.id, choices: [YES], meeting: "入户投票" });
    const [hers] = await db().select().from(ballots).where(and(eq(ballots.voteId, vote.id), eq(ballots.electorId, wang.household.id)));
    expect(hers).toMatchObject({ channel: "paper", castBy: null, residentId: wang.resident.id, recordedBy: w.staff.id, meeting: "入户投票" });

    expect(await turnoutByChannel(db(), vote)).toEqual({ online: 1, paper: 2 });
    const page = await getVotePage(db(), vote.id, await actor(w.members[0]!.id));
    expect(page).toMatchObject({ turnout: 3, paper: 2, eligible: true, voted: true, votedByOther: true, votedOnPaper: true });
  });

  it("holds across paper and online for a secret households' vote too", async () => {
    const w = await buildHallWorld();
    const tellers = [w.convener.id, w.members[0]!.id, w.eligible.id];
    const vote = await createVote(await actor(w.convener.id), voteInput(w, { secret: true, tellers }));
    await runKeyCeremony(vote.id, tellers); // a secret vote opens once its tellers have made its key (ADR 0016)
    const staff = await actor(w.staff.id);
    await recordPaperBallot(staff, { voteId: vote.id, residentId: await rollEntryOf(w.members[1]!.id), choices: [YES], meeting: "居民会议" });
    await expect(castBallot(await actor(w.members[0]!.id), { voteId: vote.id, choices: [NO] })).rejects.toMatchObject({ messageKey: "vote.error.householdVotedOnPaper" });
    expect((await castBallot(await actor(w.people.resident.id), { voteId: vote.id, choices: [NO] })).receipt).toBeTruthy();
    await expect(
      recordPaperBallot(staff, { voteId: vote.id, residentId: await rollEntryOf(w.people.partyMember.id), choices: [YES], meeting: "居民会议" }),
    ).rejects.toMatchObject({ messageKey: "vote.error.householdVotedOnline" });
    const took = await db().select().from(participations).where(eq(participations.voteId, vote.id));
    expect(took.map((p) => p.channel).sort()).toEqual(["online", "paper"]);
    expect(await turnoutByChannel(db(), vote)).toEqual({ online: 1, paper: 1 });
  });

  it("a residents' vote: electors are roll entries; someone who registers later is linked at the desk and votes as their entry", async () => {
    const w = await buildHallWorld();
    const wang = await elderly(w, "史家胡同30号", "王秀兰");
    const vote = await createVote(await actor(w.convener.id), voteInput(w, { electorate: "residents" }));
    // The world's 2 residents, the hall world's 7 in C, and 王秀兰.
    expect(vote.electorateSize).toBe(10);
    // She registers and claims residency at her address; the desk offers her roll entry.
    const user = await createUser({ displayName: "王秀兰" });
    const claim = await claimResidency(await actor(user.id), { communityId: w.c.id, address: "史家胡同 30 号" });
    const matches = await rollMatchesForClaims(db(), [{ id: claim.id, communityId: w.c.id, address: claim.address, displayName: "王秀兰" }]);
    expect(matches[claim.id]!.map((m) => m.id)).toEqual([wang.resident.id]);
    await decideResidencyClaim(await actor(w.staff.id), { claimId: claim.id, decision: "verify", residentId: wang.resident.id });
    const her = await actor(user.id);
    expect(her.residency).toMatchObject({ residentId: wang.resident.id, householdId: wang.household.id });
    await castBallot(her, { voteId: vote.id, choices: [YES] });
    const [b] = await db().select().from(ballots).where(eq(ballots.voteId, vote.id));
    expect(b).toMatchObject({ electorId: wang.resident.id, castBy: user.id, residentId: wang.resident.id, channel: "online" });
    await expect(recordPaperBallot(await actor(w.staff.id), { voteId: vote.id, residentId: wang.resident.id, choices: [NO], meeting: "居民会议" })).rejects.toMatchObject({
      messageKey: "vote.error.votedOnline",
    });
    // Verifying never made a second entry for her.
    expect(await db().select().from(rollResidents).where(eq(rollResidents.name, "王秀兰"))).toHaveLength(1);
  });

  it("people who moved out and households that ended are not in a new vote; moving out ends the account's residency", async () => {
    const w = await buildHallWorld();
    const li = await elderly(w, "史家胡同31号", "李淑珍");
    const staff = await actor(w.staff.id);
    const m4 = await rollEntryOf(w.members[3]!.id);
    await moveOutResident(staff, { residentId: m4, date: "2026-11-30", reason: "搬到女儿家" }, new Date("2026-12-04T02:00:00Z"));
    await endHousehold(staff, { householdId: li.household.id, date: "2026-12-01", reason: "房屋出售" }, new Date("2026-12-04T02:00:00Z"));
    await expect(moveOutResident(staff, { residentId: await rollEntryOf(w.members[2]!.id), date: "2099-01-01", reason: "计划搬家" })).rejects.toMatchObject({
      messageKey: "roll.error.futureDate",
    });
    expect((await actor(w.members[3]!.id)).residency).toBeNull();
    const [claim] = await db().select().from(residencyClaims).where(eq(residencyClaims.userId, w.members[3]!.id));
    expect(claim).toMatchObject({ status: "withdrawn", reason: "搬到女儿家" });
    const residents = await createVote(await actor(w.convener.id), voteInput(w, { electorate: "residents" }));
    expect(residents.electorateSize).toBe(8); // 9 in C before, less the one who moved out; 李淑珍's household ended
    await expect(castBallot(await actor(w.members[3]!.id), { voteId: residents.id, choices: [YES] })).rejects.toMatchObject({ messageKey: "vote.error.notEligible" });
    const byHousehold = await createVote(await actor(w.convener.id), voteInput(w));
    expect(byHousehold.electorateSize).toBe(2);
  });
});

describe("keeping the roll", () => {
  it("records who changed what and when, and never deletes", async () => {
    const w = await buildHallWorld();
    const wang = await elderly(w, "史家胡同30号", "王秀兰");
    const staff = await actor(w.staff.id);
    await editResident(staff, { residentId: wang.resident.id, householdId: wang.household.id, name: "王秀兰", birthYear: 1940, phone: "010-6512 3456", isHead: true });
    await expect(addHousehold(staff, { communityId: w.c.id, address: "史家胡同３０号" })).rejects.toMatchObject({ messageKey: "roll.error.addressTaken", field: "address" });
    const page = await getRollHousehold(db(), staff, wang.household.id);
    expect(page.history.map((h) => h.action)).toEqual(["roll:editResident", "roll:addResident", "roll:addHousehold"]);
    expect(page.history[0]).toMatchObject({
      actorName: w.staff.displayName,
      subjectName: "王秀兰",
      data: { changes: { birthYear: [1941, 1940], phone: [null, "010-6512 3456"] } },
    });
    await moveOutResident(staff, { residentId: wang.resident.id, date: "2026-12-01", reason: "去世" }, new Date("2026-12-04T02:00:00Z"));
    const roll = await listRoll(db(), staff, { communityId: w.c.id, search: "王秀兰", movedOut: true });
    expect(roll.households.flatMap((h) => h.people.map((p) => p.name))).toEqual(["王秀兰"]);
    expect(await db().select().from(rollResidents).where(eq(rollResidents.id, wang.resident.id))).toMatchObject([{ movedOutAt: new Date("2026-11-30T16:00:00Z") }]);
  });

  it("links a registered account from the roll page (verifying its claim), and a withdrawn claim unlinks it", async () => {
    const w = await buildHallWorld();
    const wang = await elderly(w, "史家胡同30号", "王秀兰");
    const user = await createUser({ displayName: "王阿姨" });
    const claim = await claimResidency(await actor(user.id), { communityId: w.c.id, address: "史家胡同30号院" });
    await linkAccount(await actor(w.staff.id), { residentId: wang.resident.id, claimId: claim.id });
    const [verified] = await db().select().from(residencyClaims).where(eq(residencyClaims.id, claim.id));
    expect(verified).toMatchObject({ status: "verified", householdId: wang.household.id, decidedBy: w.staff.id });
    expect((await actor(user.id)).residency).toMatchObject({ residentId: wang.resident.id });
    // A second account cannot take the same entry.
    const other = await createUser();
    const otherClaim = await claimResidency(await actor(other.id), { communityId: w.c.id, address: "史家胡同30号" });
    await expect(linkAccount(await actor(w.staff.id), { residentId: wang.resident.id, claimId: otherClaim.id })).rejects.toMatchObject({ messageKey: "roll.error.alreadyLinked" });
    await withdrawResidencyClaim(await actor(user.id), claim.id);
    const [entry] = await db().select().from(rollResidents).where(eq(rollResidents.id, wang.resident.id));
    expect(entry).toMatchObject({ userId: null, movedOutAt: null });
  });
});

describe("migration: verified residents become roll entries", () => {
  it("backfills the roll from verified claims and re-keys frozen residents' votes, once", async () => {
    const w = await buildHallWorld();
    // The state before the roll existed: verified accounts without roll entries, a residents' vote keyed by account ids.
    await db().delete(rollResidents);
    const [vote] = await db()
      .insert(votes)
      .values({ ...voteInput(w, { electorate: "residents" }), options: ["yes", "no", "abstain"], state: "open", electorateSize: 2, createdBy: w.convener.id })
      .returning();
    await db().insert(voteElectors).values([w.members[0]!.id, w.members[1]!.id].map((electorId) => ({ voteId: vote!.id, electorId })));
    await db().insert(ballots).values({ voteId: vote!.id, electorId: w.members[0]!.id, choices: [YES], castBy: w.members[0]!.id });
    const backfill = readdirSync(migrationsFolder).find((name) => name.endsWith("_roll-backfill.sql"))!;
    const file = readFileSync(`${migrationsFolder}/${backfill}`, "utf8");
    const run = async () => {
      for (const statement of file.split("--> statement-breakpoint")) await db().execute(sql.raw(statement));
    };
    await run();
    const entries = await db().select().from(rollResidents);
    const verifiedCount = (await db().select().from(residencyClaims).where(eq(residencyClaims.status, "verified"))).length;
    expect(entries).toHaveLength(verifiedCount);
    const m1 = await rollEntryOf(w.members[0]!.id);
    const m2 = await rollEntryOf(w.members[1]!.id);
    expect((await db().select().from(voteElectors).where(eq(voteElectors.voteId, vote!.id))).map((e) => e.electorId).sort()).toEqual([m1, m2].sort());
    expect(await db().select().from(ballots).where(eq(ballots.voteId, vote!.id))).toMatchObject([{ electorId: m1, residentId: m1 }]);
    // The member who voted changes their own ballot (same elector, no second one); the other votes as their roll entry.
    await expect(castBallot(await actor(w.members[0]!.id), { voteId: vote!.id, choices: [NO] })).resolves.toMatchObject({ changed: true });
    await castBallot(await actor(w.members[1]!.id), { voteId: vote!.id, choices: [NO] });
    // Running it again changes nothing.
    await run();
    expect(await db().select().from(rollResidents)).toHaveLength(verifiedCount);
    expect((await db().select().from(voteElectors).where(eq(voteElectors.voteId, vote!.id))).map((e) => e.electorId).sort()).toEqual([m1, m2].sort());
    expect(await db().select().from(auditEvents).where(eq(auditEvents.action, "migration:roll-backfill"))).toHaveLength(1);
  });
});

async function household(userId: number) {
  return (await db().select().from(rollResidents).where(eq(rollResidents.userId, userId)))[0]!.householdId;
}
