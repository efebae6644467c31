import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { auditEvents, needClaims, needs, notifications, partyReports, pledges, residencyClaims } from "#db/schema";
import { CommandError } from "~/lib/command.server";
import { claimNeed, closeNeed, confirmClaim, offerResource, postNeed, releaseClaim, reportClaimDone } from "~/modules/service-lists/commands.server";
import { listsPage, needPage, newNeedPage } from "~/modules/service-lists/queries.server";
import { createUser } from "../support/factories";
import { buildListsWorld, needIn } from "../support/lists-world";
import { actorOf, NOW } from "../support/pledge-world";

const needRow = async (id: number) => (await db().select().from(needs).where(eq(needs.id, id)))[0]!;

/** n more confirmed in-service Party members of community C. */
async function members(communityId: number, n: number) {
  const people = [];
  for (let i = 0; i < n; i++) {
    const u = await createUser();
    await db().insert(residencyClaims).values({ userId: u.id, communityId, address: `史家胡同${i}号`, status: "verified" });
    await db().insert(partyReports).values({ userId: u.id, communityId, workUnit: "某单位", partyOrgName: "某党支部", status: "confirmed" });
    people.push(await actorOf(u.id));
  }
  return people;
}

describe("three lists: claims on a need", () => {
  it("never takes more people than a need asks for, even when many claim at once", async () => {
    const w = await buildListsWorld();
    const need = await needIn(w, { amount: 5 });
    const racers = await members(w.c.id, 12);
    const outcomes = await Promise.allSettled(racers.map((a) => claimNeed(a, { needId: need.id, as: "self", amount: 1 }, NOW)));
    const won = outcomes.filter((o) => o.status === "fulfilled");
    const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === "rejected");
    expect(won).toHaveLength(5);
    expect(lost.map((o) => (o.reason as CommandError).messageKey)).toEqual(Array(7).fill("need.error.full"));
    const row = await needRow(need.id);
    expect({ claimed: row.claimed, status: row.status }).toEqual({ claimed: 5, status: "claimed" });
    const live = await db().select().from(needClaims).where(eq(needClaims.needId, need.id));
    expect(live.reduce((s, c) => s + c.amount, 0)).toBe(5);
  });

  it("refuses a claim of more hours than are left, and takes what fits, also when claimed together", async () => {
    const w = await buildListsWorld();
    const need = await needIn(w, { amount: 10, unit: "hours" });
    const [a, b, c] = await members(w.c.id, 3);
    const results = await Promise.allSettled([claimNeed(a!, { needId: need.id, as: "self", amount: 6 }, NOW), claimNeed(b!, { needId: need.id, as: "self", amount: 6 }, NOW)]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(((results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason as CommandError).messageKey).toBe("need.error.tooMuch");
    await claimNeed(c!, { needId: need.id, as: "self", amount: 4 }, NOW);
    expect((await needRow(need.id)).claimed).toBe(10);
    expect((await needPage(await actorOf(w.people.resident.id), need.id)).need.degree).toBe("fully");
  });

  it("is one claim per claimer: a second claim by the same member finds the first", async () => {
    const w = await buildListsWorld();
    const need = await needIn(w, { amount: 4 });
    const member = await actorOf(w.people.partyMember.id);
    const [first, second] = await Promise.all([claimNeed(member, { needId: need.id, as: "self", amount: 2 }, NOW), claimNeed(member, { needId: need.id, as: "self", amount: 2 }, NOW)]);
    expect(second.id).toBe(first.id);
    expect((await needRow(need.id)).claimed).toBe(2);
  });

  it("tracks a claim to done: claimed → reported → confirmed; the need is done when all it asked is confirmed", async () => {
    const w = await buildListsWorld();
    const need = await needIn(w, { amount: 3 });
    const member = await actorOf(w.people.partyMember.id);
    const orgAdmin = await actorOf(w.unitOrgAdmin.id);
    const staff = await actorOf(w.people.communityWorker.id);
    const mine = await claimNeed(member, { needId: need.id, as: "self", amount: 1 }, NOW);
    expect((await needRow(need.id)).status).toBe("claimed");
    const theirs = await claimNeed(orgAdmin, { needId: need.id, as: String(w.unitOrg.id), amount: 2 }, NOW);
    // Staff confirm only what the claimer says is done.
    await expect(confirmClaim(staff, { claimId: mine.id }, NOW)).rejects.toMatchObject({ messageKey: "claim.error.notReported" });
    await reportClaimDone(member, { claimId: mine.id }, NOW);
    await expect(reportClaimDone(member, { claimId: mine.id }, NOW)).rejects.toMatchObject({ messageKey: "claim.error.reportedAlready" });
    expect((await confirmClaim(staff, { claimId: mine.id }, NOW)).needStatus).toBe("claimed");
    await reportClaimDone(orgAdmin, { claimId: theirs.id }, NOW);
    expect((await confirmClaim(staff, { claimId: theirs.id }, NOW)).needStatus).toBe("done");
    const row = await needRow(need.id);
    expect({ status: row.status, closed: row.closedAt !== null }).toEqual({ status: "done", closed: true });
    // Done is final: no more claims, and a done claim cannot be released.
    const [late] = await members(w.c.id, 1);
    await expect(claimNeed(late!, { needId: need.id, as: "self", amount: 1 }, NOW)).rejects.toMatchObject({ messageKey: "need.error.notOpen" });
    await expect(releaseClaim(member, { claimId: mine.id, reason: "有事" }, NOW)).rejects.toMatchObject({ messageKey: "claim.error.final" });
    // The claimer heard it was confirmed; the poster heard of the claims.
    const heard = await db().select().from(notifications).where(eq(notifications.userId, w.people.partyMember.id));
    expect(heard.map((n) => n.kind)).toContain("notification.claimConfirmed");
    const poster = await db().select().from(notifications).where(eq(notifications.userId, w.people.communityWorker.id));
    expect(poster.filter((n) => n.kind === "notification.needClaimed")).toHaveLength(2);
  });

  it("frees what a released claim held, with its reason; the need goes back to open; staff may release it too", async () => {
    const w = await buildListsWorld();
    const need = await needIn(w, { amount: 2 });
    const member = await actorOf(w.people.partyMember.id);
    const other = await actorOf(w.otherMember.id);
    const staff = await actorOf(w.people.communityWorker.id);
    const a = await claimNeed(member, { needId: need.id, as: "self", amount: 2 }, NOW);
    await expect(claimNeed(other, { needId: need.id, as: "self", amount: 1 }, NOW)).rejects.toMatchObject({ messageKey: "need.error.full" });
    expect((await releaseClaim(member, { claimId: a.id, reason: "临时出差" }, NOW)).needStatus).toBe("open");
    expect(await needRow(need.id)).toMatchObject({ claimed: 0, status: "open" });
    const b = await claimNeed(other, { needId: need.id, as: "self", amount: 1 }, NOW);
    await releaseClaim(staff, { claimId: b.id, reason: "联系不上" }, NOW);
    const [claim] = await db().select().from(needClaims).where(eq(needClaims.id, b.id));
    expect({ status: claim!.status, reason: claim!.releaseReason }).toEqual({ status: "released", reason: "联系不上" });
    const told = await db().select().from(notifications).where(eq(notifications.userId, w.otherMember.id));
    expect(told.map((n) => n.kind)).toContain("notification.claimReleased");
    // Released again, or released after it was: final.
    await expect(releaseClaim(staff, { claimId: b.id, reason: "再次" }, NOW)).rejects.toMatchObject({ messageKey: "claim.error.final" });
  });

  it("closes a need with a reason and releases its live claims", async () => {
    const w = await buildListsWorld();
    const need = await needIn(w, { amount: 3 });
    const claim = await claimNeed(await actorOf(w.people.partyMember.id), { needId: need.id, as: "self", amount: 1 }, NOW);
    await closeNeed(await actorOf(w.people.communityWorker.id), { needId: need.id, reason: "物业已处理" }, NOW);
    expect(await needRow(need.id)).toMatchObject({ status: "closed", closeReason: "物业已处理" });
    expect((await db().select().from(needClaims).where(eq(needClaims.id, claim.id)))[0]!.status).toBe("released");
    await expect(closeNeed(await actorOf(w.people.communityWorker.id), { needId: need.id, reason: "再关" }, NOW)).rejects.toBeInstanceOf(CommandError);
  });
});

describe("three lists: a need raised from a proposal (转为需求)", () => {
  it("links a passed proposal's need back to it, prefilled from the proposal", async () => {
    const w = await buildListsWorld("decided_passed");
    const staff = await actorOf(w.people.communityWorker.id);
    const form = await newNeedPage(staff, { proposalId: w.proposal.id });
    expect(form.fromProposal).toMatchObject({ id: w.proposal.id, title: w.proposal.title, category: "environment" });
    expect(form.communities).toEqual([{ id: w.c.id, name: w.c.name }]);
    expect(form.unitId).toBe(w.c.id);
    const need = await postNeed(staff, { unitId: w.c.id, category: "environment", title: w.proposal.title, description: "", whenText: "本月内", unit: "people", amount: 6, proposalId: w.proposal.id }, NOW);
    expect(need.proposalId).toBe(w.proposal.id);
    const page = await needPage(staff, need.id);
    expect(page.need.proposalTitle).toBe(w.proposal.title);
    const [audit] = await db().select().from(auditEvents).where(eq(auditEvents.action, "need.post"));
    expect(audit!.data).toEqual({ proposalId: w.proposal.id });
  });

  it("raises a need from a proposal the community handled itself", async () => {
    const w = await buildListsWorld("self_handled");
    const need = await postNeed(await actorOf(w.people.communityWorker.id), { unitId: w.c.id, category: "environment", title: "自行处理后的需求", description: "", whenText: "本月内", unit: "hours", amount: 8, proposalId: w.proposal.id }, NOW);
    expect(need.proposalId).toBe(w.proposal.id);
  });

  it("refuses to raise one from a proposal still open", async () => {
    const open = await buildListsWorld("open");
    const staff = await actorOf(open.people.communityWorker.id);
    const input = (unitId: number, proposalId: number) => ({ unitId, category: "environment" as const, title: "不应转成的需求", description: "", whenText: "本月内", unit: "people" as const, amount: 2, proposalId });
    await expect(postNeed(staff, input(open.c.id, open.proposal.id), NOW)).rejects.toMatchObject({ messageKey: "need.error.proposalNotPassed", field: "proposalId" });
    await expect(newNeedPage(staff, { proposalId: open.proposal.id })).rejects.toThrow();
  });

  it("refuses to raise one for a community outside the proposal's hall", async () => {
    const passed = await buildListsWorld("decided_passed");
    const input = (unitId: number, proposalId: number) => ({ unitId, category: "environment" as const, title: "不应转成的需求", description: "", whenText: "本月内", unit: "people" as const, amount: 2, proposalId });
    const officer = await actorOf(passed.people.subdistrictOfficer.id);
    await expect(postNeed(officer, input(passed.c2.id, passed.proposal.id), NOW)).rejects.toMatchObject({ messageKey: "need.error.proposalElsewhere", field: "unitId" });
  });
});

describe("three lists: resources and matching", () => {
  it("shows a need the community's resources and pledged members of its category, not others", async () => {
    const w = await buildListsWorld();
    const member = await actorOf(w.people.partyMember.id);
    const orgAdmin = await actorOf(w.unitOrgAdmin.id);
    await offerResource(member, { as: "self", unitId: w.c.id, kind: "skill", category: "environment", description: "会修自行车和小家电", availability: "周末下午" }, NOW);
    await offerResource(orgAdmin, { as: String(w.unitOrg.id), unitId: w.c.id, kind: "venue", category: "education", description: "单位会议室可借用", availability: "工作日晚上" }, NOW);
    await offerResource(orgAdmin, { as: String(w.unitOrg.id), unitId: w.c2.id, kind: "volunteers", category: "environment", description: "青年突击队十人", availability: "每月第一个周六" }, NOW);
    await db().insert(pledges).values([
      { userId: w.otherMember.id, unitId: w.c.id, category: "environment", text: "参加环境整治", unit: "hours", amount: 10, startsOn: "2026-01-01", endsOn: "2026-12-31", createdBy: w.otherMember.id },
      { userId: w.people.partyMember.id, unitId: w.c.id, category: "education", text: "辅导功课", unit: "times", amount: 4, startsOn: "2026-01-01", endsOn: "2026-12-31", createdBy: w.people.partyMember.id },
    ]);
    const need = await needIn(w, { category: "environment" });
    const page = await needPage(await actorOf(w.people.resident.id), need.id);
    expect(page.resources.map((r) => r.description)).toEqual(["会修自行车和小家电"]);
    expect(page.members.map((m) => m.userId)).toEqual([w.otherMember.id]);
    const lists = await listsPage(await actorOf(w.people.resident.id), w.c.id);
    expect(lists.resources).toHaveLength(2);
    expect(lists.needs[0]).toMatchObject({ id: need.id, resources: [{ description: "会修自行车和小家电" }] });
  });

  it("takes a member's resource only for the community they reported to, an organisation's only under its unit", async () => {
    const w = await buildListsWorld();
    await expect(offerResource(await actorOf(w.people.partyMember.id), { as: "self", unitId: w.c2.id, kind: "goods", category: "serving_people", description: "旧衣物二十件", availability: "随时" }, NOW)).rejects.toMatchObject({
      messageKey: "resource.error.ownCommunity",
      field: "unitId",
    });
    await expect(offerResource(await actorOf(w.unitOrgAdmin.id), { as: String(w.unitOrg.id), unitId: w.cb.id, kind: "goods", category: "serving_people", description: "旧衣物二十件", availability: "随时" }, NOW)).rejects.toMatchObject({
      messageKey: "resource.error.unitOutside",
    });
  });
});
