import { asc, eq } from "drizzle-orm";
import type { Queryable, Tx } from "#db/client.server";
import { encryptedBallots, voteEvents, voteKeys, votes, voteTellers } from "#db/schema";
import type { Outbox } from "~/lib/command.server";
import { notifyMany } from "~/modules/notifications/commands.server";
import { ballotLayout, type Ballot, type Ciphertext } from "./crypto";
import { shapeOf } from "./board";

/** How long tellers have, after closing, to unlock the result; past it with fewer than t, it is recorded as not tallied. */
export const TALLY_WINDOW_MS = 48 * 3_600_000;

type VoteRow = typeof votes.$inferSelect;

/** The homomorphic sums of a secret vote's ballots (what the tellers decrypt, and anyone can recompute). */
export async function secretSums(q: Queryable, vote: Pick<VoteRow, "id" | "method" | "options" | "maxChoices">) {
  const rows = await q.select({ ciphertexts: encryptedBallots.ballot }).from(encryptedBallots).where(eq(encryptedBallots.voteId, vote.id));
  const slots = ballotLayout(shapeOf(vote)).slots;
  // libdecaf or libsodium adds the points (ADR 0026: 4–14x faster than @noble, same sums); loaded here, not at start-up.
  const { sodiumReady, sumBallotsFast } = await import("./verify-fast");
  await sodiumReady;
  return {
    sums: sumBallotsFast(
      slots,
      rows.map((r) => r.ciphertexts as Ballot),
    ),
    ballots: rows.length,
  };
}

/**
 * Closing a secret vote: no more ballots (the vote row is locked), the sums
 * are fixed and published, and the tellers are asked to unlock within the
 * window. Nothing is decrypted here: the server cannot.
 */
export async function beginSecretTally(tx: Tx, outbox: Outbox, vote: VoteRow, now: Date) {
  const { sums, ballots } = await secretSums(tx, vote);
  await tx
    .update(voteKeys)
    .set({ sums: sums as Ciphertext[], ballotCount: ballots, tallyDeadline: new Date(now.getTime() + TALLY_WINDOW_MS) })
    .where(eq(voteKeys.voteId, vote.id));
  await tx.update(votes).set({ state: "tallying", closedAt: now }).where(eq(votes.id, vote.id));
  await tx.insert(voteEvents).values({ voteId: vote.id, kind: "tallying", at: now });
  const tellers = await tx
    .select({ userId: voteTellers.userId })
    .from(voteTellers)
    .where(eq(voteTellers.voteId, vote.id))
    .orderBy(asc(voteTellers.index));
  await notifyMany(
    tx,
    outbox,
    tellers.map((t) => t.userId),
    { kind: "notification.tellerUnlock", params: { question: vote.question }, link: `/votes/${vote.id}/teller` },
  );
  outbox.emit(`vote:${vote.id}`, "vote:changed", { voteId: vote.id, state: "tallying", ballots, counts: null });
}
