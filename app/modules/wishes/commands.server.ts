import { and, eq, inArray, isNull } from "drizzle-orm";
import type { Tx } from "#db/client.server";
import { organizations, positions, units, wishClaims, wishes, wishPeople } from "#db/schema";
import { audit } from "~/lib/audit.server";
import { serverNow } from "~/lib/clock.server";
import { CommandError, lockIdempotencyKey, NotFoundError, runCommand, type Outbox } from "~/lib/command.server";
import { authorize } from "~/modules/access";
import type { Actor } from "~/modules/identity/actor";
import { notifyMany } from "~/modules/notifications/commands.server";
import type { WishOrgRef } from "./permissions";
import { mayStep, nextStatus, publicSurname, stepRefusal, type WishStep } from "./rules";
import type { PostWishInput } from "./schemas";

/**
 * Every write of micro-wishes (微心愿): one transaction each, the wish's row
 * locked first (so two members racing to claim it, or a double click, are
 * answered one after the other), an audit row, and the people concerned
 * notified. The person's name, address and phone never go into an audit row
 * or a notification: those leave the site by email or SMS.
 */

type Wish = typeof wishes.$inferSelect;
type Claim = typeof wishClaims.$inferSelect;

/** The wish, locked for this transaction, with its community's path. */
async function lockWish(tx: Tx, wishId: number) {
  const [wish] = await tx.select().from(wishes).where(eq(wishes.id, wishId)).for("update");
  if (!wish) throw new NotFoundError("wish");
  const [unit] = await tx.select({ path: units.path }).from(units).where(eq(units.id, wish.unitId));
  return { wish, unitPath: unit!.path };
}

async function activeClaim(tx: Tx, wishId: number): Promise<Claim | undefined> {
  const [claim] = await tx
    .select()
    .from(wishClaims)
    .where(and(eq(wishClaims.wishId, wishId), eq(wishClaims.status, "active")));
  return claim;
}

async function orgRef(tx: Tx, id: number): Promise<WishOrgRef> {
  const [org] = await tx.select().from(organizations).where(eq(organizations.id, id));
  if (!org) throw new NotFoundError("organization");
  return { id: org.id, kind: org.kind, confirmed: org.status === "confirmed" };
}

/** The community's own staff (worker, secretary) and whoever posted the wish: they hear of claims and fulfilments. */
async function staffOf(tx: Tx, wish: Wish): Promise<number[]> {
  const rows = await tx
    .select({ userId: positions.userId })
    .from(positions)
    .where(and(eq(positions.unitId, wish.unitId), inArray(positions.kind, ["community_worker", "community_secretary"]), isNull(positions.revokedAt)));
  return [wish.postedBy, ...rows.map((r) => r.userId)];
}

/** Open pages of the wish reload it after the commit (realtime/events.ts `wish:changed`; only the id travels). */
function announceWish(outbox: Outbox, wishId: number) {
  outbox.emit(`wish:${wishId}`, "wish:changed", { wishId });
}

/** Who hears what happened to a claim: the member who claimed it, or every admin of the organisation that did. */
async function claimersOf(tx: Tx, claim: Claim): Promise<number[]> {
  if (claim.organizationId === null) return [claim.userId];
  const rows = await tx.query.organizationMembers.findMany({
    where: (m, { and, eq }) => and(eq(m.organizationId, claim.organizationId!), eq(m.role, "admin")),
  });
  return [claim.userId, ...rows.map((r) => r.userId)];
}

async function tell(tx: Tx, outbox: Outbox, userIds: number[], actor: Actor, kind: string, wish: Wish) {
  // The one who acted knows already.
  const to = userIds.filter((id) => id !== actor.userId);
  if (to.length) await notifyMany(tx, outbox, to, { kind, params: { text: wish.text }, link: `/wishes/${wish.id}` });
}

/** Move the wish by a step, guarded by its current state. */
async function step(tx: Tx, wish: Wish, s: WishStep, set: Partial<typeof wishes.$inferInsert>) {
  const to = nextStatus(wish.status, s);
  if (!to) throw new CommandError(stepRefusal(wish.status, s));
  const [updated] = await tx
    .update(wishes)
    .set({ ...set, status: to })
    .where(and(eq(wishes.id, wish.id), eq(wishes.status, wish.status)))
    .returning();
  return updated!;
}

