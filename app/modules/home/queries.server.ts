import { and, asc, count, desc, eq, gt, inArray, sql } from "drizzle-orm";
import { db, type Queryable } from "#db/client.server";
import { categories, follows, hallMembers, halls, proposalEvents, proposals, units, votes, whistles, type ProposalState, type WhistleState } from "#db/schema";
import { serverNow } from "~/lib/clock.server";
import { localMonth, monthStart } from "~/lib/time";
import { config } from "~/config.server";
import type { Actor } from "~/modules/identity/actor";
import { hasWorkbench } from "~/modules/workbench/rules";
import { ACTIVE_STATES, DECIDED_STATES, HOME_LIST, WORKING_WHISTLE_STATES, latestResults, type HomeResult } from "./rules";

/**
 * The home page (issue 14 §6): what is happening in the district now, for
 * everyone, and for a signed-in resident what waits for them. A fixed number
 * of queries whoever asks; the visitors' part is cached and dropped on the
 * district's pulse (realtime/pulse.server.ts).
 */

/** When a proposal last had news on its page: opened, or its latest comment. */
const lastActivity = sql<Date>`greatest(coalesce(${proposals.openedAt}, ${proposals.createdAt}), coalesce((select max(c.created_at) from comments c where c.proposal_id = ${proposals.id}), ${proposals.createdAt}))`;
/** When a proposal last moved on (its latest event). */
const lastChange = sql<Date>`coalesce((select max(e.at) from proposal_events e where e.proposal_id = ${proposals.id}), ${proposals.createdAt})`;

/** What is happening now, the same for everyone: counts, open votes, active proposals, whistles being handled, recent results. */
export async function districtNow(q: Queryable, now: Date) {
  const zone = config().timeZone;
  const month = localMonth(now, zone);
  const thisMonth = monthStart(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1, zone);
  const [proposalCounts, whistleCounts, resolvedThisMonth, openVotes, active, working, decided, closedVotes, resolved] = await Promise.all([
    q
      .select({ state: proposals.state, n: count() })
      .from(proposals)
      .where(inArray(proposals.state, ACTIVE_STATES))
      .groupBy(proposals.state),
    q
      .select({ n: count() })
      .from(whistles)
      .where(inArray(whistles.state, WORKING_WHISTLE_STATES)),
    q
      .select({ n: count() })
      .from(whistles)
      .where(and(gt(whistles.resolvedAt, thisMonth), inArray(whistles.state, ["resolved", "closed"] satisfies WhistleState[]))),
    q
      .select({
        id: votes.id,
        question: votes.question,
        hallName: halls.name,
        closesAt: votes.closesAt,
        secret: votes.secret,
        electorate: votes.electorate,
        electorateSize: votes.electorateSize,
        turnout: sql<number>`((select count(*) from ballots b where b.vote_id = ${votes.id}) + (select count(*) from participations pa where pa.vote_id = ${votes.id}))::int`,
      })
      .from(votes)
      .innerJoin(halls, eq(halls.id, votes.hallId))
      .where(eq(votes.state, "open"))
      .orderBy(asc(votes.closesAt), asc(votes.id))
      .limit(HOME_LIST),
    q
      .select({
        id: proposals.id,
        title: proposals.title,
        state: proposals.state,
        hallName: halls.name,
        seconds: sql<number>`(select count(*) from proposal_seconds s where s.proposal_id = ${proposals.id})::int`,
        secondsRequired: proposals.secondsRequired,
        comments: sql<number>`(select count(*) from comments c where c.proposal_id = ${proposals.id} and c.hidden_at is null)::int`,
        lastActivity: lastActivity.mapWith((v: string | Date) => new Date(v)),
      })
      .from(proposals)
      .innerJoin(halls, eq(halls.id, proposals.hallId))
      .where(inArray(proposals.state, ACTIVE_STATES))
      .orderBy(desc(lastActivity), desc(proposals.id))
      .limit(HOME_LIST),
    q
      .select({
        id: whistles.id,
        title: whistles.title,
        state: whistles.state,
        kind: whistles.kind,
        subdistrict: units.name,
        categoryZh: categories.nameZh,
        categoryEn: categories.nameEn,
        since: sql<Date>`coalesce(${whistles.dispatchedAt}, ${whistles.createdAt})`.mapWith((v: string | Date) => new Date(v)),
      })
      .from(whistles)
      .innerJoin(units, eq(units.id, whistles.subdistrictId))
      .innerJoin(categories, eq(categories.code, whistles.categoryCode))
      .where(inArray(whistles.state, WORKING_WHISTLE_STATES))
      .orderBy(desc(whistles.createdAt), desc(whistles.id))
      .limit(HOME_LIST),
    q
      .select({ id: proposals.id, title: proposals.title, state: proposalEvents.toState, at: proposalEvents.at })
      .from(proposalEvents)
      .innerJoin(proposals, eq(proposals.id, proposalEvents.proposalId))
      .where(inArray(proposalEvents.toState, DECIDED_STATES))
      .orderBy(desc(proposalEvents.at), desc(proposalEvents.id))
      .limit(HOME_LIST * 2),
    q
      .select({ id: votes.id, title: votes.question, result: votes.result, at: votes.closedAt })
      .from(votes)
      .where(eq(votes.state, "closed"))
      .orderBy(desc(votes.closedAt), desc(votes.id))
      .limit(HOME_LIST),
    q
      .select({ id: whistles.id, title: whistles.title, state: whistles.state, closure: whistles.closure, at: whistles.resolvedAt })
      .from(whistles)
      .where(and(inArray(whistles.state, ["resolved", "closed"] satisfies WhistleState[]), sql`${whistles.resolvedAt} is not null`))
      .orderBy(desc(whistles.resolvedAt), desc(whistles.id))
      .limit(HOME_LIST),
  ]);
  const byState = (states: ProposalState[]) => proposalCounts.filter((r) => states.includes(r.state)).reduce((n, r) => n + r.n, 0);
  const results: HomeResult[] = latestResults(
    [
      ...decided.map((d) => ({ kind: "proposal" as const, id: d.id, title: d.title, at: d.at, outcome: d.state! })),
      ...closedVotes.map((v) => ({ kind: "vote" as const, id: v.id, title: v.title, at: v.at!, outcome: v.result?.outcome ?? "failed_quorum" })),
      ...resolved.map((w) => ({ kind: "whistle" as const, id: w.id, title: w.title, at: w.at!, outcome: w.closure ?? w.state })),
    ],
    HOME_LIST,
  );
  return {
    counts: {
      collecting: byState(["open"]),
      deliberating: byState(["on_agenda", "in_debate", "voting"]),
      whistles: whistleCounts[0]?.n ?? 0,
      resolvedThisMonth: resolvedThisMonth[0]?.n ?? 0,
    },
    openVotes,
    active,
    working,
    results,
  };
}

