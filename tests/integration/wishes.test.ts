import type { AppLoadContext } from "@remix-run/node";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { auditEvents, notifications, wishClaims, wishes, type users } from "#db/schema";
import { CommandError, NotFoundError } from "~/lib/command.server";
import { visitor } from "~/modules/identity/actor";
import { claimWish, confirmWish, fulfilWish, postWish, releaseClaim, sendBackWish, withdrawWish } from "~/modules/wishes/commands.server";
import { myClaimedWishes, wishPage, wishWallPage } from "~/modules/wishes/queries.server";
import * as wall from "~/routes/wishes._index";
import * as detail from "~/routes/wishes.$id";
import * as newWish from "~/routes/wishes.new";
import { replyOf } from "../support/replies";
import { actorOf, buildWishWorld, NOW, PERSON, wishIn, wishInput, type WishWorld } from "../support/wish-world";

type User = typeof users.$inferSelect;
const contextFor = (user: User | null): AppLoadContext => ({
  user: user ? { id: user.id, displayName: user.displayName, locale: null, largeText: false } : null,
  sessionId: user ? "test-session" : null,
  locale: "zh-CN",
  largeText: false,
  secure: false,
  ip: "127.0.0.1",
});

const kindsFor = async (userId: number) =>
  (await db().select({ kind: notifications.kind }).from(notifications).where(eq(notifications.userId, userId))).map((n) => n.kind);

/** Whatever a page or its data holds, as text, must not carry any of the person's details. */
function expectNoPerson(data: unknown) {
  const text = JSON.stringify(data);
  for (const secret of [PERSON.fullName, PERSON.address, PERSON.phone, PERSON.consentBy, "秀英"]) expect(text).not.toContain(secret);
}

