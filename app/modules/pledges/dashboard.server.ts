import { and, eq, sql } from "drizzle-orm";
import { db, rowsOf, type Queryable } from "#db/client.server";
import { organizations, units } from "#db/schema";
import { NotFoundError } from "~/lib/command.server";
import { monthStart } from "~/lib/time";
import { config } from "~/config.server";
import type { Actor } from "~/modules/identity/actor";
import { can } from "./permissions";
import { DEFAULT_STAR_HOURS, fulfilmentRate, starLevel } from "./rules";

/**
 * Service dashboards (issue 15 §8): for a unit (a community, a subdistrict, the
 * district: everything under it) or a unit Party organisation (its reported
 * members), the members reported, active pledges, verified hours this year
 * month by month, and the fulfilment rate of the pledges that ended this year.
 * A fixed number of queries; public figures only (an organisation's admins also
 * see each member's hours, `memberService`).
 */
export type ServiceScope = { kind: "unit"; path: string } | { kind: "org"; id: number };

export interface ServiceFigures {
  membersReported: number;
  activePledges: number;
  fulfilled: number;
  lapsed: number;
  /** fulfilled ÷ (fulfilled + lapsed) of the pledges that ended this year; null when none did. */
  fulfilmentRate: number | null;
  activities: number;
  minutes: number;
  /** Verified minutes in each month of the year, January first. */
  months: number[];
}

/** The members a scope counts, as SQL: the confirmed reports in communities under a unit, or linked to an organisation. */
function reportsIn(scope: ServiceScope) {
  return scope.kind === "unit"
    ? sql`select pr.user_id from party_reports pr join units c on c.id = pr.community_id where pr.status = 'confirmed' and c.path like ${scope.path + "%"}`
    : sql`select pr.user_id from party_reports pr where pr.status = 'confirmed' and pr.organization_id = ${scope.id}`;
}

export async function serviceFigures(q: Queryable, scope: ServiceScope, year: number, timeZone = config().timeZone): Promise<ServiceFigures> {
  // Instants as ISO text with their type: postgres.js cannot bind a bare Date in raw SQL on the server (PGlite can).
  const from = sql`${monthStart(year, 0, timeZone).toISOString()}::timestamptz`;
  const to = sql`${monthStart(year + 1, 0, timeZone).toISOString()}::timestamptz`;
  const members = reportsIn(scope);
  // Pledges: a unit's are those shown on its wall (its communities'); an organisation's are its own and its members'.
  const pledgesIn =
    scope.kind === "unit"
      ? sql`p.unit_id in (select id from units where path like ${scope.path + "%"})`
      : sql`(p.organization_id = ${scope.id} or p.user_id in (${members}))`;
  // Service: a unit's is what was given at its activities; an organisation's is what its members gave anywhere.
  const serviceIn =
    scope.kind === "unit" ? sql`a.unit_id in (select id from units where path like ${scope.path + "%"})` : sql`s.user_id in (${members})`;
  const [counts, pledgeRows, monthRows] = await Promise.all([
    q.execute(sql`select count(distinct user_id)::int as n from (${members}) m`),
    q.execute(sql`
      select count(*) filter (where p.status = 'active')::int as active,
             count(*) filter (where p.status = 'fulfilled' and p.closed_at >= ${from} and p.closed_at < ${to})::int as fulfilled,
             count(*) filter (where p.status = 'lapsed' and p.closed_at >= ${from} and p.closed_at < ${to})::int as lapsed
      from pledges p where ${pledgesIn}`),
    q.execute(sql`
      select extract(month from a.starts_at at time zone ${timeZone}::text)::int as month,
             coalesce(sum(s.minutes), 0)::int as minutes,
             count(distinct a.id)::int as activities
      from activity_signups s join activities a on a.id = s.activity_id
      where s.attendance = 'verified' and a.starts_at >= ${from} and a.starts_at < ${to} and ${serviceIn}
      group by 1`),
  ]);
  const p = rowsOf<{ active: number; fulfilled: number; lapsed: number }>(pledgeRows)[0]!;
  const months = Array.from({ length: 12 }, () => 0);
  let activities = 0;
  for (const r of rowsOf<{ month: number; minutes: number; activities: number }>(monthRows)) {
    months[r.month - 1] = r.minutes;
    activities += r.activities;
  }
  return {
    membersReported: rowsOf<{ n: number }>(counts)[0]!.n,
    activePledges: p.active,
    fulfilled: p.fulfilled,
    lapsed: p.lapsed,
    fulfilmentRate: fulfilmentRate(p.fulfilled, p.lapsed),
    activities,
    minutes: months.reduce((a, b) => a + b, 0),
    months,
  };
}

