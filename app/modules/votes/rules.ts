import type { Threshold, VoteMethod, VoteResult } from "#db/schema/votes";

/**
 * Vote rules as pure functions (domain-rules.md, Votes): what a valid ballot
 * is, how ballots are counted, and how the frozen rule turns counts into a result.
 */
export const YES = 0;
export const NO = 1;
export const ABSTAIN = 2;
export const YES_NO_OPTIONS = ["yes", "no", "abstain"];

export interface VoteRule {
  method: VoteMethod;
  options: string[];
  maxChoices: number;
  threshold: Threshold;
  quorumPercent: number;
  abstentionsCountForQuorum: boolean;
}

/** Why a ballot is not valid, or null when it is. */
export function ballotError(rule: Pick<VoteRule, "method" | "options" | "maxChoices">, choices: number[]): string | null {
  if (choices.some((c) => !Number.isInteger(c) || c < 0 || c >= rule.options.length)) return "vote.error.notAnOption";
  if (new Set(choices).size !== choices.length) return "vote.error.notAnOption";
  if (rule.method === "approval") return choices.length > rule.maxChoices ? `vote.error.tooMany|{"max":${rule.maxChoices}}` : null;
  return choices.length === 1 ? null : "vote.error.chooseOne";
}

/** Whether a ballot abstains: the abstain option, or an empty approval ballot. */
export function isAbstention(method: VoteMethod, choices: number[]): boolean {
  return method === "yes_no" ? choices[0] === ABSTAIN : choices.length === 0;
}

export interface Tally {
  counts: number[];
  ballots: number;
  abstentions: number;
}

/** Count ballots: how many chose each option, how many ballots, how many abstained. */
export function tally(method: VoteMethod, optionCount: number, allChoices: number[][]): Tally {
  const counts = new Array<number>(optionCount).fill(0);
  let abstentions = 0;
  for (const choices of allChoices) {
    for (const c of choices) counts[c] = (counts[c] ?? 0) + 1;
    if (isAbstention(method, choices)) abstentions++;
  }
  return { counts, ballots: allChoices.length, abstentions };
}

/** The votes an option (or "yes") is measured against under a threshold; simple majority measures against a rival instead. */
export function thresholdBase(threshold: Threshold, t: Pick<Tally, "ballots" | "abstentions">, electorateSize: number): number {
  if (threshold === "majority_of_participants") return t.ballots; // every ballot cast, abstentions included
  if (threshold === "two_thirds_electorate") return electorateSize;
  return t.ballots - t.abstentions; // two_thirds_cast: ballots that took a side (yes/no: yes + no)
}

/** The fewest votes that meet a threshold other than simple majority: more than half, or at least two thirds (never 0). */
export function votesNeeded(threshold: Exclude<Threshold, "simple_majority">, base: number): number {
  return threshold === "majority_of_participants" ? Math.floor(base / 2) + 1 : Math.max(1, Math.ceil((2 * base) / 3));
}

/** Whether the turnout the quorum counts reaches the quorum (an empty electorate never does). */
export function quorumMet(quorumPercent: number, turnout: number, electorateSize: number): boolean {
  return electorateSize > 0 && turnout * 100 >= quorumPercent * electorateSize;
}

/** What the quorum counts: every ballot, or only those that did not abstain. */
export function quorumTurnout(abstentionsCountForQuorum: boolean, t: Pick<Tally, "ballots" | "abstentions">): number {
  return abstentionsCountForQuorum ? t.ballots : t.ballots - t.abstentions;
}

/**
 * Options votes, before thresholds: the places to fill (1, or k for approval),
 * the options in those places in rank order, and the options tied across the
 * last place. Options nobody chose are never in a place. Ties at the last
 * place leave `places - top.length` places undecided (domain-rules.md, Options votes).
 */
export function standings(counts: number[], places: number) {
  const order = counts.map((n, i) => ({ n, i })).sort((a, b) => b.n - a.n || a.i - b.i);
  const last = order[Math.min(places, order.length) - 1]?.n ?? 0;
  let top: number[];
  let tied: number[] = [];
  if (last === 0) top = order.filter((o) => o.n > 0).map((o) => o.i);
  else {
    const above = order.filter((o) => o.n > last).map((o) => o.i);
    const atLast = order.filter((o) => o.n === last).map((o) => o.i);
    if (above.length + atLast.length <= places) top = [...above, ...atLast];
    else [top, tied] = [above, atLast];
  }
  const inTop = new Set(top);
  /** The most votes of an option not in a place: what simple majority must beat. */
  const rival = Math.max(0, ...counts.filter((_, i) => !inTop.has(i)));
  return { top, tied, undecidedPlaces: tied.length > 0 ? places - top.length : 0, rival };
}

/** Whether `n` votes meet the threshold, given its base and (simple majority) the rival's votes. */
export function meetsThreshold(threshold: Threshold, n: number, base: number, rival: number): boolean {
  return threshold === "simple_majority" ? n > rival : n >= votesNeeded(threshold, base);
}

/**
 * The result under the frozen rule (domain-rules.md, Votes; ADR 0019).
 * Yes/no: "yes" against the threshold. Single choice and approval: the
 * options in the places (1, or k) are each adopted if they meet the
 * threshold measured the same way; a tie across the last place decides
 * that place for nobody. Nothing is adopted without the quorum.
 */
