import type { AssignmentState, Satisfaction, WhistleKind } from "#db/schema/whistles";
import { localMonth } from "~/lib/time";

/**
 * Whistles and report-for-duty as pure rules (domain-rules.md): the
 * assignment state machine, deadlines per kind, the escalation ladder, and
 * the three rates.
 */
export const assignmentTransitions: Record<AssignmentState, readonly AssignmentState[]> = {
  dispatched: ["signed", "returned", "not_needed"],
  signed: ["on_site", "returned", "not_needed"],
  on_site: ["resolved", "not_needed"],
  resolved: ["confirmed", "dispatched"], // dispatched again when the residents reopen it (重办)
  returned: [],
  confirmed: ["dispatched"],
  // An open co-operating part when the whistle is resolved or closed: nothing more is owed (ADR 0018).
  not_needed: [],
};

export function canMove(from: AssignmentState, to: AssignmentState): boolean {
  return assignmentTransitions[from].includes(to);
}

export interface Timers {
  signMinutes: number;
  onSiteMinutes: number;
  resolveMinutes: number | null;
}

/** The seeded defaults (domain-rules.md, Timers). */
export const DEFAULT_TIMERS: Record<WhistleKind, Timers> = {
  emergency: { signMinutes: 30, onSiteMinutes: 30, resolveMinutes: null },
  enforcement: { signMinutes: 120, onSiteMinutes: 24 * 60, resolveMinutes: 7 * 24 * 60 },
  key_task: { signMinutes: 24 * 60, onSiteMinutes: 3 * 24 * 60, resolveMinutes: null /* the notice's own due date */ },
  resident_request: { signMinutes: 24 * 60, onSiteMinutes: 3 * 24 * 60, resolveMinutes: 7 * 24 * 60 },
};

export interface Deadlines {
  sign: Date;
  onSite: Date;
  resolve: Date | null;
}

/** Deadlines of an assignment dispatched at `at`, all counted from dispatch. A key task resolves by its notice's due date. */
export function deadlines(kind: WhistleKind, at: Date, timers: Timers = DEFAULT_TIMERS[kind], keyTaskDueAt?: Date | null): Deadlines {
  const plus = (m: number) => new Date(at.getTime() + m * 60_000);
  return {
    sign: plus(timers.signMinutes),
    onSite: plus(timers.onSiteMinutes),
    resolve: kind === "key_task" ? (keyTaskDueAt ?? null) : timers.resolveMinutes === null ? null : plus(timers.resolveMinutes),
  };
}

export type Step = "sign" | "onSite" | "resolve";

/** The step an assignment owes next and its due time, or null when nothing is owed. */
export function nextStep(a: {
  state: AssignmentState;
  dueSignAt: Date;
  dueOnSiteAt: Date;
  dueResolveAt: Date | null;
}): { step: Step; due: Date | null } | null {
  if (a.state === "dispatched") return { step: "sign", due: a.dueSignAt };
  if (a.state === "signed") return { step: "onSite", due: a.dueOnSiteAt };
  if (a.state === "on_site") return { step: "resolve", due: a.dueResolveAt };
  return null;
}

/** Whether a step is overdue now: computed from stored deadlines and the clock, so it is right after any restart. */
export function overdueBy(a: Parameters<typeof nextStep>[0], now: Date): number {
  const next = nextStep(a);
  if (!next?.due) return 0;
  return Math.max(0, now.getTime() - next.due.getTime());
}

/** Reminder lead time before a deadline: 30 minutes for emergencies, a day otherwise. */
export function reminderLead(kind: WhistleKind): number {
  return kind === "emergency" ? 30 * 60_000 : 24 * 60 * 60_000;
}

/** Add working days (Monday–Friday) to a time; public holidays are not modelled. */
export function addWorkingDays(from: Date, days: number, timeZoneOffsetMinutes = 8 * 60): Date {
  const d = new Date(from.getTime());
  let left = days;
  while (left > 0) {
    d.setTime(d.getTime() + 86_400_000);
    const local = new Date(d.getTime() + timeZoneOffsetMinutes * 60_000);
    const day = local.getUTCDay();
    if (day !== 0 && day !== 6) left--;
  }
  return d;
}

