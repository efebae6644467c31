import { and, asc, count, desc, eq, inArray, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Queryable } from "#db/client.server";
import { alleys, categories, comments, follows, minutes, organizations, partyReports, proposalEvents, proposalPhotos, proposalSeconds, proposals, users, votes, whistles, whistleEvents, assignments, departments } from "#db/schema";
import type { Actor } from "~/modules/identity/actor";
import { hallContext } from "~/modules/halls/queries.server";
import { toCommentPayload } from "./commands.server";

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
  const [hall, events, secondRows, commentRows, latestMinutes, photos, following, myOrganizations, latestVote, whistleRows] = await Promise.all([
    hallContext(q, row.proposal.hallId, actor),
    q
      .select({ id: proposalEvents.id, kind: proposalEvents.kind, fromState: proposalEvents.fromState, toState: proposalEvents.toState, reason: proposalEvents.reason, at: proposalEvents.at, actorName: eventActor.displayName })
      .from(proposalEvents)
      .leftJoin(eventActor, eq(eventActor.id, proposalEvents.actorId))
      .where(and(eq(proposalEvents.proposalId, proposalId), sql`${proposalEvents.kind} <> 'second'`))
      .orderBy(asc(proposalEvents.id)),
    q
      .select({ n: count(), mine: sql<boolean>`coalesce(bool_or(${proposalSeconds.userId} = ${actor.userId ?? -1}), false)` })
      .from(proposalSeconds)
      .where(eq(proposalSeconds.proposalId, proposalId)),
    q
      .select({ c: comments, authorName: users.displayName, organizationName: organizations.name, badge: sql<boolean>`${badgeHolders.id} is not null` })
      .from(comments)
      .innerJoin(users, eq(users.id, comments.authorId))
      .leftJoin(organizations, eq(organizations.id, comments.organizationId))
      .leftJoin(badgeHolders, and(eq(badgeHolders.userId, comments.authorId), eq(badgeHolders.status, "confirmed"), eq(badgeHolders.showBadge, true)))
      .where(eq(comments.proposalId, proposalId))
      .orderBy(asc(comments.id)),
    q.select().from(minutes).where(eq(minutes.proposalId, proposalId)).orderBy(desc(minutes.version)).limit(1),
    q.select().from(proposalPhotos).where(eq(proposalPhotos.proposalId, proposalId)).orderBy(asc(proposalPhotos.id)),
    actor.userId === null ? [] : q.select({ userId: follows.userId }).from(follows).where(and(eq(follows.proposalId, proposalId), eq(follows.userId, actor.userId))),
    // The organisations the actor may speak for.
    orgIds.length ? q.select({ id: organizations.id, name: organizations.name }).from(organizations).where(inArray(organizations.id, orgIds)) : [],
    q.select({ id: votes.id, state: votes.state, result: votes.result }).from(votes).where(eq(votes.proposalId, proposalId)).orderBy(desc(votes.id)).limit(1),
    q.select({ id: whistles.id, state: whistles.state }).from(whistles).where(eq(whistles.proposalId, proposalId)).orderBy(desc(whistles.id)).limit(1),
  ]);
  const whistle = whistleRows[0]
    ? {
        ...whistleRows[0],
        events: await q
          .select({ id: whistleEvents.id, kind: whistleEvents.kind, at: whistleEvents.at, publicText: whistleEvents.publicText, departmentName: departments.name })
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
    seconds: secondRows[0]?.n ?? 0,
    secondedByMe: secondRows[0]?.mine ?? false,
    comments: commentRows.map(toCommentPayload),
    minutes: latestMinutes[0] ?? null,
    photos,
    following: following.length > 0,
    myOrganizations,
    whistle,
    vote: latestVote[0] ? { id: latestVote[0].id, state: latestVote[0].state, outcome: latestVote[0].result?.outcome ?? null } : null,
  };
}

/** Full-text search over proposals and comments (CJK bigrams, ADR 0008). */
export async function search(q: Queryable, tsquery: string, limit = 30) {
  const query = sql`to_tsquery('simple', ${tsquery})`;
  const [proposalHits, commentHits] = await Promise.all([
    q
      .select({ id: proposals.id, title: proposals.title, body: proposals.body, state: proposals.state, createdAt: proposals.createdAt })
      .from(proposals)
      .where(and(sql`${proposals.searchVector} @@ ${query}`, sql`${proposals.state} <> 'draft'`))
      .orderBy(desc(sql`ts_rank(${proposals.searchVector}, ${query})`), desc(proposals.id))
      .limit(limit),
    q
      .select({ id: comments.id, body: comments.body, proposalId: comments.proposalId, title: proposals.title, createdAt: comments.createdAt })
      .from(comments)
      .innerJoin(proposals, eq(proposals.id, comments.proposalId))
      .where(and(sql`${comments.searchVector} @@ ${query}`, sql`${comments.hiddenAt} is null`, sql`${proposals.state} <> 'draft'`))
      .orderBy(desc(sql`ts_rank(${comments.searchVector}, ${query})`), desc(comments.id))
      .limit(limit),
  ]);
  return { proposals: proposalHits, comments: commentHits };
}
