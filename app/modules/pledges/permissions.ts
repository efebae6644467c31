import type { OrganizationKind } from "#db/schema/people";
import type { ActivityEligibility } from "#db/schema/pledges";
import { COMMUNITY_STAFF, holdsOver, isPlatformAdmin, type Actor } from "~/modules/identity/actor";

/** An organisation as the permissions need it. */
export interface OrgRef {
  id: number;
  kind: OrganizationKind;
  confirmed: boolean;
}

/**
 * Who may do what with pledges, activities and service records: one pure
 * function per action, answered through `can`. This module depends on
 * identity's Actor, never the other way round.
 */
export type PledgeRules = {
  /** A confirmed in-service Party member pledges for themselves; an admin of a confirmed unit Party organisation for it. */
  "pledge:create": { organization: OrgRef | null };
  /** The member who pledged, or an admin of the organisation that did. */
  "pledge:withdraw": { userId: number | null; organizationId: number | null };
  /** Community staff over the unit; an admin of a confirmed unit Party organisation or verified civil-society organisation. */
  "activity:organize": { unitPath: string; organization: OrgRef | null };
  /** Its organiser: who created it, an admin of the organising organisation, or community staff over its unit. */
  "activity:manage": { unitPath: string; organizationId: number | null; createdBy: number };
  /** Members only: confirmed in-service Party members; residents: them and verified residents. */
  "activity:signUp": { eligibility: ActivityEligibility };
  /** One's own place: cancel it, check in with the venue's code, ask for a correction. */
  "signup:own": { userId: number };
  /** A yearly service record: its member, or community staff over where they reported. */
  "record:view": { userId: number; communityPath: string | null };
  /** Each reported member's hours and pledges on a unit Party organisation's dashboard: its admins, and community or subdistrict staff over its unit. */
  "org:memberService": { organizationId: number; unitPath: string };
  /** Set a district's star levels (hours per star): its district administrators, and platform administrators. */
  "starLevels:set": { districtPath: string };
};
export type PledgeAction = keyof PledgeRules;

const signedIn = (a: Actor) => a.userId !== null;
const orgAdmin = (a: Actor, id: number | null) => id !== null && a.organizations[id] === "admin";

export const pledgeRules: { [A in PledgeAction]: (actor: Actor, resource: PledgeRules[A]) => boolean } = {
  "pledge:create": (a, r) =>
    r.organization === null ? a.partyMember : orgAdmin(a, r.organization.id) && r.organization.confirmed && r.organization.kind === "unit_party_org",
  "pledge:withdraw": (a, r) => signedIn(a) && (a.userId === r.userId || orgAdmin(a, r.organizationId)),
  "activity:organize": (a, r) =>
    r.organization === null
      ? holdsOver(a, COMMUNITY_STAFF, r.unitPath)
      : orgAdmin(a, r.organization.id) && r.organization.confirmed && r.organization.kind !== "merchant_association",
  "activity:manage": (a, r) => signedIn(a) && (a.userId === r.createdBy || orgAdmin(a, r.organizationId) || holdsOver(a, COMMUNITY_STAFF, r.unitPath)),
  "activity:signUp": (a, r) => signedIn(a) && (a.partyMember || (r.eligibility === "residents" && a.residency !== null)),
  "signup:own": (a, r) => signedIn(a) && a.userId === r.userId,
  "record:view": (a, r) => signedIn(a) && (a.userId === r.userId || (r.communityPath !== null && holdsOver(a, COMMUNITY_STAFF, r.communityPath))),
  "org:memberService": (a, r) => signedIn(a) && (orgAdmin(a, r.organizationId) || holdsOver(a, COMMUNITY_STAFF, r.unitPath)),
  "starLevels:set": (a, r) => isPlatformAdmin(a) || holdsOver(a, ["district_admin"], r.districtPath),
};

export function can<A extends PledgeAction>(actor: Actor, action: A, resource: PledgeRules[A]): boolean {
  return pledgeRules[action](actor, resource);
}