export type Ladder = "remind" | "overdue" | "supervise" | "public";

/** The next rung of the escalation ladder an assignment has reached and not yet taken. */
export function ladderStep(
  a: Parameters<typeof nextStep>[0] & {
    remindedStep: string | null;
    overdueSince: Date | null;
    autoSupervisedAt: Date | null;
    publicOverdueAt: Date | null;
  },
  kind: WhistleKind,
  now: Date,
): Ladder | null {
  const next = nextStep(a);
  if (!next?.due) return null;
  const due = next.due.getTime();
  if (now.getTime() >= due) {
    if (!a.overdueSince) return "overdue";
    if (!a.autoSupervisedAt && now.getTime() >= a.overdueSince.getTime() + 86_400_000) return "supervise";
    if (!a.publicOverdueAt && now.getTime() >= addWorkingDays(a.overdueSince, 5).getTime()) return "public";
    return null;
  }
  if (now.getTime() >= due - reminderLead(kind) && a.remindedStep !== next.step) return "remind";
  return null;
}

/**
 * Whether a lead part counts as done for the whistle: resolved or confirmed;
 * for an emergency only once the whistling unit has confirmed it ("stay until
 * it is done", 事不完、人不撤). A returned part counts once it was re-dispatched
 * (its replacement is then a lead part of its own).
 */
export function leadPartDone(kind: WhistleKind, lead: { state: AssignmentState; replaced: boolean }): boolean {
  if (lead.state === "returned") return lead.replaced;
  if (kind === "emergency") return lead.state === "confirmed";
  return lead.state === "resolved" || lead.state === "confirmed";
}

/** An open emergency shows the time since it was dispatched (it has no resolve deadline). */
export function emergencyElapsed(w: { kind: WhistleKind; state: string; dispatchedAt: Date | null }, now: Date): number | null {
  if (w.kind !== "emergency" || !w.dispatchedAt || !["dispatched", "reopened"].includes(w.state)) return null;
  return Math.max(0, now.getTime() - w.dispatchedAt.getTime());
}

/**
 * Whom a whistle may go to: a community's (社区吹哨) only to the stations
 * serving its subdistrict; a subdistrict's to the district's own departments
 * and the stations serving that subdistrict (never another subdistrict's).
 */
export function mayDispatchTo(
  d: { level: string; servesUnitId: number | null },
  w: { subdistrictId: number; communityId: number | null },
): boolean {
  if (w.communityId) return d.level === "station" && d.servesUnitId === w.subdistrictId;
  return d.servesUnitId === w.subdistrictId || (d.servesUnitId === null && d.level === "district");
}

/** Supervision (督办) presses departments that are still working: a dispatched or reopened whistle. */
export function maySupervise(state: string): boolean {
  return state === "dispatched" || state === "reopened";
}

/** Residents rate a resolved whistle until its rating window closes. */
export function mayRate(w: { state: string; ratingClosesAt: Date | null }, now: Date): boolean {
  return w.state === "resolved" && w.ratingClosesAt !== null && now < w.ratingClosesAt;
}

/** Residents who rate or ask for a redo stay unnamed on the public timeline; staff act in public. */
export const RESIDENT_EVENTS: readonly string[] = ["rated", "reopened"];
export function publicActor<T extends { actorName: string | null; staffAccount: string | null }>(
  kind: string,
  who: T,
): Pick<T, "actorName" | "staffAccount"> {
  return RESIDENT_EVENTS.includes(kind)
    ? { actorName: null, staffAccount: null }
    : { actorName: who.actorName, staffAccount: who.staffAccount };
}

/** How many residents said what of this round, never who. */
export function ratingTally(rows: { solved: boolean; satisfaction: Satisfaction }[]) {
  const n = (s: Satisfaction) => rows.filter((r) => r.satisfaction === s).length;
  return {
    satisfied: n("satisfied"),
    basically: n("basically_satisfied"),
    dissatisfied: n("dissatisfied"),
    solved: rows.filter((r) => r.solved).length,
    notSolved: rows.filter((r) => !r.solved).length,
  };
}

