import type { ProposalState } from "#db/schema/halls";
import type { PledgeCategory } from "#db/schema/pledges";
import type { NeedClaimStatus, NeedStatus } from "#db/schema/service-lists";

/**
 * The pure rules of the three lists (三张清单): a need's state from its
 * claims, what may still be claimed, what a claim may become, and which
 * resources and members match a need. Nothing here reads the clock or the database.
 */

// ——— Needs ———

export interface NeedFigures {
  status: NeedStatus;
  amount: number;
  /** Held by claims not released. */
  claimed: number;
}

/** What a need may still take: nothing once done or closed. */
export function remaining(need: NeedFigures): number {
  if (need.status === "done" || need.status === "closed") return 0;
  return Math.max(0, need.amount - need.claimed);
}

/** Whether a need takes claims now: open, or only partly claimed. */
export function claimable(need: NeedFigures): boolean {
  return remaining(need) > 0;
}

/**
 * Why a claim of `amount` cannot be taken, or null: the need is done or
 * closed, fully claimed, or the claim asks for more than is left.
 */
export function claimError(need: NeedFigures, amount: number): string | null {
  if (need.status === "done" || need.status === "closed") return "need.error.notOpen";
  const left = remaining(need);
  if (left === 0) return "need.error.full";
  if (amount > left) return "need.error.tooMuch";
  return null;
}

/**
 * A need's state from its live claims (`claimed` held in all, `done` of it
 * confirmed): open with nothing held, claimed (partly or fully) while any
 * is held, done once the whole amount is held and confirmed done. A closed
 * or done need stays so.
 */
export function needStatusOf(need: { status: NeedStatus; amount: number }, held: number, confirmed: number): NeedStatus {
  if (need.status === "done" || need.status === "closed") return need.status;
  if (held >= need.amount && confirmed >= need.amount) return "done";
  return held > 0 ? "claimed" : "open";
}

/** "partly" or "fully" claimed, for the page (null when nothing is held). */
export function claimDegree(need: NeedFigures): "partly" | "fully" | null {
  if (need.claimed <= 0) return null;
  return need.claimed >= need.amount ? "fully" : "partly";
}

/** Progress of a need: held ÷ asked, between 0 and 1. */
export function needProgress(need: Pick<NeedFigures, "amount" | "claimed">): number {
  return need.amount <= 0 ? 0 : Math.min(1, need.claimed / need.amount);
}

/** Staff close a need (with a reason) while it is not yet done or closed. */
export function closable(status: NeedStatus): boolean {
  return status === "open" || status === "claimed";
}

// ——— Claims ———

export type ClaimStep = "reportDone" | "confirm" | "release";

/**
 * Why a claim cannot take a step, or null. A live claim (`claimed`) may be
 * reported done by its claimer, then confirmed by staff (→ done), or
 * released (→ released) with a reason; done and released are final.
 */
export function claimStepError(claim: { status: NeedClaimStatus; reportedDoneAt: Date | string | null }, step: ClaimStep): string | null {
  if (claim.status !== "claimed") return "claim.error.final";
  if (step === "reportDone" && claim.reportedDoneAt) return "claim.error.reportedAlready";
  if (step === "confirm" && !claim.reportedDoneAt) return "claim.error.notReported";
  return null;
}

// ——— Raised from a proposal ———

/** The proposal states a need may be raised from (转为需求): passed by the hall, or handled by the community itself. */
export function mayRaiseFrom(state: ProposalState): boolean {
  return state === "decided_passed" || state === "self_handled";
}

/** The pledge category a proposal's category (the duty list's) most likely needs. */
export function needCategoryFor(proposalCategory: string): PledgeCategory {
  if (["elderly_care", "old_estate", "food_safety", "fire_hazard", "flooding"].includes(proposalCategory)) return "serving_people";
  if (["culture_market"].includes(proposalCategory)) return "education";
  if (["group_rental", "illegal_construction", "wall_opening", "unlicensed_business"].includes(proposalCategory)) return "policy_advice";
  if (proposalCategory === "other") return "serving_people";
  return "environment";
}

// ——— Matching ———

export interface Matchable {
  unitId: number;
  category: PledgeCategory;
}

/** Resources (or members' pledges) that match a need: the same community and the same category. */
export function matches<T extends Matchable>(need: Matchable, offers: T[]): T[] {
  return offers.filter((o) => o.unitId === need.unitId && o.category === need.category);
}