/** Each reported member of an organisation: their verified hours this year and their pledges. For its admins and the staff over it. */
export async function memberService(q: Queryable, organizationId: number, year: number, timeZone = config().timeZone) {
  const from = sql`${monthStart(year, 0, timeZone).toISOString()}::timestamptz`;
  const to = sql`${monthStart(year + 1, 0, timeZone).toISOString()}::timestamptz`;
  const rows = await q.execute(sql`
    select u.id, u.display_name as name, c.name as community,
           coalesce((select sum(s.minutes) from activity_signups s join activities a on a.id = s.activity_id
                     where s.user_id = u.id and s.attendance = 'verified' and a.starts_at >= ${from} and a.starts_at < ${to}), 0)::int as minutes,
           (select count(*) from pledges p where p.user_id = u.id and p.status = 'active')::int as active,
           (select count(*) from pledges p where p.user_id = u.id and p.status = 'fulfilled')::int as fulfilled,
           coalesce((select sum(s.minutes) from activity_signups s where s.user_id = u.id and s.attendance = 'verified'), 0)::int as cumulative,
           (select sl.hours from star_levels sl join units d on d.id = sl.district_id where c.path like d.path || '%' limit 1) as "starHours"
    from party_reports pr join users u on u.id = pr.user_id join units c on c.id = pr.community_id
    where pr.organization_id = ${organizationId} and pr.status = 'confirmed'
    order by minutes desc, u.id`);
  // Star levels by all their verified hours, as their community's district counts them (its own levels, else the defaults).
  return rowsOf<{ id: number; name: string; community: string; minutes: number; active: number; fulfilled: number; cumulative: number; starHours: number[] | null }>(rows).map(
    ({ starHours, cumulative, ...m }) => ({ ...m, stars: starLevel(cumulative, starHours ?? DEFAULT_STAR_HOURS) }),
  );
}

/** The page of a unit's service dashboard. */
export async function unitServicePage(unitId: number, year: number) {
  const q = db();
  const [unit] = await q.select({ id: units.id, name: units.name, kind: units.kind, path: units.path }).from(units).where(eq(units.id, unitId));
  if (!unit || unit.kind === "courtyard") throw new NotFoundError("unit");
  return { unit: { id: unit.id, name: unit.name, kind: unit.kind }, year, figures: await serviceFigures(q, { kind: "unit", path: unit.path }, year) };
}

/** The page of a unit Party organisation's service dashboard; its admins and the staff over it also get each member's hours. */
export async function orgServicePage(actor: Actor, organizationId: number, year: number) {
  const q = db();
  const [org] = await q
    .select({ id: organizations.id, name: organizations.name, kind: organizations.kind, unitPath: units.path })
    .from(organizations)
    .innerJoin(units, eq(units.id, organizations.unitId))
    .where(and(eq(organizations.id, organizationId), eq(organizations.status, "confirmed")));
  if (!org || org.kind !== "unit_party_org") throw new NotFoundError("organization");
  const seesMembers = can(actor, "org:memberService", { organizationId: org.id, unitPath: org.unitPath });
  const [figures, members] = await Promise.all([serviceFigures(q, { kind: "org", id: org.id }, year), seesMembers ? memberService(q, org.id, year) : Promise.resolve(null)]);
  return { org: { id: org.id, name: org.name }, year, figures, members };
}
