import { and, eq, isNull, ne } from "drizzle-orm";
import type { Tx } from "#db/client.server";
import { households, residencyClaims, rollResidents, units, users } from "#db/schema";
import { audit } from "~/lib/audit.server";
import { CommandError, NotFoundError, runCommand, type Outbox } from "~/lib/command.server";
import type { Actor } from "~/modules/identity/actor";
import { authorize } from "~/modules/access";
import { notify } from "~/modules/notifications/commands.server";
import { moveOutAt, normaliseAddress, rollChanges, type ResidentFields } from "./rules";
import { serverNow, timeZone } from "~/lib/clock.server";

/**
 * The roll of residents (居民名册): households and the people in them, with or
 * without accounts, kept by the community's staff (ADR 0020). Nothing is ever
 * deleted: people move out and households end, on a date. Every change is an
 * audit event naming who changed which fields from what to what.
 */

async function communityOf(tx: Tx, communityId: number) {
  const [unit] = await tx.select({ id: units.id, kind: units.kind, path: units.path, name: units.name }).from(units).where(eq(units.id, communityId));
  return unit?.kind === "community" ? unit : undefined;
}

/** A household and its community's path, locked for the change. */
async function householdForUpdate(tx: Tx, householdId: number) {
  const [row] = await tx
    .select({ household: households, communityPath: units.path })
    .from(households)
    .innerJoin(units, eq(units.id, households.communityId))
    .where(eq(households.id, householdId))
    .for("update", { of: households });
  if (!row) throw new NotFoundError("household");
  return row;
}

async function residentForUpdate(tx: Tx, residentId: number) {
  const [row] = await tx
    .select({ resident: rollResidents, communityPath: units.path })
    .from(rollResidents)
    .innerJoin(units, eq(units.id, rollResidents.communityId))
    .where(eq(rollResidents.id, residentId))
    .for("update", { of: rollResidents });
  if (!row) throw new NotFoundError("roll_resident");
  return row;
}

function emitChanged(outbox: Outbox, communityId: number) {
  outbox.emit(`unit:${communityId}`, "desk:changed", { unitId: communityId });
}

/** One household head (户主): naming a new one clears the others. */
async function onlyHead(tx: Tx, householdId: number, residentId: number) {
  await tx
    .update(rollResidents)
    .set({ isHead: false })
    .where(and(eq(rollResidents.householdId, householdId), ne(rollResidents.id, residentId), eq(rollResidents.isHead, true)));
}

export async function addHousehold(actor: Actor, input: { communityId: number; address: string; note?: string }, now = serverNow()) {
  return runCommand(async (tx, outbox) => {
    const community = await communityOf(tx, input.communityId);
    if (!community) throw new CommandError("residency.error.noSuchCommunity", "communityId");
    authorize(actor, "roll:edit", { communityPath: community.path });
    const address = normaliseAddress(input.address);
    const [household] = await tx
      .insert(households)
      .values({ communityId: community.id, address, note: input.note?.trim() || null, createdAt: now })
      .onConflictDoNothing()
      .returning();
    if (!household) throw new CommandError("roll.error.addressTaken", "address");
    await audit(tx, { actorId: actor.userId, action: "roll:addHousehold", subjectType: "household", subjectId: household.id, data: { address, note: household.note } });
    emitChanged(outbox, community.id);
    return household;
  });
}

export async function editHousehold(actor: Actor, input: { householdId: number; address: string; note?: string }) {
  return runCommand(async (tx, outbox) => {
    const { household, communityPath } = await householdForUpdate(tx, input.householdId);
    authorize(actor, "roll:edit", { communityPath });
    if (household.endedAt) throw new CommandError("roll.error.householdEnded");
    const next = { address: normaliseAddress(input.address), note: input.note?.trim() || null };
    const changes = rollChanges(household, next);
    if (Object.keys(changes).length === 0) return household;
    if (changes.address) {
      const [taken] = await tx
        .select({ id: households.id })
        .from(households)
        .where(and(eq(households.communityId, household.communityId), eq(households.address, next.address), ne(households.id, household.id)));
      if (taken) throw new CommandError("roll.error.addressTaken", "address");
    }
    const [updated] = await tx.update(households).set(next).where(eq(households.id, household.id)).returning();
    await audit(tx, { actorId: actor.userId, action: "roll:editHousehold", subjectType: "household", subjectId: household.id, data: { changes } });
    emitChanged(outbox, household.communityId);
    return updated!;
  });
}