export const RATING_WINDOW_MS = 7 * 86_400_000;
/** A rating that may reopen the whistle (重办) — once. */
export function mayReopen(r: { solved: boolean; satisfaction: Satisfaction }): boolean {
  return !r.solved || r.satisfaction === "dissatisfied";
}

/** The page offers a redo to a resident whose rating allows it, on a whistle not reopened before. */
export function offersReopen(r: { solved: boolean; satisfaction: Satisfaction } | null, round: number): boolean {
  return r !== null && round === 0 && mayReopen(r);
}

// ——— The three rates (三率) ———
//
// Each department is judged on its own assignments (domain-rules.md, ADR 0018).
// What one assignment adds to its month's counts is a set of bits, computed
// by the pure `rateFlags` from the assignment, its whistle and the whistle's
// rating; commands keep the sums in `whistle_rate_counts` as they go.

export const RATE_BITS = {
  /** Counted at all: dispatched (the response denominator). */
  dispatched: 1,
  signedInTime: 2,
  /**
   * Owed a result (the resolution denominator): every part except a returned one and those of an approved
   * unreasonable closure. A co-operating part still open when the whistle was resolved (closed as not needed)
   * stays due and uncredited: ignoring a whistle never improves a department's rates.
   */
  due: 4,
  /** Credited with the result (the resolution numerator). */
  resolved: 8,
  /** Credited and the whistle rated (the satisfaction denominator). */
  rated: 16,
  satisfied: 32,
  resolvedWithDeadline: 64,
  resolvedOnTime: 128,
  returned: 256,
  redone: 512,
  unreasonable: 1024,
  notNeeded: 2048,
} as const;
export type RateCountName = keyof typeof RATE_BITS;
export type RateCounts = Record<RateCountName, number>;
export const RATE_COUNT_NAMES = Object.keys(RATE_BITS) as RateCountName[];

export interface RateAssignment {
  role: "lead" | "cooperate";
  state: AssignmentState;
  round: number;
  dueSignAt: Date;
  signedAt: Date | null;
  resolvedAt: Date | null;
  dueResolveAt: Date | null;
}
export interface RateWhistle {
  kind: WhistleKind;
  state: string;
  round: number;
  closure: string | null;
  /** The residents' answer for the whistle's current round: satisfied (or basically) by most raters; null: not rated. */
  satisfied: boolean | null;
}

/**
 * Whether a department is credited with the result of its assignment. The
 * lead: its part done, the whistle resolved (or closed after it) and not
 * reopened since (a reopened whistle's first-round lead parts get nothing; the
 * redo's parts are judged on their own). A co-operating department: its own
 * part reported done and accepted (`confirmed`: by the lead's resolution of
 * the whistle, or by the whistling unit).
 */
export function credited(a: RateAssignment, w: RateWhistle): boolean {
  if (w.closure === "unreasonable") return false;
  if (a.role === "cooperate") return a.state === "confirmed";
  const done = w.kind === "emergency" ? a.state === "confirmed" : a.state === "resolved" || a.state === "confirmed";
  return done && a.round === w.round && (w.state === "resolved" || w.state === "closed") && w.closure === "resolved";
}

/** The bits one assignment adds to its month's counts (see RATE_BITS). */
export function rateFlags(a: RateAssignment, w: RateWhistle): number {
  const b = RATE_BITS;
  let f = b.dispatched;
  if (a.signedAt && a.signedAt <= a.dueSignAt) f |= b.signedInTime;
  const unreasonable = w.closure === "unreasonable";
  if (unreasonable) f |= b.unreasonable;
  if (a.state === "returned") f |= b.returned;
  if (a.state === "not_needed") f |= b.notNeeded;
  if (!unreasonable && a.state !== "returned") f |= b.due;
  if (credited(a, w)) {
    f |= b.resolved;
    if (w.satisfied !== null) f |= b.rated;
    if (w.satisfied) f |= b.satisfied;
  }
  if (a.resolvedAt && a.dueResolveAt) {
    f |= b.resolvedWithDeadline;
    if (a.resolvedAt <= a.dueResolveAt) f |= b.resolvedOnTime;
  }
  if (a.round > 0) f |= b.redone;
  return f;
}

