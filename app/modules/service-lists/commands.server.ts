import { and, eq, sql } from "drizzle-orm";
import type { Tx } from "#db/client.server";
import { halls, needClaims, needs, organizations, partyReports, proposals, resources, units } from "#db/schema";
import { audit } from "~/lib/audit.server";
import { serverNow } from "~/lib/clock.server";
import { CommandError, ForbiddenError, NotFoundError, runCommand, type Outbox } from "~/lib/command.server";
import { authorize } from "~/modules/access";
import type { Actor } from "~/modules/identity/actor";
import { notify } from "~/modules/notifications/commands.server";
import type { OrgRef } from "./permissions";
import { claimError, claimStepError, closable, mayRaiseFrom, needStatusOf } from "./rules";
import type { NeedInput, ResourceInput } from "./schemas";

/**
 * Every write of the three lists (三张清单): authorised with `can`, one
 * transaction each, an audit row, notifications to whom it concerns. A
 * need's `claimed` only changes with the need's row locked, so claims that
 * arrive together can never take more people or hours than it asks for.
 */

async function orgRef(tx: Tx, id: number): Promise<OrgRef & { unitId: number; path: string }> {
  const [row] = await tx
    .select({ org: organizations, path: units.path })
    .from(organizations)
    .innerJoin(units, eq(units.id, organizations.unitId))
    .where(eq(organizations.id, id));
  if (!row) throw new NotFoundError("organization");
  return { id: row.org.id, kind: row.org.kind, confirmed: row.org.status === "confirmed", unitId: row.org.unitId, path: row.path };
}

async function community(tx: Tx, unitId: number) {
  const [unit] = await tx.select().from(units).where(eq(units.id, unitId));
  if (!unit || unit.kind !== "community") throw new CommandError("validation.choose", "unitId");
  return unit;
}

/** The need, locked: every change to its claims goes one at a time. */
async function lockNeed(tx: Tx, needId: number) {
  const [row] = await tx
    .select({ need: needs, unitPath: units.path })
    .from(needs)
    .innerJoin(units, eq(units.id, needs.unitId))
    .where(eq(needs.id, needId))
    .for("update", { of: needs });
  if (!row) throw new NotFoundError("need");
  return row;
}

/** A claim and its need (locked). */
async function claimWithNeed(tx: Tx, claimId: number) {
  const [claim] = await tx.select({ needId: needClaims.needId }).from(needClaims).where(eq(needClaims.id, claimId));
  if (!claim) throw new NotFoundError("claim");
  const { need, unitPath } = await lockNeed(tx, claim.needId);
  const [locked] = await tx.select().from(needClaims).where(eq(needClaims.id, claimId)).for("update");
  return { claim: locked!, need, unitPath };
}

/** Recount a need from its claims and move it to the state they make (open, claimed or done). */
async function settleNeed(tx: Tx, need: typeof needs.$inferSelect, now: Date) {
  const [sums] = await tx
    .select({
      held: sql<number>`coalesce(sum(${needClaims.amount}) filter (where ${needClaims.status} <> 'released'), 0)`.mapWith(Number),
      done: sql<number>`coalesce(sum(${needClaims.amount}) filter (where ${needClaims.status} = 'done'), 0)`.mapWith(Number),
    })
    .from(needClaims)
    .where(eq(needClaims.needId, need.id));
  const status = needStatusOf(need, sums!.held, sums!.done);
  await tx
    .update(needs)
    .set({ claimed: Math.min(need.amount, sums!.held), status, closedAt: status === "done" && need.status !== "done" ? now : need.closedAt })
    .where(eq(needs.id, need.id));
  return status;
}

const needLink = (id: number) => `/needs/${id}`;


/** Open pages of the need reload it after the commit (realtime/events.ts `need:changed`). */
function announceNeed(outbox: Outbox, needId: number) {
  outbox.emit(`need:${needId}`, "need:changed", { needId });
}
// ——— Needs ———

/** Community staff post a need, or raise one from a passed proposal (转为需求). */
export async function postNeed(actor: Actor, input: NeedInput, now = serverNow()) {
  return runCommand(async (tx) => {
    const unit = await community(tx, input.unitId);
    authorize(actor, "need:post", { unitPath: unit.path });
    if (input.proposalId) {
      const [found] = await tx
        .select({ state: proposals.state, hallPath: units.path })
        .from(proposals)
        .innerJoin(halls, eq(halls.id, proposals.hallId))
        .innerJoin(units, eq(units.id, halls.unitId))
        .where(eq(proposals.id, input.proposalId));
      if (!found) throw new CommandError("need.error.noProposal", "proposalId");
      if (!mayRaiseFrom(found.state)) throw new CommandError("need.error.proposalNotPassed", "proposalId");
      // The proposal's hall is this community's, or the subdistrict's above it.
      if (!unit.path.startsWith(found.hallPath)) throw new CommandError("need.error.proposalElsewhere", "unitId");
    }
    const [need] = await tx
      .insert(needs)
      .values({
        unitId: unit.id,
        category: input.category,
        title: input.title,
        description: input.description,
        whenText: input.whenText,
        unit: input.unit,
        amount: input.amount,
        proposalId: input.proposalId ?? null,
        createdBy: actor.userId!,
        createdAt: now,
      })
      .returning();
    await audit(tx, { actorId: actor.userId, action: "need.post", subjectType: "need", subjectId: need!.id, data: { proposalId: input.proposalId ?? null } });
    return need!;
  });
}