describe("micro-wishes: post, claim, fulfil, confirm", () => {
  it("goes through its states, telling the staff and the claimer each step", async () => {
    const w = await buildWishWorld();
    const worker = await actorOf(w.people.communityWorker.id);
    const member = await actorOf(w.people.partyMember.id);
    const wish = await wishIn(w);
    expect(wish).toMatchObject({ status: "posted", surname: "王", honorific: "nainai" });

    await claimWish(member, { wishId: wish.id, as: "self" }, NOW);
    expect(await kindsFor(w.people.communityWorker.id)).toEqual(["notification.wishClaimed"]);
    expect((await myClaimedWishes(member)).map((x) => x.id)).toEqual([wish.id]);

    // Fulfilled twice (a double click): one step, one notification.
    await fulfilWish(member, { wishId: wish.id, note: "已配好老花镜并送到家中" }, NOW);
    await fulfilWish(member, { wishId: wish.id, note: "已配好老花镜并送到家中" }, NOW);
    expect(await kindsFor(w.people.communityWorker.id)).toEqual(["notification.wishClaimed", "notification.wishFulfilled"]);

    // The staff send it back once (not done yet), the member fulfils again, the staff confirm.
    await sendBackWish(worker, { wishId: wish.id, reason: "度数不合适，需要重配" });
    expect((await db().select().from(wishes).where(eq(wishes.id, wish.id)))[0]).toMatchObject({ status: "claimed", staffNote: "度数不合适，需要重配", fulfilledAt: null });
    await fulfilWish(member, { wishId: wish.id, note: "重新验光配镜，已送到" }, NOW);
    await confirmWish(worker, { wishId: wish.id }, NOW);
    await confirmWish(worker, { wishId: wish.id }, NOW);
    const [done] = await db().select().from(wishes).where(eq(wishes.id, wish.id));
    expect(done).toMatchObject({ status: "confirmed", confirmedBy: worker.userId, fulfilmentNote: "重新验光配镜，已送到" });
    expect(await kindsFor(w.people.partyMember.id)).toEqual(["notification.wishSentBack", "notification.wishConfirmed"]);
    await expect(withdrawWish(worker, { wishId: wish.id, reason: "不再需要" })).rejects.toMatchObject({ messageKey: "wish.error.closed" });

    // The audit trail has every step, and none of the person's details.
    const trail = await db().select().from(auditEvents).where(and(eq(auditEvents.subjectType, "wish"), eq(auditEvents.subjectId, String(wish.id))));
    expect(trail.map((e) => e.action)).toEqual(["wish.post", "wish.claim", "wish.fulfil", "wish.sendBack", "wish.fulfil", "wish.confirm"]);
    expectNoPerson(trail);
    expectNoPerson(await db().select().from(notifications));
  });

  it("makes one claim when members race for a wish, and a double click finds the claim it made", async () => {
    const w = await buildWishWorld();
    const wish = await wishIn(w);
    const member = await actorOf(w.people.partyMember.id);
    const other = await actorOf(w.otherMember.id);
    const unitAdmin = await actorOf(w.unitOrgAdmin.id);
    // Two members, each clicking twice, and a unit organisation's admin, all at once.
    const tries = [
      { actor: member, as: "self" },
      { actor: other, as: "self" },
      { actor: unitAdmin, as: String(w.unitOrg.id) },
      { actor: member, as: "self" },
      { actor: other, as: "self" },
    ];
    const results = await Promise.allSettled(tries.map((t) => claimWish(t.actor, { wishId: wish.id, as: t.as }, NOW)));
    const claims = await db().select().from(wishClaims).where(eq(wishClaims.wishId, wish.id));
    expect(claims).toHaveLength(1);
    const winner = claims[0]!;
    // The winner's clicks all got the one claim back; everyone else heard it was taken.
    const outcomes = results.map((r) => (r.status === "fulfilled" ? r.value.id : (r.reason as CommandError).messageKey));
    expect(outcomes).toEqual(tries.map((t) => (t.actor.userId === winner.userId ? winner.id : "wish.error.taken")));
    expect((await db().select().from(wishes).where(eq(wishes.id, wish.id)))[0]!.status).toBe("claimed");
    expect(await kindsFor(w.people.communityWorker.id)).toEqual(["notification.wishClaimed"]);
  });

  it("lets the claimer give it back with a reason, after which another may claim it", async () => {
    const w = await buildWishWorld();
    const wish = await wishIn(w);
    const unitAdmin = await actorOf(w.unitOrgAdmin.id);
    const other = await actorOf(w.otherMember.id);
    await claimWish(unitAdmin, { wishId: wish.id, as: String(w.unitOrg.id) }, NOW);
    expect((await wishPage(visitor, wish.id)).wish.claimedBy).toBe("国网党委");
    // Not the claimer's: refused; then the organisation's admin gives it back.
    await expect(releaseClaim(other, { wishId: wish.id, reason: "想换人" })).rejects.toThrow("forbidden");
    await releaseClaim(unitAdmin, { wishId: wish.id, reason: "本周单位有紧急任务" }, NOW);
    await expect(fulfilWish(unitAdmin, { wishId: wish.id, note: "已经送到了" })).rejects.toBeInstanceOf(CommandError);
    await claimWish(other, { wishId: wish.id, as: "self" }, NOW);
    const page = await wishPage(visitor, wish.id);
    expect(page.wish).toMatchObject({ status: "claimed", claimedBy: "另一位党员" });
    expect(page.released).toEqual([{ name: "国网党委", reason: "本周单位有紧急任务", at: NOW.toISOString() }]);
    expect(await kindsFor(w.people.communityWorker.id)).toEqual(["notification.wishClaimed", "notification.wishReleased", "notification.wishClaimed"]);
  });

  it("withdraws a claimed wish: the claim is cancelled, the claimer told, the wish gone from public view", async () => {
    const w = await buildWishWorld();
    const wish = await wishIn(w);
    const member = await actorOf(w.people.partyMember.id);
    await claimWish(member, { wishId: wish.id, as: "self" }, NOW);
    await withdrawWish(await actorOf(w.people.communityWorker.id), { wishId: wish.id, reason: "本人撤回了同意" }, NOW);
    expect((await db().select().from(wishClaims).where(eq(wishClaims.wishId, wish.id)))[0]!.status).toBe("cancelled");
    expect(await kindsFor(w.people.partyMember.id)).toEqual(["notification.wishWithdrawn"]);
    await expect(wishPage(visitor, wish.id)).rejects.toBeInstanceOf(NotFoundError);
    await expect(wishPage(await actorOf(w.people.resident.id), wish.id)).rejects.toBeInstanceOf(NotFoundError);
    expect((await wishPage(member, wish.id)).wish.status).toBe("withdrawn");
    const sections = (await wishWallPage(visitor, {})).sections;
    expect([...sections.open, ...sections.inProgress, ...sections.done]).toEqual([]);
  });

  it("posts once for a retried form, and only with consent and a surname that is not the whole name", async () => {
    const w = await buildWishWorld();
    const worker = await actorOf(w.people.communityWorker.id);
    const input = wishInput(w.c.id);
    const [a, b] = await Promise.all([postWish(worker, input, NOW), postWish(worker, input, NOW)]);
    expect(a.id).toBe(b.id);
    expect(await db().select().from(wishes)).toHaveLength(1);
    await expect(postWish(worker, wishInput(w.c.id, { consent: false }), NOW)).rejects.toMatchObject({ messageKey: "wish.error.consent", field: "consent" });
    await expect(postWish(worker, wishInput(w.c.id, { surname: "李" }), NOW)).rejects.toMatchObject({ field: "surname" });
    const ouyang = await postWish(worker, wishInput(w.c.id, { fullName: "欧阳明华", surname: "欧阳", honorific: "yeye" }), NOW);
    expect(ouyang.surname).toBe("欧阳");
    // A subdistrict is not a community: a wish belongs to one community's wall.
    await expect(postWish(await actorOf(w.people.subdistrictOfficer.id), wishInput(w.s.id), NOW)).rejects.toMatchObject({ field: "unitId" });
  });
});

