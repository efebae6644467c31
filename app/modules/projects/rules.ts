import type { Criterion, Eligibility, MilestoneStatus, ProjectStatus } from "#db/schema/projects";
import { addWorkingDays } from "~/modules/whistles/rules";

/**
 * The rules of service projects (shared/domain-rules.md "Service projects"),
 * pure: the states and their steps, the windows for questions, bids and
 * objections, eligibility, criteria, and how the panel's scores become one.
 */

/** Each step of a call and the states it may be taken from. */
export const projectSteps = {
  /** Staff publish the call once the opening committee's key exists: bids may come. */
  publish: ["planning"],
  /** The bid deadline passed with at least one bid: the bids are opened and evaluated. */
  close: ["open"],
  /** The panel is done: the award and its rationale are public, the notice period (公示) starts. */
  award: ["evaluating"],
  /** An objection upheld: the award is withdrawn and the panel looks again. */
  reopen: ["awarded"],
  /** The notice period ended and every objection was answered: the contract runs. */
  finalize: ["awarded"],
  /** Every milestone judged: the service is over and residents may rate it. */
  complete: ["active"],
  /** No valid bid (none came, or all were disqualified). */
  fail: ["open", "evaluating"],
  /** Staff call it off, with a reason, before the contract runs. */
  cancel: ["planning", "open", "evaluating", "awarded"],
  /** Edit the call's terms: only before it is published. */
  edit: ["planning"],
} as const satisfies Record<string, readonly ProjectStatus[]>;
export type ProjectStep = keyof typeof projectSteps;

const stepTarget: Record<ProjectStep, ProjectStatus | null> = {
  publish: "open",
  close: "evaluating",
  award: "awarded",
  reopen: "evaluating",
  finalize: "active",
  complete: "completed",
  fail: "unsuccessful",
  cancel: "cancelled",
  edit: null,
};

export const mayStep = (status: ProjectStatus, step: ProjectStep) => (projectSteps[step] as readonly ProjectStatus[]).includes(status);

/** The state a step leads to from `status`, or null when it may not be taken there. */
export function stepTo(status: ProjectStatus, step: ProjectStep): ProjectStatus | null {
  if (!mayStep(status, step)) return null;
  return stepTarget[step] ?? status;
}

export const isEnded = (status: ProjectStatus) => status === "completed" || status === "cancelled" || status === "unsuccessful";

export interface Windows {
  status: ProjectStatus;
  questionsCloseAt: Date;
  bidDeadline: Date;
}

/** Questions are taken while the call is open and before their closing time. */
export const questionsOpen = (p: Windows, now: Date) => p.status === "open" && now < p.questionsCloseAt;

/** Bids may be submitted, revised and withdrawn while the call is open, up to (not at) the deadline, by the server's clock. */
export const biddingOpen = (p: Windows, now: Date) => p.status === "open" && now < p.bidDeadline;

/** Whether a bid's contents may be read by anyone but its bidder: only once opened. */
export const sealed = (p: { openedAt: Date | null }) => p.openedAt === null;

/** After the award is final (and for ever after), every bid's contents and every score are public. */
export const bidsPublic = (status: ProjectStatus) => status === "active" || status === "completed";

/** An organisation as eligibility sees it. */
export interface Bidder {
  kind: string;
  status: "pending" | "confirmed" | "rejected";
  /** When staff verified it. */
  decidedAt: Date | null;
  unitPath: string;
}

export type Ineligible = "notSocialOrg" | "notVerified" | "tooNew" | "notLocal";

/** Why an organisation may not bid on a call, or null when it may. */
export function ineligibility(org: Bidder, e: Eligibility, buyerPath: string, now: Date): Ineligible | null {
  if (org.kind !== "social_org") return "notSocialOrg";
  if (org.status !== "confirmed" || !org.decidedAt) return "notVerified";
  if (monthsBetween(org.decidedAt, now) < e.minMonthsVerified) return "tooNew";
  if (e.localOnly && !org.unitPath.startsWith(buyerPath) && !buyerPath.startsWith(org.unitPath)) return "notLocal";
  return null;
}

/** Whole calendar months from `from` to `to` (UTC calendar; a day short of a month is not a month). */
export function monthsBetween(from: Date, to: Date): number {
  let months = (to.getUTCFullYear() - from.getUTCFullYear()) * 12 + (to.getUTCMonth() - from.getUTCMonth());
  if (to.getUTCDate() < from.getUTCDate()) months--;
  return Math.max(0, months);
}

export type CriteriaProblem = "empty" | "weightRange" | "sum" | "duplicate" | "customLabel";

