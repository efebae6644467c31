import { and, asc, desc, eq, gte, inArray, isNotNull, lt, ne, sql } from "drizzle-orm";
import type { Queryable } from "#db/client.server";
import {
  assignments,
  categories,
  closureRequests,
  departments,
  extensionRequests,
  proposals,
  ratings,
  scoreWeights,
  units,
  users,
  whistleEvents,
  whistlePhotos,
  whistles,
  type AssignmentState,
  type WhistleState,
} from "#db/schema";
import type { Actor } from "~/modules/identity/actor";
import { rates, type AssignmentFact, type WhistleOutcome } from "./rules";

/** A whistle's public page: the matter, its assignments with deadlines, the timeline and ratings. */
export async function getWhistlePage(q: Queryable, whistleId: number) {
  const [row] = await q
    .select({
      w: whistles,
      subdistrictName: units.name,
      categoryZh: categories.nameZh,
      categoryEn: categories.nameEn,
      proposalTitle: proposals.title,
    })
    .from(whistles)
    .innerJoin(units, eq(units.id, whistles.subdistrictId))
    .innerJoin(categories, eq(categories.code, whistles.categoryCode))
    .leftJoin(proposals, eq(proposals.id, whistles.proposalId))
    .where(eq(whistles.id, whistleId));
  if (!row) return null;
  const [list, events, pendingExtensions, ratingRows, photos, pendingClosure] = await Promise.all([
    q
      .select({ a: assignments, departmentName: departments.name, parentId: departments.parentId })
      .from(assignments)
      .innerJoin(departments, eq(departments.id, assignments.departmentId))
      .where(eq(assignments.whistleId, whistleId))
      .orderBy(asc(assignments.id)),
    q
      .select({ e: whistleEvents, actorName: users.displayName, departmentName: departments.name })
      .from(whistleEvents)
      .leftJoin(users, eq(users.id, whistleEvents.actorId))
      .leftJoin(assignments, eq(assignments.id, whistleEvents.assignmentId))
      .leftJoin(departments, eq(departments.id, assignments.departmentId))
      .where(eq(whistleEvents.whistleId, whistleId))
      .orderBy(asc(whistleEvents.id)),
    q
      .select({ r: extensionRequests })
      .from(extensionRequests)
      .innerJoin(assignments, eq(assignments.id, extensionRequests.assignmentId))
      .where(and(eq(assignments.whistleId, whistleId), eq(extensionRequests.state, "pending"))),
    q.select().from(ratings).where(eq(ratings.whistleId, whistleId)),
    q.select().from(whistlePhotos).where(eq(whistlePhotos.whistleId, whistleId)).orderBy(asc(whistlePhotos.id)),
    q
      .select()
      .from(closureRequests)
      .where(and(eq(closureRequests.whistleId, whistleId), eq(closureRequests.state, "pending"))),
  ]);
  return { ...row, assignments: list, events, pendingExtensions: pendingExtensions.map((p) => p.r), ratings: ratingRows, photos, pendingClosure: pendingClosure[0] ?? null };
}

/** Evidence photos of some assignments (on site, resolved), oldest first, grouped by assignment. */
export async function photosOfAssignments(q: Queryable, assignmentIds: number[]) {
  const byAssignment = new Map<number, { id: number; eventId: number; fileName: string }[]>();
  if (assignmentIds.length === 0) return byAssignment;
  const rows = await q
    .select({ id: whistlePhotos.id, eventId: whistlePhotos.eventId, assignmentId: whistlePhotos.assignmentId, fileName: whistlePhotos.fileName })
    .from(whistlePhotos)
    .where(inArray(whistlePhotos.assignmentId, assignmentIds))
    .orderBy(asc(whistlePhotos.id));
  for (const r of rows) byAssignment.set(r.assignmentId, [...(byAssignment.get(r.assignmentId) ?? []), r]);
  return byAssignment;
}

export const INBOX_PAGE_SIZE = 50;

/** A department or station officer's open assignments, most urgent first, 50 a page (one more is read to know whether a next page exists). */
export async function getInbox(q: Queryable, actor: Actor, page = 1) {
  const ids = actor.positions.filter((p) => p.departmentId !== null).map((p) => p.departmentId!);
  if (ids.length === 0) return [];
  const heads = actor.positions.filter((p) => p.kind === "department_head" && p.departmentId !== null).map((p) => p.departmentId!);
  const stationIds = heads.length
    ? (await q.select({ id: departments.id }).from(departments).where(inArray(departments.parentId, heads))).map((d) => d.id)
    : [];
  return q
    .select({
      a: assignments,
      title: whistles.title,
      kind: whistles.kind,
      address: whistles.address,
      instructions: whistles.instructions,
      whistleId: whistles.id,
      departmentName: departments.name,
      nextDue: sql<Date | null>`case ${assignments.state} when 'dispatched' then ${assignments.dueSignAt} when 'signed' then ${assignments.dueOnSiteAt} else ${assignments.dueResolveAt} end`,
    })
    .from(assignments)
    .innerJoin(whistles, eq(whistles.id, assignments.whistleId))
    .innerJoin(departments, eq(departments.id, assignments.departmentId))
    .where(
      and(
        inArray(assignments.departmentId, [...new Set([...ids, ...stationIds])]),
        inArray(assignments.state, ["dispatched", "signed", "on_site"] as AssignmentState[]),
        ne(whistles.state, "closed" as WhistleState), // closed as unreasonable: nothing more is owed
      ),
    )
    .orderBy(
      sql`case ${assignments.state} when 'dispatched' then ${assignments.dueSignAt} when 'signed' then ${assignments.dueOnSiteAt} else coalesce(${assignments.dueResolveAt}, 'infinity') end`,
      asc(assignments.id),
    )
    .limit(INBOX_PAGE_SIZE + 1)
    .offset((page - 1) * INBOX_PAGE_SIZE);
}

