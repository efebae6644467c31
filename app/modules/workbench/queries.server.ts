import { and, asc, count, eq, inArray, isNotNull, isNull, or, sql, type SQL } from "drizzle-orm";
import type { Queryable } from "#db/client.server";
import { assignments, closureRequests, departments, extensionRequests, units, whistles, type AssignmentState } from "#db/schema";
import { COMMUNITY_STAFF, type Actor } from "~/modules/identity/actor";
import { getDesk } from "~/modules/identity/queries.server";
import { countInbox, getInbox } from "~/modules/whistles/queries.server";
import { sectionsFor, type SectionKey } from "./rules";

/** How many items of each section the workbench lists (the count is of all). */
export const SHOWN = 8;

export interface WorkItem {
  key: string;
  title: string;
  link: string;
  /** Since when it waits (oldest first), or when it is due, for assignments. */
  at: Date;
  detail: string | null;
  overdue: boolean;
}
export interface WorkSection {
  key: SectionKey;
  count: number;
  items: WorkItem[];
}

const OPEN: AssignmentState[] = ["dispatched", "signed", "on_site"];

/** Where the actor's subdistrict and community positions reach, as unit-path conditions; "all" for a district administrator. */
function scopes(actor: Actor) {
  const sub = actor.positions.filter((p) => (p.kind === "subdistrict_officer" || p.kind === "subdistrict_leader") && p.unitPath).map((p) => p.unitPath!);
  const community = actor.positions.filter((p) => (p.kind === "community_worker" || p.kind === "community_secretary") && p.unitPath).map((p) => p.unitPath!);
  const district = actor.positions.filter((p) => p.kind === "district_admin" && p.unitPath).map((p) => p.unitPath!);
  return { sub: [...sub, ...district], community, leader: actor.positions.filter((p) => p.kind === "subdistrict_leader" && p.unitPath).map((p) => p.unitPath!) };
}
const under = (column: SQL | typeof units.path, paths: string[]) => (paths.length ? or(...paths.map((p) => sql`${column} like ${p + "%"}`))! : sql`false`);

/**
 * What waits for a staff member, section by section: each with its count and
 * its oldest items first. A fixed number of queries whatever the role.
 */
