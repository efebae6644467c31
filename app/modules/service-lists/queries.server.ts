import { and, asc, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import { db } from "#db/client.server";
import { activities, halls, needClaims, needs, organizations, partyReports, pledges, proposals, resources, units, users, type NeedClaimStatus, type PledgeCategory } from "#db/schema";
import { ForbiddenError, NotFoundError } from "~/lib/command.server";
import { can } from "~/modules/access";
import { COMMUNITY_STAFF, type Actor } from "~/modules/identity/actor";
import { claimable, claimDegree, claimStepError, closable, matches, mayRaiseFrom, needCategoryFor, remaining } from "./rules";

/** One named query per page of the three lists (三张清单). */

const offerer = sql<string>`coalesce(${users.displayName}, ${organizations.name})`;

/** The community, or a 404: the lists are a community's. */
async function communityOf(unitId: number) {
  const [unit] = await db().select({ id: units.id, name: units.name, kind: units.kind, path: units.path, parentId: units.parentId }).from(units).where(eq(units.id, unitId));
  if (!unit || unit.kind !== "community") throw new NotFoundError("unit");
  return unit;
}

/** A community's live resources (not withdrawn), newest first, with who offers them. */
async function resourcesOf(unitId: number) {
  return db()
    .select({
      id: resources.id,
      unitId: resources.unitId,
      kind: resources.kind,
      category: resources.category,
      description: resources.description,
      availability: resources.availability,
      userId: resources.userId,
      organizationId: resources.organizationId,
      offerer,
    })
    .from(resources)
    .leftJoin(users, eq(users.id, resources.userId))
    .leftJoin(organizations, eq(organizations.id, resources.organizationId))
    .where(and(eq(resources.unitId, unitId), isNull(resources.withdrawnAt)))
    .orderBy(desc(resources.id));
}

/**
 * The community's reported members (双报到, confirmed) with an active
 * pledge, one row per member and category: who a need of that category may ask.
 */
async function membersOf(unitId: number) {
  const rows = await db()
    .selectDistinct({ userId: users.id, name: users.displayName, category: pledges.category })
    .from(partyReports)
    .innerJoin(users, eq(users.id, partyReports.userId))
    .innerJoin(pledges, and(eq(pledges.userId, partyReports.userId), eq(pledges.status, "active")))
    .where(and(eq(partyReports.communityId, unitId), eq(partyReports.status, "confirmed")))
    .orderBy(asc(users.id));
  return rows.map((r) => ({ ...r, unitId }));
}

type Resource = Awaited<ReturnType<typeof resourcesOf>>[number];
type Member = Awaited<ReturnType<typeof membersOf>>[number];

/** What matches a need: the community's resources and members of its category. */
function matchesFor(need: { unitId: number; category: PledgeCategory }, all: { resources: Resource[]; members: Member[] }) {
  return {
    resources: matches(need, all.resources).map((r) => ({ id: r.id, kind: r.kind, description: r.description, availability: r.availability, offerer: r.offerer })),
    members: matches(need, all.members).map((m) => ({ userId: m.userId, name: m.name })),
  };
}

const needColumns = {
  id: needs.id,
  unitId: needs.unitId,
  category: needs.category,
  title: needs.title,
  description: needs.description,
  whenText: needs.whenText,
  unit: needs.unit,
  amount: needs.amount,
  claimed: needs.claimed,
  status: needs.status,
  proposalId: needs.proposalId,
  closeReason: needs.closeReason,
  createdAt: needs.createdAt,
};

/** The three lists of a community: its needs (with their claims' progress and what matches them), its resources, its activities. */
export async function listsPage(actor: Actor, unitId: number) {
  const unit = await communityOf(unitId);
  const [needRows, resourceRows, members, activityRows, parent] = await Promise.all([
    db()
      .select(needColumns)
      .from(needs)
      .where(eq(needs.unitId, unit.id))
      // Live needs first, then the latest done or closed.
      .orderBy(sql`case when ${needs.status} in ('open', 'claimed') then 0 else 1 end`, desc(needs.id))
      .limit(60),
    resourcesOf(unit.id),
    membersOf(unit.id),
    db()
      .select({ id: activities.id, title: activities.title, category: activities.category, place: activities.place, startsAt: activities.startsAt, status: activities.status })
      .from(activities)
      .where(eq(activities.unitId, unit.id))
      .orderBy(desc(activities.startsAt))
      .limit(30),
    unit.parentId ? db().select({ id: units.id, name: units.name }).from(units).where(eq(units.id, unit.parentId)) : Promise.resolve([]),
  ]);
  const pool = { resources: resourceRows, members };
  return {
    unit: { id: unit.id, name: unit.name },
    parent: parent[0] ?? null,
    needs: needRows.map((n) => ({ ...n, degree: claimDegree(n), remaining: remaining(n), ...(claimable(n) ? matchesFor(n, pool) : { resources: [], members: [] }) })),
    resources: resourceRows.map((r) => ({
      ...r,
      canWithdraw: can(actor, "resource:withdraw", { userId: r.userId, organizationId: r.organizationId, unitPath: unit.path }),
    })),
    activities: activityRows,
    can: {
      postNeed: can(actor, "need:post", { unitPath: unit.path }),
      offer: actor.userId !== null && (actor.partyMember || Object.values(actor.organizations).includes("admin")),
    },
  };
}

/** The unit Party organisations the actor administers (confirmed): whom they may claim or offer for. */
async function unitOrgsOf(actor: Actor) {
  const ids = Object.entries(actor.organizations)
    .filter(([, role]) => role === "admin")
    .map(([id]) => Number(id));
  if (ids.length === 0) return [];
  const rows = await db()
    .select({ id: organizations.id, name: organizations.name, kind: organizations.kind, status: organizations.status, unitPath: units.path })
    .from(organizations)
    .innerJoin(units, eq(units.id, organizations.unitId))
    .where(inArray(organizations.id, ids))
    .orderBy(asc(organizations.id));
  return rows.filter((o) => can(actor, "need:claim", { organization: { id: o.id, kind: o.kind, confirmed: o.status === "confirmed" } }));
}

/** A need: its claims and what each viewer may do with them, what matches it, and the claim form's choices. */
export async function needPage(actor: Actor, needId: number) {
  const [row] = await db()
    .select({ need: needColumns, unitName: units.name, unitPath: units.path, proposalTitle: proposals.title, poster: users.displayName })
    .from(needs)
    .innerJoin(units, eq(units.id, needs.unitId))
    .innerJoin(users, eq(users.id, needs.createdBy))
    .leftJoin(proposals, eq(proposals.id, needs.proposalId))
    .where(eq(needs.id, needId));
  if (!row) throw new NotFoundError("need");
  const { need, unitPath } = row;
  const [claims, resourceRows, members, orgs] = await Promise.all([
    db()
      .select({
        id: needClaims.id,
        amount: needClaims.amount,
        status: needClaims.status,
        userId: needClaims.userId,
        organizationId: needClaims.organizationId,
        reportedDoneAt: needClaims.reportedDoneAt,
        releaseReason: needClaims.releaseReason,
        createdAt: needClaims.createdAt,
        claimer: offerer,
      })
      .from(needClaims)
      .leftJoin(users, eq(users.id, needClaims.userId))
      .leftJoin(organizations, eq(organizations.id, needClaims.organizationId))
      .where(eq(needClaims.needId, need.id))
      .orderBy(asc(needClaims.id)),
    resourcesOf(need.unitId),
    membersOf(need.unitId),
    unitOrgsOf(actor),
  ]);
  const step = (c: { status: NeedClaimStatus; reportedDoneAt: Date | null }, s: "reportDone" | "confirm" | "release") => claimStepError(c, s) === null;
  const manage = can(actor, "need:manage", { unitPath });
  const options = [...(can(actor, "need:claim", { organization: null }) ? [{ value: "self", label: null as string | null }] : []), ...orgs.map((o) => ({ value: String(o.id), label: o.name as string | null }))];
  // A claimer with a live claim sees it rather than the form again.
  const live = new Set(claims.filter((c) => c.status === "claimed").map((c) => (c.userId !== null ? `u${c.userId}` : `o${c.organizationId}`)));
  const openOptions = options.filter((o) => !live.has(o.value === "self" ? `u${actor.userId}` : `o${o.value}`));
  return {
    need: { ...need, degree: claimDegree(need), remaining: remaining(need), unitName: row.unitName, poster: row.poster, proposalTitle: row.proposalTitle },
    claims: claims.map((c) => {
      const own = can(actor, "claim:own", { userId: c.userId, organizationId: c.organizationId });
      return {
        ...c,
        can: {
          reportDone: own && step(c, "reportDone"),
          confirm: manage && step(c, "confirm"),
          release: can(actor, "claim:release", { userId: c.userId, organizationId: c.organizationId, unitPath }) && step(c, "release"),
        },
      };
    }),
    ...(claimable(need) ? matchesFor(need, { resources: resourceRows, members }) : { resources: [], members: [] }),
    claimOptions: claimable(need) ? openOptions : [],
    can: { close: manage && closable(need.status), startProject: can(actor, "project:create", { unitPath }) && claimable(need) },
  };
}

/** Communities where the actor is staff (tree order): where they may post needs. */
async function staffCommunities(actor: Actor) {
  const scopes = actor.positions.filter((p) => COMMUNITY_STAFF.includes(p.kind) && p.unitPath !== null).map((p) => p.unitPath!);
  if (scopes.length === 0) return [];
  return db()
    .select({ id: units.id, name: units.name, path: units.path })
    .from(units)
    .where(and(eq(units.kind, "community"), sql`(${sql.join(scopes.map((s) => sql`${units.path} like ${`${s}%`}`), sql` or `)})`))
    .orderBy(asc(units.path));
}

/** The form for a new need: the communities the actor may post to, prefilled from a passed proposal (转为需求) when one is named. */
export async function newNeedPage(actor: Actor, input: { unitId?: number; proposalId?: number }) {
  let communities = await staffCommunities(actor);
  let fromProposal: { id: number; title: string; category: PledgeCategory } | null = null;
  if (input.proposalId) {
    const [p] = await db()
      .select({ id: proposals.id, title: proposals.title, state: proposals.state, categoryCode: proposals.categoryCode, hallPath: units.path })
      .from(proposals)
      .innerJoin(halls, eq(halls.id, proposals.hallId))
      .innerJoin(units, eq(units.id, halls.unitId))
      .where(eq(proposals.id, input.proposalId));
    if (!p || !mayRaiseFrom(p.state)) throw new NotFoundError("proposal");
    fromProposal = { id: p.id, title: p.title.slice(0, 60), category: needCategoryFor(p.categoryCode) };
    // Only the communities of the proposal's hall (itself, or under it).
    communities = communities.filter((c) => c.path.startsWith(p.hallPath));
  }
  if (communities.length === 0) throw new ForbiddenError("need:post");
  const unitId = communities.find((c) => c.id === input.unitId)?.id ?? communities[0]!.id;
  return { communities: communities.map(({ id, name }) => ({ id, name })), unitId, fromProposal };
}

/** The form for a new resource: as oneself (to the community one reported to) or for a unit Party organisation (to a community under it). */
export async function newResourcePage(actor: Actor) {
  if (actor.userId === null) throw new ForbiddenError("resource:offer");
  const [reports, orgs] = await Promise.all([
    can(actor, "resource:offer", { organization: null })
      ? db()
          .select({ id: units.id, name: units.name })
          .from(partyReports)
          .innerJoin(units, eq(units.id, partyReports.communityId))
          .where(and(eq(partyReports.userId, actor.userId), eq(partyReports.status, "confirmed")))
      : Promise.resolve([]),
    unitOrgsOf(actor),
  ]);
  const options = [...(reports[0] ? [{ value: "self", label: null as string | null }] : []), ...orgs.map((o) => ({ value: String(o.id), label: o.name as string | null }))];
  if (options.length === 0) throw new ForbiddenError("resource:offer");
  const orgCommunities = orgs.length
    ? await db()
        .select({ id: units.id, name: units.name })
        .from(units)
        .where(and(eq(units.kind, "community"), sql`(${sql.join(orgs.map((o) => sql`${units.path} like ${`${o.unitPath}%`}`), sql` or `)})`))
        .orderBy(asc(units.path))
    : [];
  const communities = [...reports, ...orgCommunities.filter((c) => c.id !== reports[0]?.id)];
  return { options, communities, unitId: reports[0]?.id ?? communities[0]?.id };
}

/** The needs raised from a proposal, for its page. */
export async function needsFromProposal(proposalId: number) {
  return db().select({ id: needs.id, title: needs.title, status: needs.status }).from(needs).where(eq(needs.proposalId, proposalId)).orderBy(asc(needs.id));
}