/** A subdistrict's overdue and supervised whistles, and the public overdue report. */
export async function getSupervision(q: Queryable, subdistrictIds: number[] | "all") {
  const scope = subdistrictIds === "all" ? sql`true` : subdistrictIds.length ? inArray(whistles.subdistrictId, subdistrictIds) : sql`false`;
  const rows = await q
    .select({
      a: assignments,
      title: whistles.title,
      whistleId: whistles.id,
      kind: whistles.kind,
      departmentName: departments.name,
      subdistrictName: units.name,
    })
    .from(assignments)
    .innerJoin(whistles, eq(whistles.id, assignments.whistleId))
    .innerJoin(departments, eq(departments.id, assignments.departmentId))
    .innerJoin(units, eq(units.id, whistles.subdistrictId))
    .where(
      and(scope, isNotNull(assignments.overdueSince), inArray(assignments.state, ["dispatched", "signed", "on_site"] as AssignmentState[])),
    )
    .orderBy(asc(assignments.overdueSince))
    .limit(500);
  const requested = await q
    .select({ id: whistles.id, title: whistles.title, createdAt: whistles.createdAt, subdistrictName: units.name })
    .from(whistles)
    .innerJoin(units, eq(units.id, whistles.subdistrictId))
    .where(and(scope, eq(whistles.state, "requested" as WhistleState)))
    .orderBy(asc(whistles.createdAt))
    .limit(200);
  return { overdue: rows, requested };
}

/** The public overdue report: assignments five working days late, for everyone to see. */
export function publicOverdue(q: Queryable, limit = 100) {
  return q
    .select({ whistleId: whistles.id, title: whistles.title, departmentName: departments.name, overdueSince: assignments.overdueSince })
    .from(assignments)
    .innerJoin(whistles, eq(whistles.id, assignments.whistleId))
    .innerJoin(departments, eq(departments.id, assignments.departmentId))
    .where(
      and(isNotNull(assignments.publicOverdueAt), inArray(assignments.state, ["dispatched", "signed", "on_site"] as AssignmentState[])),
    )
    .orderBy(asc(assignments.overdueSince))
    .limit(limit);
}

const BEIJING_MS = 8 * 3_600_000;
/** The instant a Beijing calendar month begins (`monthIndex` may run past 11 or below 0). */
const monthStart = (year: number, monthIndex: number) => new Date(Date.UTC(year, monthIndex, 1) - BEIJING_MS);
/** "YYYY-MM" of an instant, in Beijing time. */
export const monthKeyOf = (at: Date) => new Date(at.getTime() + BEIJING_MS).toISOString().slice(0, 7);

/**
 * The assignments dispatched in [start, end) under a unit, with each
 * whistle's outcome: two set-based queries (never one parameter per whistle:
 * a month may hold 100 000).
 */
async function rateFacts(q: Queryable, unitPath: string, start: Date, end: Date) {
  const facts = await q
    .select({
      id: assignments.id,
      departmentId: assignments.departmentId,
      departmentName: departments.name,
      whistleId: assignments.whistleId,
      dispatchedAt: assignments.dispatchedAt,
      dueSignAt: assignments.dueSignAt,
      signedAt: assignments.signedAt,
      resolvedAt: assignments.resolvedAt,
      dueResolveAt: assignments.dueResolveAt,
      state: assignments.state,
      round: assignments.round,
      closure: whistles.closure,
    })
    .from(assignments)
    .innerJoin(whistles, eq(whistles.id, assignments.whistleId))
    .innerJoin(units, eq(units.id, whistles.subdistrictId))
    .innerJoin(departments, eq(departments.id, assignments.departmentId))
    .where(and(gte(assignments.dispatchedAt, start), lt(assignments.dispatchedAt, end), sql`${units.path} like ${unitPath + "%"}`));
  // Ratings of the same period and place, by join.
  const answers = await q
    .select({
      whistleId: ratings.whistleId,
      solved: sql<number>`avg(case when ${ratings.solved} then 1 else 0 end)::float`,
      satisfied: sql<number>`avg(case when ${ratings.satisfaction} in ('satisfied','basically_satisfied') then 1 else 0 end)::float`,
    })
    .from(ratings)
    .innerJoin(whistles, eq(whistles.id, ratings.whistleId))
    .innerJoin(units, eq(units.id, whistles.subdistrictId))
    .where(
      and(
        sql`${units.path} like ${unitPath + "%"}`,
        sql`exists (select 1 from ${assignments} a where a.whistle_id = ${whistles.id} and a.dispatched_at >= ${start.toISOString()}::timestamptz and a.dispatched_at < ${end.toISOString()}::timestamptz)`,
      ),
    )
    .groupBy(ratings.whistleId);
  const answerOf = new Map(answers.map((a) => [a.whistleId, a]));
  const closureOf = new Map(facts.map((f) => [f.whistleId, f.closure]));
  // A whistle's answer is its raisers' majority answer.
  const outcomeOf = new Map<number, WhistleOutcome>();
  for (const [id, closure] of closureOf) {
    const a = answerOf.get(id);
    outcomeOf.set(id, {
      whistleId: id,
      solved: a ? a.solved >= 0.5 : null,
      satisfaction: a ? (a.satisfied >= 0.5 ? "satisfied" : "dissatisfied") : null,
      unreasonable: closure === "unreasonable",
    });
  }
  const toFact = (f: (typeof facts)[number]): AssignmentFact => ({
    departmentId: f.departmentId,
    dispatchedAt: f.dispatchedAt,
    dueSignAt: f.dueSignAt,
    signedAt: f.signedAt,
    resolvedAt: f.resolvedAt,
    dueResolveAt: f.dueResolveAt,
    returned: f.state === "returned",
    whistleId: f.whistleId,
    redone: f.round > 0,
  });
  return { facts, outcomeOf, toFact };
}