/** Why a call's criteria are not acceptable: weights 1–100 each, summing to exactly 100, each criterion once, custom ones labelled. */
export function criteriaProblem(criteria: Criterion[]): CriteriaProblem | null {
  if (criteria.length === 0) return "empty";
  if (criteria.some((c) => !Number.isInteger(c.weight) || c.weight < 1 || c.weight > 100)) return "weightRange";
  if (new Set(criteria.map((c) => c.id)).size !== criteria.length) return "duplicate";
  if (criteria.some((c) => c.key !== "custom" && c.id !== c.key)) return "duplicate";
  if (criteria.some((c) => c.key === "custom" && !c.label?.trim())) return "customLabel";
  if (criteria.reduce((s, c) => s + c.weight, 0) !== 100) return "sum";
  return null;
}

/** The end of the notice period (公示) after an award: working days, as the reform counts them. */
export const noticeEnd = (awardedAt: Date, days: number) => addWorkingDays(awardedAt, days);

/** The award may become final: the notice period has ended and every objection has been answered. */
export const mayFinalize = (p: { status: ProjectStatus; noticeEndsAt: Date | null }, unansweredObjections: number, now: Date) =>
  mayStep(p.status, "finalize") && p.noticeEndsAt !== null && now >= p.noticeEndsAt && unansweredObjections === 0;

/** Objections are taken during the notice period. */
export const objectionsOpen = (p: { status: ProjectStatus; noticeEndsAt: Date | null }, now: Date) =>
  p.status === "awarded" && p.noticeEndsAt !== null && now < p.noticeEndsAt;

/** One evaluator's scores of one bid, by criterion id (0–100 each). */
export type Sheet = Record<string, number>;

/** A sheet's weighted total, 0–100: Σ score × weight / 100. */
export function weightedTotal(criteria: Criterion[], sheet: Sheet): number {
  return criteria.reduce((sum, c) => sum + (sheet[c.id] ?? 0) * c.weight, 0) / 100;
}

/**
 * A bid's score from the panel: the mean of the evaluators' weighted totals,
 * dropping the highest and the lowest when five or more scored it (evaluators
 * who declared a conflict did not). Null when nobody scored it.
 */
export function panelScore(criteria: Criterion[], sheets: Sheet[]): number | null {
  if (sheets.length === 0) return null;
  const totals = sheets.map((s) => weightedTotal(criteria, s)).sort((a, b) => a - b);
  const counted = totals.length >= 5 ? totals.slice(1, -1) : totals;
  return counted.reduce((a, b) => a + b, 0) / counted.length;
}

/** Scores are stored and shown in hundredths of a point: 87.35 → 8735. */
export const toHundredths = (score: number) => Math.round(score * 100);

/**
 * Whether a sheet is complete for a call: a whole number 0–100 for every
 * criterion, and nothing else.
 */
export function sheetComplete(criteria: Criterion[], sheet: Sheet): boolean {
  const ids = Object.keys(sheet);
  return (
    ids.length === criteria.length &&
    criteria.every((c) => Number.isInteger(sheet[c.id]) && sheet[c.id]! >= 0 && sheet[c.id]! <= 100)
  );
}

/** The order of the bids for the award: the highest score first; ties by the lower price, then the earlier submission. */
export function rankBids<B extends { id: number; score: number | null; price: number | null; submittedAt: Date }>(bids: B[]): B[] {
  return [...bids]
    .filter((b) => b.score !== null)
    .sort(
      (a, b) =>
        b.score! - a.score! ||
        (a.price ?? Number.MAX_SAFE_INTEGER) - (b.price ?? Number.MAX_SAFE_INTEGER) ||
        a.submittedAt.getTime() - b.submittedAt.getTime(),
    );
}

/** Milestone payment shares must sum to 100 over the contract. */
export const sharesComplete = (shares: number[]) => shares.length > 0 && shares.every((s) => Number.isInteger(s) && s >= 0 && s <= 100) && shares.reduce((a, b) => a + b, 0) === 100;

/** What a judged milestone pays, in yuan, from the contract's amount: met pays its share, not met nothing, partly met what staff set (up to its share). */
export function milestonePayment(amount: number, share: number, status: MilestoneStatus, partial?: number): number {
  const full = Math.round((amount * share) / 100);
  if (status === "met") return full;
  if (status === "partially_met") return Math.max(0, Math.min(full, Math.round(partial ?? 0)));
  return 0;
}

/** The contract has run when every milestone has been judged. */
export const allJudged = (statuses: MilestoneStatus[]) => statuses.length > 0 && statuses.every((s) => s === "met" || s === "partially_met" || s === "not_met");
