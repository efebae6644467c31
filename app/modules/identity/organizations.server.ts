import { and, count, eq } from "drizzle-orm";
import type { Tx } from "#db/client.server";
import { organizationInvitations, organizationMembers, organizations, units, type OrganizationKind } from "#db/schema";
import { audit } from "~/lib/audit.server";
import { CommandError, NotFoundError, runCommand } from "~/lib/command.server";
import { notify } from "~/modules/notifications/commands.server";
import type { Actor } from "./actor";
import { authorizeStructure } from "./permissions";
import { findAccount } from "./positions.server";
import { serverNow } from "~/lib/clock.server";

export interface CreateOrganizationInput {
  kind: OrganizationKind;
  name: string;
  description?: string;
  unitId: number;
  registrationNumber?: string;
  serviceScope?: string;
}

/** Unit Party organisations report to a community or subdistrict; others register in either too. */
export async function createOrganization(actor: Actor, input: CreateOrganizationInput) {
  authorizeStructure(actor, "organization:create", {});
  return runCommand(async (tx, outbox) => {
    const [unit] = await tx.select().from(units).where(eq(units.id, input.unitId));
    if (!unit || !["community", "subdistrict"].includes(unit.kind)) throw new CommandError("organization.error.unit", "unitId");
    if (input.kind === "social_org" && !input.registrationNumber?.trim()) throw new CommandError("organization.error.registrationRequired", "registrationNumber");
    const [org] = await tx
      .insert(organizations)
      .values({
        kind: input.kind,
        name: input.name,
        description: input.description || null,
        unitId: unit.id,
        registrationNumber: input.registrationNumber?.trim() || null,
        serviceScope: input.serviceScope?.trim() || null,
        createdBy: actor.userId!,
      })
      .returning();
    // The founder is its first administrator.
    await tx.insert(organizationMembers).values({ organizationId: org!.id, userId: actor.userId!, role: "admin" });
    await audit(tx, { actorId: actor.userId, action: "organization:create", subjectType: "organization", subjectId: org!.id, data: { kind: input.kind } });
    outbox.emit(`unit:${unit.id}`, "desk:changed", { unitId: unit.id });
    return org!;
  });
}

async function lockOrganization(tx: Tx, organizationId: number) {
  const [row] = await tx
    .select({ org: organizations, unitPath: units.path })
    .from(organizations)
    .innerJoin(units, eq(units.id, organizations.unitId))
    .where(eq(organizations.id, organizationId))
    .for("update", { of: organizations });
  if (!row) throw new NotFoundError("organization");
  return row;
}

/** Staff confirm a unit Party organisation's report, or the subdistrict verifies a civil-society organisation. */
export async function decideOrganization(actor: Actor, input: { organizationId: number; decision: "confirm" | "reject"; reason?: string }) {
  return runCommand(async (tx, outbox) => {
    const { org, unitPath } = await lockOrganization(tx, input.organizationId);
    authorizeStructure(actor, "organization:decide", { organizationId: org.id, kind: org.kind, unitPath });
    if (org.status !== "pending") throw new CommandError("residency.error.alreadyDecided");
    if (input.decision === "reject" && !input.reason?.trim()) throw new CommandError("validation.reasonRequired", "reason");
    await tx
      .update(organizations)
      .set({ status: input.decision === "confirm" ? "confirmed" : "rejected", reason: input.reason?.trim() || null, decidedBy: actor.userId, decidedAt: serverNow() })
      .where(eq(organizations.id, org.id));
    await audit(tx, { actorId: actor.userId, action: `organization:${input.decision}`, subjectType: "organization", subjectId: org.id });
    const admins = await tx.select({ userId: organizationMembers.userId }).from(organizationMembers).where(and(eq(organizationMembers.organizationId, org.id), eq(organizationMembers.role, "admin")));
    for (const admin of admins) {
      await notify(tx, outbox, {
        userId: admin.userId,
        kind: input.decision === "confirm" ? "notification.organizationConfirmed" : "notification.organizationRejected",
        params: { organization: org.name, reason: input.reason?.trim() ?? "" },
        link: `/orgs/${org.id}`,
      });
    }
    outbox.emit(`unit:${org.unitId}`, "desk:changed", { unitId: org.unitId });
  });
}