/**
 * A month's rates for every department of the unit's district (or the
 * departments serving a subdistrict): two set-based queries, then the pure
 * `rates` per department.
 */
export async function monthlyRates(q: Queryable, unitPath: string, month: Date) {
  const { facts, outcomeOf, toFact } = await rateFacts(q, unitPath, monthStart(month.getUTCFullYear(), month.getUTCMonth()), monthStart(month.getUTCFullYear(), month.getUTCMonth() + 1));
  const byDept = new Map<number, { name: string; facts: AssignmentFact[]; outcomes: Map<number, WhistleOutcome> }>();
  for (const f of facts) {
    const entry = byDept.get(f.departmentId) ?? { name: f.departmentName, facts: [] as AssignmentFact[], outcomes: new Map<number, WhistleOutcome>() };
    entry.facts.push(toFact(f));
    entry.outcomes.set(f.whistleId, outcomeOf.get(f.whistleId)!);
    byDept.set(f.departmentId, entry);
  }
  return [...byDept.entries()].map(([departmentId, d]) => ({ departmentId, name: d.name, ...rates(d.facts, [...d.outcomes.values()]) }));
}

/**
 * The unit's three rates (all its departments together) for each of the
 * `months` months ending with `month`, oldest first: the month-over-month chart.
 * One pair of queries over the whole span, grouped by month here.
 */
export async function rateTrend(q: Queryable, unitPath: string, month: Date, months = 6) {
  const y = month.getUTCFullYear();
  const m = month.getUTCMonth();
  const { facts, outcomeOf, toFact } = await rateFacts(q, unitPath, monthStart(y, m - months + 1), monthStart(y, m + 1));
  const keys = Array.from({ length: months }, (_, i) => monthKeyOf(monthStart(y, m - months + 1 + i)));
  const byMonth = new Map(keys.map((k) => [k, { facts: [] as AssignmentFact[], outcomes: new Map<number, WhistleOutcome>() }]));
  for (const f of facts) {
    const entry = byMonth.get(monthKeyOf(f.dispatchedAt));
    if (!entry) continue;
    entry.facts.push(toFact(f));
    entry.outcomes.set(f.whistleId, outcomeOf.get(f.whistleId)!);
  }
  return keys.map((k) => {
    const r = rates(byMonth.get(k)!.facts, [...byMonth.get(k)!.outcomes.values()]);
    return { month: k, responseRate: r.responseRate, resolutionRate: r.resolutionRate, satisfactionRate: r.satisfactionRate, dispatched: r.dispatched, signedInTime: r.signedInTime, answered: r.answered, solved: r.solved, rated: r.rated, satisfied: r.satisfied };
  });
}

/** Whistles by state for a unit's subtree (the stacked bar). */
export async function whistlesByState(q: Queryable, unitPath: string) {
  return q
    .select({ state: whistles.state, n: sql<number>`count(*)::int` })
    .from(whistles)
    .innerJoin(units, eq(units.id, whistles.subdistrictId))
    .where(sql`${units.path} like ${unitPath + "%"}`)
    .groupBy(whistles.state)
    .orderBy(desc(sql`count(*)`));
}

/** A district's weight periods, latest first. */
export function weightPeriods(q: Queryable, districtId: number) {
  return q
    .select({ validFrom: scoreWeights.validFrom, response: scoreWeights.response, resolution: scoreWeights.resolution, satisfaction: scoreWeights.satisfaction, setAt: scoreWeights.setAt })
    .from(scoreWeights)
    .where(eq(scoreWeights.districtId, districtId))
    .orderBy(desc(scoreWeights.validFrom));
}
