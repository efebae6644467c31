import type { OrganizationKind, PositionKind } from "#db/schema/people";
import { ForbiddenError } from "~/lib/command.server";
import { COMMUNITY_STAFF, holdsOver, isPlatformAdmin, SUBDISTRICT_STAFF, type Actor } from "./actor";

/**
 * Who may do what with the structure, people and organisations — one pure
 * function per action, all answered through `can`. Loaders and actions call
 * `can` on the server; pages use the same answers only to hide buttons.
 */
export type StructureRules = {
  "unit:manage": { unitPath: string };
  "position:assign": { unitPath: string; kind: PositionKind };
  "position:revoke": { unitPath: string; kind: PositionKind; holderId: number };
  "alley:appointChief": { subdistrictPath: string };
  "roster:manage": { subdistrictPath: string };
  "audit:view": { unitPath: string };
  "residency:claim": Record<string, never>;
  "residency:decide": { communityPath: string; claimantId: number };
  "resident:viewPrivate": { communityPath: string; personId: number };
  "residents:list": { unitPath: string };
  "partyReport:submit": Record<string, never>;
  "partyReport:decide": { communityPath: string; memberId: number };
  "organization:create": Record<string, never>;
  "organization:manage": { organizationId: number };
  "organization:actFor": { organizationId: number };
  "organization:decide": { organizationId: number; kind: OrganizationKind; unitPath: string };
};

const signedIn = (a: Actor) => a.userId !== null;
const districtAdmin = (a: Actor, path: string) => isPlatformAdmin(a) || holdsOver(a, ["district_admin"], path);

export const structureRules: { [A in keyof StructureRules]: (actor: Actor, resource: StructureRules[A]) => boolean } = {
  "unit:manage": (a, r) => districtAdmin(a, r.unitPath),
  // Only a platform administrator makes platform administrators.
  "position:assign": (a, r) => isPlatformAdmin(a) || (r.kind !== "platform_admin" && holdsOver(a, ["district_admin"], r.unitPath)),
  "position:revoke": (a, r) =>
    a.userId !== r.holderId && (isPlatformAdmin(a) || (r.kind !== "platform_admin" && holdsOver(a, ["district_admin"], r.unitPath))),
  "alley:appointChief": (a, r) => districtAdmin(a, r.subdistrictPath) || holdsOver(a, ["subdistrict_leader"], r.subdistrictPath),
  "roster:manage": (a, r) => districtAdmin(a, r.subdistrictPath) || holdsOver(a, ["subdistrict_leader"], r.subdistrictPath),
  "audit:view": (a, r) => districtAdmin(a, r.unitPath),
  "residency:claim": (a) => signedIn(a),
  "residency:decide": (a, r) => a.userId !== r.claimantId && holdsOver(a, COMMUNITY_STAFF, r.communityPath),
  "resident:viewPrivate": (a, r) => a.userId === r.personId || holdsOver(a, COMMUNITY_STAFF, r.communityPath),
  "residents:list": (a, r) => holdsOver(a, COMMUNITY_STAFF, r.unitPath),
  "partyReport:submit": (a) => signedIn(a),
  "partyReport:decide": (a, r) => a.userId !== r.memberId && holdsOver(a, COMMUNITY_STAFF, r.communityPath),
  "organization:create": (a) => signedIn(a),
  "organization:manage": (a, r) => a.organizations[r.organizationId] === "admin" || isPlatformAdmin(a),
  "organization:actFor": (a, r) => a.organizations[r.organizationId] !== undefined,
  // Civil-society organisations are verified by the subdistrict; unit Party
  // organisations and merchant associations are confirmed by the unit they report to.
  // Nobody decides on an organisation they belong to.
  "organization:decide": (a, r) =>
    a.organizations[r.organizationId] === undefined &&
    holdsOver(a, r.kind === "social_org" ? SUBDISTRICT_STAFF : COMMUNITY_STAFF, r.unitPath),
};

/** The foundation's own check (identity and units use it); features and routes use `can` from `~/modules/access`, which composes every domain's rules. */
export function canStructure<A extends keyof StructureRules>(actor: Actor, action: A, resource: StructureRules[A]): boolean {
  return structureRules[action](actor, resource);
}

/** `canStructure` inside a command: refusal is a ForbiddenError (403). */
export function authorizeStructure<A extends keyof StructureRules>(actor: Actor, action: A, resource: StructureRules[A]): void {
  if (!canStructure(actor, action, resource)) throw new ForbiddenError(action);
}
