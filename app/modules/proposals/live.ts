import type { ProposalState, Stance } from "#db/schema/halls";
import type { CommentPayload, RoomEvent } from "#realtime/events";

/**
 * How the proposal page folds what it hears live into what it loaded: pure
 * functions, so the rules ("a reload racing the news never takes a comment or
 * a second back") are tested without a browser (tests/unit/proposal-live.test.ts).
 */
export const STANCES: readonly Stance[] = ["support", "oppose", "neutral"];

export type Totals = Record<Stance, number> & { all: number; threads: number };
export interface DebateState {
  comments: CommentPayload[];
  totals: Totals;
  /** The thread after which the next page starts, or null when all are loaded. */
  nextAfter: number | null;
}
export interface LiveHead {
  state: ProposalState;
  seconds: number;
  /** The proposal's latest event id when read (`secondsAndRev`): the larger reading is the newer. */
  rev: number;
}

const counted = (c: CommentPayload | undefined, s: Stance) => (c && !c.hidden && c.stance === s ? 1 : 0);

/** Fold a new or changed comment into the debate, keeping the totals right (a hidden comment counts for no stance). */
export function upsertComment(d: DebateState, c: CommentPayload): DebateState {
  const old = d.comments.find((x) => x.id === c.id);
  const totals = { ...d.totals };
  for (const s of STANCES) totals[s] += counted(c, s) - counted(old, s);
  if (!old) {
    totals.all++;
    if (c.parentId === null) totals.threads++;
  }
  return { ...d, totals, comments: old ? d.comments.map((x) => (x.id === c.id ? c : x)) : [...d.comments, c] };
}

/** An event of the proposal's room, applied to the debate (new, edited, hidden or restored comments). */
export function applyToDebate(d: DebateState, event: RoomEvent): DebateState {
  return event.event === "comment:upserted" ? upsertComment(d, event.args[0]) : d;
}

/** An event of the proposal's room, applied to its state and seconds. */
export function applyToHead(head: LiveHead, event: RoomEvent): LiveHead {
  if (event.event !== "proposal:changed") return head;
  const e = event.args[0];
  return { state: e.state as ProposalState, seconds: e.seconds, rev: e.rev };
}

/** The next page of threads, after the ones the page has (a comment heard live meanwhile is not doubled). */
export function appendPage(d: DebateState, page: { comments: CommentPayload[]; nextAfter: number | null }): DebateState {
  const known = new Set(d.comments.map((c) => c.id));
  return { ...d, comments: [...d.comments, ...page.comments.filter((c) => !known.has(c.id))], nextAfter: page.nextAfter };
}
