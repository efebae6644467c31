import type { Threshold, VoteMethod } from "#db/schema/votes";

/* Test support only: the vote rules read independently of app/modules/votes/rules.ts. */
const YES = 0;
const NO = 1;
const ABSTAIN = 2;

/** How many ballots chose each option, counted one option at a time from the raw ballots. */
export function simpleCounts(optionCount: number, ballots: number[][]): number[] {
  return Array.from({ length: optionCount }, (_, option) => ballots.filter((b) => b.includes(option)).length);
}

export function simpleAbstentions(method: VoteMethod, ballots: number[][]): number {
  return ballots.filter((b) => (method === "yes_no" ? b[0] === ABSTAIN : b.length === 0)).length;
}

/**
 * An independent, deliberately simple reading of domain-rules.md: each
 * option judged on its own, counted from the raw ballots; no code shared with the app.
 */
export function simpleOutcome(
  method: VoteMethod,
  optionCount: number,
  k: number,
  threshold: Threshold,
  quorumPercent: number,
  abstentionsCount: boolean,
  ballots: number[][],
  electorate: number,
) {
  let abstaining = 0;
  for (const b of ballots) if (method === "yes_no" ? b[0] === ABSTAIN : b.length === 0) abstaining++;
  const votesFor = (option: number) => ballots.filter((b) => b.includes(option)).length;
  const turnout = abstentionsCount ? ballots.length : ballots.length - abstaining;
  const quorum = electorate > 0 && turnout * 100 >= quorumPercent * electorate;
  const sided = ballots.length - abstaining;
  const meets = (n: number, rival: number) =>
    threshold === "simple_majority"
      ? n > rival
      : threshold === "majority_of_participants"
        ? 2 * n > ballots.length
        : threshold === "two_thirds_cast"
          ? n > 0 && 3 * n >= 2 * sided
          : n > 0 && 3 * n >= 2 * electorate;
  if (method === "yes_no") {
    const passed = quorum && meets(votesFor(YES), votesFor(NO));
    return {
      outcome: !quorum ? "failed_quorum" : passed ? "passed" : "failed_threshold",
      adopted: passed ? [YES] : [],
      tied: [] as number[],
    };
  }
  const places = method === "approval" ? k : 1;
  const all = Array.from({ length: optionCount }, (_, i) => i);
  const atLeast = (n: number) => all.filter((j) => votesFor(j) >= n).length;
  const above = (n: number) => all.filter((j) => votesFor(j) > n).length;
  const inPlace = all.filter((i) => votesFor(i) > 0 && atLeast(votesFor(i)) <= places);
  const tied = all.filter((i) => votesFor(i) > 0 && above(votesFor(i)) < places && atLeast(votesFor(i)) > places);
  const rivalOf = Math.max(0, ...all.filter((j) => !inPlace.includes(j)).map(votesFor));
  const adopted = quorum ? inPlace.filter((i) => meets(votesFor(i), rivalOf)).sort((a, b) => votesFor(b) - votesFor(a) || a - b) : [];
  return { outcome: !quorum ? "failed_quorum" : adopted.length > 0 ? "passed" : "failed_threshold", adopted, tied };
}
