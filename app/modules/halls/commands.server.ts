import { and, eq, sql } from "drizzle-orm";
import { hallConveners, hallMembers, halls, units, users, type MemberKind, type SecondingRule } from "#db/schema";
import { audit } from "~/lib/audit.server";
import { CommandError, NotFoundError, runCommand } from "~/lib/command.server";
import type { Actor } from "~/modules/identity/actor";
import { authorize } from "~/modules/access";
import { notify } from "~/modules/notifications/commands.server";
import { hallContext } from "./queries.server";
import { serverNow } from "~/lib/clock.server";

export interface HallSettings {
  name: string;
  description: string;
  rules: string;
  membershipPolicy: "open" | "application" | "invitation";
  memberKinds: MemberKind[];
  secondingRule: SecondingRule;
  secondingDays: number;
  commentMaxLength: number;
  commentsPerPerson: number | null;
  stanceRequired: boolean;
}

/** Staff of a unit open a hall for it and name its conveners (by account). */
export async function createHall(actor: Actor, input: HallSettings & { unitId: number; convenerAccounts: string[] }) {
  return runCommand(async (tx) => {
    const [unit] = await tx.select().from(units).where(eq(units.id, input.unitId));
    if (!unit) throw new NotFoundError("unit");
    authorize(actor, "hall:create", { unitPath: unit.path });
    const { convenerAccounts, unitId, ...settings } = input;
    const [hall] = await tx.insert(halls).values({ ...settings, unitId, createdBy: actor.userId }).returning();
    const accounts = convenerAccounts.map((a) => a.trim().toLowerCase()).filter(Boolean);
    for (const account of accounts) {
      const [user] = await tx.select({ id: users.id }).from(users).where(eq(users.username, account));
      if (!user) throw new CommandError("position.error.noSuchAccount", "convenerAccounts");
      await tx.insert(hallConveners).values({ hallId: hall!.id, userId: user.id }).onConflictDoNothing();
      await tx.insert(hallMembers).values({ hallId: hall!.id, userId: user.id, status: "active" }).onConflictDoNothing();
    }
    await audit(tx, { actorId: actor.userId, action: "hall:create", subjectType: "hall", subjectId: hall!.id, data: { unitId } });
    return hall!;
  });
}

export async function updateHall(actor: Actor, hallId: number, settings: HallSettings) {
  return runCommand(async (tx, outbox) => {
    const found = await hallContext(tx, hallId, actor);
    if (!found) throw new NotFoundError("hall");
    authorize(actor, "hall:configure", found.context);
    await tx.update(halls).set(settings).where(eq(halls.id, hallId));
    await audit(tx, { actorId: actor.userId, action: "hall:configure", subjectType: "hall", subjectId: hallId, data: { ...settings } });
    outbox.emit(`hall:${hallId}`, "hall:changed", { hallId });
  });
}

/**
 * Join (open halls) or apply (halls by application). Leaving and coming back
 * is allowed; a refused applicant may apply again.
 */
export async function joinHall(actor: Actor, hallId: number) {
  return runCommand(async (tx, outbox) => {
    const found = await hallContext(tx, hallId, actor);
    if (!found) throw new NotFoundError("hall");
    if (found.context.membership === "active" || found.context.membership === "pending") return found.context.membership;
    authorize(actor, "hall:join", found.context);
    const status = found.hall.membershipPolicy === "open" ? "active" : "pending";
    await tx
      .insert(hallMembers)
      .values({ hallId, userId: actor.userId!, status })
      .onConflictDoUpdate({
        target: [hallMembers.hallId, hallMembers.userId],
        targetWhere: sql`${hallMembers.userId} is not null`, // the partial unique index on people
        set: { status, joinedAt: serverNow(), reason: null },
      });
    await audit(tx, { actorId: actor.userId, action: status === "active" ? "hall:join" : "hall:apply", subjectType: "hall", subjectId: hallId });
    outbox.emit(`hall:${hallId}`, "hall:changed", { hallId });
    if (status === "pending") {
      for (const convener of found.context.conveners) {
        await notify(tx, outbox, { userId: convener, kind: "notification.hallApplication", params: { hall: found.hall.name }, link: `/halls/${hallId}` });
      }
    }
    return status;
  });
}

export async function leaveHall(actor: Actor, hallId: number) {
  return runCommand(async (tx, outbox) => {
    if (actor.userId === null) throw new NotFoundError("hall");
    await tx
      .update(hallMembers)
      .set({ status: "left" })
      .where(and(eq(hallMembers.hallId, hallId), eq(hallMembers.userId, actor.userId), eq(hallMembers.status, "active")));
    await audit(tx, { actorId: actor.userId, action: "hall:leave", subjectType: "hall", subjectId: hallId });
    outbox.emit(`hall:${hallId}`, "hall:changed", { hallId });
  });
}

/** A convener approves or refuses an application, with a reason for a refusal. */
export async function decideApplication(actor: Actor, input: { hallId: number; memberId: number; approve: boolean; reason?: string }) {
  return runCommand(async (tx, outbox) => {
    const found = await hallContext(tx, input.hallId, actor);
    if (!found) throw new NotFoundError("hall");
    authorize(actor, "hall:moderate", found.context);
    const [application] = await tx
      .select()
      .from(hallMembers)
      .where(and(eq(hallMembers.id, input.memberId), eq(hallMembers.hallId, input.hallId)))
      .for("update");
    if (!application) throw new NotFoundError("application");
    if (application.status !== "pending") throw new CommandError("residency.error.alreadyDecided");
    if (!input.approve && !input.reason?.trim()) throw new CommandError("validation.reasonRequired", "reason");
    await tx
      .update(hallMembers)
      .set({ status: input.approve ? "active" : "refused", reason: input.reason?.trim() || null })
      .where(eq(hallMembers.id, application.id));
    await audit(tx, { actorId: actor.userId, action: input.approve ? "hall:approve" : "hall:refuse", subjectType: "hall", subjectId: input.hallId, data: { memberId: application.id } });
    if (application.userId) {
      await notify(tx, outbox, {
        userId: application.userId,
        kind: input.approve ? "notification.hallApproved" : "notification.hallRefused",
        params: { hall: found.hall.name, reason: input.reason?.trim() ?? "" },
        link: `/halls/${input.hallId}`,
      });
    }
    outbox.emit(`hall:${input.hallId}`, "hall:changed", { hallId: input.hallId });
  });
}

/** An organisation's administrator brings the organisation into a hall (e.g. a regional Party-building hall). */
export async function joinHallAsOrganization(actor: Actor, hallId: number, organizationId: number) {
  return runCommand(async (tx, outbox) => {
    const found = await hallContext(tx, hallId, actor);
    if (!found) throw new NotFoundError("hall");
    authorize(actor, "hall:joinAsOrganization", { ...found.context, organizationId });
    const status = found.hall.membershipPolicy === "open" ? "active" : "pending";
    await tx.insert(hallMembers).values({ hallId, organizationId, status }).onConflictDoNothing();
    await audit(tx, { actorId: actor.userId, action: "hall:join-organization", subjectType: "hall", subjectId: hallId, data: { organizationId } });
    outbox.emit(`hall:${hallId}`, "hall:changed", { hallId });
  });
}