export function decide(rule: VoteRule, t: Tally, electorateSize: number): VoteResult {
  const turnout = quorumTurnout(rule.abstentionsCountForQuorum, t);
  const quorum = quorumMet(rule.quorumPercent, turnout, electorateSize);
  const base = thresholdBase(rule.threshold, t, electorateSize);
  const frozen = {
    threshold: rule.threshold,
    quorumPercent: rule.quorumPercent,
    abstentionsCountForQuorum: rule.abstentionsCountForQuorum,
    method: rule.method,
    maxChoices: rule.maxChoices,
  };
  let adopted: number[];
  let tied: number[] = [];
  let undecidedPlaces = 0;
  if (rule.method === "yes_no") {
    const yes = t.counts[YES] ?? 0;
    adopted = quorum && meetsThreshold(rule.threshold, yes, base, t.counts[NO] ?? 0) ? [YES] : [];
  } else {
    const s = standings(t.counts, rule.method === "approval" ? Math.max(1, Math.min(rule.maxChoices, t.counts.length)) : 1);
    adopted = quorum ? s.top.filter((i) => meetsThreshold(rule.threshold, t.counts[i] ?? 0, base, s.rival)) : [];
    [tied, undecidedPlaces] = [s.tied, s.undecidedPlaces];
  }
  return {
    outcome: !quorum ? "failed_quorum" : adopted.length > 0 ? "passed" : "failed_threshold",
    counts: t.counts,
    ballots: t.ballots,
    abstentions: t.abstentions,
    electorateSize,
    turnout,
    winner: adopted[0] ?? null,
    rule: frozen,
    adopted,
    tied,
    undecidedPlaces,
  };
}

/** A stored result read back whole: `legacy` when it predates ADR 0019 (no adopted options, no rule method). */
export type ReadResult = Required<Omit<VoteResult, "rule">> & { rule: Required<VoteResult["rule"]>; legacy: boolean };

/**
 * Read a result stored in `votes.result` (jsonb), whatever its age: results
 * stored before ADR 0019 lack `adopted`, `tied`, `undecidedPlaces` and the
 * rule's method; they are filled from what was stored (never re-decided: a
 * result is frozen with the rule that produced it). Null when there is none.
 */
export function readResult(raw: unknown, vote: { method: VoteMethod; maxChoices: number; options: string[] }): ReadResult | null {
  if (!raw || typeof raw !== "object") return null;
  const r = raw as Partial<VoteResult>;
  const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : 0);
  const counts = Array.isArray(r.counts) ? r.counts.map(num) : vote.options.map(() => 0);
  const ballots = num(r.ballots);
  const abstentions = num(r.abstentions);
  const outcome = r.outcome === "passed" || r.outcome === "failed_quorum" ? r.outcome : "failed_threshold";
  const rule = r.rule ?? ({} as Partial<VoteResult["rule"]>);
  const abstentionsCountForQuorum = rule.abstentionsCountForQuorum ?? true;
  const winner = typeof r.winner === "number" ? r.winner : null;
  const legacy = !Array.isArray(r.adopted);
  return {
    outcome,
    counts,
    ballots,
    abstentions,
    electorateSize: num(r.electorateSize),
    turnout: typeof r.turnout === "number" ? r.turnout : quorumTurnout(abstentionsCountForQuorum, { ballots, abstentions }),
    winner,
    rule: {
      threshold: rule.threshold ?? "simple_majority",
      quorumPercent: num(rule.quorumPercent),
      abstentionsCountForQuorum,
      method: rule.method ?? vote.method,
      maxChoices: rule.maxChoices ?? vote.maxChoices,
    },
    adopted: legacy ? (outcome === "passed" ? (vote.method === "yes_no" ? [YES] : winner === null ? [] : [winner]) : []) : r.adopted!,
    tied: Array.isArray(r.tied) ? r.tied : [],
    undecidedPlaces: num(r.undecidedPlaces),
    legacy,
  };
}

/**
 * What a proposal put to a vote asks by default: a question ("是否同意：加装电梯？"),
 * not the proposal's title. The title's own closing punctuation is dropped.
 */
export function defaultQuestion(t: (key: "voteForm.defaultQuestion", params: { title: string }) => string, title: string): string {
  return t("voteForm.defaultQuestion", { title: title.trim().replace(/[？?。.！!；;，,\s]+$/u, "") });
}

/** The threshold's name: yes/no words ("赞成多于反对") for yes/no votes, option words for the others. */
export function thresholdKey(method: VoteMethod, threshold: Threshold) {
  return method === "yes_no" ? (`vote.threshold.${threshold}` as const) : (`voteForm.optionThreshold.${threshold}` as const);
}

/**
 * Whether the ballot form is offered while the vote is open: to an elector who
 * has not voted, or who may change an open ballot (never a secret one, which
 * is final, nor one a housemate cast for the household).
 */
export function mayCast(v: { eligible: boolean; voted: boolean; secret: boolean; votedByOther: boolean }): boolean {
  return v.eligible && (!v.voted || (!v.secret && !v.votedByOther));
}
