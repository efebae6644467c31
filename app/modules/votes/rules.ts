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

/**
 * The result under the frozen rule. For yes/no the contest is yes against
 * no; for single choice and approval it is the leading option against the
 * runner-up (a tie for the lead fails).
 */
export function decide(rule: VoteRule, t: Tally, electorateSize: number): VoteResult {
  const turnout = rule.abstentionsCountForQuorum ? t.ballots : t.ballots - t.abstentions;
  const quorumMet = electorateSize > 0 && turnout * 100 >= rule.quorumPercent * electorateSize;
  let lead: number;
  let runnerUp: number;
  let winner: number | null;
  if (rule.method === "yes_no") {
    lead = t.counts[YES] ?? 0;
    runnerUp = t.counts[NO] ?? 0;
    winner = YES;
  } else {
    const order = t.counts.map((n, i) => ({ n, i })).sort((a, b) => b.n - a.n || a.i - b.i);
    lead = order[0]?.n ?? 0;
    runnerUp = order[1]?.n ?? 0;
    winner = lead > 0 && lead > runnerUp ? order[0]!.i : null;
  }
  const cast = t.ballots - t.abstentions; // ballots that took a side
  const contested = rule.method === "yes_no" ? lead + runnerUp : cast;
  const meets: Record<Threshold, boolean> = {
    simple_majority: lead > runnerUp,
    majority_of_participants: lead * 2 > t.ballots,
    two_thirds_cast: contested > 0 && lead * 3 >= contested * 2,
    two_thirds_electorate: electorateSize > 0 && lead * 3 >= electorateSize * 2,
  };
  const passed = meets[rule.threshold] && (rule.method === "yes_no" || winner !== null);
  return {
    outcome: !quorumMet ? "failed_quorum" : passed ? "passed" : "failed_threshold",
    counts: t.counts,
    ballots: t.ballots,
    abstentions: t.abstentions,
    electorateSize,
    turnout,
    winner: passed ? winner : null,
    rule: { threshold: rule.threshold, quorumPercent: rule.quorumPercent, abstentionsCountForQuorum: rule.abstentionsCountForQuorum },
  };
}