/** A household leaves: it ends on the date, and everyone still in it moves out with it. */
export async function endHousehold(actor: Actor, input: { householdId: number; date: string; reason: string }, now = serverNow()) {
  return runCommand(async (tx, outbox) => {
    const { household, communityPath } = await householdForUpdate(tx, input.householdId);
    authorize(actor, "roll:edit", { communityPath });
    if (household.endedAt) throw new CommandError("roll.error.householdEnded");
    const at = moveOutAt(input.date, now, timeZone());
    if (!at) throw new CommandError("roll.error.futureDate", "date");
    const reason = input.reason.trim();
    if (!reason) throw new CommandError("validation.reasonRequired", "reason");
    await tx.update(households).set({ endedAt: at }).where(eq(households.id, household.id));
    const people = await tx
      .select()
      .from(rollResidents)
      .where(and(eq(rollResidents.householdId, household.id), isNull(rollResidents.movedOutAt)))
      .for("update");
    for (const person of people) await moveOut(tx, outbox, actor, person, at, reason);
    await audit(tx, { actorId: actor.userId, action: "roll:endHousehold", subjectType: "household", subjectId: household.id, data: { endedAt: at.toISOString(), reason } });
    emitChanged(outbox, household.communityId);
  });
}

export async function addResident(actor: Actor, input: { householdId: number } & ResidentFields, now = serverNow()) {
  return runCommand(async (tx, outbox) => {
    const { household, communityPath } = await householdForUpdate(tx, input.householdId);
    authorize(actor, "roll:edit", { communityPath });
    if (household.endedAt) throw new CommandError("roll.error.householdEnded", "householdId");
    const fields = cleanFields(input);
    const [resident] = await tx
      .insert(rollResidents)
      .values({ ...fields, communityId: household.communityId, householdId: household.id, createdBy: actor.userId, createdAt: now })
      .returning();
    if (fields.isHead) await onlyHead(tx, household.id, resident!.id);
    await audit(tx, { actorId: actor.userId, action: "roll:addResident", subjectType: "roll_resident", subjectId: resident!.id, data: { householdId: household.id, ...fields } });
    emitChanged(outbox, household.communityId);
    return resident!;
  });
}

/** Edit a person's entry; naming another household of the same community moves them there. */
export async function editResident(actor: Actor, input: { residentId: number; householdId: number } & ResidentFields) {
  return runCommand(async (tx, outbox) => {
    const { resident, communityPath } = await residentForUpdate(tx, input.residentId);
    authorize(actor, "roll:edit", { communityPath });
    if (resident.movedOutAt) throw new CommandError("roll.error.movedOut");
    if (input.householdId !== resident.householdId) {
      const [target] = await tx.select().from(households).where(eq(households.id, input.householdId));
      if (!target || target.communityId !== resident.communityId) throw new CommandError("roll.error.householdElsewhere", "householdId");
      if (target.endedAt) throw new CommandError("roll.error.householdEnded", "householdId");
    }
    const next = { ...cleanFields(input), householdId: input.householdId };
    const changes = rollChanges(resident, next);
    if (Object.keys(changes).length === 0) return resident;
    const [updated] = await tx.update(rollResidents).set(next).where(eq(rollResidents.id, resident.id)).returning();
    if (next.isHead) await onlyHead(tx, next.householdId, resident.id);
    // The linked account's residency follows the roll (its claim names the household it votes for).
    if (changes.householdId && resident.userId !== null) {
      await tx
        .update(residencyClaims)
        .set({ householdId: next.householdId })
        .where(and(eq(residencyClaims.userId, resident.userId), eq(residencyClaims.status, "verified")));
    }
    await audit(tx, { actorId: actor.userId, action: "roll:editResident", subjectType: "roll_resident", subjectId: resident.id, data: { changes } });
    emitChanged(outbox, resident.communityId);
    return updated!;
  });
}

