import { and, asc, count, desc, eq, gte, inArray, isNotNull, lt, ne, sql, type SQL } from "drizzle-orm";
import { db, type Queryable } from "#db/client.server";
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
  whistleRateCounts,
  whistles,
  type AssignmentState,
  type WhistleState,
} from "#db/schema";
import type { Actor } from "~/modules/identity/actor";
import { withinAny } from "~/modules/units/queries.server";
import { staffAccountOf } from "~/modules/identity/queries.server";
import { emergencyElapsed, mayDispatchTo, mayRate, maySupervise, nextStep, offersReopen, overdueBy, publicActor, ratingTally } from "./rules";
import { raisersOf, suggestDepartments } from "./commands.server";
import { can } from "~/modules/access";
import { pathIds } from "~/modules/identity/actor";
import { NotFoundError } from "~/lib/command.server";
import { serverNow } from "~/lib/clock.server";
import {
  CASES_LIMIT,
  emptyCounts,
  RATE_BITS,
  RATE_COUNT_NAMES,
  RATE_PARTS,
  ratesFromCounts,
  type RateCountName,
  type RateName,
} from "./rules";
import { monthKey, monthStart as monthStartIn } from "~/lib/time";
import { timeZone } from "~/lib/clock.server";
export { CASES_LIMIT, RATE_PARTS, type RateName };

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
      .select({
        e: whistleEvents,
        actorName: users.displayName,
        staffAccount: staffAccountOf(sql`${whistleEvents.actorId}`, sql`${users.username}`),
        departmentName: departments.name,
      })
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
  return {
    ...row,
    assignments: list,
    events,
    pendingExtensions: pendingExtensions.map((p) => p.r),
    ratings: ratingRows,
    photos,
    pendingClosure: pendingClosure[0] ?? null,
  };
}

/** Evidence photos of some assignments (on site, resolved), oldest first, grouped by assignment. */
export async function photosOfAssignments(q: Queryable, assignmentIds: number[]) {
  const byAssignment = new Map<number, { id: number; eventId: number; fileName: string }[]>();
  if (assignmentIds.length === 0) return byAssignment;
  const rows = await q
    .select({
      id: whistlePhotos.id,
      eventId: whistlePhotos.eventId,
      assignmentId: whistlePhotos.assignmentId,
      fileName: whistlePhotos.fileName,
    })
    .from(whistlePhotos)
    .where(inArray(whistlePhotos.assignmentId, assignmentIds))
    .orderBy(asc(whistlePhotos.id));
  for (const r of rows) byAssignment.set(r.assignmentId, [...(byAssignment.get(r.assignmentId) ?? []), r]);
  return byAssignment;
}

export const INBOX_PAGE_SIZE = 50;

/** A department or station officer's open assignments, most urgent first, 50 a page (one more is read to know whether a next page exists). */
/** Which assignments an officer's inbox holds: their departments' (and, for a head, its stations') open parts; null when they hold none. */
/** The rooms an officer's inbox listens to: their departments' (each hears its stations' work too, see `announce`). */
export function inboxRooms(actor: Pick<Actor, "positions">): string[] {
  return [...new Set(actor.positions.filter((p) => p.departmentId !== null).map((p) => `department:${p.departmentId}`))];
}

async function inboxScope(q: Queryable, actor: Actor) {
  const ids = actor.positions.filter((p) => p.departmentId !== null).map((p) => p.departmentId!);
  if (ids.length === 0) return null;
  const heads = actor.positions.filter((p) => p.kind === "department_head" && p.departmentId !== null).map((p) => p.departmentId!);
  const stationIds = heads.length
    ? (await q.select({ id: departments.id }).from(departments).where(inArray(departments.parentId, heads))).map((d) => d.id)
    : [];
  return and(
    inArray(assignments.departmentId, [...new Set([...ids, ...stationIds])]),
    inArray(assignments.state, ["dispatched", "signed", "on_site"] as AssignmentState[]),
    ne(whistles.state, "closed" as WhistleState), // closed as unreasonable: nothing more is owed
  );
}