/** Staff close a need that will not be done (with a public reason); its live claims are released with it. */
export async function closeNeed(actor: Actor, input: { needId: number; reason: string }, now = serverNow()) {
  return runCommand(async (tx, outbox) => {
    const { need, unitPath } = await lockNeed(tx, input.needId);
    authorize(actor, "need:manage", { unitPath });
    if (!closable(need.status)) throw new CommandError("need.error.notOpen", "reason");
    const live = await tx
      .update(needClaims)
      .set({ status: "released", releaseReason: input.reason, closedAt: now })
      .where(and(eq(needClaims.needId, need.id), eq(needClaims.status, "claimed")))
      .returning();
    await tx.update(needs).set({ status: "closed", closeReason: input.reason, closedAt: now }).where(eq(needs.id, need.id));
    await audit(tx, { actorId: actor.userId, action: "need.close", subjectType: "need", subjectId: need.id, data: { reason: input.reason, released: live.length } });
    for (const c of live) await notify(tx, outbox, { userId: c.createdBy, kind: "notification.needClosed", params: { title: need.title }, link: needLink(need.id) });
    announceNeed(outbox, need.id);
  });
}

// ——— Claims ———

/**
 * A member (or a unit organisation's admin, for it) claims so many people or
 * hours of a need. The need is locked, so concurrent claims never take more
 * than it asks for; a second claim by the same claimer finds the first.
 */
export async function claimNeed(actor: Actor, input: { needId: number; as: string; amount: number }, now = serverNow()) {
  return runCommand(async (tx, outbox) => {
    const { need } = await lockNeed(tx, input.needId);
    const organization = input.as === "self" ? null : await orgRef(tx, Number(input.as));
    authorize(actor, "need:claim", { organization });
    const claimer = organization ? eq(needClaims.organizationId, organization.id) : eq(needClaims.userId, actor.userId!);
    const [existing] = await tx.select().from(needClaims).where(and(eq(needClaims.needId, need.id), claimer, eq(needClaims.status, "claimed")));
    if (existing) return existing;
    const error = claimError(need, input.amount);
    if (error) throw new CommandError(error, "amount");
    const [claim] = await tx
      .insert(needClaims)
      .values({
        needId: need.id,
        userId: organization ? null : actor.userId,
        organizationId: organization?.id ?? null,
        amount: input.amount,
        createdBy: actor.userId!,
        createdAt: now,
      })
      .returning();
    await settleNeed(tx, need, now);
    await audit(tx, { actorId: actor.userId, action: "need.claim", subjectType: "need", subjectId: need.id, data: { claimId: claim!.id, amount: input.amount, organizationId: organization?.id ?? null } });
    await notify(tx, outbox, { userId: need.createdBy, kind: "notification.needClaimed", params: { title: need.title, amount: input.amount }, link: needLink(need.id) });
    announceNeed(outbox, need.id);
    return claim!;
  });
}

/** The claimer says the work is done; the community's staff then confirm it. */
export async function reportClaimDone(actor: Actor, input: { claimId: number }, now = serverNow()) {
  return runCommand(async (tx, outbox) => {
    const { claim, need } = await claimWithNeed(tx, input.claimId);
    authorize(actor, "claim:own", { userId: claim.userId, organizationId: claim.organizationId });
    const error = claimStepError(claim, "reportDone");
    if (error) throw new CommandError(error);
    await tx.update(needClaims).set({ reportedDoneAt: now }).where(eq(needClaims.id, claim.id));
    await audit(tx, { actorId: actor.userId, action: "claim.reportDone", subjectType: "claim", subjectId: claim.id });
    await notify(tx, outbox, { userId: need.createdBy, kind: "notification.claimReported", params: { title: need.title }, link: needLink(need.id) });
    announceNeed(outbox, need.id);
  });
}

