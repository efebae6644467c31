import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import type { ActivityEligibility, PledgeStatus, PledgeUnit, SignupStatus } from "#db/schema/pledges";

/**
 * The pure rules of pledges, activities and service records. Time is always
 * a parameter; nothing here reads the clock or the database.
 */

// ——— Pledges ———

export interface PledgeFigures {
  status: PledgeStatus;
  unit: PledgeUnit;
  amount: number;
  /** Minutes for an hours pledge, verified activities for a times pledge. */
  achieved: number;
  endsOn: string;
}

/** What `achieved` must reach: minutes for an hours pledge, activities for a times pledge. */
export function pledgeTarget(p: Pick<PledgeFigures, "unit" | "amount">): number {
  return p.unit === "hours" ? p.amount * 60 : p.amount;
}

/** Progress = verified service ÷ pledged, between 0 and 1. */
export function pledgeProgress(p: Pick<PledgeFigures, "unit" | "amount" | "achieved">): number {
  const target = pledgeTarget(p);
  return target <= 0 ? 0 : Math.min(1, p.achieved / target);
}

/**
 * Where a pledge stands at `today` (a local date): fulfilled once verified
 * service reaches the pledge, lapsed after the last day of its period,
 * else still active. Fulfilled, lapsed and withdrawn are final.
 */
export function pledgeStatusAt(p: PledgeFigures, today: string): PledgeStatus {
  if (p.status !== "active") return p.status;
  if (p.achieved >= pledgeTarget(p)) return "fulfilled";
  if (p.endsOn < today) return "lapsed";
  return "active";
}

/** Only an active pledge can be withdrawn. */
export function canWithdrawPledge(status: PledgeStatus): boolean {
  return status === "active";
}

/** A pledge's period: it may not end before it starts, nor before today, nor run longer than a year and a day. */
export function pledgePeriodError(startsOn: string, endsOn: string, today: string): string | null {
  if (endsOn < startsOn) return "pledge.error.endsBeforeStart";
  if (endsOn < today) return "pledge.error.endsInPast";
  const days = (Date.parse(endsOn) - Date.parse(startsOn)) / 86_400_000;
  if (days > 366) return "pledge.error.tooLong";
  return null;
}

// ——— Activities ———

/** Sign-up is open until the activity starts (and while it is not cancelled). */
export function signupOpen(a: { status: string; startsAt: Date }, now: Date): boolean {
  return a.status === "open" && now.getTime() < a.startsAt.getTime();
}

/** A newcomer takes a free slot, or joins the end of the waitlist when the role is full. */
export function placeFor(slots: number, signedUp: number): Exclude<SignupStatus, "cancelled"> {
  return signedUp < slots ? "signed_up" : "waitlisted";
}

/** Why a sign-up is refused: the person may not join, sign-up has closed, or the role is not the activity's. */
export type SignupRefusal = "forbidden" | "closed" | "no_role";

export interface SignupAsk {
  userId: number | null;
  roleId: number;
  at: Date;
  /** What permissions.ts answered ("activity:signUp") for this person for each kind of activity: the rule only picks one. */
  may: Record<ActivityEligibility, boolean>;
}

export interface SignupPlace {
  roleId: number;
  status: SignupStatus;
  seq: number;
}

export interface SignupBoard {
  activity: { status: string; startsAt: Date; eligibility: ActivityEligibility };
  /** Every role with its slots and how many hold a place in it or wait for one now. */
  roles: { id: number; slots: number; taken: number; waiting: number }[];
  /** The records the people asking already have in this activity (any status), by user. */
  places: ReadonlyMap<number, SignupPlace>;
  /** The highest arrival number given in this activity so far (0 when none). */
  lastSeq: number;
}

export type SignupOutcome = { outcome: SignupRefusal } | { outcome: "placed" | "kept"; userId: number; place: SignupPlace };

/**
 * The placing rule for requests that arrive together (ADR 0021). This is its
 * statement of record; the database function `activity_sign_up` (migration
 * 0025) carries out the same rule where the activity's lock is held, and
 * tests/integration/signup-function.test.ts runs the same scenarios through
 * both and requires the same answers. Change them together.
 *
 * In arrival order, each request is refused when the person may not join
 * (what permissions.ts answered for this activity's eligibility), when
 * sign-up has closed for it (`signupOpen` at the request's time), or when the
 * role is not one of the activity's. A person who already holds a place (or
 * waits), or whose earlier request in the same batch was accepted, keeps that
 * record: a double click or a retry is the same sign-up. Otherwise the person
 * is placed by `placeFor` with the next arrival number; a cancelled record is
 * reused and queues again at the end.
 */
