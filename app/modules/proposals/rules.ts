import type { ProposalState, SecondingRule } from "#db/schema/halls";

/**
 * The proposal lifecycle (domain.md §4.1) as plain data and functions.
 * draft → open → on agenda → in debate → voting → decided → (self-handled |
 * escalated) → closed; withdrawn by the author before voting; declined by a
 * convener; expired when the seconding window passes.
 */
export const transitions: Record<ProposalState, readonly ProposalState[]> = {
  draft: ["open", "withdrawn"],
  open: ["on_agenda", "expired", "withdrawn", "declined"],
  on_agenda: ["in_debate", "withdrawn", "declined"],
  in_debate: ["voting", "withdrawn", "declined"],
  voting: ["decided_passed", "decided_failed", "in_debate"],
  decided_passed: ["self_handled", "escalated"],
  decided_failed: ["closed"],
  self_handled: ["closed"],
  escalated: ["closed"],
  closed: [],
  withdrawn: [],
  declined: [],
  expired: [],
};

export function canTransition(from: ProposalState, to: ProposalState): boolean {
  return transitions[from].includes(to);
}

/** Where people may still speak. */
export const DEBATE_STATES: readonly ProposalState[] = ["open", "on_agenda", "in_debate", "voting"];
export function isDebateOpen(state: ProposalState): boolean {
  return DEBATE_STATES.includes(state);
}

/** The steps shown on the proposal's step bar, in order. */
/** Who owns the next step in each state; the step bar says it. */
export const NEXT_OWNER: Partial<Record<ProposalState, "members" | "convener" | "voters" | "community">> = {
  open: "members",
  on_agenda: "convener",
  in_debate: "convener",
  voting: "voters",
  decided_passed: "community",
};

/** The states an author may withdraw from on the page (a draft is deleted instead). */
export function mayWithdraw(state: ProposalState): boolean {
  return state !== "draft" && canTransition(state, "withdrawn");
}

/**
 * A second may be taken back only while the proposal still collects seconds:
 * once the hall's rule is reached it is on the agenda, and the seconds that
 * put it there stand.
 */
export function mayWithdrawSecond(state: ProposalState): boolean {
  return state === "open";
}

/** The states a convener may decline from. */
export function mayDecline(state: ProposalState): boolean {
  return canTransition(state, "declined");
}

export const STEP_BAR: readonly ProposalState[] = ["open", "on_agenda", "in_debate", "voting", "decided_passed", "closed"];

/** Seconds needed to reach the agenda: N, or P% of the members (at least one). */
export function secondsNeeded(rule: SecondingRule, memberCount: number): number {
  if (rule.kind === "count") return Math.max(1, rule.n);
  return Math.max(1, Math.ceil((rule.p * memberCount) / 100));
}

export const EDIT_WINDOW_MS = 15 * 60 * 1000;
export function canStillEdit(createdAt: Date, now: Date): boolean {
  return now.getTime() - createdAt.getTime() <= EDIT_WINDOW_MS;
}

/** Reports from this many different members hide a comment until the convener reviews it. */
export const REPORTS_TO_HIDE = 3;
export const MAX_REPLY_DEPTH = 2; // top level is 0: replies up to three levels

export const PROPOSAL_LIMIT = { max: 5, windowSeconds: 24 * 60 * 60 };
export const COMMENT_LIMIT = { max: 60, windowSeconds: 60 * 60 };

export const declineReasons = ["out_of_scope", "duplicate", "unlawful"] as const;
export type DeclineReason = (typeof declineReasons)[number];