/**
 * Staff post a wish for a resident of their community, with the person's
 * consent (the box and who gave it). A retried post (the same form's key)
 * finds the wish it made.
 */
export async function postWish(actor: Actor, input: PostWishInput, now = serverNow()) {
  return runCommand(async (tx) => {
    const [unit] = await tx.select().from(units).where(eq(units.id, input.unitId));
    if (!unit || unit.kind !== "community") throw new CommandError("validation.choose", "unitId");
    authorize(actor, "wish:post", { unitPath: unit.path });
    if (!input.consent) throw new CommandError("wish.error.consent", "consent");
    await lockIdempotencyKey(tx, `wish:${actor.userId}:${input.clientKey}`);
    const [existing] = await tx
      .select()
      .from(wishes)
      .where(and(eq(wishes.postedBy, actor.userId!), eq(wishes.clientKey, input.clientKey)));
    if (existing) return existing;
    const surname = publicSurname(input.fullName, input.surname);
    if (!surname) throw new CommandError("wish.error.surname", "surname");
    const [wish] = await tx
      .insert(wishes)
      .values({
        unitId: unit.id,
        category: input.category,
        text: input.text,
        surname,
        honorific: input.honorific,
        postedBy: actor.userId!,
        clientKey: input.clientKey,
        createdAt: now,
      })
      .returning();
    await tx.insert(wishPeople).values({
      wishId: wish!.id,
      fullName: input.fullName,
      address: input.address,
      phone: input.phone ?? "",
      consentBy: input.consentBy,
      consentRecordedBy: actor.userId!,
      consentAt: now,
    });
    await audit(tx, { actorId: actor.userId, action: "wish.post", subjectType: "wish", subjectId: wish!.id, data: { unitId: unit.id, category: input.category } });
    return wish!;
  });
}

/**
 * A member claims a wish for themselves, or an organisation's admin for it.
 * The wish's row lock serialises racing claims: the first wins, the others
 * are told it is taken; the same claimer's second click finds their claim.
 */
export async function claimWish(actor: Actor, input: { wishId: number; as: string }, now = serverNow()) {
  return runCommand(async (tx, outbox) => {
    const { wish } = await lockWish(tx, input.wishId);
    const organization = input.as === "self" ? null : await orgRef(tx, Number(input.as));
    authorize(actor, "wish:claim", { organization });
    const current = await activeClaim(tx, wish.id);
    if (current && current.userId === actor.userId && current.organizationId === (organization?.id ?? null)) return current;
    if (!mayStep(wish.status, "claim")) throw new CommandError(stepRefusal(wish.status, "claim"));
    const [claim] = await tx
      .insert(wishClaims)
      .values({ wishId: wish.id, userId: actor.userId!, organizationId: organization?.id ?? null, createdAt: now })
      .returning();
    await step(tx, wish, "claim", { staffNote: null });
    await audit(tx, { actorId: actor.userId, action: "wish.claim", subjectType: "wish", subjectId: wish.id, data: { claimId: claim!.id, organizationId: organization?.id ?? null } });
    await tell(tx, outbox, await staffOf(tx, wish), actor, "notification.wishClaimed", wish);
    announceWish(outbox, wish.id);
    return claim!;
  });
}

/** The claimer's own claim, checked against the rule; a wish nobody has claimed has no claimer. */
async function ownClaim(tx: Tx, actor: Actor, wish: Wish): Promise<Claim> {
  const claim = await activeClaim(tx, wish.id);
  if (!claim) throw new CommandError(stepRefusal(wish.status, "release"));
  authorize(actor, "wish:claimer", { userId: claim.userId, organizationId: claim.organizationId });
  return claim;
}

/** The claimer gives a claim back before fulfilling it, with a reason; the wish is open again. */
export async function releaseClaim(actor: Actor, input: { wishId: number; reason: string }, now = serverNow()) {
  return runCommand(async (tx, outbox) => {
    const { wish } = await lockWish(tx, input.wishId);
    const claim = await ownClaim(tx, actor, wish);
    if (!mayStep(wish.status, "release")) throw new CommandError(stepRefusal(wish.status, "release"));
    await tx.update(wishClaims).set({ status: "released", releasedAt: now, releaseReason: input.reason }).where(eq(wishClaims.id, claim.id));
    await step(tx, wish, "release", {});
    await audit(tx, { actorId: actor.userId, action: "wish.release", subjectType: "wish", subjectId: wish.id, data: { claimId: claim.id, reason: input.reason } });
    await tell(tx, outbox, await staffOf(tx, wish), actor, "notification.wishReleased", wish);
    announceWish(outbox, wish.id);
  });
}

