import type { ChannelCount, HandStance as Stance, MeetingStatus, MotionChannels, MotionKind, MotionStatus } from "#db/schema/meetings";

/**
 * The rules of a meeting in a room (议事会), pure: the hall's rules of
 * procedure, the speaker queue (people who have not spoken first, for and
 * against in turn), the countdown, the quorum, motions and their votes.
 * Modelled on the Nantang rules (shared/domain-rules.md "Rules of procedure").
 */

export interface Procedure {
  /** Each speech at most this long. */
  speakingSeconds: number;
  /** Each person speaks at most this many times on an item. */
  timesPerItem: number;
  /** For and against alternate where the queue allows. */
  alternate: boolean;
  /** A member who cannot come may give their place to another present (委托). */
  proxies: boolean;
  /** The chair stays neutral: while chairing, no hand of their own and no motion moved or seconded (the default, as the Nantang rules). */
  neutralChair: boolean;
}

export const DEFAULT_PROCEDURE: Procedure = { speakingSeconds: 120, timesPerItem: 2, alternate: true, proxies: false, neutralChair: true };

/** The limits a hall may set its rules within. */
export const PROCEDURE_LIMITS = { speakingSeconds: { min: 30, max: 600 }, timesPerItem: { min: 1, max: 5 } } as const;

// ——— The meeting ———

export type MeetingStep = "open" | "close" | "cancel";
const meetingSteps: Record<MeetingStep, { from: MeetingStatus[]; to: MeetingStatus }> = {
  open: { from: ["scheduled"], to: "open" },
  close: { from: ["open"], to: "closed" },
  cancel: { from: ["scheduled"], to: "cancelled" },
};

export function nextMeetingStatus(status: MeetingStatus, step: MeetingStep): MeetingStatus | null {
  const s = meetingSteps[step];
  return s.from.includes(status) ? s.to : null;
}

/** Sign-in opens an hour before the start and stays open while the meeting runs. */
export const SIGN_IN_BEFORE_MS = 60 * 60_000;
export function signInOpen(m: { status: MeetingStatus; startsAt: Date }, now: Date): boolean {
  if (m.status === "open") return true;
  return m.status === "scheduled" && now.getTime() >= m.startsAt.getTime() - SIGN_IN_BEFORE_MS;
}

/** The sign-in code on the wall changes every three minutes (the one before still counts). */
export const SIGN_IN_CODE_STEP_MS = 3 * 60_000;

export interface Quorum {
  present: number;
  quorum: number;
  met: boolean;
  /** How many more are needed (0 when met). */
  missing: number;
}

export function quorumOf(present: number, quorum: number): Quorum {
  return { present, quorum, met: present >= quorum, missing: Math.max(0, quorum - present) };
}

// ——— The speaker queue ———

export interface QueuedHand {
  id: number;
  userId: number;
  stance: Stance;
  /** Milliseconds since the epoch. */
  raisedAt: number;
}

const opposite = (s: Stance): Stance => (s === "for" ? "against" : "for");

/**
 * The order in which the waiting hands will be called: people who have spoken
 * fewer times on the item first; with alternation, the stance opposite to the
 * speaker before where someone of it waits; otherwise first come, first called.
 * `lastStance` is the stance of the last speech on the item (null: none yet).
 * A person has at most one hand waiting (the database holds to it), so calling
 * one never changes another's place among the fewer-spoken: the hands sort
 * into groups by times spoken, and within a group two first-come lines, for
 * and against, are taken in turn (linear after the sort: a room of 300 hands
 * orders in well under a millisecond).
 */
export function orderQueue<H extends QueuedHand>(
  hands: readonly H[],
  spoken: ReadonlyMap<number, number>,
  lastStance: Stance | null,
  alternate: boolean,
): H[] {
  const rank = (h: H) => spoken.get(h.userId) ?? 0;
  const sorted = [...hands].sort((a, b) => rank(a) - rank(b) || a.raisedAt - b.raisedAt || a.id - b.id);
  const order: H[] = [];
  let last = lastStance;
  for (let start = 0; start < sorted.length; ) {
    let end = start;
    while (end < sorted.length && rank(sorted[end]!) === rank(sorted[start]!)) end++;
    const group = sorted.slice(start, end);
    const lines = { for: group.filter((h) => h.stance === "for"), against: group.filter((h) => h.stance === "against") };
    const at = { for: 0, against: 0 };
    for (let n = 0; n < group.length; n++) {
      const want = alternate && last !== null ? opposite(last) : null;
      const head = (s: Stance) => lines[s][at[s]];
      let take: Stance;
      if (want && head(want)) take = want;
      else {
        const f = head("for");
        const a = head("against");
        take = !a || (f && (f.raisedAt - a.raisedAt || f.id - a.id) < 0) ? "for" : "against";
      }
      order.push(head(take)!);
      at[take]++;
      last = take;
    }
    start = end;
  }
  return order;
}