export async function moveOutResident(actor: Actor, input: { residentId: number; date: string; reason: string }, now = serverNow()) {
  return runCommand(async (tx, outbox) => {
    const { resident, communityPath } = await residentForUpdate(tx, input.residentId);
    authorize(actor, "roll:edit", { communityPath });
    if (resident.movedOutAt) throw new CommandError("roll.error.movedOut");
    const at = moveOutAt(input.date, now, timeZone());
    if (!at) throw new CommandError("roll.error.futureDate", "date");
    const reason = input.reason.trim();
    if (!reason) throw new CommandError("validation.reasonRequired", "reason");
    await moveOut(tx, outbox, actor, resident, at, reason);
    emitChanged(outbox, resident.communityId);
  });
}

/**
 * Someone moves out on a date. Their account (if linked) stops being a
 * verified resident here: the roll is the truth about who lives where.
 */
async function moveOut(tx: Tx, outbox: Outbox, actor: Actor, resident: typeof rollResidents.$inferSelect, at: Date, reason: string) {
  await tx.update(rollResidents).set({ movedOutAt: at, isHead: false }).where(eq(rollResidents.id, resident.id));
  await audit(tx, { actorId: actor.userId, action: "roll:moveOut", subjectType: "roll_resident", subjectId: resident.id, data: { movedOutAt: at.toISOString(), reason } });
  if (resident.userId === null) return;
  const ended = await tx
    .update(residencyClaims)
    .set({ status: "withdrawn", reason, decidedBy: actor.userId, decidedAt: at })
    .where(and(eq(residencyClaims.userId, resident.userId), eq(residencyClaims.communityId, resident.communityId), eq(residencyClaims.status, "verified")))
    .returning({ id: residencyClaims.id });
  for (const claim of ended) {
    await audit(tx, { actorId: actor.userId, action: "residency:endByMoveOut", subjectType: "residency_claim", subjectId: claim.id, data: { residentId: resident.id } });
  }
  if (ended.length > 0) {
    await notify(tx, outbox, { userId: resident.userId, kind: "notification.rollMovedOut", params: { reason }, link: "/me" });
  }
}

/**
 * Link a roll entry to the account of the person it names, through their
 * residency claim in the same community: a pending claim is verified by the
 * link (into the entry's household); a verified one moves to that household.
 */
export async function linkAccount(actor: Actor, input: { residentId: number; claimId: number }, now = serverNow()) {
  return runCommand(async (tx, outbox) => {
    const { resident, communityPath } = await residentForUpdate(tx, input.residentId);
    const [claim] = await tx.select().from(residencyClaims).where(eq(residencyClaims.id, input.claimId)).for("update");
    if (!claim || claim.communityId !== resident.communityId || !["pending", "verified"].includes(claim.status)) {
      throw new CommandError("roll.error.noSuchClaim", "claimId");
    }
    authorize(actor, "roll:link", { communityPath, accountId: claim.userId });
    if (resident.movedOutAt) throw new CommandError("roll.error.movedOut");
    await linkClaim(tx, outbox, actor, resident, claim, now);
    emitChanged(outbox, resident.communityId);
  });
}

/** Shared by linking from the roll and by verifying a claim at the desk. */
async function linkClaim(
  tx: Tx,
  outbox: Outbox,
  actor: Actor,
  resident: typeof rollResidents.$inferSelect,
  claim: typeof residencyClaims.$inferSelect,
  now: Date,
) {
  if (resident.userId !== null && resident.userId !== claim.userId) throw new CommandError("roll.error.alreadyLinked", "residentId");
  const [elsewhere] = await tx
    .select({ id: rollResidents.id })
    .from(rollResidents)
    .where(and(eq(rollResidents.userId, claim.userId), isNull(rollResidents.movedOutAt), ne(rollResidents.id, resident.id)));
  if (elsewhere) throw new CommandError("roll.error.accountLinked", "claimId");
  await tx.update(rollResidents).set({ userId: claim.userId }).where(eq(rollResidents.id, resident.id));
  const verifying = claim.status === "pending";
  await tx
    .update(residencyClaims)
    .set(
      verifying
        ? { status: "verified", householdId: resident.householdId, decidedBy: actor.userId, decidedAt: now, reason: null }
        : { householdId: resident.householdId },
    )
    .where(eq(residencyClaims.id, claim.id));
  await audit(tx, { actorId: actor.userId, action: "roll:link", subjectType: "roll_resident", subjectId: resident.id, data: { claimId: claim.id, userId: claim.userId } });
  if (verifying) {
    await audit(tx, { actorId: actor.userId, action: "residency:verify", subjectType: "residency_claim", subjectId: claim.id, data: { residentId: resident.id } });
    const [community] = await tx.select({ name: units.name }).from(units).where(eq(units.id, claim.communityId));
    await notify(tx, outbox, {
      userId: claim.userId,
      kind: "notification.residencyVerified",
      params: { community: community?.name ?? "", reason: "" },
      link: "/me",
    });
  }
}