/** An organisation's admin invites an existing account, as member or admin. */
export async function inviteMember(actor: Actor, input: { organizationId: number; account: string; role: "admin" | "member" }) {
  authorizeStructure(actor, "organization:manage", { organizationId: input.organizationId });
  return runCommand(async (tx, outbox) => {
    const { org } = await lockOrganization(tx, input.organizationId);
    const invitee = await findAccount(tx, input.account);
    if (!invitee) throw new CommandError("position.error.noSuchAccount", "account");
    const [member] = await tx
      .select()
      .from(organizationMembers)
      .where(and(eq(organizationMembers.organizationId, org.id), eq(organizationMembers.userId, invitee.id)));
    if (member) throw new CommandError("organization.error.alreadyMember", "account");
    const [invitation] = await tx
      .insert(organizationInvitations)
      .values({ organizationId: org.id, userId: invitee.id, role: input.role, invitedBy: actor.userId! })
      .onConflictDoNothing()
      .returning();
    if (!invitation) throw new CommandError("organization.error.alreadyInvited", "account");
    await audit(tx, { actorId: actor.userId, action: "organization:invite", subjectType: "organization", subjectId: org.id, data: { inviteeId: invitee.id, role: input.role } });
    await notify(tx, outbox, { userId: invitee.id, kind: "notification.organizationInvitation", params: { organization: org.name }, link: "/me" });
    return invitation;
  });
}

export async function respondToInvitation(actor: Actor, input: { invitationId: number; accept: boolean }) {
  return runCommand(async (tx) => {
    const [invitation] = await tx.select().from(organizationInvitations).where(eq(organizationInvitations.id, input.invitationId)).for("update");
    if (!invitation || invitation.userId !== actor.userId) throw new NotFoundError("invitation");
    if (invitation.status !== "pending") throw new CommandError("residency.error.alreadyDecided");
    await tx.update(organizationInvitations).set({ status: input.accept ? "accepted" : "declined" }).where(eq(organizationInvitations.id, invitation.id));
    if (input.accept) {
      await tx.insert(organizationMembers).values({ organizationId: invitation.organizationId, userId: invitation.userId, role: invitation.role }).onConflictDoNothing();
    }
    await audit(tx, { actorId: actor.userId, action: input.accept ? "organization:join" : "organization:decline", subjectType: "organization", subjectId: invitation.organizationId });
  });
}

async function adminCount(tx: Tx, organizationId: number) {
  const [row] = await tx
    .select({ n: count() })
    .from(organizationMembers)
    .where(and(eq(organizationMembers.organizationId, organizationId), eq(organizationMembers.role, "admin")));
  return row?.n ?? 0;
}

/**
 * Change a member's role or remove them. An organisation always keeps at least
 * one administrator; members may also leave on their own.
 */
export async function changeMember(actor: Actor, input: { organizationId: number; userId: number; change: "admin" | "member" | "remove" }) {
  const self = actor.userId === input.userId && input.change === "remove";
  if (!self) authorizeStructure(actor, "organization:manage", { organizationId: input.organizationId });
  return runCommand(async (tx, outbox) => {
    await lockOrganization(tx, input.organizationId); // serialises concurrent changes to one organisation
    const [member] = await tx
      .select()
      .from(organizationMembers)
      .where(and(eq(organizationMembers.organizationId, input.organizationId), eq(organizationMembers.userId, input.userId)));
    if (!member) throw new NotFoundError("member");
    const losesAdmin = member.role === "admin" && input.change !== "admin";
    if (losesAdmin && (await adminCount(tx, input.organizationId)) <= 1) throw new CommandError("organization.error.lastAdmin");
    if (input.change === "remove") {
      await tx.delete(organizationMembers).where(and(eq(organizationMembers.organizationId, input.organizationId), eq(organizationMembers.userId, input.userId)));
    } else {
      await tx
        .update(organizationMembers)
        .set({ role: input.change })
        .where(and(eq(organizationMembers.organizationId, input.organizationId), eq(organizationMembers.userId, input.userId)));
    }
    await audit(tx, { actorId: actor.userId, action: `organization:member-${input.change}`, subjectType: "organization", subjectId: input.organizationId, data: { userId: input.userId } });
    outbox.emit(`user:${input.userId}`, "me:changed", { userId: input.userId });
  });
}

