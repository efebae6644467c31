import { and, eq, inArray } from "drizzle-orm";
import type { Tx } from "#db/client.server";
import { households, partyReports, residencyClaims, units } from "#db/schema";
import { audit } from "~/lib/audit.server";
import { CommandError, NotFoundError, runCommand } from "~/lib/command.server";
import { notify } from "~/modules/notifications/commands.server";
import { enrolVerifiedClaim, unlinkOnWithdraw } from "~/modules/roll/commands.server";
import { normaliseAddress } from "~/modules/roll/rules";
import type { Actor } from "./actor";
import { authorizeStructure } from "./permissions";
import { serverNow } from "~/lib/clock.server";

async function community(tx: Tx, communityId: number) {
  const [unit] = await tx.select({ id: units.id, kind: units.kind, path: units.path, name: units.name }).from(units).where(eq(units.id, communityId));
  return unit?.kind === "community" ? unit : undefined;
}

/** Normalise an address so one household is found however it is typed (now with the roll's rules). */
export { normaliseAddress };

/**
 * A person claims to live at an address in a community. Naming a household
 * (joining one already known) must be a household of that community.
 */
export async function claimResidency(actor: Actor, input: { communityId: number; address: string; householdId?: number }) {
  authorizeStructure(actor, "residency:claim", {});
  const userId = actor.userId!;
  return runCommand(async (tx, outbox) => {
    const unit = await community(tx, input.communityId);
    if (!unit) throw new CommandError("residency.error.noSuchCommunity", "communityId");
    if (input.householdId !== undefined) {
      const [household] = await tx.select().from(households).where(eq(households.id, input.householdId));
      if (!household || household.communityId !== unit.id) throw new CommandError("residency.error.householdElsewhere", "householdId");
    }
    const [claim] = await tx
      .insert(residencyClaims)
      .values({ userId, communityId: unit.id, address: normaliseAddress(input.address), householdId: input.householdId ?? null })
      .onConflictDoNothing()
      .returning();
    if (!claim) throw new CommandError("residency.error.alreadyClaimed", "communityId");
    await audit(tx, { actorId: userId, action: "residency:claim", subjectType: "residency_claim", subjectId: claim.id, data: { communityId: unit.id } });
    outbox.emit(`unit:${unit.id}`, "desk:changed", { unitId: unit.id });
    return claim;
  });
}

/** A community worker (or subdistrict staff above) verifies or rejects a claim, with a reason for a rejection. */
/**
 * Verifying puts the account on the roll (居民名册, ADR 0020): linked to the roll
 * entry staff chose (`residentId`: someone already on the roll who has now
 * registered), or as a new entry in the household at the claimed address.
 */
export async function decideResidencyClaim(actor: Actor, input: { claimId: number; decision: "verify" | "reject"; reason?: string; residentId?: number }) {
  return runCommand(async (tx, outbox) => {
    const [claim] = await tx
      .select({ claim: residencyClaims, communityPath: units.path, communityName: units.name })
      .from(residencyClaims)
      .innerJoin(units, eq(units.id, residencyClaims.communityId))
      .where(eq(residencyClaims.id, input.claimId))
      .for("update", { of: residencyClaims });
    if (!claim) throw new NotFoundError("residency_claim");
    authorizeStructure(actor, "residency:decide", { communityPath: claim.communityPath, claimantId: claim.claim.userId });
    if (claim.claim.status !== "pending") throw new CommandError("residency.error.alreadyDecided");
    if (input.decision === "reject" && !input.reason?.trim()) throw new CommandError("validation.reasonRequired", "reason");

    let householdId = claim.claim.householdId;
    if (input.decision === "verify" && householdId === null && input.residentId === undefined) {
      // The household at this address, found or created: verified residents belong to one.
      await tx.insert(households).values({ communityId: claim.claim.communityId, address: claim.claim.address }).onConflictDoNothing();
      const [household] = await tx
        .select({ id: households.id, endedAt: households.endedAt })
        .from(households)
        .where(and(eq(households.communityId, claim.claim.communityId), eq(households.address, claim.claim.address)));
      if (household!.endedAt) throw new CommandError("roll.error.householdEnded");
      householdId = household!.id;
    }
    const now = serverNow();
    if (input.decision === "verify") householdId = await enrolVerifiedClaim(tx, actor, claim.claim, householdId, input.residentId, now);
    else if (input.residentId !== undefined) throw new CommandError("roll.error.noSuchEntry", "residentId");
    await tx
      .update(residencyClaims)
      .set({
        status: input.decision === "verify" ? "verified" : "rejected",
        householdId,
        reason: input.reason?.trim() || null,
        decidedBy: actor.userId,
        decidedAt: now,
      })
      .where(eq(residencyClaims.id, claim.claim.id));
    await audit(tx, {
      actorId: actor.userId,
      action: `residency:${input.decision}`,
      subjectType: "residency_claim",
      subjectId: claim.claim.id,
      data: { reason: input.reason ?? null, residentId: input.residentId ?? null },
    });
    await notify(tx, outbox, {
      userId: claim.claim.userId,
      kind: input.decision === "verify" ? "notification.residencyVerified" : "notification.residencyRejected",
      params: { community: claim.communityName, reason: input.reason?.trim() ?? "" },
      link: "/me",
    });
    outbox.emit(`unit:${claim.claim.communityId}`, "desk:changed", { unitId: claim.claim.communityId });
  });
}

