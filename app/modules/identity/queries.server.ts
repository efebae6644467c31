import { and, desc, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";
import type { Queryable } from "#db/client.server";
import {
  alleys,
  departments,
  organizationInvitations,
  organizationMembers,
  organizations,
  partyReports,
  positions,
  residencyClaims,
  units,
  users,
} from "#db/schema";
import { withinAny } from "~/modules/units/queries.server";
import { COMMUNITY_STAFF, SUBDISTRICT_STAFF, type Actor } from "./actor";

/** The paths an actor's positions of the given kinds cover. */
export function scopesOf(actor: Actor, kinds: readonly string[]): string[] {
  return actor.positions.filter((p) => kinds.includes(p.kind) && p.unitPath).map((p) => p.unitPath!);
}

/** A person's own page: claims, Party report, positions, organisations, invitations. */
export async function getMyProfile(q: Queryable, userId: number) {
  const [claims, reports, myPositions, orgs, invitations] = await Promise.all([
    q
      .select({ claim: residencyClaims, communityName: units.name })
      .from(residencyClaims)
      .innerJoin(units, eq(units.id, residencyClaims.communityId))
      .where(eq(residencyClaims.userId, userId))
      .orderBy(desc(residencyClaims.createdAt), desc(residencyClaims.id))
      .limit(10),
    q
      .select({ report: partyReports, communityName: units.name })
      .from(partyReports)
      .innerJoin(units, eq(units.id, partyReports.communityId))
      .where(eq(partyReports.userId, userId))
      .orderBy(desc(partyReports.createdAt), desc(partyReports.id))
      .limit(5),
    q
      .select({ id: positions.id, kind: positions.kind, unitName: units.name, unitId: units.id, departmentName: departments.name, alleyName: alleys.name, grantedAt: positions.grantedAt })
      .from(positions)
      .leftJoin(units, eq(units.id, positions.unitId))
      .leftJoin(departments, eq(departments.id, positions.departmentId))
      .leftJoin(alleys, eq(alleys.id, positions.alleyId))
      .where(and(eq(positions.userId, userId), isNull(positions.revokedAt))),
    q
      .select({ id: organizations.id, name: organizations.name, kind: organizations.kind, status: organizations.status, role: organizationMembers.role })
      .from(organizationMembers)
      .innerJoin(organizations, eq(organizations.id, organizationMembers.organizationId))
      .where(eq(organizationMembers.userId, userId)),
    q
      .select({ id: organizationInvitations.id, role: organizationInvitations.role, organizationName: organizations.name, organizationId: organizations.id })
      .from(organizationInvitations)
      .innerJoin(organizations, eq(organizations.id, organizationInvitations.organizationId))
      .where(and(eq(organizationInvitations.userId, userId), eq(organizationInvitations.status, "pending"))),
  ]);
  return { claims, reports, positions: myPositions, organizations: orgs, invitations };
}

/** The staff desk: what waits for this actor's decision, within their scopes only. */
export async function getDesk(q: Queryable, actor: Actor) {
  const communityScopes = scopesOf(actor, COMMUNITY_STAFF);
  const subdistrictScopes = scopesOf(actor, SUBDISTRICT_STAFF);
  const memberOf = Object.keys(actor.organizations).map(Number);
  const [claims, reports, orgs] = await Promise.all([
    q
      .select({ id: residencyClaims.id, address: residencyClaims.address, createdAt: residencyClaims.createdAt, userId: users.id, displayName: users.displayName, phone: users.phone, communityName: units.name, communityId: units.id })
      .from(residencyClaims)
      .innerJoin(units, eq(units.id, residencyClaims.communityId))
      .innerJoin(users, eq(users.id, residencyClaims.userId))
      .where(and(eq(residencyClaims.status, "pending"), withinAny(units.path, communityScopes)))
      .orderBy(residencyClaims.createdAt)
      .limit(200),
    q
      .select({ id: partyReports.id, workUnit: partyReports.workUnit, partyOrgName: partyReports.partyOrgName, createdAt: partyReports.createdAt, userId: users.id, displayName: users.displayName, communityName: units.name })
      .from(partyReports)
      .innerJoin(units, eq(units.id, partyReports.communityId))
      .innerJoin(users, eq(users.id, partyReports.userId))
      .where(and(eq(partyReports.status, "pending"), withinAny(units.path, communityScopes)))
      .orderBy(partyReports.createdAt)
      .limit(200),
    q
      .select({ id: organizations.id, name: organizations.name, kind: organizations.kind, registrationNumber: organizations.registrationNumber, serviceScope: organizations.serviceScope, unitName: units.name, unitPath: units.path, createdAt: organizations.createdAt })
      .from(organizations)
      .innerJoin(units, eq(units.id, organizations.unitId))
      .where(and(eq(organizations.status, "pending"), withinAny(units.path, communityScopes)))
      .orderBy(organizations.createdAt)
      .limit(200),
  ]);
  // Civil-society organisations are for the subdistrict; never one's own organisation.
  const decidableOrgs = orgs.filter(
    (o) => !memberOf.includes(o.id) && (o.kind !== "social_org" || subdistrictScopes.some((s) => o.unitPath.startsWith(s))),
  );
  // The desk shows units the actor watches live.
  const unitIds = actor.positions.filter((p) => COMMUNITY_STAFF.includes(p.kind) && p.unitId).map((p) => p.unitId!);
  return { claims: claims.filter((c) => c.userId !== actor.userId), reports: reports.filter((r) => r.userId !== actor.userId), organizations: decidableOrgs, unitIds };
}

export async function getOrganizationPage(q: Queryable, id: number) {
  const [row] = await q
    .select({ org: organizations, unitName: units.name, unitId: units.id, unitPath: units.path })
    .from(organizations)
    .innerJoin(units, eq(units.id, organizations.unitId))
    .where(eq(organizations.id, id));
  if (!row) return null;
  const members = await q
    .select({ userId: users.id, displayName: users.displayName, role: organizationMembers.role })
    .from(organizationMembers)
    .innerJoin(users, eq(users.id, organizationMembers.userId))
    .where(eq(organizationMembers.organizationId, id))
    .orderBy(organizationMembers.joinedAt);
  return { ...row, members };
}

/** Whether a person shows the Party badge (亮身份): only a confirmed member who chose to. */
export async function partyBadges(q: Queryable, userIds: number[]): Promise<Set<number>> {
  if (userIds.length === 0) return new Set();
  const rows = await q
    .select({ userId: partyReports.userId })
    .from(partyReports)
    .where(and(inArray(partyReports.userId, userIds), eq(partyReports.status, "confirmed"), eq(partyReports.showBadge, true)));
  return new Set(rows.map((r) => r.userId));
}

/** A person's account name when they hold a staff position (not revoked), else null: shown with a verified badge wherever they speak. */
export const staffAccountOf = (userId: SQL, username: SQL) =>
  sql<string | null>`case when exists (select 1 from ${positions} sp where sp.user_id = ${userId} and sp.revoked_at is null) then coalesce(${username}, '') end`;