describe("micro-wishes: the person stays private", () => {
  async function world(): Promise<{ w: WishWorld; wishId: number }> {
    const w = await buildWishWorld();
    const wish = await wishIn(w);
    await claimWish(await actorOf(w.people.partyMember.id), { wishId: wish.id, as: "self" }, NOW);
    await wishIn(w, { text: "希望有人陪着去一趟医院复查" });
    return { w, wishId: wish.id };
  }

  it("keeps the name, address and phone out of the wall's and the wish page's loader data for everyone but staff", async () => {
    const { w, wishId } = await world();
    for (const user of [null, w.people.resident, w.people.partyMember, w.people.otherCommunityWorker, w.people.departmentOfficer]) {
      const context = contextFor(user);
      const wallData = await wall.loader({ request: new Request("http://localhost/wishes"), params: {}, context });
      expect(wallData.sections.open.length + wallData.sections.inProgress.length).toBe(2);
      expectNoPerson(wallData);
      const page = await detail.loader({ request: new Request(`http://localhost/wishes/${wishId}`), params: { id: String(wishId) }, context });
      expect(page.person).toBeNull();
      expect(page.wish).toMatchObject({ surname: "王", honorific: "nainai" });
      expectNoPerson(page);
    }
    // The community's staff (and the subdistrict's above it) see who it is for and who consented.
    for (const user of [w.people.communityWorker, w.people.subdistrictOfficer]) {
      const page = await detail.loader({ request: new Request(`http://localhost/wishes/${wishId}`), params: { id: String(wishId) }, context: contextFor(user) });
      expect(page.person).toMatchObject({ fullName: PERSON.fullName, address: PERSON.address, phone: PERSON.phone, consentBy: PERSON.consentBy });
    }
  });

  it("answers the staff's form with the consent error beside its box, and a visitor's with a login", async () => {
    const w = await buildWishWorld();
    const fields = { intent: "post", clientKey: crypto.randomUUID(), unitId: String(w.c.id), category: "serving_people", text: "想要一台收音机", fullName: "张桂兰", honorific: "nainai", address: "史家胡同9号", consentBy: "本人" };
    const post = (extra: Record<string, string>, user: User | null) =>
      newWish.action({ request: new Request("http://localhost/wishes/new", { method: "POST", body: new URLSearchParams({ ...fields, ...extra }) }), params: {}, context: contextFor(user) });
    expect(replyOf(await post({}, w.people.communityWorker))).toMatchObject({ ok: false, field: "consent", error: "wish.error.consent" });
    const done = await post({ consent: "on" }, w.people.communityWorker).catch((r: unknown) => r);
    expect(done).toBeInstanceOf(Response);
    expect((done as Response).headers.get("Location")).toMatch(/^\/wishes\/\d+$/);
    await expect(post({ consent: "on" }, null)).rejects.toBeInstanceOf(Response);
    await expect(newWish.loader({ request: new Request("http://localhost/wishes/new"), params: {}, context: contextFor(w.people.resident) })).rejects.toMatchObject({ status: 403 });
  });
});
