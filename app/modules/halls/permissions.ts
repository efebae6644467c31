import type { MemberKind } from "#db/schema/halls";
import { COMMUNITY_STAFF, holdsOver, isWithin, type Actor } from "~/modules/identity/actor";
import type { ProposalState } from "#db/schema/halls";
import { isDebateOpen, mayWithdraw, mayWithdrawSecond } from "~/modules/proposals/rules";

/** What permissions need to know about a hall and the actor's place in it. */
export interface HallContext {
  hallId: number;
  unitPath: string;
  memberKinds: MemberKind[];
  policy: "open" | "application" | "invitation";
  conveners: number[];
  /** The actor's own membership, if any. */
  membership: "active" | "pending" | "left" | "refused" | null;
}

export interface ProposalContext {
  hall: HallContext;
  authorId: number;
  state: ProposalState;
}

/** Whether a person may belong to the hall at all: by residency or Party report within its unit. */
export function isEligible(actor: Actor, hall: Pick<HallContext, "unitPath" | "memberKinds">): boolean {
  if (actor.userId === null) return false;
  const resident = actor.residency !== null && isWithin(actor.residency.communityPath, hall.unitPath);
  const partyHere = actor.partyCommunityPath !== null && isWithin(actor.partyCommunityPath, hall.unitPath);
  return (hall.memberKinds.includes("resident") && resident) || (hall.memberKinds.includes("party_member") && partyHere);
}

const member = (h: HallContext) => h.membership === "active";
/** Conveners run a hall; the staff of its unit (and above) may screen and moderate too. */
export const moderates = (a: Actor, h: HallContext) =>
  a.userId !== null && (h.conveners.includes(a.userId) || holdsOver(a, [...COMMUNITY_STAFF, "district_admin"], h.unitPath));

export type HallRules = {
  "hall:create": { unitPath: string };
  "hall:configure": HallContext;
  "hall:join": HallContext;
  "hall:joinAsOrganization": HallContext & { organizationId: number };
  "hall:moderate": HallContext;
  "proposal:create": HallContext;
  "proposal:view": ProposalContext;
  "proposal:second": ProposalContext;
  "proposal:unsecond": ProposalContext;
  "proposal:comment": ProposalContext;
  "proposal:withdraw": ProposalContext;
  "proposal:editDraft": ProposalContext;
  "proposal:deleteDraft": ProposalContext;
  "proposal:publishDraft": ProposalContext;
  "proposal:moderate": ProposalContext;
  "comment:report": ProposalContext & { commentAuthorId: number };
  "comment:edit": ProposalContext & { commentAuthorId: number };
  /** A secret vote's key ceremony and partial decryption: only its named tellers (ADR 0016). */
  "vote:tell": { tellerIds: number[] };
};

export const hallRules: { [A in keyof HallRules]: (actor: Actor, resource: HallRules[A]) => boolean } = {
  "hall:create": (a, r) => holdsOver(a, [...COMMUNITY_STAFF, "district_admin"], r.unitPath),
  "hall:configure": (a, h) => holdsOver(a, [...COMMUNITY_STAFF, "district_admin"], h.unitPath),
  "hall:join": (a, h) => a.userId !== null && h.membership !== "active" && h.membership !== "pending" && h.policy !== "invitation" && isEligible(a, h),
  "hall:joinAsOrganization": (a, h) =>
    h.memberKinds.includes("organization") && h.policy !== "invitation" && a.organizations[h.organizationId] === "admin",
  "hall:moderate": (a, h) => moderates(a, h),
  "proposal:create": (a, h) => a.userId !== null && member(h),
  "proposal:view": (a, p) => p.state !== "draft" || a.userId === p.authorId,
  "proposal:second": (a, p) => a.userId !== null && member(p.hall) && a.userId !== p.authorId && p.state === "open",
  // Taking one's own second back: whoever seconded, while it still collects seconds (also after leaving the hall).
  "proposal:unsecond": (a, p) => a.userId !== null && a.userId !== p.authorId && mayWithdrawSecond(p.state),
  "proposal:comment": (a, p) => a.userId !== null && member(p.hall) && isDebateOpen(p.state),
  "proposal:withdraw": (a, p) => a.userId === p.authorId,
  "proposal:editDraft": (a, p) => a.userId !== null && a.userId === p.authorId && p.state === "draft",
  "proposal:deleteDraft": (a, p) => a.userId !== null && a.userId === p.authorId && p.state === "draft",
  // Publishing is raising the proposal: only a member of the hall may.
  "proposal:publishDraft": (a, p) => a.userId !== null && a.userId === p.authorId && p.state === "draft" && member(p.hall),
  "proposal:moderate": (a, p) => moderates(a, p.hall),
  "comment:report": (a, p) => a.userId !== null && member(p.hall) && a.userId !== p.commentAuthorId,
  "comment:edit": (a, p) => a.userId !== null && a.userId === p.commentAuthorId && isDebateOpen(p.state),
  "vote:tell": (a, r) => a.userId !== null && r.tellerIds.includes(a.userId),
};

/**
 * What the proposal page offers its viewer, from the same rules the commands
 * enforce: the page hides what the server would refuse, and nothing else.
 */
export function proposalAbilities(actor: Actor, p: ProposalContext, secondedByMe: boolean) {
  return {
    second: hallRules["proposal:second"](actor, p) && !secondedByMe,
    unsecond: hallRules["proposal:unsecond"](actor, p) && secondedByMe,
    comment: hallRules["proposal:comment"](actor, p),
    withdraw: hallRules["proposal:withdraw"](actor, p) && mayWithdraw(p.state),
    editDraft: hallRules["proposal:editDraft"](actor, p),
    publishDraft: hallRules["proposal:publishDraft"](actor, p),
    moderate: hallRules["proposal:moderate"](actor, p),
    /** Reporting someone else's comment (user ids start at 1: author 0 is nobody's); the page hides it on the viewer's own. */
    report: hallRules["comment:report"](actor, { ...p, commentAuthorId: 0 }),
  };
}