export function placeSignups(
  board: SignupBoard,
  asks: readonly SignupAsk[],
): { outcomes: SignupOutcome[]; roles: { roleId: number; signedUp: number; waitlisted: number }[] } {
  const taken = new Map(board.roles.map((r) => [r.id, r.taken]));
  const waiting = new Map(board.roles.map((r) => [r.id, r.waiting]));
  const places = new Map(board.places);
  const answered = new Set<number>();
  let seq = board.lastSeq;
  const decided = asks.map((ask): { outcome: SignupRefusal } | { outcome: "placed" | "kept"; userId: number } => {
    if (ask.userId === null || !ask.may[board.activity.eligibility]) return { outcome: "forbidden" };
    if (!signupOpen(board.activity, ask.at)) return { outcome: "closed" };
    const role = board.roles.find((r) => r.id === ask.roleId);
    if (!role) return { outcome: "no_role" };
    const before = places.get(ask.userId);
    if (answered.has(ask.userId) || (before && before.status !== "cancelled")) {
      answered.add(ask.userId);
      return { outcome: "kept", userId: ask.userId };
    }
    const status = placeFor(role.slots, taken.get(role.id)!);
    const counter = status === "signed_up" ? taken : waiting;
    counter.set(role.id, counter.get(role.id)! + 1);
    places.set(ask.userId, { roleId: role.id, status, seq: ++seq });
    answered.add(ask.userId);
    return { outcome: "placed", userId: ask.userId };
  });
  return {
    outcomes: decided.map((d) => ("userId" in d ? { ...d, place: places.get(d.userId)! } : d)),
    roles: board.roles.map((r) => ({ roleId: r.id, signedUp: taken.get(r.id)!, waitlisted: waiting.get(r.id)! })),
  };
}

/** Who moves up when a slot frees: the earliest arrival on the waitlist. */
export function nextToPromote<T extends { status: SignupStatus; seq: number }>(queue: T[]): T | null {
  return queue.filter((s) => s.status === "waitlisted").sort((a, b) => a.seq - b.seq)[0] ?? null;
}

/** Check-in from half an hour before the start until the end; check-out until two hours after the end. */
export const CHECK_IN_EARLY_MS = 30 * 60_000;
export const CHECK_OUT_LATE_MS = 2 * 60 * 60_000;

export function checkInOpen(a: { startsAt: Date; endsAt: Date }, now: Date): boolean {
  return now.getTime() >= a.startsAt.getTime() - CHECK_IN_EARLY_MS && now.getTime() <= a.endsAt.getTime();
}

export function checkOutOpen(a: { endsAt: Date }, checkedInAt: Date | null, now: Date): boolean {
  return checkedInAt !== null && now.getTime() >= checkedInAt.getTime() && now.getTime() <= a.endsAt.getTime() + CHECK_OUT_LATE_MS;
}

/**
 * Actual service time in minutes: from check-in to check-out, counted only
 * within the activity's hours (waiting before the start is not service).
 */
export function serviceMinutes(a: { startsAt: Date; endsAt: Date }, checkedInAt: Date | null, checkedOutAt: Date | null): number {
  if (!checkedInAt || !checkedOutAt) return 0;
  const from = Math.max(checkedInAt.getTime(), a.startsAt.getTime());
  const to = Math.min(checkedOutAt.getTime(), a.endsAt.getTime());
  return Math.max(0, Math.floor((to - from) / 60_000));
}

/**
 * What entering the venue's code does: check in; check out (once at least
 * five minutes have passed, so a second entry right away is not a check-out);
 * nothing more once both are done.
 */
export function codeAction(s: { checkedInAt: Date | null; checkedOutAt: Date | null }, now: Date): "in" | "out" | "already_in" | "done" {
  if (!s.checkedInAt) return "in";
  if (s.checkedOutAt) return "done";
  return now.getTime() - s.checkedInAt.getTime() < 5 * 60_000 ? "already_in" : "out";
}

/** The organiser verifies the proposed minutes or corrects them; a correction needs a reason. */
export function verificationError(proposed: number, verified: number, reason: string | undefined, activityMinutes: number): string | null {
  if (!Number.isInteger(verified) || verified < 0) return "activity.error.minutes";
  if (verified > activityMinutes) return "activity.error.minutesTooMany";
  if (verified !== proposed && !reason?.trim()) return "activity.error.correctionReason";
  return null;
}

