import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { auditEvents, households, notifications, organizationMembers, positions, residencyClaims } from "#db/schema";
import { loadActor } from "~/modules/identity/actor.server";
import { changeMember, inviteMember, respondToInvitation } from "~/modules/identity/organizations.server";
import { assignPosition, revokePosition } from "~/modules/identity/positions.server";
import { getDesk } from "~/modules/identity/queries.server";
import { claimResidency, decideResidencyClaim, withdrawResidencyClaim } from "~/modules/identity/residency.server";
import { getUnitPage } from "~/modules/units/queries.server";
import { createUser } from "../support/factories";
import { buildWorld } from "../support/world";
import { onPublish } from "#realtime/publish.server";

const actor = (id: number) => loadActor(db(), id);

describe("newcomer claims residency and a community worker decides", () => {
  it("verifies into a household found by address, notifies the claimant and audits", async () => {
    const w = await buildWorld();
    const a = await createUser();
    const b = await createUser();
    const claimA = await claimResidency(await actor(a.id), { communityId: w.c.id, address: "史家胡同 ２４号院" });
    const claimB = await claimResidency(await actor(b.id), { communityId: w.c.id, address: "史家胡同24号院" });
    const worker = await actor(w.people.communityWorker.id);
    await decideResidencyClaim(worker, { claimId: claimA.id, decision: "verify" });
    await decideResidencyClaim(worker, { claimId: claimB.id, decision: "verify" });
    const rows = await db().select().from(residencyClaims).where(eq(residencyClaims.communityId, w.c.id));
    const household = rows.find((r) => r.userId === a.id)!.householdId;
    expect(household).not.toBeNull();
    expect(rows.find((r) => r.userId === b.id)!.householdId).toBe(household); // one household, typed two ways
    expect(await db().select().from(notifications).where(eq(notifications.userId, a.id))).toMatchObject([{ kind: "notification.residencyVerified", params: { community: "史家社区" } }]);
    expect(await db().select().from(auditEvents).where(eq(auditEvents.action, "residency:verify"))).toHaveLength(2);
    expect((await actor(a.id)).residency).toMatchObject({ communityId: w.c.id, householdId: household });
  });

  it("refuses a community that does not exist, a second open claim, and another community's household", async () => {
    const w = await buildWorld();
    const a = await actor((await createUser()).id);
    await expect(claimResidency(a, { communityId: 999_999, address: "某地1号" })).rejects.toMatchObject({ messageKey: "residency.error.noSuchCommunity" });
    await expect(claimResidency(a, { communityId: w.s.id, address: "某地1号" })).rejects.toMatchObject({ messageKey: "residency.error.noSuchCommunity" });
    const [elsewhere] = await db().insert(households).values({ communityId: w.c2.id, address: "内务部街1号" }).returning();
    await expect(claimResidency(a, { communityId: w.c.id, address: "史家胡同1号", householdId: elsewhere!.id })).rejects.toMatchObject({ messageKey: "residency.error.householdElsewhere" });
    await claimResidency(a, { communityId: w.c.id, address: "史家胡同1号" });
    await expect(claimResidency(a, { communityId: w.c2.id, address: "内务部街1号" })).rejects.toMatchObject({ messageKey: "residency.error.alreadyClaimed" });
    expect(await db().select().from(residencyClaims).where(eq(residencyClaims.userId, a.userId!))).toHaveLength(1);
  });

  it("lets a person withdraw and claim again after moving", async () => {
    const w = await buildWorld();
    const a = await actor((await createUser()).id);
    const first = await claimResidency(a, { communityId: w.c.id, address: "史家胡同1号" });
    await withdrawResidencyClaim(a, first.id);
    await expect(claimResidency(a, { communityId: w.c2.id, address: "内务部街1号" })).resolves.toMatchObject({ status: "pending" });
  });

  it("does not let staff verify their own claim, needs a reason to reject, and decides only once", async () => {
    const w = await buildWorld();
    const worker = await actor(w.people.communityWorker.id);
    const own = await claimResidency(worker, { communityId: w.c.id, address: "史家胡同2号" });
    await expect(decideResidencyClaim(worker, { claimId: own.id, decision: "verify" })).rejects.toMatchObject({ action: "residency:decide" });
    const other = await claimResidency(await actor((await createUser()).id), { communityId: w.c.id, address: "史家胡同3号" });
    await expect(decideResidencyClaim(worker, { claimId: other.id, decision: "reject", reason: "  " })).rejects.toMatchObject({ messageKey: "validation.reasonRequired" });
    await decideResidencyClaim(worker, { claimId: other.id, decision: "reject", reason: "门牌号不存在" });
    await expect(decideResidencyClaim(worker, { claimId: other.id, decision: "verify" })).rejects.toMatchObject({ messageKey: "residency.error.alreadyDecided" });
    const [row] = await db().select().from(residencyClaims).where(eq(residencyClaims.id, other.id));
    expect(row).toMatchObject({ status: "rejected", reason: "门牌号不存在", householdId: null });
  });

  it("shows each worker only the claims of their own units", async () => {
    const w = await buildWorld();
    await claimResidency(await actor((await createUser()).id), { communityId: w.c.id, address: "史家胡同5号" });
    await claimResidency(await actor((await createUser()).id), { communityId: w.c2.id, address: "内务部街5号" });
    const inC = await getDesk(db(), await actor(w.people.communityWorker.id));
    const inC2 = await getDesk(db(), await actor(w.people.otherCommunityWorker.id));
    const leader = await getDesk(db(), await actor(w.people.subdistrictLeader.id));
    expect(inC.claims.map((c) => c.address)).toEqual(["史家胡同5号"]);
    expect(inC2.claims.map((c) => c.address)).toEqual(["内务部街5号"]);
    expect(leader.claims).toHaveLength(2);
    expect(leader.organizations).toHaveLength(0);
  });
});

