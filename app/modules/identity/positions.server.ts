import { and, eq } from "drizzle-orm";
import type { Tx } from "#db/client.server";
import { alleys, departments, positions, units, users, type PositionKind } from "#db/schema";
import { audit } from "~/lib/audit.server";
import { CommandError, NotFoundError, runCommand } from "~/lib/command.server";
import { notify } from "~/modules/notifications/commands.server";
import type { Actor } from "./actor";
import { authorizeStructure } from "./permissions";
import { canStructure } from "./permissions";
import { normaliseAccount } from "./schemas";
import { serverNow } from "~/lib/clock.server";

/** Where each kind of position sits: a unit of a given kind, a department, or an alley. */
export const positionScope: Record<PositionKind, { unitKind?: "district" | "subdistrict" | "community" | "city"; department?: "station" | "any"; alley?: true }> = {
  community_worker: { unitKind: "community" },
  community_secretary: { unitKind: "community" },
  subdistrict_officer: { unitKind: "subdistrict" },
  subdistrict_leader: { unitKind: "subdistrict" },
  department_officer: { department: "any" },
  department_head: { department: "any" },
  station_officer: { department: "station" },
  district_admin: { unitKind: "district" },
  alley_chief: { alley: true },
  platform_admin: { unitKind: "city" },
};

export interface AssignInput {
  account: string;
  kind: PositionKind;
  unitId?: number;
  departmentId?: number;
  alleyId?: number;
}

/** The unit path a position's scope lies in, and the ids to store, checked against the kind. */
async function resolveScope(tx: Tx, input: Omit<AssignInput, "account">) {
  const scope = positionScope[input.kind];
  if (scope.unitKind) {
    const [unit] = await tx.select().from(units).where(eq(units.id, input.unitId ?? -1));
    if (!unit || unit.kind !== scope.unitKind) throw new CommandError("position.error.wrongScope", "unitId");
    return { path: unit.path, unitId: unit.id, departmentId: null, alleyId: null };
  }
  if (scope.department) {
    const [row] = await tx
      .select({ department: departments, path: units.path })
      .from(departments)
      .innerJoin(units, eq(units.id, departments.districtId))
      .where(eq(departments.id, input.departmentId ?? -1));
    if (!row || (scope.department === "station" && row.department.level !== "station")) throw new CommandError("position.error.wrongScope", "departmentId");
    return { path: row.path, unitId: null, departmentId: row.department.id, alleyId: null };
  }
  const [row] = await tx
    .select({ alley: alleys, path: units.path })
    .from(alleys)
    .innerJoin(units, eq(units.id, alleys.subdistrictId))
    .where(eq(alleys.id, input.alleyId ?? -1));
  if (!row) throw new CommandError("position.error.wrongScope", "alleyId");
  return { path: row.path, unitId: null, departmentId: null, alleyId: row.alley.id };
}

/** The account a person typed (username or mainland phone number), or undefined. */
export async function findAccount(tx: Tx, account: string) {
  const login = normaliseAccount(account);
  const [user] = await tx
    .select({ id: users.id, displayName: users.displayName })
    .from(users)
    .where("phone" in login ? eq(users.phone, login.phone) : eq(users.username, login.username));
  return user;
}

/** A district administrator (or the platform administrator) gives a person a position. Audited. */
export async function assignPosition(actor: Actor, input: AssignInput) {
  return runCommand(async (tx, outbox) => {
    const scope = await resolveScope(tx, input);
    // Subdistrict leaders appoint the chiefs of their own alleys; everything else is the district's.
    if (input.kind === "alley_chief" && canStructure(actor, "alley:appointChief", { subdistrictPath: scope.path })) {
      // allowed
    } else authorizeStructure(actor, "position:assign", { unitPath: scope.path, kind: input.kind });
    const holder = await findAccount(tx, input.account);
    if (!holder) throw new CommandError("position.error.noSuchAccount", "account");
    const [position] = await tx
      .insert(positions)
      .values({ userId: holder.id, kind: input.kind, unitId: scope.unitId, departmentId: scope.departmentId, alleyId: scope.alleyId, grantedBy: actor.userId })
      .onConflictDoNothing()
      .returning();
    if (!position) throw new CommandError("position.error.alreadyHeld", "account");
    if (input.kind === "alley_chief") await tx.update(alleys).set({ chiefUserId: holder.id }).where(eq(alleys.id, scope.alleyId!));
    await audit(tx, { actorId: actor.userId, action: "position:assign", subjectType: "position", subjectId: position.id, data: { holderId: holder.id, kind: input.kind, ...scope } });
    await notify(tx, outbox, { userId: holder.id, kind: "notification.positionGranted", params: { position: input.kind }, link: "/me" });
    return position;
  });
}

/** Revoke a position: never deleted, only ended, with who and when. */
export async function revokePosition(actor: Actor, positionId: number) {
  return runCommand(async (tx, outbox) => {
    const [row] = await tx.select().from(positions).where(eq(positions.id, positionId)).for("update");
    if (!row) throw new NotFoundError("position");
    const scope = await resolveScope(tx, { kind: row.kind, unitId: row.unitId ?? undefined, departmentId: row.departmentId ?? undefined, alleyId: row.alleyId ?? undefined });
    if (row.kind === "alley_chief" && canStructure(actor, "alley:appointChief", { subdistrictPath: scope.path })) {
      // allowed
    } else authorizeStructure(actor, "position:revoke", { unitPath: scope.path, kind: row.kind, holderId: row.userId });
    if (row.revokedAt) return; // a repeated revoke (double click, retry) has nothing left to do
    await tx.update(positions).set({ revokedAt: serverNow(), revokedBy: actor.userId }).where(eq(positions.id, positionId));
    if (row.kind === "alley_chief" && row.alleyId) {
      await tx.update(alleys).set({ chiefUserId: null }).where(and(eq(alleys.id, row.alleyId), eq(alleys.chiefUserId, row.userId)));
    }
    await audit(tx, { actorId: actor.userId, action: "position:revoke", subjectType: "position", subjectId: positionId, data: { holderId: row.userId, kind: row.kind } });
    outbox.emit(`user:${row.userId}`, "me:changed", { userId: row.userId });
  });
}
