import { and, asc, count, desc, eq, inArray, is, SQL, sql } from "drizzle-orm";
import type { Queryable } from "#db/client.server";
import { categories, comments, hallConveners, hallMembers, halls, proposalSeconds, proposals, units, users, type ProposalState } from "#db/schema";
import { pathIds, type Actor } from "~/modules/identity/actor";
import type { HallContext } from "./permissions";

export async function getHall(q: Queryable, hallId: number) {
  const [row] = await q
    .select({ hall: halls, unitPath: units.path, unitName: units.name })
    .from(halls)
    .innerJoin(units, eq(units.id, halls.unitId))
    .where(eq(halls.id, hallId));
  return row;
}

/**
 * Columns that give a hall as permissions see it; select them from `halls`
 * joined to its unit. The membership is the actor's, or that of the user id an
 * SQL expression gives (a batch of several people's lookups).
 */
export function hallContextColumns(actor: Actor | SQL) {
  const userId = is(actor, SQL) ? actor : sql`${actor.userId ?? -1}`;
  return {
    hall: halls,
    unitPath: units.path,
    unitName: units.name,
    conveners: sql<number[]>`array(select c.user_id from ${hallConveners} c where c.hall_id = ${halls.id})`,
    membership: sql<HallContext["membership"]>`(select m.status from ${hallMembers} m where m.hall_id = ${halls.id} and m.user_id = ${userId})`,
  };
}

export type HallContextRow = { hall: typeof halls.$inferSelect; unitPath: string; unitName: string; conveners: number[]; membership: HallContext["membership"] | null };

export function toHallContext(row: HallContextRow): { hall: typeof halls.$inferSelect; unitName: string; context: HallContext } {
  return {
    hall: row.hall,
    unitName: row.unitName,
    context: {
      hallId: row.hall.id,
      unitPath: row.unitPath,
      memberKinds: row.hall.memberKinds,
      policy: row.hall.membershipPolicy,
      conveners: row.conveners.map(Number),
      membership: row.membership ?? null,
    },
  };
}

/** The hall as permissions see it, with the actor's own membership: one round trip (every hall action needs it). */
export async function hallContext(q: Queryable, hallId: number, actor: Actor) {
  const [row] = await q.select(hallContextColumns(actor)).from(halls).innerJoin(units, eq(units.id, halls.unitId)).where(eq(halls.id, hallId));
  return row ? toHallContext(row) : null;
}

export async function activeMemberCount(q: Queryable, hallId: number): Promise<number> {
  const [row] = await q
    .select({ n: count() })
    .from(hallMembers)
    .where(and(eq(hallMembers.hallId, hallId), eq(hallMembers.status, "active"), sql`${hallMembers.userId} is not null`));
  return row?.n ?? 0;
}

/**
 * Halls near a person (their community and the units above it) first, then
 * all the others; visitors see all. One query, with member and proposal counts.
 */
export async function listHalls(q: Queryable, actor: Actor) {
  const near = actor.residency ? pathIds(actor.residency.communityPath) : [];
  const rows = await q
    .select({
      id: halls.id,
      name: halls.name,
      description: halls.description,
      unitId: halls.unitId,
      unitName: units.name,
      unitKind: units.kind,
      members: sql<number>`(select count(*)::int from ${hallMembers} m where m.hall_id = ${halls.id} and m.status = 'active')`,
      activeProposals: sql<number>`(select count(*)::int from ${proposals} p where p.hall_id = ${halls.id} and p.state in ('open','on_agenda','in_debate','voting'))`,
    })
    .from(halls)
    .innerJoin(units, eq(units.id, halls.unitId))
    .orderBy(asc(units.path), asc(halls.id))
    .limit(500);
  return rows.map((r) => ({ ...r, near: near.includes(r.unitId) })).sort((a, b) => Number(b.near) - Number(a.near));
}

export type HallSort = "newest" | "seconded" | "active";

/** A hall's proposals with their seconds and recent activity: one query with grouped sub-selects. */
export async function listProposals(
  q: Queryable,
  hallId: number,
  filter: { states?: ProposalState[]; category?: string; sort: HallSort; viewerId: number | null; limit?: number },
) {
  const seconds = q
    .select({ proposalId: proposalSeconds.proposalId, n: count().as("n") })
    .from(proposalSeconds)
    .innerJoin(proposals, eq(proposals.id, proposalSeconds.proposalId))
    .where(eq(proposals.hallId, hallId))
    .groupBy(proposalSeconds.proposalId)
    .as("s");
  const activity = q
    .select({ proposalId: comments.proposalId, n: count().as("comment_count"), last: sql<Date>`max(${comments.createdAt})`.as("last_comment") })
    .from(comments)
    .innerJoin(proposals, eq(proposals.id, comments.proposalId))
    .where(eq(proposals.hallId, hallId))
    .groupBy(comments.proposalId)
    .as("a");
  const order =
    filter.sort === "seconded"
      ? [desc(sql`coalesce(${seconds.n}, 0)`), desc(proposals.id)]
      : filter.sort === "active"
        ? [desc(sql`coalesce(${activity.last}, ${proposals.createdAt})`), desc(proposals.id)]
        : [desc(proposals.createdAt), desc(proposals.id)];
  const conditions = [eq(proposals.hallId, hallId)];
  // Drafts are their author's alone.
  conditions.push(filter.viewerId === null ? sql`${proposals.state} <> 'draft'` : sql`(${proposals.state} <> 'draft' or ${proposals.authorId} = ${filter.viewerId})`);
  if (filter.states?.length) conditions.push(inArray(proposals.state, filter.states));
  if (filter.category) conditions.push(eq(proposals.categoryCode, filter.category));
  return q
    .select({
      id: proposals.id,
      title: proposals.title,
      state: proposals.state,
      categoryCode: proposals.categoryCode,
      categoryZh: categories.nameZh,
      categoryEn: categories.nameEn,
      createdAt: proposals.createdAt,
      secondsRequired: proposals.secondsRequired,
      authorName: users.displayName,
      seconds: sql<number>`coalesce(${seconds.n}, 0)::int`,
      comments: sql<number>`coalesce(${activity.n}, 0)::int`,
    })
    .from(proposals)
    .innerJoin(users, eq(users.id, proposals.authorId))
    .innerJoin(categories, eq(categories.code, proposals.categoryCode))
    .leftJoin(seconds, eq(seconds.proposalId, proposals.id))
    .leftJoin(activity, eq(activity.proposalId, proposals.id))
    .where(and(...conditions))
    .orderBy(...order)
    .limit(filter.limit ?? 100);
}

export async function listApplications(q: Queryable, hallId: number) {
  return q
    .select({ id: hallMembers.id, userId: users.id, displayName: users.displayName, joinedAt: hallMembers.joinedAt })
    .from(hallMembers)
    .innerJoin(users, eq(users.id, hallMembers.userId))
    .where(and(eq(hallMembers.hallId, hallId), eq(hallMembers.status, "pending")))
    .orderBy(asc(hallMembers.joinedAt));
}

export async function listConvenerNames(q: Queryable, hallId: number) {
  return q
    .select({ id: users.id, displayName: users.displayName })
    .from(hallConveners)
    .innerJoin(users, eq(users.id, hallConveners.userId))
    .where(eq(hallConveners.hallId, hallId));
}