/**
 * Verifying a claim at the desk puts the account on the roll: linked to the
 * entry staff chose (someone already on the roll who has now registered), or
 * as a new entry in the household at the claimed address. Called inside
 * `decideResidencyClaim`'s transaction, after the claim is verified.
 */
export async function enrolVerifiedClaim(
  tx: Tx,
  actor: Actor,
  claim: typeof residencyClaims.$inferSelect,
  householdId: number | null,
  residentId: number | undefined,
  now: Date,
): Promise<number> {
  if (residentId !== undefined) {
    const [resident] = await tx.select().from(rollResidents).where(eq(rollResidents.id, residentId)).for("update");
    if (!resident || resident.communityId !== claim.communityId || resident.movedOutAt) throw new CommandError("roll.error.noSuchEntry", "residentId");
    if (resident.userId !== null && resident.userId !== claim.userId) throw new CommandError("roll.error.alreadyLinked", "residentId");
    const [elsewhere] = await tx
      .select({ id: rollResidents.id })
      .from(rollResidents)
      .where(and(eq(rollResidents.userId, claim.userId), isNull(rollResidents.movedOutAt), ne(rollResidents.id, resident.id)));
    if (elsewhere) throw new CommandError("roll.error.accountLinked", "residentId");
    await tx.update(rollResidents).set({ userId: claim.userId }).where(eq(rollResidents.id, resident.id));
    await audit(tx, { actorId: actor.userId, action: "roll:link", subjectType: "roll_resident", subjectId: resident.id, data: { claimId: claim.id, userId: claim.userId } });
    return resident.householdId;
  }
  if (householdId === null) throw new CommandError("roll.error.noSuchEntry", "residentId");
  const [existing] = await tx
    .select({ id: rollResidents.id, householdId: rollResidents.householdId, communityId: rollResidents.communityId })
    .from(rollResidents)
    .where(and(eq(rollResidents.userId, claim.userId), isNull(rollResidents.movedOutAt)));
  if (existing?.communityId === claim.communityId) return existing.householdId;
  if (existing) throw new CommandError("roll.error.accountLinked");
  const [person] = await tx.select({ name: users.displayName }).from(users).where(eq(users.id, claim.userId));
  const [resident] = await tx
    .insert(rollResidents)
    .values({ communityId: claim.communityId, householdId, name: person!.name, userId: claim.userId, createdBy: actor.userId, createdAt: now })
    .returning();
  await audit(tx, { actorId: actor.userId, action: "roll:addResident", subjectType: "roll_resident", subjectId: resident!.id, data: { householdId, name: person!.name, claimId: claim.id } });
  return householdId;
}

/** A resident withdraws their verified claim: their roll entry stays (staff decide whether they moved out), unlinked. */
export async function unlinkOnWithdraw(tx: Tx, userId: number) {
  const unlinked = await tx
    .update(rollResidents)
    .set({ userId: null })
    .where(and(eq(rollResidents.userId, userId), isNull(rollResidents.movedOutAt)))
    .returning({ id: rollResidents.id });
  for (const r of unlinked) await audit(tx, { actorId: userId, action: "roll:unlink", subjectType: "roll_resident", subjectId: r.id, data: { userId } });
}

function cleanFields(input: ResidentFields) {
  return {
    name: input.name.trim(),
    birthYear: input.birthYear ?? null,
    phone: input.phone?.trim() || null,
    isHead: input.isHead ?? false,
    note: input.note?.trim() || null,
  };
}