/** How many assignments wait in an officer's inbox, all pages together. */
export async function countInbox(q: Queryable, actor: Actor): Promise<number> {
  const scope = await inboxScope(q, actor);
  if (!scope) return 0;
  const [row] = await q.select({ n: count() }).from(assignments).innerJoin(whistles, eq(whistles.id, assignments.whistleId)).where(scope);
  return row?.n ?? 0;
}

export async function getInbox(q: Queryable, actor: Actor, page = 1) {
  const scope = await inboxScope(q, actor);
  if (!scope) return [];
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
    .where(scope)
    .orderBy(
      sql`case ${assignments.state} when 'dispatched' then ${assignments.dueSignAt} when 'signed' then ${assignments.dueOnSiteAt} else coalesce(${assignments.dueResolveAt}, 'infinity') end`,
      asc(assignments.id),
    )
    .limit(INBOX_PAGE_SIZE + 1)
    .offset((page - 1) * INBOX_PAGE_SIZE);
}

/** A subdistrict's overdue and supervised whistles, and the public overdue report. */
/** Overdue assignments and requests waiting for a whistle in the subdistricts under `scopes` (unit paths; see `supervisionScopes`). */
export async function getSupervision(q: Queryable, scopes: string[]) {
  const scope = withinAny(units.path, scopes);
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

/** The instant a calendar month begins in the district's time zone (`monthIndex` may run past 11 or below 0). */
const monthStart = (year: number, monthIndex: number) => monthStartIn(year, monthIndex, timeZone());

/** The subdistricts in a unit's subtree (the unit itself when it is one): the counts are kept per subdistrict. */
const subdistrictsUnder = (unitPath: string) =>
  sql`(select ${units.id} from ${units} where ${units.path} like ${unitPath + "%"} and ${units.kind} = 'subdistrict')`;
const countColumns = Object.fromEntries(RATE_COUNT_NAMES.map((k) => [k, sql<number>`sum(${whistleRateCounts[k]})::int`])) as Record<
  RateCountName,
  SQL<number>
>;

/**
 * A month's rates for every department of the unit's district (or the
 * departments serving a subdistrict), from the monthly counts kept by each
 * step (ADR 0018): one grouped read of at most subdistricts × departments rows.
 */
export async function monthlyRates(q: Queryable, unitPath: string, month: Date) {
  const key = monthKey(month.getUTCFullYear(), month.getUTCMonth());
  const rows = await q
    .select({ departmentId: whistleRateCounts.departmentId, name: departments.name, ...countColumns })
    .from(whistleRateCounts)
    .innerJoin(departments, eq(departments.id, whistleRateCounts.departmentId))
    .where(and(eq(whistleRateCounts.month, key), inArray(whistleRateCounts.subdistrictId, subdistrictsUnder(unitPath))))
    .groupBy(whistleRateCounts.departmentId, departments.name)
    .orderBy(departments.name);
  return rows.map(({ departmentId, name, ...c }) => ({ departmentId, name, ...ratesFromCounts(c) }));
}

/**
 * The unit's three rates (all its departments together) for each of the
 * `months` months ending with `month`, oldest first: the month-over-month chart.
 */
export async function rateTrend(q: Queryable, unitPath: string, month: Date, months = 6) {
  const y = month.getUTCFullYear();
  const m = month.getUTCMonth();
  const keys = Array.from({ length: months }, (_, i) => monthKey(y, m - months + 1 + i));
  const rows = await q
    .select({ month: whistleRateCounts.month, ...countColumns })
    .from(whistleRateCounts)
    .where(and(inArray(whistleRateCounts.month, keys), inArray(whistleRateCounts.subdistrictId, subdistrictsUnder(unitPath))))
    .groupBy(whistleRateCounts.month);
  const byMonth = new Map(rows.map(({ month: k, ...c }) => [k, c]));
  return keys.map((k) => {
    const r = ratesFromCounts(byMonth.get(k) ?? emptyCounts());
    return {
      month: k,
      responseRate: r.responseRate,
      resolutionRate: r.resolutionRate,
      satisfactionRate: r.satisfactionRate,
      dispatched: r.dispatched,
      signedInTime: r.signedInTime,
      due: r.due,
      resolved: r.resolved,
      rated: r.rated,
      satisfied: r.satisfied,
    };
  });
}

/**
 * Whistles raised within a community (or a courtyard): whistled directly by
 * it (社区吹哨), or escalated from a proposal of a hall of it or of a unit
 * under it. A community's dashboard follows these whistles wherever they went.
 */
const raisedWithin = (unitPath: string) =>
  sql`(${whistles.communityId} in (select ${units.id} from ${units} where ${units.path} like ${unitPath + "%"})
    or ${whistles.proposalId} in (select p.id from ${proposals} p join halls h on h.id = p.hall_id join ${units} u on u.id = h.unit_id where u.path like ${unitPath + "%"}))`;

/** The counts summed from the bits each assignment stores (the same bits the monthly counts add up, ADR 0018). */
const bitColumns = Object.fromEntries(
  RATE_COUNT_NAMES.map((k) => [k, sql<number>`count(*) filter (where (${assignments.rateFlags} & ${RATE_BITS[k]}) <> 0)::int`]),
) as Record<RateCountName, SQL<number>>;

/**
 * A month's rates per department for the whistles a community raised, summed
 * from the assignments' stored bits: the same figures the subdistrict's counts
 * hold for these assignments, read for a few dozen rows instead of kept.
 */
export async function raisedRates(q: Queryable, unitPath: string, month: Date) {
  const y = month.getUTCFullYear();
  const m = month.getUTCMonth();
  const rows = await q
    .select({ departmentId: assignments.departmentId, name: departments.name, ...bitColumns })
    .from(assignments)
    .innerJoin(whistles, eq(whistles.id, assignments.whistleId))
    .innerJoin(departments, eq(departments.id, assignments.departmentId))
    .where(and(gte(assignments.dispatchedAt, monthStart(y, m)), lt(assignments.dispatchedAt, monthStart(y, m + 1)), ne(assignments.rateFlags, 0), raisedWithin(unitPath)))
    .groupBy(assignments.departmentId, departments.name)
    .orderBy(departments.name);
  return rows.map(({ departmentId, name, ...c }) => ({ departmentId, name, ...ratesFromCounts(c) }));
}

/** The month-over-month chart of the whistles a community raised (see raisedRates), oldest first. */
export async function raisedTrend(q: Queryable, unitPath: string, month: Date, months = 6) {
  const y = month.getUTCFullYear();
  const m = month.getUTCMonth();
  return Promise.all(
    Array.from({ length: months }, async (_, i) => {
      const at = new Date(Date.UTC(y, m - months + 1 + i, 1));
      const [c] = await q
        .select(bitColumns)
        .from(assignments)
        .innerJoin(whistles, eq(whistles.id, assignments.whistleId))
        .where(
          and(
            gte(assignments.dispatchedAt, monthStart(at.getUTCFullYear(), at.getUTCMonth())),
            lt(assignments.dispatchedAt, monthStart(at.getUTCFullYear(), at.getUTCMonth() + 1)),
            ne(assignments.rateFlags, 0),
            raisedWithin(unitPath),
          ),
        );
      const r = ratesFromCounts(c ?? emptyCounts());
      return {
        month: monthKey(at.getUTCFullYear(), at.getUTCMonth()),
        responseRate: r.responseRate,
        resolutionRate: r.resolutionRate,
        satisfactionRate: r.satisfactionRate,
        dispatched: r.dispatched,
        signedInTime: r.signedInTime,
        due: r.due,
        resolved: r.resolved,
        rated: r.rated,
        satisfied: r.satisfied,
      };
    }),
  );
}

/**
 * The cases behind one figure of the dashboard: a department's assignments of
 * the month under the unit that are in the figure's denominator, each marked
 * whether it is also in the numerator. Read from the same bits the counts sum.
 */
export async function casesBehind(q: Queryable, input: { unitPath: string; departmentId: number | null; rate: RateName; month: Date; raisedWithin?: boolean }) {
  const { numerator, denominator } = RATE_PARTS[input.rate];
  const y = input.month.getUTCFullYear();
  const m = input.month.getUTCMonth();
  const inDenominator = sql`(${assignments.rateFlags} & ${RATE_BITS[denominator]}) <> 0`;
  return q
    .select({
      assignmentId: assignments.id,
      whistleId: whistles.id,
      title: whistles.title,
      departmentName: departments.name,
      role: assignments.role,
      state: assignments.state,
      dispatchedAt: assignments.dispatchedAt,
      subdistrictName: units.name,
      counted: sql<boolean>`(${assignments.rateFlags} & ${RATE_BITS[numerator]}) <> 0`,
    })
    .from(assignments)
    .innerJoin(whistles, eq(whistles.id, assignments.whistleId))
    .innerJoin(units, eq(units.id, whistles.subdistrictId))
    .innerJoin(departments, eq(departments.id, assignments.departmentId))
    .where(
      and(
        input.departmentId === null ? undefined : eq(assignments.departmentId, input.departmentId),
        gte(assignments.dispatchedAt, monthStart(y, m)),
        lt(assignments.dispatchedAt, monthStart(y, m + 1)),
        input.raisedWithin ? raisedWithin(input.unitPath) : inArray(whistles.subdistrictId, subdistrictsUnder(input.unitPath)),
        inDenominator,
      ),
    )
    .orderBy(asc(assignments.dispatchedAt), asc(assignments.id))
    .limit(CASES_LIMIT + 1);
}

/** Whistles by state for a unit's subtree, or those raised within a community (the stacked bar). */
export async function whistlesByState(q: Queryable, unitPath: string, raised = false) {
  return q
    .select({ state: whistles.state, n: sql<number>`count(*)::int` })
    .from(whistles)
    .innerJoin(units, eq(units.id, whistles.subdistrictId))
    .where(raised ? raisedWithin(unitPath) : sql`${units.path} like ${unitPath + "%"}`)
    .groupBy(whistles.state)
    .orderBy(desc(sql`count(*)`));
}

/** A district's weight periods, latest first. */
export function weightPeriods(q: Queryable, districtId: number) {
  return q
    .select({
      validFrom: scoreWeights.validFrom,
      response: scoreWeights.response,
      resolution: scoreWeights.resolution,
      satisfaction: scoreWeights.satisfaction,
      minCases: scoreWeights.minCases,
      setAt: scoreWeights.setAt,
    })
    .from(scoreWeights)
    .where(eq(scoreWeights.districtId, districtId))
    .orderBy(desc(scoreWeights.validFrom));
}

/**
 * The whistle page as its viewer may see it: the whistle, its assignments with
 * their deadlines, the public timeline (residents unnamed), ratings in
 * aggregate, the departments it may go to, and what the viewer may do.
 */
export async function whistlePage(actor: Actor, whistleId: number) {
  const q = db();
  const page = await getWhistlePage(q, whistleId);
  if (!page) throw new NotFoundError("whistle");
  const w = page.w;
  const now = serverNow();
  const [[sub], [community]] = await Promise.all([
    q.select({ path: units.path }).from(units).where(eq(units.id, w.subdistrictId)),
    w.communityId ? q.select({ path: units.path, name: units.name }).from(units).where(eq(units.id, w.communityId)) : Promise.resolve([]),
  ]);
  // A community's whistle to stations (社区吹哨) is the community's to follow up as well.
  const whistler = { subdistrictPath: sub!.path, communityPath: community?.path ?? null };
  const canBlow = can(actor, "whistle:blow", whistler);
  const raisers = await raisersOf(q, w);
  const thisRound = page.ratings.filter((r) => r.round === w.round);
  const myRating = thisRound.find((r) => r.userId === actor.userId) ?? null;
  const targets = canBlow
    ? (
        await q
          .select({ id: departments.id, name: departments.name, level: departments.level, servesUnitId: departments.servesUnitId })
          .from(departments)
          .where(eq(departments.districtId, pathIds(sub!.path)[1]!))
      ).filter((d) => mayDispatchTo(d, w))
    : [];
  const listed = new Set(targets.map((d) => d.id));
  const suggestion = canBlow && w.state === "requested" ? await suggestDepartments(q, w.subdistrictId, w.categoryCode) : null;
  const assignmentParts = page.assignments.map(({ a, parentId }) => ({ departmentId: a.departmentId, parentDepartmentId: parentId }));
  return {
    whistle: {
      id: w.id,
      title: w.title,
      description: w.description,
      address: w.address,
      kind: w.kind,
      state: w.state,
      instructions: w.instructions,
      round: w.round,
      ratingClosesAt: w.ratingClosesAt,
      proposalId: w.proposalId,
      createdAt: w.createdAt,
      dispatchedAt: w.dispatchedAt,
      elapsedMs: emergencyElapsed(w, now),
    },
    subdistrict: page.subdistrictName,
    community: community?.name ?? null,
    category: { zh: page.categoryZh, en: page.categoryEn },
    assignments: page.assignments.map(({ a, departmentName, parentId }) => ({
      id: a.id,
      departmentName,
      role: a.role,
      round: a.round,
      state: a.state,
      dueSignAt: a.dueSignAt,
      dueOnSiteAt: a.dueOnSiteAt,
      dueResolveAt: a.dueResolveAt,
      resultText: a.resultText,
      overdueMs: overdueBy(a, now),
      next: nextStep(a),
      mine: can(actor, "assignment:work", { departmentId: a.departmentId, parentDepartmentId: parentId }),
    })),
    photos: page.photos.map((p) => ({ id: p.id, eventId: p.eventId, url: `/uploads/${p.fileName}` })),
    events: page.events.map(({ e, actorName, staffAccount, departmentName }) => ({
      id: e.id,
      kind: e.kind,
      at: e.at,
      publicText: e.publicText,
      ...publicActor(e.kind, { actorName, staffAccount }),
      departmentName,
      people: typeof e.data?.people === "number" ? e.data.people : null,
      noEvidenceReason: typeof e.data?.noEvidenceReason === "string" ? e.data.noEvidenceReason : null,
    })),
    pendingClosure: page.pendingClosure
      ? { id: page.pendingClosure.id, reason: page.pendingClosure.reason, at: page.pendingClosure.createdAt }
      : null,
    closure: w.closure,
    pendingExtensions: page.pendingExtensions.map((r) => ({
      id: r.id,
      assignmentId: r.assignmentId,
      newDueAt: r.newDueAt,
      reason: r.reason,
    })),
    ratings: { count: thisRound.length, mine: myRating, tally: ratingTally(thisRound) },
    can: {
      blow: canBlow,
      supervise: maySupervise(w.state) && can(actor, "whistle:supervise", { subdistrictPath: sub!.path }),
      confirm: can(actor, "assignment:confirm", whistler),
      requestUnreasonable:
        w.state !== "closed" &&
        !page.pendingClosure &&
        can(actor, "whistle:requestUnreasonable", { subdistrictPath: sub!.path, departments: assignmentParts }),
      decideUnreasonable:
        page.pendingClosure !== null &&
        can(actor, "whistle:decideUnreasonable", { subdistrictPath: sub!.path, requestedBy: page.pendingClosure.requestedBy }),
      rate: mayRate(w, now) && can(actor, "whistle:rate", { raisers }),
      reopen: offersReopen(myRating, w.round),
    },
    // Only suggestions the form may send.
    suggestion: suggestion && {
      ...suggestion,
      lead: suggestion.lead.filter((id) => listed.has(id)),
      cooperate: suggestion.cooperate.filter((id) => listed.has(id)),
    },
    departments: targets,
    now: now.toISOString(),
  };
}
