import type { AppLoadContext } from "@remix-run/node";
import { sql } from "drizzle-orm";
import { db, rowsOf, type Queryable } from "#db/client.server";
import { departments, organizationMembers, partyReports, positions, residencyClaims, units } from "#db/schema";
import { visitor, type Actor, type ActorPosition } from "./actor";

interface ActorRow {
  positions: ActorPosition[];
  organizations: [number, "admin" | "member"][];
  residency: { communityId: number; communityPath: string; householdId: number | null } | null;
  party_path: string | null;
}

/**
 * Load who a person is in one round trip (every request that acts needs it):
 * positions with their scope paths, organisation roles, residency and a
 * confirmed Party report, each an indexed subquery.
 */
export async function loadActor(q: Queryable, userId: number): Promise<Actor> {
  const [row] = rowsOf<ActorRow>(
    await q.execute(sql`
      select
        coalesce((
          select json_agg(json_build_object(
            'id', p.id, 'kind', p.kind, 'unitId', p.unit_id, 'unitPath', coalesce(u.path, d.path),
            'departmentId', p.department_id, 'alleyId', p.alley_id) order by p.id)
          from ${positions} p
          left join ${units} u on u.id = p.unit_id
          left join ${departments} dep on dep.id = p.department_id
          left join ${units} d on d.id = dep.district_id
          where p.user_id = ${userId} and p.revoked_at is null
        ), '[]'::json) as positions,
        coalesce((
          select json_agg(json_build_array(m.organization_id, m.role))
          from ${organizationMembers} m where m.user_id = ${userId}
        ), '[]'::json) as organizations,
        (
          -- A literal status, not a parameter, so even a generic plan can use the partial index on open claims.
          select json_build_object('communityId', r.community_id, 'communityPath', u.path, 'householdId', r.household_id)
          from ${residencyClaims} r join ${units} u on u.id = r.community_id
          where r.user_id = ${userId} and r.status = 'verified' limit 1
        ) as residency,
        (
          select u.path from ${partyReports} pr join ${units} u on u.id = pr.community_id
          where pr.user_id = ${userId} and pr.status = 'confirmed' limit 1
        ) as party_path`),
  );
  return {
    userId,
    positions: row!.positions,
    organizations: Object.fromEntries(row!.organizations),
    residency: row!.residency,
    partyMember: row!.party_path !== null,
    partyCommunityPath: row!.party_path,
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
