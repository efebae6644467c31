import type { SerializeFrom } from "@remix-run/node";
import type { votePage } from "~/modules/votes/queries.server";
import type { RoomEvent } from "#realtime/events";

/** The vote page's loader data as the page receives it (dates as strings): what its parts read. */
export type VotePageData = SerializeFrom<typeof votePage>;

/** What the page knows of its last form: a ballot cast (through the JSON API or the form), a paper ballot, a cancellation. */
export interface VoteReply {
  ok: boolean;
  intent: string;
  receipt?: string | null;
  changed?: boolean;
  choices?: number[];
  error?: string;
  field?: string;
}

/** The page's live figures: loaded, then replaced by what the vote's room says. */
export interface LiveVote {
  turnout: number;
  paper: number;
  counts: number[] | null;
  abstentions: number | null;
  state: string;
}

/** The live figures as loaded. */
export function liveOf(data: VotePageData): LiveVote {
  return { turnout: data.turnout, paper: data.paper, counts: data.tally?.counts ?? null, abstentions: data.tally?.abstentions ?? null, state: data.vote.state };
}

/**
 * An event of the vote's room applied to the live figures (ADR 0046: the
 * page applies, in order, the events after its data's number). Turnout is
 * a reading numbered after it was taken: while the vote is open, turnout
 * never goes down (two nodes' readings may be numbered in the other order),
 * and a reading numbered after the vote closed never opens it again.
 */
export function applyVoteEvent(live: LiveVote, event: RoomEvent): LiveVote {
  if (event.event !== "vote:changed") return live;
  const e = event.args[0];
  // A turnout reading taken before the vote closed, numbered after its closing: the vote stays closed.
  if (e.state === "open" && live.state !== "open") return live;
  const stillOpen = e.state === "open" && live.state === "open";
  return {
    turnout: stillOpen ? Math.max(live.turnout, e.ballots) : e.ballots,
    paper: e.paper ?? live.paper,
    counts: e.counts ?? live.counts,
    abstentions: e.abstentions ?? live.abstentions,
    state: e.state,
  };
}
