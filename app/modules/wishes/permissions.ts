import type { OrganizationKind } from "#db/schema/people";
import type { WishStatus } from "#db/schema/wishes";
import { COMMUNITY_STAFF, holdsOver, type Actor } from "~/modules/identity/actor";
import { mayStep } from "./rules";

/** An organisation as the permissions need it. */
export interface WishOrgRef {
  id: number;
  kind: OrganizationKind;
  confirmed: boolean;
}

/**
 * Who may do what with micro-wishes (微心愿): one pure function per action,
 * composed into `can()` by app/modules/access.ts.
 */
export type WishRules = {
  /** Post a wish for a resident of the community (with their consent): its staff, and the subdistrict's above it. */
  "wish:post": { unitPath: string };
  /**
   * Look after a posted wish: read who it is for (full name, address, phone,
   * consent), confirm or send back a fulfilment, withdraw it. The staff over its community.
   */
  "wish:manage": { unitPath: string };
  /** Claim (认领) a wish: a confirmed in-service Party member for themselves; an admin of a confirmed unit Party organisation for it. */
  "wish:claim": { organization: WishOrgRef | null };
  /** Mark a claimed wish fulfilled, or release the claim: the member who claimed, or an admin of the organisation that did. */
  "wish:claimer": { userId: number; organizationId: number | null };
};
export type WishAction = keyof WishRules;

const signedIn = (a: Actor) => a.userId !== null;
const orgAdmin = (a: Actor, id: number | null) => id !== null && a.organizations[id] === "admin";

export const wishRules: { [A in WishAction]: (actor: Actor, resource: WishRules[A]) => boolean } = {
  "wish:post": (a, r) => holdsOver(a, COMMUNITY_STAFF, r.unitPath),
  "wish:manage": (a, r) => holdsOver(a, COMMUNITY_STAFF, r.unitPath),
  "wish:claim": (a, r) =>
    r.organization === null
      ? signedIn(a) && a.partyMember
      : orgAdmin(a, r.organization.id) && r.organization.confirmed && r.organization.kind === "unit_party_org",
  "wish:claimer": (a, r) => signedIn(a) && (r.organizationId !== null ? orgAdmin(a, r.organizationId) : a.userId === r.userId),
};

/** What the viewer of a wish's page may do there, from the rules above and the wish's state. */
export function wishAbilities(
  actor: Actor,
  wish: { status: WishStatus; unitPath: string; claim: { userId: number; organizationId: number | null } | null },
  claimAs: WishOrgRef[],
) {
  const claimer = wish.claim !== null && wishRules["wish:claimer"](actor, wish.claim);
  const staff = wishRules["wish:manage"](actor, { unitPath: wish.unitPath });
  return {
    /** "self" and/or the ids of the organisations the viewer may claim it for. */
    claimAs: mayStep(wish.status, "claim") ? [...(wishRules["wish:claim"](actor, { organization: null }) ? ["self"] : []), ...claimAs.filter((o) => wishRules["wish:claim"](actor, { organization: o })).map((o) => String(o.id))] : [],
    fulfil: claimer && mayStep(wish.status, "fulfil"),
    release: claimer && mayStep(wish.status, "release"),
    confirm: staff && mayStep(wish.status, "confirm"),
    withdraw: staff && mayStep(wish.status, "withdraw"),
    seePerson: staff,
    isClaimer: claimer,
  };
}
