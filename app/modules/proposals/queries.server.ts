import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { db, type Queryable } from "#db/client.server";
import { NotFoundError } from "~/lib/command.server";
import { serverNow } from "~/lib/clock.server";
import { hallRules, isEligible, proposalAbilities } from "~/modules/halls/permissions";
import { listApplications, listConvenerNames, listProposals, type HallSort } from "~/modules/halls/queries.server";
import { listCategories } from "~/modules/units/queries.server";
import { proposalStates, type ProposalState } from "#db/schema/halls";
import { staffAccountOf } from "~/modules/identity/queries.server";
import { listHallVotes } from "~/modules/votes/queries.server";
import { can } from "~/modules/access";
import { needsFromProposal } from "~/modules/service-lists/queries.server";
import { mayRaiseFrom } from "~/modules/service-lists/rules";
import {
  alleys,
  categories,
  comments,
  follows,
  halls,
  minutes,
  organizations,
  partyReports,
  proposalEvents,
  proposalPhotos,
  proposalSeconds,
  proposals,
  users,
  votes,
  whistles,
  whistleEvents,
  assignments,
  departments,
} from "#db/schema";
import type { Actor } from "~/modules/identity/actor";
import { hallContext } from "~/modules/halls/queries.server";
import { secondsAndRev, toCommentPayload } from "./commands.server";
import { roomSeqColumn } from "#realtime/room-log.server";

const badgeHolders = alias(partyReports, "badge");

/**
 * Everything the proposal page shows, in a fixed number of queries however
 * many comments it has (never a query per comment).
 */
export async function getProposalPage(q: Queryable, proposalId: number, actor: Actor) {
  const [row] = await q
    .select({
      proposal: proposals,
      authorName: users.displayName,
      organizationName: organizations.name,
      categoryZh: categories.nameZh,
      categoryEn: categories.nameEn,
      alleyName: alleys.name,
      // The room's number, read before the rest of the page (ADR 0046).
      seq: roomSeqColumn(`proposal:${proposalId}`),
    })
    .from(proposals)
    .innerJoin(users, eq(users.id, proposals.authorId))
    .innerJoin(categories, eq(categories.code, proposals.categoryCode))
    .leftJoin(organizations, eq(organizations.id, proposals.organizationId))
    .leftJoin(alleys, eq(alleys.id, proposals.alleyId))
    .where(eq(proposals.id, proposalId));
  if (!row) return null;
  const eventActor = alias(users, "event_actor");
  const orgIds = Object.keys(actor.organizations).map(Number);
  const [hall, events, secondRows, debate, totals, latestMinutes, photos, following, myOrganizations, latestVote, whistleRows] =
    await Promise.all([
      hallContext(q, row.proposal.hallId, actor),
      q
        .select({
          id: proposalEvents.id,
          kind: proposalEvents.kind,
          fromState: proposalEvents.fromState,
          toState: proposalEvents.toState,
          reason: proposalEvents.reason,
          at: proposalEvents.at,
          actorName: eventActor.displayName,
        })
        .from(proposalEvents)
        .leftJoin(eventActor, eq(eventActor.id, proposalEvents.actorId))
        .where(and(eq(proposalEvents.proposalId, proposalId), sql`${proposalEvents.kind} not in ('second', 'unsecond')`))
        .orderBy(asc(proposalEvents.id)),
      // One statement, so the count and its `rev` are of the same moment.
      q
        .select({
          ...secondsAndRev(proposalId),
          mine: sql<boolean>`exists (select 1 from ${proposalSeconds} where ${proposalSeconds.proposalId} = ${proposalId} and ${proposalSeconds.userId} = ${actor.userId ?? -1})`,
        })
        .from(proposals)
        .where(eq(proposals.id, proposalId)),
      debatePage(q, proposalId, 0),
      debateTotals(q, proposalId),
      q.select().from(minutes).where(eq(minutes.proposalId, proposalId)).orderBy(desc(minutes.version)).limit(1),
      q.select().from(proposalPhotos).where(eq(proposalPhotos.proposalId, proposalId)).orderBy(asc(proposalPhotos.id)),
      actor.userId === null
        ? []
        : q
            .select({ userId: follows.userId })
            .from(follows)
            .where(and(eq(follows.proposalId, proposalId), eq(follows.userId, actor.userId))),
      // The organisations the actor may speak for.
      orgIds.length
        ? q.select({ id: organizations.id, name: organizations.name }).from(organizations).where(inArray(organizations.id, orgIds))
        : [],
      q
        .select({ id: votes.id, state: votes.state, result: votes.result })
        .from(votes)
        .where(eq(votes.proposalId, proposalId))
        .orderBy(desc(votes.id))
        .limit(1),
      q
        .select({ id: whistles.id, state: whistles.state })
        .from(whistles)
        .where(eq(whistles.proposalId, proposalId))
        .orderBy(desc(whistles.id))
        .limit(1),
    ]);
  const whistle = whistleRows[0]
    ? {
        ...whistleRows[0],
        events: await q
          .select({
            id: whistleEvents.id,
            kind: whistleEvents.kind,
            at: whistleEvents.at,
            publicText: whistleEvents.publicText,
            departmentName: departments.name,
          })
          .from(whistleEvents)
          .leftJoin(assignments, eq(assignments.id, whistleEvents.assignmentId))
          .leftJoin(departments, eq(departments.id, assignments.departmentId))
          .where(eq(whistleEvents.whistleId, whistleRows[0].id))
          .orderBy(asc(whistleEvents.id)),
      }
    : null;
  return {
    ...row,
    hall: hall!,
    events,
    seconds: secondRows[0]?.seconds ?? 0,
    rev: secondRows[0]?.rev ?? 0,
    secondedByMe: secondRows[0]?.mine ?? false,
    debate: { ...debate, totals },
    minutes: latestMinutes[0] ?? null,
    photos,
    following: following.length > 0,
    myOrganizations,
    whistle,
    vote: latestVote[0] ? { id: latestVote[0].id, state: latestVote[0].state, outcome: latestVote[0].result?.outcome ?? null } : null,
  };
}