/** Why a member may not raise a hand on the item now (a translation key), or null. */
export function raiseHandRefusal(input: { spoken: number; waiting: boolean; speaking: boolean; timesPerItem: number }): string | null {
  if (input.speaking) return "meeting.error.speakingNow";
  if (input.waiting) return "meeting.error.alreadyWaiting";
  if (input.spoken >= input.timesPerItem) return "meeting.error.spokenEnough";
  return null;
}

// ——— The countdown ———

/**
 * Seconds left of a speech (negative once over time), from the instant the
 * server stored and the seconds it gave: every screen computes the same
 * figure, and a phone that reconnects finds it unchanged.
 */
export function remainingSeconds(speech: { startedAt: number; allottedSeconds: number }, now: number): number {
  return Math.ceil((speech.startedAt + speech.allottedSeconds * 1000 - now) / 1000);
}

/** The one extension a speaker may be given: half the speaking time, at least 30 s. */
export function extensionSeconds(p: Pick<Procedure, "speakingSeconds">): number {
  return Math.max(30, Math.round(p.speakingSeconds / 2));
}

/**
 * The browser's estimate of the server's clock: the offset to add to
 * `Date.now()`, from a reading of the server's time and the moments the
 * request left and its answer came (half the round trip is assumed each way).
 */
export function clockOffset(serverNow: number, sentAt: number, receivedAt: number): number {
  return serverNow + (receivedAt - sentAt) / 2 - receivedAt;
}

/** "1:05", "0:09", "−0:12": minutes and seconds of a countdown. */
export function formatCountdown(seconds: number): string {
  const sign = seconds < 0 ? "−" : "";
  const s = Math.abs(seconds);
  return `${sign}${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

/** Seconds a finished (or running) speech used. */
export function secondsUsed(speech: { startedAt: Date | null; endedAt: Date | null }, now: Date): number {
  if (!speech.startedAt) return 0;
  return Math.max(0, Math.round(((speech.endedAt ?? now).getTime() - speech.startedAt.getTime()) / 1000));
}

// ——— Motions ———

export type MotionStep = "second" | "put" | "decide" | "withdraw";
const motionSteps: Record<MotionStep, MotionStatus[]> = {
  second: ["moved"],
  put: ["seconded"],
  decide: ["voting"],
  withdraw: ["moved", "seconded"],
};

export function mayMotionStep(status: MotionStatus, step: MotionStep): boolean {
  return motionSteps[step].includes(status);
}

export function motionStepRefusal(status: MotionStatus, step: MotionStep): string {
  if (step === "second" && status !== "moved") return "meeting.error.alreadySeconded";
  if (step === "put" && status === "moved") return "meeting.error.notSeconded";
  return "meeting.error.motionDone";
}

/** An amendment is put before the motion it amends: the main motion waits while one of its amendments is undecided. */
export function pendingAmendments(motions: readonly { id: number; kind: MotionKind; amendsId: number | null; status: MotionStatus }[], mainId: number): number {
  return motions.filter((m) => m.kind === "amendment" && m.amendsId === mainId && ["moved", "seconded", "voting"].includes(m.status)).length;
}

/** The majority rule of the room: more for than against passes; a tie fails; abstentions are not counted. */
export function motionResult(votesFor: number, votesAgainst: number): "passed" | "failed" {
  return votesFor > votesAgainst ? "passed" : "failed";
}

/** Every channel's votes together (phones, hands, paper) cannot be more than the people signed in. */
export function countsRefusal(c: ChannelCount, present: number): string | null {
  if (c.for + c.against + c.abstain > present) return "meeting.error.countsTooMany";
  return null;
}

/** A motion's result: its phones', hands' and paper ballots' counts added up. */
export function channelTotals(c: MotionChannels): ChannelCount {
  const sum = (k: keyof ChannelCount) => c.phones[k] + c.hands[k] + c.paper[k];
  return { for: sum("for"), against: sum("against"), abstain: sum("abstain") };
}

/** Only members present may second, and never their own motion. */
export function secondRefusal(motion: { movedBy: number }, userId: number): string | null {
  return motion.movedBy === userId ? "meeting.error.ownMotion" : null;
}
