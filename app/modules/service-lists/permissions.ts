import type { OrganizationKind } from "#db/schema/people";
import { COMMUNITY_STAFF, holdsOver, type Actor } from "~/modules/identity/actor";

/** An organisation as the permissions need it. */
export interface OrgRef {
  id: number;
  kind: OrganizationKind;
  confirmed: boolean;
}

/**
 * Who may do what with a community's three lists (三张清单): one pure
 * function per action, composed into the one `can()` in app/modules/access.ts.
 */
export type ServiceListRules = {
  /** Post a need on a community's list (or raise one from a passed proposal): the community's staff. */
  "need:post": { unitPath: string };
  /** Close a need, confirm a claim done: the community's staff. */
  "need:manage": { unitPath: string };
  /** Claim a need: a confirmed in-service Party member for themselves; an admin of a confirmed unit Party organisation for it. */
  "need:claim": { organization: OrgRef | null };
  /** Say one's claim is done: the member who claimed, or an admin of the organisation that did. */
  "claim:own": { userId: number | null; organizationId: number | null };
  /** Release a claim (with a reason): its claimer, or the community's staff. */
  "claim:release": { userId: number | null; organizationId: number | null; unitPath: string };
  /** Offer a resource: a confirmed in-service Party member; an admin of a confirmed unit Party organisation for it. */
  "resource:offer": { organization: OrgRef | null };
  /** Take a resource off the list: who offered it, or the community's staff. */
  "resource:withdraw": { userId: number | null; organizationId: number | null; unitPath: string };
};
export type ServiceListAction = keyof ServiceListRules;

const signedIn = (a: Actor) => a.userId !== null;
const orgAdmin = (a: Actor, id: number | null) => id !== null && a.organizations[id] === "admin";
const staff = (a: Actor, unitPath: string) => holdsOver(a, COMMUNITY_STAFF, unitPath);
/** A member for themselves, or an admin for a confirmed unit Party organisation. */
const memberOrUnitOrg = (a: Actor, org: OrgRef | null) =>
  org === null ? signedIn(a) && a.partyMember : orgAdmin(a, org.id) && org.confirmed && org.kind === "unit_party_org";
const owns = (a: Actor, r: { userId: number | null; organizationId: number | null }) =>
  signedIn(a) && ((r.userId !== null && a.userId === r.userId) || orgAdmin(a, r.organizationId));

export const serviceListRules: { [A in ServiceListAction]: (actor: Actor, resource: ServiceListRules[A]) => boolean } = {
  "need:post": (a, r) => staff(a, r.unitPath),
  "need:manage": (a, r) => staff(a, r.unitPath),
  "need:claim": (a, r) => memberOrUnitOrg(a, r.organization),
  "claim:own": (a, r) => owns(a, r),
  "claim:release": (a, r) => owns(a, r) || staff(a, r.unitPath),
  "resource:offer": (a, r) => memberOrUnitOrg(a, r.organization),
  "resource:withdraw": (a, r) => owns(a, r) || staff(a, r.unitPath),
};