/** Staff confirm a claim reported done; once the whole need is held and done, the need is done. */
export async function confirmClaim(actor: Actor, input: { claimId: number }, now = serverNow()) {
  return runCommand(async (tx, outbox) => {
    const { claim, need, unitPath } = await claimWithNeed(tx, input.claimId);
    authorize(actor, "need:manage", { unitPath });
    const error = claimStepError(claim, "confirm");
    if (error) throw new CommandError(error);
    await tx.update(needClaims).set({ status: "done", confirmedBy: actor.userId, closedAt: now }).where(eq(needClaims.id, claim.id));
    const status = await settleNeed(tx, need, now);
    await audit(tx, { actorId: actor.userId, action: "claim.confirm", subjectType: "claim", subjectId: claim.id, data: { needStatus: status } });
    await notify(tx, outbox, { userId: claim.createdBy, kind: "notification.claimConfirmed", params: { title: need.title }, link: needLink(need.id) });
    announceNeed(outbox, need.id);
    return { needStatus: status };
  });
}

/** A claim is given up (by its claimer, or by staff), with a reason; what it held is free again. */
export async function releaseClaim(actor: Actor, input: { claimId: number; reason: string }, now = serverNow()) {
  return runCommand(async (tx, outbox) => {
    const { claim, need, unitPath } = await claimWithNeed(tx, input.claimId);
    authorize(actor, "claim:release", { userId: claim.userId, organizationId: claim.organizationId, unitPath });
    const error = claimStepError(claim, "release");
    if (error) throw new CommandError(error, "reason");
    await tx.update(needClaims).set({ status: "released", releaseReason: input.reason, closedAt: now }).where(eq(needClaims.id, claim.id));
    const status = await settleNeed(tx, need, now);
    await audit(tx, { actorId: actor.userId, action: "claim.release", subjectType: "claim", subjectId: claim.id, data: { reason: input.reason } });
    // Whoever did not release it hears of it: the claimer when staff did, else the need's poster.
    const byClaimer = actor.userId === claim.userId || (claim.organizationId !== null && actor.organizations[claim.organizationId] === "admin");
    await notify(tx, outbox, {
      userId: byClaimer ? need.createdBy : claim.createdBy,
      kind: "notification.claimReleased",
      params: { title: need.title, reason: input.reason },
      link: needLink(need.id),
    });
    announceNeed(outbox, need.id);
    return { needStatus: status };
  });
}

// ——— Resources ———

/**
 * A confirmed member offers a resource to the community they reported to; a
 * unit Party organisation's admin offers one to a community at or under the
 * organisation's own unit.
 */
export async function offerResource(actor: Actor, input: ResourceInput, now = serverNow()) {
  return runCommand(async (tx) => {
    const organization = input.as === "self" ? null : await orgRef(tx, Number(input.as));
    authorize(actor, "resource:offer", { organization });
    const unit = await community(tx, input.unitId);
    if (organization) {
      if (!unit.path.startsWith(organization.path)) throw new CommandError("resource.error.unitOutside", "unitId");
    } else {
      const [report] = await tx
        .select({ communityId: partyReports.communityId })
        .from(partyReports)
        .where(and(eq(partyReports.userId, actor.userId!), eq(partyReports.status, "confirmed")));
      if (!report) throw new ForbiddenError("resource:offer");
      if (report.communityId !== unit.id) throw new CommandError("resource.error.ownCommunity", "unitId");
    }
    const [resource] = await tx
      .insert(resources)
      .values({
        unitId: unit.id,
        userId: organization ? null : actor.userId,
        organizationId: organization?.id ?? null,
        kind: input.kind,
        category: input.category,
        description: input.description,
        availability: input.availability,
        createdBy: actor.userId!,
        createdAt: now,
      })
      .returning();
    await audit(tx, { actorId: actor.userId, action: "resource.offer", subjectType: "resource", subjectId: resource!.id });
    return resource!;
  });
}

/** Take a resource off the list (its offerer, or the community's staff). Taking it off twice changes nothing. */
export async function withdrawResource(actor: Actor, input: { resourceId: number }, now = serverNow()) {
  return runCommand(async (tx) => {
    const [row] = await tx
      .select({ resource: resources, unitPath: units.path })
      .from(resources)
      .innerJoin(units, eq(units.id, resources.unitId))
      .where(eq(resources.id, input.resourceId))
      .for("update", { of: resources });
    if (!row) throw new NotFoundError("resource");
    authorize(actor, "resource:withdraw", { userId: row.resource.userId, organizationId: row.resource.organizationId, unitPath: row.unitPath });
    if (row.resource.withdrawnAt) return;
    await tx.update(resources).set({ withdrawnAt: now }).where(eq(resources.id, row.resource.id));
    await audit(tx, { actorId: actor.userId, action: "resource.withdraw", subjectType: "resource", subjectId: row.resource.id });
  });
}

