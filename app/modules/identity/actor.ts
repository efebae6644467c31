import type { PositionKind } from "#db/schema/people";

/**
 * Who is asking, as plain data: the positions they hold (with the path of the
 * unit each is scoped to), the organisations they belong to, and where they
 * are a resident. Loaded once per request; every permission is a pure
 * function of it (architecture.md rule 1).
 */
export interface ActorPosition {
  id: number;
  kind: PositionKind;
  unitId: number | null;
  /** Path of the unit the position is scoped to ("/1/4/17/"); for department positions, the department's district. */
  unitPath: string | null;
  departmentId: number | null;
  alleyId: number | null;
}

export interface Actor {
  userId: number | null;
  positions: ActorPosition[];
  /** organisation id → role */
  organizations: Record<number, "admin" | "member">;
  /**
   * Where they are a verified resident. `residentId` is their entry on the
   * community's roll (居民名册) and `householdId` that entry's household
   * (ADR 0020): who they vote as in residents' and households' votes.
   */
  residency: { communityId: number; communityPath: string; householdId: number | null; residentId?: number | null } | null;
  partyMember: boolean;
  /** The community an in-service Party member reported to (confirmed), if any. */
  partyCommunityPath: string | null;
}

export const visitor: Actor = { userId: null, positions: [], organizations: {}, residency: null, partyMember: false, partyCommunityPath: null };

/** Staff who work with residents of a community: its own staff, and the subdistrict's above it. */
export const COMMUNITY_STAFF: PositionKind[] = ["community_worker", "community_secretary", "subdistrict_officer", "subdistrict_leader"];
export const SUBDISTRICT_STAFF: PositionKind[] = ["subdistrict_officer", "subdistrict_leader"];
export const DEPARTMENT_STAFF: PositionKind[] = ["department_officer", "department_head", "station_officer"];

/** Which work pages a person's positions open from their own page (/me): the desk, the inbox, supervision, administration. */
export function workLinks(kinds: PositionKind[]) {
  const holds = (list: PositionKind[]) => kinds.some((k) => list.includes(k));
  return {
    desk: holds(COMMUNITY_STAFF),
    inbox: holds(DEPARTMENT_STAFF),
    supervision: holds([...SUBDISTRICT_STAFF, "district_admin"]),
    admin: holds(["district_admin", "platform_admin"]),
  };
}

/** Whether `path` lies in `scope` (the same unit or below it). */
export function isWithin(path: string, scope: string): boolean {
  return path.startsWith(scope);
}

/** Whether the actor holds one of `kinds` in a unit at or above `unitPath`. */
export function holdsOver(actor: Actor, kinds: readonly PositionKind[], unitPath: string): boolean {
  return actor.positions.some((p) => kinds.includes(p.kind) && p.unitPath !== null && isWithin(unitPath, p.unitPath));
}

export function holdsKind(actor: Actor, kinds: readonly PositionKind[]): boolean {
  return actor.positions.some((p) => kinds.includes(p.kind));
}

export function isPlatformAdmin(actor: Actor): boolean {
  return actor.positions.some((p) => p.kind === "platform_admin");
}

/** Ids of the units on a path, root first: "/1/4/17/" → [1, 4, 17]. */
export function pathIds(path: string): number[] {
  return path
    .split("/")
    .filter(Boolean)
    .map(Number);
}