/** The proposal page, as its viewer may see it: the proposal, its debate, what follows from it, and what the viewer may do. */
export async function proposalPage(actor: Actor, proposalId: number) {
  const page = await getProposalPage(db(), proposalId, actor);
  const ctx = page && { hall: page.hall.context, authorId: page.proposal.authorId, state: page.proposal.state };
  if (!page || !ctx || !hallRules["proposal:view"](actor, ctx)) throw new NotFoundError("proposal");
  const { proposal } = page;
  return {
    proposal: {
      id: proposal.id,
      title: proposal.title,
      body: proposal.body,
      state: proposal.state,
      address: proposal.address,
      createdAt: proposal.createdAt,
      secondsRequired: proposal.secondsRequired,
      secondingDeadline: proposal.secondingDeadline,
      authorId: proposal.authorId,
      declineReason: proposal.declineReason,
      declineText: proposal.declineText,
      mergedIntoId: proposal.mergedIntoId,
      hallId: proposal.hallId,
    },
    authorName: page.authorName,
    organizationName: page.organizationName,
    category: { zh: page.categoryZh, en: page.categoryEn },
    alleyName: page.alleyName,
    hall: {
      id: page.hall.hall.id,
      name: page.hall.hall.name,
      commentMaxLength: page.hall.hall.commentMaxLength,
      stanceRequired: page.hall.hall.stanceRequired,
    },
    events: page.events,
    seconds: page.seconds,
    rev: page.rev,
    /** The proposal room's number when read: the page applies only later events (ADR 0046). */
    seq: page.seq,
    secondedByMe: page.secondedByMe,
    debate: page.debate,
    minutes: page.minutes,
    photos: page.photos.map((p) => ({ id: p.id, url: `/uploads/${p.fileName}` })),
    following: page.following,
    vote: page.vote,
    whistle: page.whistle,
    me: actor.userId,
    myOrganizations: page.myOrganizations,
    can: proposalAbilities(actor, ctx, page.secondedByMe),
    /** The needs raised from it (三张清单), and whether the viewer may raise one (转为需求). */
    needs: await needsFromProposal(proposal.id),
    raiseNeed: mayRaiseFrom(proposal.state) && can(actor, "need:post", { unitPath: page.hall.context.unitPath }),
    startProject: mayRaiseFrom(proposal.state) && can(actor, "project:create", { unitPath: page.hall.context.unitPath }),
    clientKey: crypto.randomUUID(),
    now: serverNow().toISOString(),
  };
}

/** How many threads (a comment with its replies) the proposal page shows at once; "more" loads the next. */
export const THREADS_PER_PAGE = 30;

/**
 * The next THREADS_PER_PAGE threads after the thread `afterRootId`, oldest
 * first, each with all its replies: one query whatever their number.
 */
export async function debatePage(q: Queryable, proposalId: number, afterRootId: number, limit = THREADS_PER_PAGE) {
  const rows = await q
    .select({
      c: comments,
      authorName: users.displayName,
      organizationName: organizations.name,
      badge: sql<boolean>`${badgeHolders.id} is not null`,
      staffAccount: staffAccountOf(sql`${comments.authorId}`, sql`${users.username}`),
    })
    .from(comments)
    .innerJoin(users, eq(users.id, comments.authorId))
    .leftJoin(organizations, eq(organizations.id, comments.organizationId))
    .leftJoin(
      badgeHolders,
      and(eq(badgeHolders.userId, comments.authorId), eq(badgeHolders.status, "confirmed"), eq(badgeHolders.showBadge, true)),
    )
    .where(
      sql`${comments.id} in (
        with recursive roots as (
          select r.id from ${comments} r
          where r.proposal_id = ${proposalId} and r.parent_id is null and r.id > ${afterRootId}
          order by r.id limit ${limit}
        ), thread as (
          select id from roots
          union all
          select c.id from ${comments} c join thread t on c.parent_id = t.id where c.proposal_id = ${proposalId}
        )
        select id from thread)`,
    )
    .orderBy(asc(comments.id));
  const roots = rows.filter((r) => r.c.parentId === null);
  const lastRoot = roots.at(-1)?.c.id ?? null;
  // A full page may have more after it (the next request says so by coming back empty).
  return { comments: rows.map(toCommentPayload), nextAfter: roots.length === limit && lastRoot !== null ? lastRoot : null };
}

