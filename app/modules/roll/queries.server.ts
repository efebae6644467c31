import { and, asc, desc, eq, inArray, isNull, or, sql, type SQL } from "drizzle-orm";
import { rowsOf, type Queryable } from "#db/client.server";
import { auditEvents, ballots, households, participations, residencyClaims, rollResidents, units, users, voteElectors, type Electorate } from "#db/schema";
import { ForbiddenError, NotFoundError } from "~/lib/command.server";
import { COMMUNITY_STAFF, type Actor } from "~/modules/identity/actor";
import { authorize } from "~/modules/access";
import { scopesOf } from "~/modules/identity/queries.server";
import { withinAny } from "~/modules/units/queries.server";

/** Reads of the roll of residents (居民名册): staff of the community and its subdistrict only (roll:read). */

/** The communities whose roll the actor keeps, for the roll page's picker. */
export async function rollCommunities(q: Queryable, actor: Actor) {
  const scopes = scopesOf(actor, COMMUNITY_STAFF);
  if (scopes.length === 0) return [];
  return q
    .select({ id: units.id, name: units.name, path: units.path })
    .from(units)
    .where(and(eq(units.kind, "community"), withinAny(units.path, scopes)))
    .orderBy(units.path)
    .limit(200);
}

/** Text to find people or households by: a name, part of an address, a phone number. */
function matching(search: string): SQL | undefined {
  const term = search.trim();
  if (!term) return undefined;
  return or(
    sql`position(${term} in ${rollResidents.name}) > 0`,
    sql`position(${term} in ${households.address}) > 0`,
    sql`position(${term} in coalesce(${rollResidents.phone}, '')) > 0`,
  );
}

/**
 * One community's roll: households with the people in them (who has an
 * account, who is the head), found by name, address or phone; those who
 * moved out only when asked. At most 100 households a page.
 */
export async function listRoll(q: Queryable, actor: Actor, input: { communityId: number; search?: string; movedOut?: boolean }) {
  const [community] = await q.select({ id: units.id, name: units.name, path: units.path, kind: units.kind }).from(units).where(eq(units.id, input.communityId));
  if (!community || community.kind !== "community") throw new NotFoundError("community");
  authorize(actor, "roll:read", { communityPath: community.path });
  const found = matching(input.search ?? "");
  const active = input.movedOut ? undefined : and(isNull(households.endedAt), isNull(rollResidents.movedOutAt));
  const householdIds = await q
    .selectDistinct({ id: households.id, address: households.address })
    .from(households)
    .leftJoin(rollResidents, eq(rollResidents.householdId, households.id))
    .where(and(eq(households.communityId, community.id), found, input.movedOut ? undefined : isNull(households.endedAt)))
    .orderBy(households.address)
    .limit(100);
  const ids = householdIds.map((h) => h.id);
  const [rows, people] = await Promise.all([
    ids.length ? q.select().from(households).where(inArray(households.id, ids)).orderBy(asc(households.address)) : [],
    ids.length
      ? q
          .select({
            id: rollResidents.id,
            householdId: rollResidents.householdId,
            name: rollResidents.name,
            birthYear: rollResidents.birthYear,
            isHead: rollResidents.isHead,
            hasAccount: sql<boolean>`${rollResidents.userId} is not null`,
            movedOutAt: rollResidents.movedOutAt,
          })
          .from(rollResidents)
          .innerJoin(households, eq(households.id, rollResidents.householdId))
          .where(and(inArray(rollResidents.householdId, ids), active))
          .orderBy(desc(rollResidents.isHead), asc(rollResidents.id))
      : [],
  ]);
  const [totals] = rowsOf<{ households: number; people: number; without: number }>(
    await q.execute(sql`select
      (select count(*)::int from ${households} where community_id = ${community.id} and ended_at is null) as households,
      (select count(*)::int from ${rollResidents} where community_id = ${community.id} and moved_out_at is null) as people,
      (select count(*)::int from ${rollResidents} where community_id = ${community.id} and moved_out_at is null and user_id is null) as without`),
  );
  return {
    community: { id: community.id, name: community.name },
    totals: totals ?? { households: 0, people: 0, without: 0 },
    households: rows.map((h) => ({ ...h, people: people.filter((p) => p.householdId === h.id) })),
  };
}

/**
 * One household: its people (moved out too), what changed and who changed it
 * (the audit trail), the community's other households (to move someone),
 * and the residency claims that could be linked to its people.
 */