// ——— The venue's check-in code ———

/** The code changes every five minutes; the one before is still accepted (someone typing at the turn). */
export const CODE_STEP_MS = 5 * 60_000;

/** The 6-digit code shown at the venue during the step containing `now` (HOTP, RFC 4226, over the step number). */
export function venueCode(secret: string, now: Date, stepMs = CODE_STEP_MS): string {
  const counter = Math.floor(now.getTime() / stepMs);
  const msg = new Uint8Array(8);
  new DataView(msg.buffer).setBigUint64(0, BigInt(counter));
  const mac = hmac(sha256, new TextEncoder().encode(secret), msg);
  const offset = mac[mac.length - 1]! & 0x0f;
  const bin = ((mac[offset]! & 0x7f) << 24) | (mac[offset + 1]! << 16) | (mac[offset + 2]! << 8) | mac[offset + 3]!;
  return String(bin % 1_000_000).padStart(6, "0");
}

export function venueCodeValid(secret: string, code: string, now: Date, stepMs = CODE_STEP_MS): boolean {
  return code === venueCode(secret, now, stepMs) || code === venueCode(secret, new Date(now.getTime() - stepMs), stepMs);
}

/** When the code shown now is replaced. */
export function venueCodeChangesAt(now: Date, stepMs = CODE_STEP_MS): Date {
  return new Date((Math.floor(now.getTime() / stepMs) + 1) * stepMs);
}

// ——— Service records ———

/** Star levels by cumulative verified hours (one national scheme uses these); a district may set its own (`star_levels`). */
export const DEFAULT_STAR_HOURS = [100, 300, 600, 1000, 1500] as const;
export const STAR_COUNT = DEFAULT_STAR_HOURS.length;
/** The most hours a star may ask for (a lifetime of weekly service, with room). */
export const MAX_STAR_HOURS = 100_000;

/**
 * Why a district's star levels cannot be used, or null: five whole numbers of
 * hours, the first at least 1, each more than the one before, none above
 * MAX_STAR_HOURS. The index names the star (0 = the first) the message belongs beside.
 */
export function starLevelsError(hours: readonly number[]): { index: number; message: string } | null {
  if (hours.length !== STAR_COUNT) return { index: Math.min(hours.length, STAR_COUNT - 1), message: "stars.error.count" };
  for (const [i, h] of hours.entries()) {
    if (!Number.isInteger(h) || h < 1 || h > MAX_STAR_HOURS) return { index: i, message: "stars.error.range" };
    if (i > 0 && h <= hours[i - 1]!) return { index: i, message: "stars.error.ascending" };
  }
  return null;
}

/** 0 (none yet) to 5 stars for cumulative verified minutes. */
export function starLevel(totalMinutes: number, thresholdsHours: readonly number[] = DEFAULT_STAR_HOURS): number {
  return thresholdsHours.filter((h) => totalMinutes >= h * 60).length;
}

/** Hours still needed for the next star, or null at the top. */
export function hoursToNextStar(totalMinutes: number, thresholdsHours: readonly number[] = DEFAULT_STAR_HOURS): number | null {
  const next = thresholdsHours.find((h) => totalMinutes < h * 60);
  return next === undefined ? null : Math.ceil((next * 60 - totalMinutes) / 60);
}

/** Minutes as hours with one decimal (2 h 30 min → 2.5). */
export function hoursOf(minutes: number): number {
  return Math.round(minutes / 6) / 10;
}

const HOUR_MS = 3_600_000;

/**
 * Which reminder an activity owes its volunteers now: "day" within 24 hours
 * of the start, "hour" within the last hour, each once; none once it has
 * started or if it was cancelled. An activity made less than an hour ahead
 * gets only the hour's reminder (the day's would come after it).
 */
export function reminderDue(
  a: { status: string; startsAt: Date; remindedDayAt: Date | null; remindedHourAt: Date | null },
  now: Date,
): "day" | "hour" | null {
  if (a.status !== "open") return null;
  const until = a.startsAt.getTime() - now.getTime();
  if (until <= 0) return null;
  if (until <= HOUR_MS) return a.remindedHourAt ? null : "hour";
  if (until <= 24 * HOUR_MS) return a.remindedDayAt ? null : "day";
  return null;
}

/** Of the pledges that ended, the share fulfilled (withdrawn ones do not count); null when none ended. */
export function fulfilmentRate(fulfilled: number, lapsed: number): number | null {
  return fulfilled + lapsed === 0 ? null : fulfilled / (fulfilled + lapsed);
}
