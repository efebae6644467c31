import type { ProjectStatus } from "#db/schema/projects";
import { COMMUNITY_STAFF, holdsOver, isWithin, type Actor } from "~/modules/identity/actor";
import { bidsPublic } from "./rules";

/**
 * Who may do what with service projects: one pure function per action,
 * composed into `can()` by app/modules/access.ts. Staff are the buyer's:
 * the community's own, and the subdistrict's above it.
 */

/** An organisation as the permissions need it. */
export interface ProjectOrgRef {
  id: number;
  kind: string;
  confirmed: boolean;
}

export type ProjectRules = {
  /** Create a call for the buyer (a community or subdistrict): its staff. */
  "project:create": { unitPath: string };
  /**
   * Run a call: edit it before publication, name the opening committee and
   * the panel, publish, answer questions and objections, disqualify, award,
   * cancel, set the contract's milestones, judge them and record payments.
   * The buyer's staff.
   */
  "project:manage": { unitPath: string };
  /** Ask a question about a call: a member of a verified civil-society organisation. */
  "project:ask": { organization: ProjectOrgRef };
  /** Submit, revise or withdraw a bid for an organisation: an admin of a verified civil-society organisation (its authorised people). */
  "project:bid": { organization: ProjectOrgRef };
  /** Take part in the opening committee's key ceremony and the opening: its named members only. */
  "project:open": { openerIds: number[] };
  /** Declare conflicts and score bids: the panel's named evaluators only. */
  "project:evaluate": { evaluatorIds: number[] };
  /**
   * Read a bid's contents: its own organisation's people always (the receipt
   * and what they sent); once opened, the buyer's staff and the panel; once the
   * award is final, everyone.
   */
  "project:readBid": { organizationId: number; unitPath: string; opened: boolean; status: ProjectStatus; evaluatorIds: number[] };
  /** Object (质疑) to an award during the notice period: an admin of an organisation that bid. */
  "project:object": { organizationId: number; bidderIds: number[] };
  /** Report a milestone with evidence: the people of the organisation that won. */
  "project:report": { organizationId: number | null };
  /** Rate the service at the end: a verified resident of the buyer's area. */
  "project:rate": { unitPath: string };
};
export type ProjectAction = keyof ProjectRules;

const signedIn = (a: Actor) => a.userId !== null;
const orgAdmin = (a: Actor, id: number) => a.organizations[id] === "admin";
const inOrg = (a: Actor, id: number) => a.organizations[id] !== undefined;
const verifiedSocialOrg = (o: ProjectOrgRef) => o.kind === "social_org" && o.confirmed;
const staffOver = (a: Actor, unitPath: string) => holdsOver(a, COMMUNITY_STAFF, unitPath);

export const projectRules: { [A in ProjectAction]: (actor: Actor, resource: ProjectRules[A]) => boolean } = {
  "project:create": (a, r) => staffOver(a, r.unitPath),
  "project:manage": (a, r) => staffOver(a, r.unitPath),
  "project:ask": (a, r) => signedIn(a) && inOrg(a, r.organization.id) && verifiedSocialOrg(r.organization),
  "project:bid": (a, r) => signedIn(a) && orgAdmin(a, r.organization.id) && verifiedSocialOrg(r.organization),
  "project:open": (a, r) => a.userId !== null && r.openerIds.includes(a.userId),
  "project:evaluate": (a, r) => a.userId !== null && r.evaluatorIds.includes(a.userId),
  "project:readBid": (a, r) =>
    (signedIn(a) && inOrg(a, r.organizationId)) ||
    (r.opened && (staffOver(a, r.unitPath) || (a.userId !== null && r.evaluatorIds.includes(a.userId)))) ||
    (r.opened && bidsPublic(r.status)),
  "project:object": (a, r) => signedIn(a) && r.bidderIds.includes(r.organizationId) && orgAdmin(a, r.organizationId),
  "project:report": (a, r) => signedIn(a) && r.organizationId !== null && inOrg(a, r.organizationId),
  "project:rate": (a, r) => signedIn(a) && a.residency !== null && isWithin(a.residency.communityPath, r.unitPath),
};