export async function getRollHousehold(q: Queryable, actor: Actor, householdId: number) {
  const [row] = await q
    .select({ household: households, communityName: units.name, communityPath: units.path })
    .from(households)
    .innerJoin(units, eq(units.id, households.communityId))
    .where(eq(households.id, householdId));
  if (!row) throw new NotFoundError("household");
  authorize(actor, "roll:read", { communityPath: row.communityPath });
  const people = await q
    .select({ resident: rollResidents, accountName: users.displayName })
    .from(rollResidents)
    .leftJoin(users, eq(users.id, rollResidents.userId))
    .where(eq(rollResidents.householdId, householdId))
    .orderBy(sql`${rollResidents.movedOutAt} is not null`, desc(rollResidents.isHead), asc(rollResidents.id));
  const personIds = people.map((p) => String(p.resident.id));
  const [history, otherHouseholds, claims] = await Promise.all([
    q
      .select({ id: auditEvents.id, action: auditEvents.action, subjectType: auditEvents.subjectType, subjectId: auditEvents.subjectId, data: auditEvents.data, at: auditEvents.at, actorName: users.displayName })
      .from(auditEvents)
      .leftJoin(users, eq(users.id, auditEvents.actorId))
      .where(
        or(
          and(eq(auditEvents.subjectType, "household"), eq(auditEvents.subjectId, String(householdId))),
          personIds.length ? and(eq(auditEvents.subjectType, "roll_resident"), inArray(auditEvents.subjectId, personIds)) : undefined,
        ),
      )
      .orderBy(desc(auditEvents.id))
      .limit(100),
    q
      .select({ id: households.id, address: households.address })
      .from(households)
      .where(and(eq(households.communityId, row.household.communityId), isNull(households.endedAt)))
      .orderBy(households.address)
      .limit(500),
    linkableClaims(q, row.household.communityId),
  ]);
  const names = new Map(people.map((p) => [String(p.resident.id), p.resident.name]));
  return {
    household: row.household,
    communityName: row.communityName,
    people: people.map((p) => ({ ...p.resident, accountName: p.accountName })),
    history: history.map((h) => ({ ...h, subjectName: h.subjectType === "roll_resident" ? (names.get(h.subjectId) ?? null) : null })),
    otherHouseholds,
    claims: claims.filter((c) => c.userId !== actor.userId),
  };
}

/** Claims in a community whose account is not on the roll yet: pending, or verified but unlinked. */
function linkableClaims(q: Queryable, communityId: number) {
  return q
    .select({ id: residencyClaims.id, userId: residencyClaims.userId, status: residencyClaims.status, address: residencyClaims.address, displayName: users.displayName })
    .from(residencyClaims)
    .innerJoin(users, eq(users.id, residencyClaims.userId))
    .where(
      and(
        eq(residencyClaims.communityId, communityId),
        inArray(residencyClaims.status, ["pending", "verified"]),
        sql`not exists (select 1 from ${rollResidents} r where r.user_id = ${residencyClaims.userId} and r.moved_out_at is null)`,
      ),
    )
    .orderBy(residencyClaims.createdAt)
    .limit(50);
}

/**
 * For each pending claim at the desk, the roll entries it may be (people
 * without an account in the same community, at the claimed address or with
 * the claimant's name): verifying can link the account to one of them.
 */
export async function rollMatchesForClaims(q: Queryable, claims: { id: number; communityId: number; address: string; displayName: string }[]) {
  const result: Record<number, { id: number; name: string; birthYear: number | null; address: string }[]> = {};
  if (claims.length === 0) return result;
  const communityIds = [...new Set(claims.map((c) => c.communityId))];
  const candidates = await q
    .select({ id: rollResidents.id, communityId: rollResidents.communityId, name: rollResidents.name, birthYear: rollResidents.birthYear, address: households.address })
    .from(rollResidents)
    .innerJoin(households, eq(households.id, rollResidents.householdId))
    .where(
      and(
        inArray(rollResidents.communityId, communityIds),
        isNull(rollResidents.movedOutAt),
        isNull(rollResidents.userId),
        or(inArray(households.address, claims.map((c) => c.address)), inArray(rollResidents.name, claims.map((c) => c.displayName))),
      ),
    )
    .limit(500);
  for (const c of claims) {
    result[c.id] = candidates
      .filter((r) => r.communityId === c.communityId && (r.address === c.address || r.name === c.displayName))
      .map(({ id, name, birthYear, address }) => ({ id, name, birthYear, address }));
  }
  return result;
}

/**
 * The vote's electors on the roll that staff may record a paper ballot for,
 * found by name, address or phone: people (or households, with their
 * people's names), with whether and how they already voted. Only in
 * communities whose roll the actor keeps.
 */
export async function findPaperElectors(
  q: Queryable,
  actor: Actor,
  vote: { id: number; electorate: Electorate; secret: boolean },
  search: string,
) {
  const scopes = scopesOf(actor, COMMUNITY_STAFF);
  if (scopes.length === 0) throw new ForbiddenError("roll:read");
  const found = matching(search);
  if (!found) return [];
  const elector =
    vote.electorate === "members" ? rollResidents.userId : vote.electorate === "households" ? rollResidents.householdId : rollResidents.id;
  const votedTable = vote.secret ? participations : ballots;
  const rows = await q
    .select({
      residentId: rollResidents.id,
      householdId: households.id,
      name: rollResidents.name,
      birthYear: rollResidents.birthYear,
      isHead: rollResidents.isHead,
      address: households.address,
      hasAccount: sql<boolean>`${rollResidents.userId} is not null`,
      voted: sql<string | null>`(select v.channel from ${votedTable} v where v.vote_id = ${vote.id} and v.elector_id = ${elector})`,
    })
    .from(rollResidents)
    .innerJoin(households, eq(households.id, rollResidents.householdId))
    .innerJoin(units, eq(units.id, rollResidents.communityId))
    .innerJoin(voteElectors, and(eq(voteElectors.voteId, vote.id), eq(voteElectors.electorId, elector)))
    .where(and(isNull(rollResidents.movedOutAt), withinAny(units.path, scopes), found))
    .orderBy(households.address, desc(rollResidents.isHead), rollResidents.id)
    .limit(30);
  return rows;
}
