import type { DeliveryChannel } from "#db/schema/deliveries";

/**
 * The pure rules of messages that leave the site (ADR 0022): which
 * notification goes out under which category, what is urgent, how long to
 * wait before a retry, how an SMS is counted, how an address is shown.
 */

export const messageCategories = ["duty", "votes", "following", "service", "account"] as const;
export type MessageCategory = (typeof messageCategories)[number];
export const channels: readonly DeliveryChannel[] = ["email", "sms"];

/**
 * Every notification kind belongs to one category, so every kind can go out
 * by email or SMS if the person chooses its category. A kind added later and
 * not listed here stays on the site (categoryOf answers null).
 */
const categoryOfKind: Record<string, MessageCategory> = {
  // Departments, stations and the staff who dispatch and supervise.
  "notification.assignment": "duty",
  "notification.deadlineSoon": "duty",
  "notification.overdue": "duty",
  "notification.supervised": "duty",
  "notification.assignmentReturned": "duty",
  "notification.whistleRequested": "duty",
  "notification.extensionRequested": "duty",
  "notification.unreasonableRequested": "duty",
  "notification.unreasonableApproved": "duty",
  "notification.unreasonableRefused": "duty",
  "notification.confirmPlease": "duty",
  "notification.commentHidden": "duty",
  "notification.hallApplication": "duty",
  // Service projects: an evaluator is asked to declare and score.
  "notification.projectEvaluate": "duty",
  // Voters.
  "notification.voteOpened": "votes",
  "notification.voteClosing": "votes",
  "notification.voteClosed": "votes",
  "notification.tellerSetup": "votes",
  "notification.tellerUnlock": "votes",
  // Followers.
  "notification.proposalState": "following",
  "notification.pleaseRate": "following",
  "notification.whistleResolved": "following",
  "notification.minutes": "following",
  // Hall meetings (议事会): the invited hear of a meeting, its cancellation and its minutes.
  "notification.meetingScheduled": "following",
  "notification.meetingCancelled": "following",
  "notification.meetingMinutes": "following",
  "notification.reply": "following",
  // Volunteer service: one's pledges, activities and hours.
  "notification.pledgeLapsed": "service",
  // The three lists: claims on a community's needs.
  "notification.needClaimed": "service",
  // Service projects: a bidding organisation hears of the award.
  "notification.projectAwarded": "service",
  "notification.needClosed": "service",
  "notification.claimReported": "service",
  "notification.claimConfirmed": "service",
  "notification.claimReleased": "service",
  "notification.pledgeFulfilled": "service",
  "notification.activityPromoted": "service",
  "notification.activityCancelled": "service",
  "notification.activityTomorrow": "service",
  "notification.activitySoon": "service",
  "notification.hoursVerified": "service",
  "notification.correctionAsked": "service",
  // Micro-wishes (微心愿): the claimer hears what the community decided; the community's staff, what the claimer did.
  "notification.wishClaimed": "service",
  "notification.wishReleased": "service",
  "notification.wishFulfilled": "service",
  "notification.wishConfirmed": "service",
  "notification.wishSentBack": "service",
  "notification.wishWithdrawn": "service",
  // Service projects after the award: the organisation hears about its contract, the buyer's staff about reports to judge.
  "notification.contractStarted": "service",
  "notification.milestonesAdjusted": "service",
  "notification.milestoneReported": "duty",
  "notification.milestoneJudged": "service",
  "notification.milestonePaid": "service",
  "notification.projectCompleted": "service",
  // Service projects: the opening committee's steps, and bidders hearing of the opening.
  "notification.openerSetup": "duty",
  "notification.openerOpen": "duty",
  "notification.bidsOpened": "service",
  // The person's own account and standing.
  "notification.rollMovedOut": "account",
  "notification.residencyVerified": "account",
  "notification.residencyRejected": "account",
  "notification.partyConfirmed": "account",
  "notification.partyRejected": "account",
  "notification.organizationConfirmed": "account",
  "notification.organizationRejected": "account",
  "notification.organizationInvitation": "account",
  "notification.positionGranted": "account",
  "notification.hallApproved": "account",
  "notification.hallRefused": "account",
  "notification.welcome": "account",
  "notification.newSignIn": "account",
  "notification.passwordChanged": "account",
};

export function categoryOf(kind: string): MessageCategory | null {
  return categoryOfKind[kind] ?? null;
}

export function kindsOf(category: MessageCategory): string[] {
  return Object.keys(categoryOfKind).filter((k) => categoryOfKind[k] === category);
}

