import type { ProposalState, Stance } from "#db/schema/halls";
import type { CommentPayload } from "#realtime/events";

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

/**
 * Freshly loaded debate data, with the new comments heard live that it does
 * not have yet (it was read just before they were committed); data that has
 * a comment wins over what was heard of it.
 */
export function withHeard(loaded: DebateState, heard: Iterable<CommentPayload>): DebateState {
  let next = loaded;
  for (const c of heard) if (!next.comments.some((x) => x.id === c.id)) next = upsertComment(next, c);
  return next;
}

/** The next page of threads, after the ones the page has (a comment heard live meanwhile is not doubled). */
export function appendPage(d: DebateState, page: { comments: CommentPayload[]; nextAfter: number | null }): DebateState {
  const known = new Set(d.comments.map((c) => c.id));
  return { ...d, comments: [...d.comments, ...page.comments.filter((c) => !known.has(c.id))], nextAfter: page.nextAfter };
}

/**
 * The newer of what the page shows and what it just loaded or heard, by `rev`:
 * a reload that read the database before a second (or its withdrawal) was
 * committed never undoes it, and a withdrawn second comes off live.
 */
export function mergeHead(current: LiveHead, next: LiveHead): LiveHead {
  return next.rev >= current.rev ? next : current;
}
