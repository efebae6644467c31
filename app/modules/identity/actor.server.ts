import type { AppLoadContext } from "@remix-run/node";
import { sql, type SQL } from "drizzle-orm";
import { db, rowsOf, type Queryable } from "#db/client.server";
import { departments, organizationMembers, partyReports, positions, residencyClaims, rollResidents, units } from "#db/schema";
import { visitor, type Actor, type ActorPosition } from "./actor";

/** The actor as the database builds it (see `actorJson`). */
export interface ActorJson {
  positions: ActorPosition[];
  organizations: [number, "admin" | "member"][];
  residency: { communityId: number; communityPath: string; householdId: number | null; residentId?: number | null } | null;
  partyPath: string | null;
}

/**
 * Who a person is, as one JSON value computed in the database from `userId`
 * (a parameter or a column): positions with their scope paths, organisation
 * roles, residency and a confirmed Party report, each an indexed subquery.
 * Session validation selects it in the same round trip as the session.
 */
export function actorJson(userId: SQL | number): SQL<ActorJson> {
  return sql<ActorJson>`json_build_object(
    'positions', coalesce((
      select json_agg(json_build_object(
        'id', p.id, 'kind', p.kind, 'unitId', p.unit_id, 'unitPath', coalesce(u.path, d.path),
        'departmentId', p.department_id, 'alleyId', p.alley_id) order by p.id)
      from ${positions} p
      left join ${units} u on u.id = p.unit_id
      left join ${departments} dep on dep.id = p.department_id
      left join ${units} d on d.id = dep.district_id
      where p.user_id = ${userId} and p.revoked_at is null
    ), '[]'::json),
    'organizations', coalesce((
      select json_agg(json_build_array(m.organization_id, m.role))
      from ${organizationMembers} m where m.user_id = ${userId}
    ), '[]'::json),
    -- A literal status, not a parameter, so even a generic plan can use the partial index on open claims.
    -- The household is the roll entry's (staff may have moved them), else the claim's (ADR 0020).
    'residency', (
      select json_build_object('communityId', r.community_id, 'communityPath', u.path,
        'householdId', coalesce(rr.household_id, r.household_id), 'residentId', rr.id)
      from ${residencyClaims} r join ${units} u on u.id = r.community_id
      left join ${rollResidents} rr on rr.user_id = r.user_id and rr.moved_out_at is null
      where r.user_id = ${userId} and r.status = 'verified' limit 1
    ),
    'partyPath', (
      select u.path from ${partyReports} pr join ${units} u on u.id = pr.community_id
      where pr.user_id = ${userId} and pr.status = 'confirmed' limit 1
    ))`;
}

export function toActor(userId: number, json: ActorJson): Actor {
  return {
    userId,
    positions: json.positions,
    organizations: Object.fromEntries(json.organizations),
    residency: json.residency,
    partyMember: json.partyPath !== null,
    partyCommunityPath: json.partyPath,
  };
}

/** Load who a person is, in one round trip. */
export async function loadActor(q: Queryable, userId: number): Promise<Actor> {
  const [row] = rowsOf<{ actor: ActorJson }>(await q.execute(sql`select ${actorJson(userId)} as actor`));
  return toActor(userId, row!.actor);
}

const cache = new WeakMap<AppLoadContext, Promise<Actor>>();

/**
 * The actor behind this request (a visitor when nobody is signed in): the one
 * loaded with the session, else loaded at most once per request.
 */
export function getActor(context: AppLoadContext): Promise<Actor> {
  let actor = cache.get(context);
  if (!actor) {
    actor = context.actor ? Promise.resolve(context.actor) : context.user ? loadActor(db(), context.user.id) : Promise.resolve(visitor);
    cache.set(context, actor);
  }
  return actor;
}