export async function withdrawResidencyClaim(actor: Actor, claimId: number) {
  return runCommand(async (tx) => {
    const [claim] = await tx.select().from(residencyClaims).where(eq(residencyClaims.id, claimId));
    if (!claim || claim.userId !== actor.userId) throw new NotFoundError("residency_claim");
    if (!["pending", "verified"].includes(claim.status)) throw new CommandError("residency.error.alreadyDecided");
    await tx.update(residencyClaims).set({ status: "withdrawn" }).where(eq(residencyClaims.id, claimId));
    if (claim.status === "verified") await unlinkOnWithdraw(tx, claim.userId);
    await audit(tx, { actorId: actor.userId, action: "residency:withdraw", subjectType: "residency_claim", subjectId: claimId });
  });
}

/** An in-service Party member reports (双报到) to the community where they live. */
export async function submitPartyReport(actor: Actor, input: { communityId: number; workUnit: string; partyOrgName: string; showBadge: boolean }) {
  authorizeStructure(actor, "partyReport:submit", {});
  return runCommand(async (tx, outbox) => {
    const unit = await community(tx, input.communityId);
    if (!unit) throw new CommandError("residency.error.noSuchCommunity", "communityId");
    const [report] = await tx
      .insert(partyReports)
      .values({ userId: actor.userId!, communityId: unit.id, workUnit: input.workUnit, partyOrgName: input.partyOrgName, showBadge: input.showBadge })
      .onConflictDoNothing()
      .returning();
    if (!report) throw new CommandError("party.error.alreadyReported", "communityId");
    await audit(tx, { actorId: actor.userId, action: "party:report", subjectType: "party_report", subjectId: report.id });
    outbox.emit(`unit:${unit.id}`, "desk:changed", { unitId: unit.id });
    return report;
  });
}

export async function decidePartyReport(actor: Actor, input: { reportId: number; decision: "confirm" | "reject"; reason?: string }) {
  return runCommand(async (tx, outbox) => {
    const [row] = await tx
      .select({ report: partyReports, communityPath: units.path, communityName: units.name })
      .from(partyReports)
      .innerJoin(units, eq(units.id, partyReports.communityId))
      .where(eq(partyReports.id, input.reportId))
      .for("update", { of: partyReports });
    if (!row) throw new NotFoundError("party_report");
    authorizeStructure(actor, "partyReport:decide", { communityPath: row.communityPath, memberId: row.report.userId });
    if (row.report.status !== "pending") throw new CommandError("residency.error.alreadyDecided");
    if (input.decision === "reject" && !input.reason?.trim()) throw new CommandError("validation.reasonRequired", "reason");
    await tx
      .update(partyReports)
      .set({ status: input.decision === "confirm" ? "confirmed" : "rejected", reason: input.reason?.trim() || null, decidedBy: actor.userId, decidedAt: serverNow() })
      .where(eq(partyReports.id, row.report.id));
    await audit(tx, { actorId: actor.userId, action: `party:${input.decision}`, subjectType: "party_report", subjectId: row.report.id });
    await notify(tx, outbox, {
      userId: row.report.userId,
      kind: input.decision === "confirm" ? "notification.partyConfirmed" : "notification.partyRejected",
      params: { community: row.communityName, reason: input.reason?.trim() ?? "" },
      link: "/me",
    });
    outbox.emit(`unit:${row.report.communityId}`, "desk:changed", { unitId: row.report.communityId });
  });
}

/** 亮身份: the member alone decides whether the Party badge shows. */
export async function setPartyBadge(actor: Actor, showBadge: boolean) {
  if (actor.userId === null) throw new NotFoundError("party_report");
  await runCommand(async (tx) => {
    await tx
      .update(partyReports)
      .set({ showBadge })
      .where(and(eq(partyReports.userId, actor.userId!), inArray(partyReports.status, ["pending", "confirmed"])));
  });
}