export function emptyCounts(): RateCounts {
  return Object.fromEntries(RATE_COUNT_NAMES.map((k) => [k, 0])) as RateCounts;
}

/** Add (sign 1) or take away (sign −1) one assignment's bits. */
export function addFlags(c: RateCounts, flags: number, sign = 1): RateCounts {
  for (const k of RATE_COUNT_NAMES) if (flags & RATE_BITS[k]) c[k] += sign;
  return c;
}

/** The per-count change from old bits to new ones (only the counts that change). */
export function flagDelta(before: number, after: number): Partial<RateCounts> {
  const d: Partial<RateCounts> = {};
  for (const k of RATE_COUNT_NAMES) {
    const change = (after & RATE_BITS[k] ? 1 : 0) - (before & RATE_BITS[k] ? 1 : 0);
    if (change) d[k] = change;
  }
  return d;
}

/** The residents' answer of a whistle's round from its ratings: satisfied when at least half said satisfied or basically satisfied. */
export function whistleSatisfied(ratings: readonly { satisfaction: Satisfaction }[]): boolean | null {
  if (ratings.length === 0) return null;
  const yes = ratings.filter((r) => r.satisfaction !== "dissatisfied").length;
  return yes * 2 >= ratings.length;
}

export interface Rates extends RateCounts {
  responseRate: number | null;
  resolutionRate: number | null;
  satisfactionRate: number | null;
  onTimeRate: number | null;
  returnRate: number | null;
  redoRate: number | null;
}

const ratio = (a: number, b: number) => (b === 0 ? null : a / b);

/**
 * The rates from raw counts (domain-rules.md): response = signed in time ÷
 * dispatched; resolution = credited ÷ due; satisfaction = (satisfied +
 * basically) ÷ rated, over the parts it was credited with. 0/0 is null ("—").
 */
export function ratesFromCounts(c: RateCounts): Rates {
  return {
    ...c,
    responseRate: ratio(c.signedInTime, c.dispatched),
    resolutionRate: ratio(c.resolved, c.due),
    satisfactionRate: ratio(c.satisfied, c.rated),
    onTimeRate: ratio(c.resolvedOnTime, c.resolvedWithDeadline),
    returnRate: ratio(c.returned, c.dispatched),
    redoRate: ratio(c.redone, c.dispatched),
  };
}

/** The rates of a set of assignments (a full recount: the same bits, summed here). */
export function rates(parts: readonly { a: RateAssignment; w: RateWhistle }[]): Rates {
  const c = emptyCounts();
  for (const p of parts) addFlags(c, rateFlags(p.a, p.w));
  return ratesFromCounts(c);
}

/** Fewer assignments than the district's minimum in the month: listed, not ranked. */
export const DEFAULT_MIN_CASES = 3;

/**
 * The ranking: units with at least `minCases` assignments and a score, best
 * first (ties by name); the rest are listed with the reason they are not ranked.
 */
export function rankUnits<T extends { name: string; dispatched: number; score: number | null }>(rows: readonly T[], minCases: number) {
  const ranked = rows
    .filter((r) => r.score !== null && r.dispatched >= minCases)
    .sort((a, b) => b.score! - a.score! || a.name.localeCompare(b.name, "zh-CN"));
  const unranked = rows
    .filter((r) => !ranked.includes(r))
    .map((r) => ({ ...r, why: (r.dispatched < minCases ? "fewCases" : "noRates") as "fewCases" | "noRates" }));
  return { ranked, unranked };
}

/**
 * How many units the top (and the bottom) of a ranking of `count` holds: the
 * monthly top-5 / bottom-5 lists (domain-rules.md), each at most half the
 * ranking, so a short ranking never marks one unit both best and worst.
 */
