import { and, asc, eq, sql } from "drizzle-orm";
import type { Queryable } from "#db/client.server";
import { ballots, halls, participations, proposals, secretBallots, users, voteElectors, votes } from "#db/schema";
import type { Actor } from "~/modules/identity/actor";
import { hallContext } from "~/modules/halls/queries.server";
import { countVote, electorOf, turnoutByChannel } from "./commands.server";

/** The vote page: rules, turnout, the actor's own standing, and the tally when it may be shown. */
export async function getVotePage(q: Queryable, voteId: number, actor: Actor) {
  const [row] = await q
    .select({ vote: votes, hallName: halls.name, proposalTitle: proposals.title })
    .from(votes)
    .innerJoin(halls, eq(halls.id, votes.hallId))
    .leftJoin(proposals, eq(proposals.id, votes.proposalId))
    .where(eq(votes.id, voteId));
  if (!row) return null;
  const { vote } = row;
  const electorId = electorOf(actor, vote.electorate);
  const [hall, channels, eligible, mine] = await Promise.all([
    hallContext(q, vote.hallId, actor),
    turnoutByChannel(q, vote),
    electorId === null ? [] : q.select().from(voteElectors).where(and(eq(voteElectors.voteId, voteId), eq(voteElectors.electorId, electorId))),
    electorId === null
      ? []
      : vote.secret
        ? q
            .select({ choices: participations.electorId, castBy: participations.electorId, castAt: sql<Date | null>`null`, channel: participations.channel, meeting: participations.meeting, castByName: sql<string | null>`null` })
            .from(participations)
            .where(and(eq(participations.voteId, voteId), eq(participations.electorId, electorId)))
        : q
            .select({ choices: ballots.choices, castBy: ballots.castBy, castAt: ballots.castAt, channel: ballots.channel, meeting: ballots.meeting, castByName: users.displayName })
            .from(ballots)
            .leftJoin(users, eq(users.id, ballots.castBy))
            .where(and(eq(ballots.voteId, voteId), eq(ballots.electorId, electorId))),
  ]);
  const showTally = vote.state === "open" && vote.liveResults && !vote.secret;
  return {
    ...row,
    hall: hall!,
    turnout: channels.online + channels.paper,
    /** "线上 N，纸质 M，共 T": ballots by how they were cast. */
    paper: channels.paper,
    eligible: eligible.length > 0,
    voted: mine.length > 0,
    myChoices: !vote.secret && mine[0] ? (mine[0].choices as number[]) : null,
    votedByOther: !vote.secret && mine[0] ? mine[0].castBy !== actor.userId || mine[0].channel === "paper" : false,
    votedOnPaper: mine[0]?.channel === "paper",
    /** Who of the household cast the ballot, when, and how (open ballots; a secret ballot records none of it but the channel). */
    myBallot: mine[0]
      ? { castAt: mine[0].castAt, castByName: vote.secret ? null : mine[0].castByName, channel: mine[0].channel, meeting: mine[0].meeting, household: vote.electorate === "households" }
      : null,
    tally: showTally ? await countVote(q, vote) : null,
  };
}

/** The published receipts of a closed secret vote, in receipt order (which says nothing about who or when). */
export function listReceipts(q: Queryable, voteId: number) {
  return q.select({ receipt: secretBallots.receipt, choices: secretBallots.choices }).from(secretBallots).where(eq(secretBallots.voteId, voteId)).orderBy(asc(secretBallots.receipt));
}