/** What each category does by default, before a person has chosen: SMS only where a delay costs something. */
export const defaultChannels: Record<DeliveryChannel, MessageCategory[]> = {
  email: ["duty", "votes", "following", "service", "account"],
  sms: ["duty", "votes"],
};

/** Proposal states worth a message off the site: decided or escalated (the rest stay in-app). */
const offSiteProposalStates = new Set(["decided_passed", "decided_failed", "escalated", "self_handled"]);

/** Whether a notification may leave the site at all (some kinds only for some parameters). */
export function goesOffSite(kind: string, params: Record<string, unknown>): boolean {
  if (!categoryOf(kind)) return false;
  if (kind === "notification.proposalState") return offSiteProposalStates.has(String(params.state));
  return true;
}

/** Deadlines and emergencies: not held back by quiet hours or the digest. */
const urgentKinds = new Set(["notification.deadlineSoon", "notification.overdue", "notification.supervised", "notification.confirmPlease"]);

export function isUrgent(kind: string, params: Record<string, unknown>): boolean {
  return urgentKinds.has(kind) || params.emergency === 1 || params.emergency === "1";
}

export const DEFAULT_QUIET = { start: 22 * 60, end: 7 * 60 };
export const DEFAULT_DIGEST_AT = 8 * 60;

/** Whether a minute of the day (0–1439) lies in quiet hours [start, end), which may wrap past midnight. */
export function inQuietHours(minute: number, quiet: { start: number; end: number }): boolean {
  if (quiet.start === quiet.end) return false;
  return quiet.start < quiet.end ? minute >= quiet.start && minute < quiet.end : minute >= quiet.start || minute < quiet.end;
}

/** "22:00" ⇄ 1320. */
export function minutesToClock(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
}
export function clockToMinutes(clock: string): number | null {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(clock);
  return m ? Number(m[1]) * 60 + Number(m[2]) : null;
}

export interface RetryPolicy {
  baseMs: number;
  maxMs: number;
  maxAttempts: number;
}
export const defaultRetryPolicy: RetryPolicy = { baseMs: 15_000, maxMs: 3_600_000, maxAttempts: 8 };

/**
 * How long to wait after the `attempts`-th failed attempt: base × 2^(n−1),
 * capped, with ±20 % jitter (`random` in [0, 1)) so a crowd that failed
 * together does not retry together. A rate-limit answer waits at least as
 * long as the provider asked, and at least a minute.
 */
export function retryDelayMs(attempts: number, policy: RetryPolicy = defaultRetryPolicy, random = 0.5, rateLimitedFor?: number): number {
  const exponential = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempts - 1));
  const jittered = Math.round(exponential * (0.8 + 0.4 * random));
  return rateLimitedFor !== undefined ? Math.max(jittered, rateLimitedFor, 60_000) : jittered;
}

/** The outcome of one attempt, as every channel adapter reports it. */
export type SendResult =
  | { ok: true; providerId: string; segments?: number }
  | { ok: false; failure: "transient" | "rate_limited" | "permanent"; error: string; retryAfterMs?: number };

/** What happens to a delivery after a failed attempt. */
export function afterFailure(
  attempts: number,
  result: Extract<SendResult, { ok: false }>,
  policy: RetryPolicy = defaultRetryPolicy,
  random = 0.5,
): { state: "dead" } | { state: "pending"; delayMs: number } {
  if (result.failure === "permanent" || attempts >= policy.maxAttempts) return { state: "dead" };
  return { state: "pending", delayMs: retryDelayMs(attempts, policy, random, result.failure === "rate_limited" ? (result.retryAfterMs ?? 0) : undefined) };
}

/**
 * SMS segments as the Chinese cloud providers bill them: up to 70 characters
 * (signature included, any script) is one message; a longer one is split in
 * parts of 67.
 */
export function smsSegments(text: string): number {
  const length = [...text].length;
  return length <= 70 ? 1 : Math.ceil(length / 67);
}

/** Cut a template variable to `max` characters (providers refuse longer ones). */
export function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

/** An address as an administrator may see it: 138****5678, w***@example.com. */
export function maskAddress(channel: DeliveryChannel, address: string): string {
  if (channel === "sms") return address.length >= 7 ? `${address.slice(0, 3)}****${address.slice(-4)}` : "****";
  const at = address.indexOf("@");
  return at > 0 ? `${address[0]}***${address.slice(at)}` : "***";
}

export const MAINLAND_MOBILE = /^1[3-9]\d{9}$/;

/** A six-digit code from a random 32-bit number. */
export function codeFrom(random: number): string {
  return String(random % 1_000_000).padStart(6, "0");
}
export const CODE_TTL_MS = 10 * 60_000;
export const CODE_MAX_ATTEMPTS = 5;