export function rankBandSize(count: number): number {
  return Math.min(5, Math.floor(count / 2));
}

/** Where the `index`-th unit (0 = best) of a ranking of `count` stands: the top, the bottom, or between. */
export function rankBand(index: number, count: number): "top" | "bottom" | "middle" {
  const size = rankBandSize(count);
  if (index < size) return "top";
  if (index >= count - size) return "bottom";
  return "middle";
}

export interface Weights {
  response: number;
  resolution: number;
  satisfaction: number;
}
export const DEFAULT_WEIGHTS: Weights = { response: 0.3, resolution: 0.3, satisfaction: 0.4 };

export interface WeightsPeriod {
  /** "YYYY-MM" */
  validFrom: string;
  /** Percent, summing to 100. */
  response: number;
  resolution: number;
  satisfaction: number;
  /** Listed but not ranked below this many assignments in the month. */
  minCases?: number;
}

/**
 * The weights valid for a month ("YYYY-MM"): the period that began latest on
 * or before it; none began yet → the defaults (validFrom null).
 */
export function weightsForMonth(
  periods: readonly WeightsPeriod[],
  month: string,
): { weights: Weights; validFrom: string | null; minCases: number } {
  const current = periods.filter((p) => p.validFrom <= month).sort((a, b) => (a.validFrom < b.validFrom ? 1 : -1))[0];
  if (!current) return { weights: DEFAULT_WEIGHTS, validFrom: null, minCases: DEFAULT_MIN_CASES };
  return {
    weights: { response: current.response / 100, resolution: current.resolution / 100, satisfaction: current.satisfaction / 100 },
    validFrom: current.validFrom,
    minCases: current.minCases ?? DEFAULT_MIN_CASES,
  };
}

/**
 * Composite score = w1·response + w2·resolution + w3·satisfaction. No score
 * (not ranked) without a response and a resolution figure: a 0/0 is never
 * counted as perfect. Without ratings (a direct whistle has no residents to
 * rate it), the other two weights share the whole.
 */
export function compositeScore(
  r: Pick<Rates, "responseRate" | "resolutionRate" | "satisfactionRate">,
  w: Weights = DEFAULT_WEIGHTS,
): number | null {
  if (r.responseRate === null || r.resolutionRate === null) return null;
  const parts = [
    [r.responseRate, w.response],
    [r.resolutionRate, w.resolution],
    [r.satisfactionRate, w.satisfaction],
  ] as const;
  const present = parts.filter(([v]) => v !== null);
  const weight = present.reduce((s, [, wt]) => s + wt, 0);
  if (weight === 0) return null;
  return present.reduce((s, [v, wt]) => s + v! * wt, 0) / weight;
}

/**
 * Rebuild a whistle's state and its assignments' states from its events
 * alone (every state change is an event; the stored columns are a projection).
 */
export function replay(events: { assignmentId: number | null; toState: string | null }[]) {
  let whistle: string | null = null;
  const assignments = new Map<number, string>();
  for (const e of events) {
    if (!e.toState) continue;
    if (e.assignmentId === null) whistle = e.toState;
    else assignments.set(e.assignmentId, e.toState);
  }
  return { whistle, assignments };
}

/** "YYYY-MM" of an instant in the district's time zone: the month an assignment is counted in (its dispatch). */
export const monthKeyOf = (at: Date, timeZone: string) => localMonth(at, timeZone);

/** Which counts make up a figure: its numerator and its denominator. */
export const RATE_PARTS = {
  response: { numerator: "signedInTime", denominator: "dispatched" },
  resolution: { numerator: "resolved", denominator: "due" },
  satisfaction: { numerator: "satisfied", denominator: "rated" },
  onTime: { numerator: "resolvedOnTime", denominator: "resolvedWithDeadline" },
  returns: { numerator: "returned", denominator: "dispatched" },
} as const satisfies Record<string, { numerator: RateCountName; denominator: RateCountName }>;
export type RateName = keyof typeof RATE_PARTS;

/** The case list behind a figure shows at most this many assignments. */
export const CASES_LIMIT = 500;
