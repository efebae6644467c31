import type { ProposalState, WhistleState } from "#db/schema";

/** How many items each list of the home page shows. */
export const HOME_LIST = 5;

/** Proposals still open to residents: collecting seconds, on the agenda, in debate, being voted on. */
export const ACTIVE_STATES: ProposalState[] = ["open", "on_agenda", "in_debate", "voting"];
/** Where a proposal's deliberation ends: its result. */
export const DECIDED_STATES: ProposalState[] = ["decided_passed", "decided_failed", "self_handled", "escalated", "closed"];
/** Whistles the departments are working on (or the whistling unit is about to dispatch). */
export const WORKING_WHISTLE_STATES: WhistleState[] = ["requested", "dispatched", "reopened"];

export interface HomeResult {
  kind: "proposal" | "vote" | "whistle";
  id: number;
  title: string;
  at: Date;
  /** A proposal's state, a vote's outcome, or a whistle's closure (or state). */
  outcome: string;
}

/** The latest results, newest first, each thing once (its latest result), at most `n`. */
export function latestResults(results: HomeResult[], n: number): HomeResult[] {
  const seen = new Set<string>();
  return [...results]
    .sort((a, b) => b.at.getTime() - a.at.getTime() || b.id - a.id)
    .filter((r) => {
      const key = `${r.kind}:${r.id}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .slice(0, n);
}

/** Whether a result is good news, bad news or neither: said in words too, never by colour alone. */
export function resultTone(r: Pick<HomeResult, "kind" | "outcome">): "good" | "bad" | "neutral" {
  if (r.kind === "vote") return r.outcome === "passed" ? "good" : "bad";
  if (r.kind === "whistle") return r.outcome === "resolved" ? "good" : r.outcome === "unreasonable" || r.outcome === "no_action" ? "bad" : "neutral";
  if (r.outcome === "decided_passed" || r.outcome === "escalated" || r.outcome === "self_handled") return "good";
  return r.outcome === "decided_failed" ? "bad" : "neutral";
}