/** Stance totals of the visible comments, and how many comments and threads there are in all. */
export async function debateTotals(q: Queryable, proposalId: number) {
  const [row] = await q
    .select({
      all: sql<number>`count(*)::int`,
      threads: sql<number>`(count(*) filter (where ${comments.parentId} is null))::int`,
      support: sql<number>`(count(*) filter (where ${comments.stance} = 'support' and ${comments.hiddenAt} is null))::int`,
      oppose: sql<number>`(count(*) filter (where ${comments.stance} = 'oppose' and ${comments.hiddenAt} is null))::int`,
      neutral: sql<number>`(count(*) filter (where ${comments.stance} = 'neutral' and ${comments.hiddenAt} is null))::int`,
    })
    .from(comments)
    .where(eq(comments.proposalId, proposalId));
  return row ?? { all: 0, threads: 0, support: 0, oppose: 0, neutral: 0 };
}

/** The author's own drafts, newest first: in one hall, or everywhere (for /me). Nobody else sees them. */
export async function listMyDrafts(q: Queryable, userId: number, hallId?: number) {
  const where = [eq(proposals.authorId, userId), eq(proposals.state, "draft")];
  if (hallId !== undefined) where.push(eq(proposals.hallId, hallId));
  return q
    .select({ id: proposals.id, title: proposals.title, hallId: proposals.hallId, hallName: halls.name, createdAt: proposals.createdAt })
    .from(proposals)
    .innerJoin(halls, eq(halls.id, proposals.hallId))
    .where(and(...where))
    .orderBy(desc(proposals.createdAt), desc(proposals.id))
    .limit(50);
}

/** One proposal with its hall as permissions see it (for the draft editor). */
export async function getProposalWithHall(q: Queryable, proposalId: number, actor: Actor) {
  const [proposal] = await q.select().from(proposals).where(eq(proposals.id, proposalId));
  if (!proposal) return null;
  const hall = await hallContext(q, proposal.hallId, actor);
  if (!hall) return null;
  return { proposal, hall, ctx: { hall: hall.context, authorId: proposal.authorId, state: proposal.state } };
}

/** The hall page's filter groups of proposal states. */
const stateGroups: Record<string, ProposalState[]> = {
  active: ["open", "on_agenda", "in_debate", "voting"],
  decided: ["decided_passed", "decided_failed", "self_handled", "escalated", "closed"],
  ended: ["withdrawn", "declined", "expired"],
};

/**
 * The hall page: the hall and its rules, its proposals filtered by state group
 * (or one state), category and order, the viewer's drafts, and for its
 * moderators the applications waiting; with what the viewer may do.
 */
export async function hallPage(actor: Actor, hallId: number, params: URLSearchParams) {
  const found = await hallContext(db(), hallId, actor);
  if (!found) throw new NotFoundError("hall");
  const group = params.get("state") ?? "active";
  const single = proposalStates.find((s) => s === group);
  const sortParam = params.get("sort");
  const sort: HallSort = sortParam === "seconded" || sortParam === "active" ? sortParam : "newest";
  const category = params.get("category") || undefined;
  const canModerate = hallRules["hall:moderate"](actor, found.context);
  const [proposalRows, categories, conveners, applications, drafts, hallVotes] = await Promise.all([
    listProposals(db(), hallId, { states: single ? [single] : stateGroups[group], category, sort, viewerId: actor.userId }),
    listCategories(db()),
    listConvenerNames(db(), hallId),
    canModerate ? listApplications(db(), hallId) : [],
    actor.userId === null ? [] : listMyDrafts(db(), actor.userId, hallId),
    listHallVotes(db(), hallId),
  ]);
  return {
    hall: { id: found.hall.id, name: found.hall.name, description: found.hall.description, rules: found.hall.rules, policy: found.hall.membershipPolicy, secondingRule: found.hall.secondingRule, secondingDays: found.hall.secondingDays, commentsPerPerson: found.hall.commentsPerPerson, commentMaxLength: found.hall.commentMaxLength, unitName: found.unitName, unitId: found.hall.unitId },
    membership: found.context.membership,
    canJoin: hallRules["hall:join"](actor, found.context),
    eligible: isEligible(actor, found.context),
    canPropose: hallRules["proposal:create"](actor, found.context),
    canModerate,
    signedIn: actor.userId !== null,
    proposals: proposalRows,
    categories: categories.map((c) => ({ code: c.code, zh: c.nameZh, en: c.nameEn })),
    conveners,
    applications,
    drafts,
    votes: hallVotes,
    draftDeleted: params.get("deleted") === "draft",
    filters: { group, sort, category: category ?? "" },
  };
}