describe("district administrator manages positions", () => {
  it("assigns and revokes with an audit trail and never deletes history", async () => {
    const w = await buildWorld();
    const admin = await actor(w.people.districtAdmin.id);
    const holder = await createUser({ username: "newworker" });
    const position = await assignPosition(admin, { account: "NewWorker", kind: "community_worker", unitId: w.c.id });
    expect((await actor(holder.id)).positions).toMatchObject([{ kind: "community_worker", unitPath: w.c.path }]);
    // The holder's own page (/me, kept in the page cache per member) hears of it in their own room.
    const told: string[] = [];
    const stop = onPublish((room, m) => void (m.event === "me:changed" && told.push(room)));
    await revokePosition(admin, position.id);
    stop();
    expect(told).toEqual([`user:${holder.id}`]);
    expect((await actor(holder.id)).positions).toEqual([]);
    const [row] = await db().select().from(positions).where(eq(positions.id, position.id));
    expect(row!.revokedBy).toBe(admin.userId);
    const audit = await db().select().from(auditEvents).where(eq(auditEvents.subjectId, String(position.id)));
    expect(audit.map((a) => a.action)).toEqual(["position:assign", "position:revoke"]);
  });

  it("refuses a position on the wrong kind of scope, an unknown account, a duplicate, and platform administrators", async () => {
    const w = await buildWorld();
    const admin = await actor(w.people.districtAdmin.id);
    await createUser({ username: "someone" });
    await expect(assignPosition(admin, { account: "someone", kind: "community_worker", unitId: w.s.id })).rejects.toMatchObject({ messageKey: "position.error.wrongScope" });
    await expect(assignPosition(admin, { account: "nobody", kind: "community_worker", unitId: w.c.id })).rejects.toMatchObject({ messageKey: "position.error.noSuchAccount" });
    await assignPosition(admin, { account: "someone", kind: "community_worker", unitId: w.c.id });
    await expect(assignPosition(admin, { account: "someone", kind: "community_worker", unitId: w.c.id })).rejects.toMatchObject({ messageKey: "position.error.alreadyHeld" });
    await expect(assignPosition(admin, { account: "someone", kind: "platform_admin", unitId: w.city.id })).rejects.toMatchObject({ action: "position:assign" });
  });
});

describe("organisation membership", () => {
  it("invites, accepts, and always keeps one administrator", async () => {
    const w = await buildWorld();
    const founder = await actor(w.people.orgAdmin.id);
    const friend = await createUser({ username: "friend" });
    const invitation = await inviteMember(founder, { organizationId: w.org.id, account: "friend", role: "admin" });
    await expect(inviteMember(founder, { organizationId: w.org.id, account: "friend", role: "member" })).rejects.toMatchObject({ messageKey: "organization.error.alreadyInvited" });
    await respondToInvitation(await actor(friend.id), { invitationId: invitation.id, accept: true });
    // Two administrators now: the founder may step down, and the friend is then the last one.
    const told: string[] = [];
    const stop = onPublish((room, m) => void (m.event === "me:changed" && told.push(room)));
    await changeMember(founder, { organizationId: w.org.id, userId: founder.userId!, change: "member" });
    stop();
    expect(told).toEqual([`user:${founder.userId}`]);
    const friendActor = await actor(friend.id);
    await expect(changeMember(friendActor, { organizationId: w.org.id, userId: friend.id, change: "remove" })).rejects.toMatchObject({ messageKey: "organization.error.lastAdmin" });
    const admins = await db().select().from(organizationMembers).where(and(eq(organizationMembers.organizationId, w.org.id), eq(organizationMembers.role, "admin")));
    expect(admins.map((m) => m.userId)).toEqual([friend.id]);
  });
});

describe("unit page", () => {
  it("counts verified residents per child unit in one grouped query", async () => {
    const w = await buildWorld();
    const page = await getUnitPage(db(), w.s.id);
    expect(page!.ancestors.map((a) => a.name)).toEqual(["北京市", "东城区"]);
    expect(page!.children.map((c) => [c.name, c.residents])).toEqual([
      ["史家社区", 2],
      ["内务社区", 0],
    ]);
    expect(page!.residents).toBe(2);
    expect(page!.organizations.map((o) => o.name)).toEqual(["阳光社工"]);
  });
});