export async function getWorkbench(q: Queryable, actor: Actor, now: Date): Promise<WorkSection[]> {
  const wanted = sectionsFor(actor);
  const { sub, community, leader } = scopes(actor);
  const sectionOf: Partial<Record<SectionKey, () => Promise<WorkSection>>> = {
    async dispatches() {
      // Requests waiting for a whistle: a subdistrict's own, and a community's to its stations.
      const subUnit = sql`(select path from ${units} s where s.id = ${whistles.subdistrictId})`;
      const comUnit = sql`(select path from ${units} c where c.id = ${whistles.communityId})`;
      const scope = or(and(isNull(whistles.communityId), under(subUnit, sub)), and(isNotNull(whistles.communityId), or(under(comUnit, community), under(subUnit, sub))));
      const where = and(eq(whistles.state, "requested"), scope);
      const [rows, [total]] = await Promise.all([
        q.select({ id: whistles.id, title: whistles.title, at: whistles.createdAt, place: units.name }).from(whistles).innerJoin(units, eq(units.id, whistles.subdistrictId)).where(where).orderBy(asc(whistles.createdAt), asc(whistles.id)).limit(SHOWN),
        q.select({ n: count() }).from(whistles).where(where),
      ]);
      return { key: "dispatches", count: total?.n ?? 0, items: rows.map((r) => ({ key: `w${r.id}`, title: r.title, link: `/whistles/${r.id}`, at: r.at, detail: r.place, overdue: false })) };
    },
    async verifications() {
      const desk = await getDesk(q, actor);
      const all = [
        ...desk.claims.map((c) => ({ key: `c${c.id}`, title: c.displayName, at: c.createdAt, detail: `${c.communityName} · ${c.address}`, kind: "claim" })),
        ...desk.reports.map((r) => ({ key: `r${r.id}`, title: r.displayName, at: r.createdAt, detail: `${r.communityName} · ${r.workUnit}`, kind: "report" })),
        ...desk.organizations.map((o) => ({ key: `o${o.id}`, title: o.name, at: o.createdAt, detail: o.unitName, kind: "organization" })),
      ].sort((a, b) => a.at.getTime() - b.at.getTime());
      return { key: "verifications", count: all.length, items: all.slice(0, SHOWN).map((x) => ({ key: x.key, title: x.title, link: "/desk", at: x.at, detail: x.detail, overdue: false })) };
    },
    async assignments() {
      const [rows, total] = await Promise.all([getInbox(q, actor, 1), countInbox(q, actor)]);
      return {
        key: "assignments",
        count: total,
        items: rows.slice(0, SHOWN).map((r) => {
          // A raw SQL date arrives as text.
          const due = r.nextDue === null ? null : new Date(r.nextDue);
          return { key: `a${r.a.id}`, title: r.title, link: `/whistles/${r.whistleId}`, at: due ?? r.a.dispatchedAt, detail: r.departmentName, overdue: due !== null && due.getTime() < now.getTime() };
        }),
      };
    },
    async overdue() {
      // Officers: their departments' late parts; subdistrict and district staff: every late part in their area.
      const own = actor.positions.filter((p) => p.departmentId !== null).map((p) => p.departmentId!);
      const subUnit = sql`(select path from ${units} s where s.id = ${whistles.subdistrictId})`;
      const scope = or(own.length ? inArray(assignments.departmentId, own) : sql`false`, under(subUnit, sub));
      const where = and(isNotNull(assignments.overdueSince), inArray(assignments.state, OPEN), scope);
      const [rows, [total]] = await Promise.all([
        q
          .select({ id: assignments.id, whistleId: whistles.id, title: whistles.title, at: assignments.overdueSince, department: departments.name })
          .from(assignments)
          .innerJoin(whistles, eq(whistles.id, assignments.whistleId))
          .innerJoin(departments, eq(departments.id, assignments.departmentId))
          .where(where)
          .orderBy(asc(assignments.overdueSince), asc(assignments.id))
          .limit(SHOWN),
        q.select({ n: count() }).from(assignments).innerJoin(whistles, eq(whistles.id, assignments.whistleId)).where(where),
      ]);
      return { key: "overdue", count: total?.n ?? 0, items: rows.map((r) => ({ key: `o${r.id}`, title: r.title, link: `/whistles/${r.whistleId}`, at: r.at!, detail: r.department, overdue: true })) };
    },
    async extensions() {
      const subUnit = sql`(select path from ${units} s where s.id = ${whistles.subdistrictId})`;
      const where = and(eq(extensionRequests.state, "pending"), under(subUnit, sub));
      const [rows, [total]] = await Promise.all([
        q
          .select({ id: extensionRequests.id, whistleId: whistles.id, title: whistles.title, at: assignments.dueResolveAt, newDueAt: extensionRequests.newDueAt, department: departments.name })
          .from(extensionRequests)
          .innerJoin(assignments, eq(assignments.id, extensionRequests.assignmentId))
          .innerJoin(whistles, eq(whistles.id, assignments.whistleId))
          .innerJoin(departments, eq(departments.id, assignments.departmentId))
          .where(where)
          .orderBy(asc(extensionRequests.id))
          .limit(SHOWN),
        q.select({ n: count() }).from(extensionRequests).innerJoin(assignments, eq(assignments.id, extensionRequests.assignmentId)).innerJoin(whistles, eq(whistles.id, assignments.whistleId)).where(where),
      ]);
      return { key: "extensions", count: total?.n ?? 0, items: rows.map((r) => ({ key: `e${r.id}`, title: r.title, link: `/whistles/${r.whistleId}`, at: r.newDueAt, detail: r.department, overdue: false })) };
    },
    async closures() {
      const subUnit = sql`(select path from ${units} s where s.id = ${whistles.subdistrictId})`;
      const where = and(eq(closureRequests.state, "pending"), under(subUnit, leader), sql`${closureRequests.requestedBy} <> ${actor.userId ?? -1}`);
      const [rows, [total]] = await Promise.all([
        q.select({ id: closureRequests.id, whistleId: whistles.id, title: whistles.title, at: closureRequests.createdAt }).from(closureRequests).innerJoin(whistles, eq(whistles.id, closureRequests.whistleId)).where(where).orderBy(asc(closureRequests.createdAt)).limit(SHOWN),
        q.select({ n: count() }).from(closureRequests).innerJoin(whistles, eq(whistles.id, closureRequests.whistleId)).where(where),
      ]);
      return { key: "closures", count: total?.n ?? 0, items: rows.map((r) => ({ key: `u${r.id}`, title: r.title, link: `/whistles/${r.whistleId}`, at: r.at, detail: null, overdue: false })) };
    },
  };
  return Promise.all(wanted.map((k) => sectionOf[k]!()));
}

/**
 * The rooms whose news changes the workbench: the actor's departments, and
 * the units of their desk with the communities under them (a residency claim
 * is announced in its community's room). Notifications reach the person's own room anyway.
 */
export async function workbenchRooms(q: Queryable, actor: Actor): Promise<string[]> {
  const depts = actor.positions.filter((p) => p.departmentId !== null).map((p) => `department:${p.departmentId}`);
  const deskPaths = actor.positions.filter((p) => COMMUNITY_STAFF.includes(p.kind) && p.unitPath).map((p) => p.unitPath!);
  const deskUnits = deskPaths.length ? await q.select({ id: units.id }).from(units).where(under(units.path, deskPaths)).limit(200) : [];
  return [...new Set([...depts, ...deskUnits.map((u) => `unit:${u.id}`)])];
}
