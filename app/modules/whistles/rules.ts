import type { AssignmentState, Satisfaction, WhistleKind } from "#db/schema/whistles";

/**
 * Whistles and report-for-duty as pure rules (domain-rules.md): the
 * assignment state machine, deadlines per kind, the escalation ladder, and
 * the three rates.
 */
export const assignmentTransitions: Record<AssignmentState, readonly AssignmentState[]> = {
  dispatched: ["signed", "returned"],
  signed: ["on_site", "returned"],
  on_site: ["resolved"],
  resolved: ["confirmed", "dispatched"], // dispatched again when the residents reopen it (重办)
  returned: [],
  confirmed: ["dispatched"],
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
export function nextStep(a: { state: AssignmentState; dueSignAt: Date; dueOnSiteAt: Date; dueResolveAt: Date | null }): { step: Step; due: Date | null } | null {
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
  a: Parameters<typeof nextStep>[0] & { remindedStep: string | null; overdueSince: Date | null; autoSupervisedAt: Date | null; publicOverdueAt: Date | null },
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

export const RATING_WINDOW_MS = 7 * 86_400_000;
/** A rating that may reopen the whistle (重办) — once. */
export function mayReopen(r: { solved: boolean; satisfaction: Satisfaction }): boolean {
  return !r.solved || r.satisfaction === "dissatisfied";
}

// ——— The three rates (三率) ———

export interface AssignmentFact {
  departmentId: number;
  dispatchedAt: Date;
  dueSignAt: Date;
  signedAt: Date | null;
  resolvedAt: Date | null;
  dueResolveAt: Date | null;
  returned: boolean;
  whistleId: number;
  redone: boolean;
}
export interface WhistleOutcome {
  whistleId: number;
  /** Answered "solved" / "not solved" (null: no answer). */
  solved: boolean | null;
  satisfaction: Satisfaction | null;
  unreasonable: boolean;
}

export interface Rates {
  dispatched: number;
  signedInTime: number;
  responseRate: number | null;
  answered: number;
  solved: number;
  resolutionRate: number | null;
  rated: number;
  satisfied: number;
  satisfactionRate: number | null;
  resolvedOnTime: number;
  resolvedWithDeadline: number;
  onTimeRate: number | null;
  returned: number;
  returnRate: number | null;
  redone: number;
  redoRate: number | null;
  medianSignMinutes: number | null;
  medianResolveMinutes: number | null;
  unreasonable: number;
}

const ratio = (a: number, b: number) => (b === 0 ? null : a / b);
function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((x, y) => x - y);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/**
 * The rates of one department (or station, or subdistrict) for a period, with
 * their raw counts (domain-rules.md): response = signed in time ÷ dispatched;
 * resolution = solved ÷ (solved + not solved), unreasonable closures excluded;
 * satisfaction = (satisfied + basically) ÷ rated.
 */
export function rates(facts: AssignmentFact[], outcomes: WhistleOutcome[]): Rates {
  const byWhistle = new Map(outcomes.map((o) => [o.whistleId, o]));
  const whistleIds = [...new Set(facts.map((f) => f.whistleId))];
  const counted = whistleIds.map((id) => byWhistle.get(id)).filter((o): o is WhistleOutcome => o !== undefined && !o.unreasonable);
  const answered = counted.filter((o) => o.solved !== null);
  const rated = counted.filter((o) => o.satisfaction !== null);
  const signedInTime = facts.filter((f) => f.signedAt !== null && f.signedAt <= f.dueSignAt).length;
  const withDeadline = facts.filter((f) => f.resolvedAt !== null && f.dueResolveAt !== null);
  const onTime = withDeadline.filter((f) => f.resolvedAt! <= f.dueResolveAt!).length;
  const returned = facts.filter((f) => f.returned).length;
  const redone = facts.filter((f) => f.redone).length;
  const satisfied = rated.filter((o) => o.satisfaction === "satisfied" || o.satisfaction === "basically_satisfied").length;
  const solved = answered.filter((o) => o.solved).length;
  return {
    dispatched: facts.length,
    signedInTime,
    responseRate: ratio(signedInTime, facts.length),
    answered: answered.length,
    solved,
    resolutionRate: ratio(solved, answered.length),
    rated: rated.length,
    satisfied,
    satisfactionRate: ratio(satisfied, rated.length),
    resolvedOnTime: onTime,
    resolvedWithDeadline: withDeadline.length,
    onTimeRate: ratio(onTime, withDeadline.length),
    returned,
    returnRate: ratio(returned, facts.length),
    redone,
    redoRate: ratio(redone, facts.length),
    medianSignMinutes: median(facts.filter((f) => f.signedAt).map((f) => (f.signedAt!.getTime() - f.dispatchedAt.getTime()) / 60_000)),
    medianResolveMinutes: median(facts.filter((f) => f.resolvedAt).map((f) => (f.resolvedAt!.getTime() - f.dispatchedAt.getTime()) / 60_000)),
    unreasonable: whistleIds.filter((id) => byWhistle.get(id)?.unreasonable).length,
  };
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
}

/**
 * The weights valid for a month ("YYYY-MM"): the period that began latest on
 * or before it; none began yet → the defaults (validFrom null).
 */
export function weightsForMonth(periods: readonly WeightsPeriod[], month: string): { weights: Weights; validFrom: string | null } {
  const current = periods.filter((p) => p.validFrom <= month).sort((a, b) => (a.validFrom < b.validFrom ? 1 : -1))[0];
  if (!current) return { weights: DEFAULT_WEIGHTS, validFrom: null };
  return { weights: { response: current.response / 100, resolution: current.resolution / 100, satisfaction: current.satisfaction / 100 }, validFrom: current.validFrom };
}

/** Composite score = w1·response + w2·resolution + w3·satisfaction (a missing rate counts as its weight's share of the rest). */
export function compositeScore(r: Pick<Rates, "responseRate" | "resolutionRate" | "satisfactionRate">, w: Weights = DEFAULT_WEIGHTS): number | null {
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
