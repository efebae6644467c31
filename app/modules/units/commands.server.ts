import { and, eq } from "drizzle-orm";
import type { Tx } from "#db/client.server";
import { alleys, departments, dutyAssignments, rosterEntries, units, type DepartmentLevel, type RosterPerson, type UnitKind } from "#db/schema";
import { audit } from "~/lib/audit.server";
import { CommandError, NotFoundError, runCommand } from "~/lib/command.server";
import type { Actor } from "~/modules/identity/actor";
import { authorizeStructure } from "~/modules/identity/permissions";

/** Which kind of unit may sit under which. */
export const childKind: Partial<Record<UnitKind, UnitKind>> = {
  city: "district",
  district: "subdistrict",
  subdistrict: "community",
  community: "courtyard",
};

async function unitById(tx: Tx, id: number) {
  const [unit] = await tx.select().from(units).where(eq(units.id, id));
  if (!unit) throw new NotFoundError("unit");
  return unit;
}

/** Insert a unit under a parent, computing its path. Used by commands and the seed. */
export async function insertUnit(tx: Tx, input: { parentId: number | null; kind: UnitKind; name: string; address?: string | null }) {
  const parent = input.parentId === null ? null : await unitById(tx, input.parentId);
  const [row] = await tx
    .insert(units)
    .values({ parentId: parent?.id ?? null, kind: input.kind, name: input.name, address: input.address ?? null, path: "/" })
    .returning();
  const path = `${parent?.path ?? "/"}${row!.id}/`;
  await tx.update(units).set({ path }).where(eq(units.id, row!.id));
  return { ...row!, path };
}

export async function createUnit(actor: Actor, input: { parentId: number; name: string; address?: string }) {
  return runCommand(async (tx) => {
    const parent = await unitById(tx, input.parentId);
    authorizeStructure(actor, "unit:manage", { unitPath: parent.path });
    const kind = childKind[parent.kind];
    if (!kind) throw new CommandError("unit.error.noChildren", "parentId");
    const unit = await insertUnit(tx, { parentId: parent.id, kind, name: input.name, address: input.address });
    await audit(tx, { actorId: actor.userId, action: "unit:create", subjectType: "unit", subjectId: unit.id, data: { parentId: parent.id, kind, name: input.name } });
    return unit;
  });
}

export async function createDepartment(
  actor: Actor,
  input: { districtId: number; name: string; kind: string; level: DepartmentLevel; parentId?: number; servesUnitId?: number; phone?: string },
) {
  return runCommand(async (tx) => {
    const district = await unitById(tx, input.districtId);
    if (district.kind !== "district") throw new CommandError("unit.error.notDistrict", "districtId");
    authorizeStructure(actor, "unit:manage", { unitPath: district.path });
    if (input.level !== "district") {
      const serves = input.servesUnitId ? await unitById(tx, input.servesUnitId) : undefined;
      if (!serves || serves.kind !== "subdistrict" || !serves.path.startsWith(district.path)) throw new CommandError("unit.error.servesSubdistrict", "servesUnitId");
    }
    const [department] = await tx
      .insert(departments)
      .values({
        districtId: district.id,
        name: input.name,
        kind: input.kind,
        level: input.level,
        parentId: input.parentId ?? null,
        servesUnitId: input.level === "district" ? null : input.servesUnitId!,
        phone: input.phone || null,
      })
      .returning();
    await audit(tx, { actorId: actor.userId, action: "department:create", subjectType: "department", subjectId: department!.id, data: input });
    return department!;
  });
}

/** Replace a category's lead and co-operating department kinds in a district's duty list. */
export async function setDutyList(actor: Actor, input: { districtId: number; categoryCode: string; lead: string[]; cooperate: string[] }) {
  return runCommand(async (tx) => {
    const district = await unitById(tx, input.districtId);
    if (district.kind !== "district") throw new CommandError("unit.error.notDistrict", "districtId");
    authorizeStructure(actor, "unit:manage", { unitPath: district.path });
    const overlap = input.lead.filter((k) => input.cooperate.includes(k));
    if (overlap.length) throw new CommandError("duty.error.bothRoles", "cooperate");
    const before = await tx
      .select()
      .from(dutyAssignments)
      .where(and(eq(dutyAssignments.districtId, district.id), eq(dutyAssignments.categoryCode, input.categoryCode)));
    await tx.delete(dutyAssignments).where(and(eq(dutyAssignments.districtId, district.id), eq(dutyAssignments.categoryCode, input.categoryCode)));
    const rows = [
      ...input.lead.map((k) => ({ districtId: district.id, categoryCode: input.categoryCode, departmentKind: k, role: "lead" as const })),
      ...input.cooperate.map((k) => ({ districtId: district.id, categoryCode: input.categoryCode, departmentKind: k, role: "cooperate" as const })),
    ];
    if (rows.length) await tx.insert(dutyAssignments).values(rows);
    await audit(tx, {
      actorId: actor.userId,
      action: "duty:set",
      subjectType: "duty_list",
      subjectId: `${district.id}:${input.categoryCode}`,
      data: { before: before.map((b) => `${b.role}:${b.departmentKind}`), after: rows.map((r) => `${r.role}:${r.departmentKind}`) },
    });
  });
}

/** Put a department on a subdistrict's 1+5+N roster, or change its role and people. */
export async function setRosterEntry(actor: Actor, input: { subdistrictId: number; departmentId: number; role: "lead" | "stationed" | "on_call"; people: RosterPerson[] }) {
  return runCommand(async (tx) => {
    const subdistrict = await unitById(tx, input.subdistrictId);
    if (subdistrict.kind !== "subdistrict") throw new NotFoundError("subdistrict");
    authorizeStructure(actor, "roster:manage", { subdistrictPath: subdistrict.path });
    const [department] = await tx.select().from(departments).where(eq(departments.id, input.departmentId));
    // Only a department of the subdistrict's own district can serve on its roster.
    if (!department || !subdistrict.path.includes(`/${department.districtId}/`)) throw new NotFoundError("department");
    if (input.role === "lead") {
      const [lead] = await tx.select().from(rosterEntries).where(and(eq(rosterEntries.subdistrictId, subdistrict.id), eq(rosterEntries.role, "lead")));
      if (lead && lead.departmentId !== department.id) throw new CommandError("roster.error.oneLead", "role");
    }
    await tx
      .insert(rosterEntries)
      .values({ subdistrictId: subdistrict.id, departmentId: department.id, role: input.role, people: input.people })
      .onConflictDoUpdate({ target: [rosterEntries.subdistrictId, rosterEntries.departmentId], set: { role: input.role, people: input.people } });
    await audit(tx, { actorId: actor.userId, action: "roster:set", subjectType: "unit", subjectId: subdistrict.id, data: { departmentId: department.id, role: input.role, people: input.people } });
  });
}

export async function createAlley(actor: Actor, input: { subdistrictId: number; name: string; chiefContact?: string; description?: string }) {
  return runCommand(async (tx) => {
    const subdistrict = await unitById(tx, input.subdistrictId);
    if (subdistrict.kind !== "subdistrict") throw new CommandError("unit.error.notSubdistrict", "subdistrictId");
    authorizeStructure(actor, "alley:appointChief", { subdistrictPath: subdistrict.path });
    const [alley] = await tx
      .insert(alleys)
      .values({ subdistrictId: subdistrict.id, name: input.name, chiefContact: input.chiefContact || null, description: input.description || null })
      .returning();
    await audit(tx, { actorId: actor.userId, action: "alley:create", subjectType: "alley", subjectId: alley!.id, data: input });
    return alley!;
  });
}
