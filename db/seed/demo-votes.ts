import { eq } from "drizzle-orm";
import type { Tx } from "../client.server";
import { ballots, voteElectors, voteEvents, votes } from "../schema";
import { countVote } from "~/modules/votes/commands.server";
import { decide, YES_NO_OPTIONS } from "~/modules/votes/rules";

/**
 * Open-ballot (实名) members' votes on proposals, the kind most halls hold:
 * one in progress and closed ones with their frozen results, counted as the
 * server counts them (countVote, then decide with the vote's own rule). With
 * the secret votes (demo-secret-votes.ts) and the households' vote (the roll),
 * a newcomer finds every kind of vote in 史家胡同老街坊议事厅.
 */
export async function seedMembersVote(
  tx: Tx,
  w: {
    hallId: number;
    proposalId: number;
    question: string;
    createdBy: number;
    /** The hall's members when the vote opened: the frozen electorate. */
    electorate: number[];
    opensAt: Date;
    closesAt: Date;
    /** Who voted, and their choices in turn (YES, NO, ABSTAIN), cycled. */
    voters: number[];
    choices: number[];
  },
) {
  const closed = w.closesAt.getTime() <= Date.now();
  const [vote] = await tx
    .insert(votes)
    .values({
      hallId: w.hallId,
      proposalId: w.proposalId,
      question: w.question,
      method: "yes_no",
      options: YES_NO_OPTIONS,
      maxChoices: 1,
      electorate: "members",
      opensAt: w.opensAt,
      closesAt: w.closesAt,
      quorumPercent: 20,
      threshold: "simple_majority",
      abstentionsCountForQuorum: true,
      state: "open",
      electorateSize: w.electorate.length,
      createdBy: w.createdBy,
      createdAt: w.opensAt,
    })
    .returning();
  const v = vote!;
  await tx.insert(voteElectors).values(w.electorate.map((electorId) => ({ voteId: v.id, electorId })));
  await tx.insert(voteEvents).values([
    { voteId: v.id, actorId: w.createdBy, kind: "created", at: w.opensAt },
    { voteId: v.id, kind: "opened", at: w.opensAt },
  ]);
  const span = Math.min(w.closesAt.getTime(), Date.now()) - w.opensAt.getTime();
  if (w.voters.length)
    await tx.insert(ballots).values(
      w.voters.map((electorId, k) => ({
        voteId: v.id,
        electorId,
        choices: [w.choices[k % w.choices.length]!],
        castBy: electorId,
        castAt: new Date(w.opensAt.getTime() + ((k + 1) * span) / (w.voters.length + 1)),
      })),
    );
  if (!closed) return v;
  const result = decide(v, await countVote(tx, v), w.electorate.length);
  await tx.update(votes).set({ state: "closed", result, closedAt: w.closesAt }).where(eq(votes.id, v.id));
  await tx.insert(voteEvents).values({ voteId: v.id, kind: "closed", at: w.closesAt, reason: result.outcome });
  return { ...v, state: "closed" as const, result };
}