/** The claimer says it is done, and how; staff are asked to confirm. A second click changes nothing. */
export async function fulfilWish(actor: Actor, input: { wishId: number; note: string }, now = serverNow()) {
  return runCommand(async (tx, outbox) => {
    const { wish } = await lockWish(tx, input.wishId);
    await ownClaim(tx, actor, wish);
    if (wish.status === "fulfilled") return wish;
    const updated = await step(tx, wish, "fulfil", { fulfilmentNote: input.note, fulfilledAt: now, staffNote: null });
    await audit(tx, { actorId: actor.userId, action: "wish.fulfil", subjectType: "wish", subjectId: wish.id });
    await tell(tx, outbox, await staffOf(tx, wish), actor, "notification.wishFulfilled", wish);
    announceWish(outbox, wish.id);
    return updated;
  });
}

/** Staff confirm the fulfilment (they asked the person): the wish is done. A second click changes nothing. */
export async function confirmWish(actor: Actor, input: { wishId: number }, now = serverNow()) {
  return runCommand(async (tx, outbox) => {
    const { wish, unitPath } = await lockWish(tx, input.wishId);
    authorize(actor, "wish:manage", { unitPath });
    if (wish.status === "confirmed") return wish;
    const updated = await step(tx, wish, "confirm", { confirmedBy: actor.userId, confirmedAt: now, closedAt: now });
    await audit(tx, { actorId: actor.userId, action: "wish.confirm", subjectType: "wish", subjectId: wish.id });
    const claim = await activeClaim(tx, wish.id);
    if (claim) await tell(tx, outbox, await claimersOf(tx, claim), actor, "notification.wishConfirmed", wish);
    announceWish(outbox, wish.id);
    return updated;
  });
}

/** Staff send a fulfilment back (the person says it is not done yet), with a reason the claimer reads. */
export async function sendBackWish(actor: Actor, input: { wishId: number; reason: string }) {
  return runCommand(async (tx, outbox) => {
    const { wish, unitPath } = await lockWish(tx, input.wishId);
    authorize(actor, "wish:manage", { unitPath });
    const updated = await step(tx, wish, "sendBack", { staffNote: input.reason, fulfilledAt: null });
    await audit(tx, { actorId: actor.userId, action: "wish.sendBack", subjectType: "wish", subjectId: wish.id, data: { reason: input.reason } });
    const claim = await activeClaim(tx, wish.id);
    if (claim) await tell(tx, outbox, await claimersOf(tx, claim), actor, "notification.wishSentBack", wish);
    announceWish(outbox, wish.id);
    return updated;
  });
}

/**
 * Staff withdraw a wish that is not yet fulfilled (the person no longer needs
 * it, or takes back their consent), with a reason; an active claim is cancelled
 * and its claimer told. A second click changes nothing.
 */
export async function withdrawWish(actor: Actor, input: { wishId: number; reason: string }, now = serverNow()) {
  return runCommand(async (tx, outbox) => {
    const { wish, unitPath } = await lockWish(tx, input.wishId);
    authorize(actor, "wish:manage", { unitPath });
    if (wish.status === "withdrawn") return wish;
    const updated = await step(tx, wish, "withdraw", { staffNote: input.reason, closedAt: now });
    const claim = await activeClaim(tx, wish.id);
    if (claim) {
      await tx.update(wishClaims).set({ status: "cancelled", releasedAt: now }).where(eq(wishClaims.id, claim.id));
      await tell(tx, outbox, await claimersOf(tx, claim), actor, "notification.wishWithdrawn", wish);
    }
    await audit(tx, { actorId: actor.userId, action: "wish.withdraw", subjectType: "wish", subjectId: wish.id, data: { reason: input.reason } });
    announceWish(outbox, wish.id);
    return updated;
  });
}
