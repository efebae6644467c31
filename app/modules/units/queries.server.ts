import { and, asc, count, eq, inArray, like, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { db, type Queryable } from "#db/client.server";
import { childKind } from "./commands.server";
import { departmentKinds } from "./duty-list";
import { alleys, categories, departments, dutyAssignments, households, organizations, residencyClaims, rosterEntries, units, users } from "#db/schema";
import { pathIds } from "~/modules/identity/actor";

export async function getUnit(q: Queryable, id: number) {
  const [unit] = await q.select().from(units).where(eq(units.id, id));
  return unit;
}

/** Everything the public page of a unit shows, in a fixed number of queries whatever its size. */
export async function getUnitPage(q: Queryable, id: number) {
  const unit = await getUnit(q, id);
  if (!unit) return null;
  const ancestorIds = pathIds(unit.path).filter((x) => x !== unit.id);
  const parentUnit = alias(units, "parent_unit");
  const [ancestors, children, residentCounts, alleyRows, roster, orgs] = await Promise.all([
    ancestorIds.length ? q.select({ id: units.id, name: units.name, kind: units.kind }).from(units).where(inArray(units.id, ancestorIds)).orderBy(asc(units.path)) : [],
    q.select({ id: units.id, name: units.name, kind: units.kind }).from(units).where(eq(units.parentId, unit.id)).orderBy(asc(units.id)),
    // Verified residents per child unit (and in the unit itself), one grouped query.
    q
      .select({ childId: sql<number>`split_part(substr(${units.path}, ${unit.path.length + 1}), '/', 1)`.as("child_id"), n: count() })
      .from(residencyClaims)
      .innerJoin(units, eq(units.id, residencyClaims.communityId))
      .where(and(eq(residencyClaims.status, "verified"), like(units.path, `${unit.path}%`)))
      .groupBy(sql`child_id`),
    unit.kind === "subdistrict" ? listAlleys(q, unit.id) : [],
    unit.kind === "subdistrict"
      ? q
          .select({ role: rosterEntries.role, people: rosterEntries.people, departmentId: departments.id, departmentName: departments.name, kind: departments.kind, phone: departments.phone })
          .from(rosterEntries)
          .innerJoin(departments, eq(departments.id, rosterEntries.departmentId))
          .where(eq(rosterEntries.subdistrictId, unit.id))
          .orderBy(asc(departments.id))
      : [],
    q
      .select({ id: organizations.id, name: organizations.name, kind: organizations.kind, unitName: parentUnit.name })
      .from(organizations)
      .innerJoin(parentUnit, eq(parentUnit.id, organizations.unitId))
      .where(and(eq(organizations.status, "confirmed"), like(parentUnit.path, `${unit.path}%`)))
      .orderBy(asc(organizations.name))
      .limit(100),
  ]);
  const residentsByChild = new Map(residentCounts.map((r) => [Number(r.childId) || 0, r.n]));
  // A courtyard has no residents of its own (people live in a community); it counts those whose household is in it.
  const courtyardIds = [...(unit.kind === "courtyard" ? [unit.id] : []), ...children.filter((c) => c.kind === "courtyard").map((c) => c.id)];
  const inCourtyards = new Map((await courtyardResidents(q, courtyardIds)).map((r) => [r.courtyardId, r.n]));
  return {
    unit,
    ancestors,
    children: children.map((c) => ({ ...c, residents: c.kind === "courtyard" ? (inCourtyards.get(c.id) ?? 0) : (residentsByChild.get(c.id) ?? 0) })),
    residents: unit.kind === "courtyard" ? (inCourtyards.get(unit.id) ?? 0) : residentCounts.reduce((sum, r) => sum + r.n, 0),
    alleys: alleyRows,
    roster,
    organizations: orgs,
  };
}

/** An address without its spaces ("史家胡同 24 号院" and "史家胡同24号院3门" are written both ways). */
const compact = (text: SQL) => sql`translate(${text}, ' \u3000', '')`;

/**
 * Verified residents of each courtyard (院落): residents of its community
 * whose household's address begins with the courtyard's name (史家胡同 24 号院
 * holds 史家胡同24号院3门). Residency is kept per community; the courtyard is
 * read off the address the community verified.
 */
export async function courtyardResidents(q: Queryable, courtyardIds: number[]) {
  if (courtyardIds.length === 0) return [];
  return q
    .select({ courtyardId: units.id, n: count() })
    .from(units)
    .innerJoin(residencyClaims, and(eq(residencyClaims.communityId, units.parentId), eq(residencyClaims.status, "verified")))
    .leftJoin(households, eq(households.id, residencyClaims.householdId))
    .where(
      and(
        inArray(units.id, courtyardIds),
        eq(units.kind, "courtyard"),
        sql`starts_with(${compact(sql`coalesce(${households.address}, ${residencyClaims.address})`)}, ${compact(sql`${units.name}`)})`,
      ),
    )
    .groupBy(units.id);
}

/** The public list of a subdistrict's alleys and their chiefs with their public contact. */
export function listAlleys(q: Queryable, subdistrictId: number) {
  return q
    .select({ id: alleys.id, name: alleys.name, description: alleys.description, chiefName: users.displayName, chiefContact: alleys.chiefContact })
    .from(alleys)
    .leftJoin(users, eq(users.id, alleys.chiefUserId))
    .where(eq(alleys.subdistrictId, subdistrictId))
    .orderBy(asc(alleys.id));
}

/** Communities to choose from, grouped by subdistrict (for claims and reports). */
export async function listCommunities(q: Queryable) {
  const subdistrict = alias(units, "subdistrict");
  return q
    .select({ id: units.id, name: units.name, subdistrict: subdistrict.name })
    .from(units)
    .innerJoin(subdistrict, eq(subdistrict.id, units.parentId))
    .where(eq(units.kind, "community"))
    .orderBy(asc(subdistrict.id), asc(units.id));
}

/** Communities and subdistricts, where organisations report. */
export async function listReportingUnits(q: Queryable) {
  return q
    .select({ id: units.id, name: units.name, kind: units.kind })
    .from(units)
    .where(inArray(units.kind, ["subdistrict", "community"]))
    .orderBy(asc(units.path));
}

export async function listCategories(q: Queryable) {
  return q.select().from(categories).orderBy(asc(categories.sortOrder));
}

/** A district's duty list: category → lead and co-operating department kinds. */
export async function getDutyList(q: Queryable, districtId: number) {
  const rows = await q.select().from(dutyAssignments).where(eq(dutyAssignments.districtId, districtId));
  const byCategory = new Map<string, { lead: string[]; cooperate: string[] }>();
  for (const r of rows) {
    const entry = byCategory.get(r.categoryCode) ?? { lead: [], cooperate: [] };
    entry[r.role].push(r.departmentKind);
    byCategory.set(r.categoryCode, entry);
  }
  return byCategory;
}

export function listDepartments(q: Queryable, districtId: number) {
  return q.select().from(departments).where(eq(departments.districtId, districtId)).orderBy(asc(departments.id));
}

/** SQL condition: a unit path lies within any of the given scopes. */
export function withinAny(column: typeof units.path, scopes: string[]) {
  if (scopes.length === 0) return sql`false`;
  return or(...scopes.map((s) => like(column, `${s}%`)))!;
}

/**
 * The governance tree an administrator manages, in three queries whatever its
 * size: every unit under their scopes (one LIKE on the materialised path), the
 * departments of those districts, the alleys of those subdistricts.
 */
export async function adminTree(scopes: string[]) {
  const q = db();
  const unitRows = await q
    .select({ id: units.id, parentId: units.parentId, kind: units.kind, name: units.name, address: units.address })
    .from(units)
    .where(withinAny(units.path, scopes))
    .orderBy(asc(units.id));
  const districtIds = unitRows.filter((u) => u.kind === "district").map((u) => u.id);
  const subdistrictIds = unitRows.filter((u) => u.kind === "subdistrict").map((u) => u.id);
  const served = alias(units, "served_unit");
  const [departmentRows, alleyRows] = await Promise.all([
    districtIds.length
      ? q
          .select({
            id: departments.id,
            districtId: departments.districtId,
            name: departments.name,
            kind: departments.kind,
            level: departments.level,
            phone: departments.phone,
            servesName: served.name,
          })
          .from(departments)
          .leftJoin(served, eq(served.id, departments.servesUnitId))
          .where(inArray(departments.districtId, districtIds))
          .orderBy(asc(departments.id))
      : [],
    subdistrictIds.length
      ? q
          .select({ id: alleys.id, subdistrictId: alleys.subdistrictId, name: alleys.name, chiefName: users.displayName })
          .from(alleys)
          .leftJoin(users, eq(users.id, alleys.chiefUserId))
          .where(inArray(alleys.subdistrictId, subdistrictIds))
          .orderBy(asc(alleys.id))
      : [],
  ]);
  return {
    units: unitRows,
    departments: departmentRows,
    alleys: alleyRows,
    departmentKinds: departmentKinds.map((k) => ({ code: k.code, zh: k.zh, en: k.en })),
    childKind,
  };
}
