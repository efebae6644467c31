import type { AppLoadContext } from "@remix-run/node";
import { and, eq, isNull, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { db, type Queryable } from "#db/client.server";
import { departments, organizationMembers, partyReports, positions, residencyClaims, units } from "#db/schema";
import { visitor, type Actor } from "./actor";

const departmentDistrict = alias(units, "department_district");

/**
 * Load who a person is, in four indexed queries run side by side: positions
 * with their scope paths, organisation roles, residency, confirmed Party report.
 */
export async function loadActor(q: Queryable, userId: number): Promise<Actor> {
  const [positionRows, orgRows, residencyRows, partyRows] = await Promise.all([
    q
      .select({
        id: positions.id,
        kind: positions.kind,
        unitId: positions.unitId,
        unitPath: sql<string | null>`coalesce(${units.path}, ${departmentDistrict.path})`,
        departmentId: positions.departmentId,
        alleyId: positions.alleyId,
      })
      .from(positions)
      .leftJoin(units, eq(units.id, positions.unitId))
      .leftJoin(departments, eq(departments.id, positions.departmentId))
      .leftJoin(departmentDistrict, eq(departmentDistrict.id, departments.districtId))
      .where(and(eq(positions.userId, userId), isNull(positions.revokedAt))),
    q
      .select({ organizationId: organizationMembers.organizationId, role: organizationMembers.role })
      .from(organizationMembers)
      .where(eq(organizationMembers.userId, userId)),
    q
      .select({
        communityId: residencyClaims.communityId,
        communityPath: units.path,
        householdId: residencyClaims.householdId,
      })
      .from(residencyClaims)
      .innerJoin(units, eq(units.id, residencyClaims.communityId))
      // A literal, not a parameter, so even a generic plan can use the partial index on open claims.
      .where(and(eq(residencyClaims.userId, userId), sql`${residencyClaims.status} = 'verified'`)),
    q
      .select({ path: units.path })
      .from(partyReports)
      .innerJoin(units, eq(units.id, partyReports.communityId))
      .where(and(eq(partyReports.userId, userId), sql`${partyReports.status} = 'confirmed'`)),
  ]);
  const residency = residencyRows[0];
  return {
    userId,
    positions: positionRows,
    organizations: Object.fromEntries(orgRows.map((r) => [r.organizationId, r.role])),
    residency: residency
      ? { communityId: residency.communityId, communityPath: residency.communityPath, householdId: residency.householdId }
      : null,
    partyMember: partyRows.length > 0,
    partyCommunityPath: partyRows[0]?.path ?? null,
  };
}

const cache = new WeakMap<AppLoadContext, Promise<Actor>>();

/** The actor behind this request (a visitor when nobody is signed in), loaded at most once per request. */
export function getActor(context: AppLoadContext): Promise<Actor> {
  let actor = cache.get(context);
  if (!actor) {
    actor = context.user ? loadActor(db(), context.user.id) : Promise.resolve(visitor);
    cache.set(context, actor);
  }
  return actor;
}