/**
 * What waits for a signed-in resident: votes they may still cast, whistles
 * they raised that wait for their rating, their halls and what they follow.
 */
export async function residentHome(q: Queryable, actor: Actor, now: Date) {
  const userId = actor.userId!;
  const residentId = actor.residency?.residentId ?? null;
  const householdId = actor.residency?.householdId ?? null;
  // The elector the actor votes as in each kind of vote (votes/commands electorOf, ADR 0020), in SQL.
  const electorSql = sql`case ${votes.electorate} when 'members' then ${userId}::int when 'residents' then ${residentId}::int when 'households' then ${householdId}::int end`;
  const [toCast, toRate, myHalls, followed] = await Promise.all([
    q
      .select({ id: votes.id, question: votes.question, hallName: halls.name, closesAt: votes.closesAt })
      .from(votes)
      .innerJoin(halls, eq(halls.id, votes.hallId))
      .where(
        and(
          eq(votes.state, "open"),
          sql`exists (select 1 from vote_electors e where e.vote_id = ${votes.id} and e.elector_id = ${electorSql})`,
          sql`not exists (select 1 from ballots b where b.vote_id = ${votes.id} and b.elector_id = ${electorSql})`,
          sql`not exists (select 1 from participations pa where pa.vote_id = ${votes.id} and pa.elector_id = ${electorSql})`,
        ),
      )
      .orderBy(asc(votes.closesAt), asc(votes.id))
      .limit(HOME_LIST),
    q
      .select({ id: whistles.id, title: whistles.title, ratingClosesAt: whistles.ratingClosesAt })
      .from(whistles)
      .innerJoin(proposals, eq(proposals.id, whistles.proposalId))
      .where(
        and(
          eq(whistles.state, "resolved"),
          gt(whistles.ratingClosesAt, now),
          // Who may rate: the proposal's author and seconders (whistles/commands raisersOf).
          sql`(${proposals.authorId} = ${userId} or exists (select 1 from proposal_seconds s where s.proposal_id = ${proposals.id} and s.user_id = ${userId}))`,
          sql`not exists (select 1 from ratings r where r.whistle_id = ${whistles.id} and r.user_id = ${userId} and r.round = ${whistles.round})`,
        ),
      )
      .orderBy(asc(whistles.ratingClosesAt), asc(whistles.id))
      .limit(HOME_LIST),
    q
      .select({
        id: halls.id,
        name: halls.name,
        active: sql<number>`(select count(*) from proposals p where p.hall_id = ${halls.id} and p.state in ('open', 'on_agenda', 'in_debate', 'voting'))::int`,
      })
      .from(hallMembers)
      .innerJoin(halls, eq(halls.id, hallMembers.hallId))
      .where(and(eq(hallMembers.userId, userId), eq(hallMembers.status, "active")))
      .orderBy(asc(halls.id))
      .limit(HOME_LIST),
    q
      .select({
        id: proposals.id,
        title: proposals.title,
        state: proposals.state,
        changedAt: lastChange.mapWith((v: string | Date) => new Date(v)),
      })
      .from(follows)
      .innerJoin(proposals, eq(proposals.id, follows.proposalId))
      .where(and(eq(follows.userId, userId), sql`${proposals.state} <> 'draft'`))
      .orderBy(desc(lastChange), desc(proposals.id))
      .limit(HOME_LIST),
  ]);
  return { toCast, toRate, myHalls, followed };
}

/** The home page's data: staff are sent to their workbench by the route; `?public` shows them this page. */
export async function homePage(actor: Actor) {
  const q = db();
  const now = serverNow();
  const [district, mine] = await Promise.all([districtNow(q, now), actor.userId !== null ? residentHome(q, actor, now) : Promise.resolve(null)]);
  return { district, mine, staff: hasWorkbench(actor), now: now.toISOString() };
}
