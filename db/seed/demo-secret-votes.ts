import { eq, sql } from "drizzle-orm";
import type { Tx } from "../client.server";
import { encryptedBallots, hallMembers, participations, voteElectors, voteEvents, voteKeys, votes, voteTellers } from "../schema";
import { shapeOf, tallyFromSums } from "~/modules/votes/board";
import { ballotReceipt, combine, electionKeyOf, encryptBallot, sumBallots } from "~/modules/votes/crypto";
import { decide, NO, YES, ABSTAIN, YES_NO_OPTIONS } from "~/modules/votes/rules";
import { tellerConfirm, tellerDeal, tellerStart, tellerUnlock } from "~/modules/votes/tellers";
import { DEMO_TELLER_PASSPHRASE } from "~/modules/identity/demo-accounts";

/**
 * Two secret votes in the 史家 hall (ADR 0016) with demo accounts as
 * tellers, so a newcomer can see one end to end: an open one (log in as a
 * member and vote; the receipt is on its board) and a closed one its tellers
 * have counted (its board passes `npm run verify-vote`). The tellers'
 * passphrase is the documented DEMO_TELLER_PASSPHRASE; the vaults use a
 * cheaper scrypt cost than real ones so the demo seeds quickly.
 */
const DEMO_VAULT = { N: 2 ** 14, r: 8, p: 1 };

export async function seedSecretVotes(tx: Tx, w: { hallId: number; createdBy: number; tellers: number[] }) {
  const members = (await tx.select({ userId: hallMembers.userId }).from(hallMembers).where(eq(hallMembers.hallId, w.hallId)))
    .map((m) => m.userId)
    .filter((id): id is number => id !== null);
  const day = 86_400_000;
  const make = async (question: string, opensAt: Date, closesAt: Date) => {
    const [vote] = await tx
      .insert(votes)
      .values({
        hallId: w.hallId,
        question,
        method: "yes_no",
        options: YES_NO_OPTIONS,
        maxChoices: 1,
        electorate: "members",
        opensAt,
        closesAt,
        quorumPercent: 20,
        threshold: "simple_majority",
        abstentionsCountForQuorum: true,
        secret: true,
        state: "open",
        electorateSize: members.length,
        createdBy: w.createdBy,
        createdAt: opensAt,
      })
      .returning();
    await tx.insert(voteElectors).values(members.map((electorId) => ({ voteId: vote!.id, electorId })));
    await tx.insert(voteEvents).values([
      { voteId: vote!.id, actorId: w.createdBy, kind: "created", at: opensAt },
      { voteId: vote!.id, kind: "opened", at: opensAt },
    ]);
    // The key ceremony, as the three tellers' browsers run it.
    const v = vote!.id;
    const started = await Promise.all(w.tellers.map(() => tellerStart(v, 2, DEMO_TELLER_PASSPHRASE, DEMO_VAULT)));
    const peers = started.map((s, k) => ({ index: k + 1, transportKey: s.transportKey }));
    const dealt = await Promise.all(started.map((s, k) => tellerDeal(v, k + 1, DEMO_TELLER_PASSPHRASE, s.setupVault, peers)));
    const commitments = started.map((s, k) => ({ index: k + 1, commitments: s.commitments }));
    const confirmed = await Promise.all(
      started.map((s, k) =>
        tellerConfirm(v, k + 1, DEMO_TELLER_PASSPHRASE, s.setupVault, dealt.map((d, i) => ({ from: i + 1, sealed: d.find((x) => x.to === k + 1)!.sealed })), commitments, DEMO_VAULT),
      ),
    );
    const electionKey = electionKeyOf(started.map((s) => s.commitments));
    await tx.insert(voteKeys).values({ voteId: v, threshold: 2, electionKey });
    await tx.insert(voteTellers).values(
      w.tellers.map((userId, k) => ({
        voteId: v,
        index: k + 1,
        userId,
        transportKey: started[k]!.transportKey,
        commitments: started[k]!.commitments,
        dealt: true,
        shareVault: confirmed[k]!.shareVault,
        verificationKey: confirmed[k]!.verificationKey,
      })),
    );
    return { vote: vote!, electionKey, confirmed };
  };
  const cast = async (voteId: number, electionKey: string, voters: number[], choices: number[]) => {
    const shape = shapeOf({ method: "yes_no", options: YES_NO_OPTIONS, maxChoices: 1 });
    const ballots = [];
    for (const [k, electorId] of voters.entries()) {
      const ballot = encryptBallot(voteId, electionKey, shape, [choices[k % choices.length]!]);
      // One transaction per ballot in real life; here the whole seed is one, which links nothing more than the live path does.
      await tx.insert(participations).values({ voteId, electorId });
      await tx.insert(encryptedBallots).values({ voteId, receipt: ballotReceipt(ballot), ballot });
      ballots.push(ballot);
    }
    return ballots;
  };

  const open = await make("是否同意在史家胡同 24 号院试行夜间限时停车（无记名）？", new Date(Date.now() - day), new Date(Date.now() + 6 * day));
  await cast(open.vote.id, open.electionKey, members.filter((id) => !w.tellers.includes(id)).slice(0, 9), [YES, YES, NO, YES, ABSTAIN]);

  const closed = await make("是否同意推选王秀兰为院落自治小组组长（无记名）？", new Date(Date.now() - 10 * day), new Date(Date.now() - 3 * day));
  const ballots = await cast(closed.vote.id, closed.electionKey, members.slice(0, 17), [YES, YES, YES, NO, ABSTAIN, YES]);
  const sums = sumBallots(3, ballots);
  const partials = await Promise.all([1, 2].map(async (index) => ({ index, partial: await tellerUnlock(closed.vote.id, DEMO_TELLER_PASSPHRASE, closed.confirmed[index - 1]!.shareVault, sums) })));
  for (const p of partials) await tx.update(voteTellers).set({ partial: p.partial }).where(sql`${voteTellers.voteId} = ${closed.vote.id} and ${voteTellers.index} = ${p.index}`);
  const counts = combine(sums, partials, ballots.length);
  const rule = { ...closed.vote };
  const result = decide(rule, tallyFromSums(shapeOf(rule), counts, ballots.length), members.length);
  await tx.update(voteKeys).set({ sums, ballotCount: ballots.length, tallyDeadline: new Date(closed.vote.closesAt.getTime() + 2 * day) }).where(eq(voteKeys.voteId, closed.vote.id));
  await tx.update(votes).set({ state: "closed", result, closedAt: closed.vote.closesAt }).where(eq(votes.id, closed.vote.id));
  await tx.insert(voteEvents).values({ voteId: closed.vote.id, kind: "closed", at: closed.vote.closesAt, reason: result.outcome });
}
