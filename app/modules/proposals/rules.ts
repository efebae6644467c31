import type { ProposalState, SecondingRule } from "#db/schema/halls";
import type { WhistleState } from "#db/schema/whistles";

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

/** The steps of the proposal's step bar: its own lifecycle, then what is done about the decision. */
export type Step = "open" | "on_agenda" | "in_debate" | "voting" | "decided" | "handling" | "resolved" | "rated";
export type StepStatus = "done" | "current" | "todo";
/** Who owns the next step; the step bar says it under the steps. */
export type NextOwner = "members" | "convener" | "voters" | "community" | "selfHandling" | "subdistrict" | "departments" | "raters";

const LIFECYCLE: readonly Step[] = ["open", "on_agenda", "in_debate", "voting", "decided"];
const AT: Partial<Record<ProposalState, { step: Step; owner: NextOwner }>> = {
  open: { step: "open", owner: "members" },
  on_agenda: { step: "on_agenda", owner: "convener" },
  in_debate: { step: "in_debate", owner: "convener" },
  voting: { step: "voting", owner: "voters" },
  decided_passed: { step: "decided", owner: "community" },
  self_handled: { step: "handling", owner: "selfHandling" },
};

/**
 * The step bar of a proposal: each step done, current or still to come, and
 * who owns the next one. Once the proposal is escalated, the bar follows the
 * whistle it became (its state is the proposal's progress from then on):
 * asked for → being handled (办理), resolved (办结) → rated (评价) and closed.
 * A failed vote ends the bar at its decision; a withdrawn, declined or
 * expired proposal, or a draft, shows the steps with none reached (its state
 * pill says why).
 */
export function stepBar(
  state: ProposalState,
  whistle: WhistleState | null,
): { steps: { step: Step; status: StepStatus }[]; owner: NextOwner | null } {
  const mark = (steps: readonly Step[], reached: number, current: boolean) =>
    steps.map((step, i) => ({ step, status: (i < reached ? "done" : i === reached && current ? "current" : "todo") as StepStatus }));
  const handled: readonly Step[] = [...LIFECYCLE, "handling", "resolved"];
  const escalated: readonly Step[] = [...handled, "rated"];
  if (state === "escalated" || (state === "closed" && whistle !== null)) {
    if (state === "closed" || whistle === "closed") return { steps: mark(escalated, escalated.length, false), owner: null };
    // Resolved: handled and 办结, the residents' rating is what is going on now.
    if (whistle === "resolved") return { steps: mark(escalated, escalated.indexOf("rated"), true), owner: "raters" };
    // Asked for (no whistle yet is the same moment): the subdistrict dispatches it; dispatched or reopened: departments work.
    const owner = whistle === "dispatched" || whistle === "reopened" ? "departments" : "subdistrict";
    return { steps: mark(escalated, escalated.indexOf("handling"), true), owner };
  }
  if (state === "decided_failed") return { steps: mark(LIFECYCLE, LIFECYCLE.length, false), owner: null };
  if (state === "closed") return { steps: mark(handled, handled.length, false), owner: null };
  const at = AT[state];
  if (!at) return { steps: mark(handled, -1, false), owner: null };
  return { steps: mark(handled, handled.indexOf(at.step), true), owner: at.owner };
}

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
