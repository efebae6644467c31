import { and, asc, eq } from "drizzle-orm";
import type { Tx } from "#db/client.server";
import { tellerShares, voteEvents, voteKeys, votes, voteTellers } from "#db/schema";
import { CommandError, NotFoundError, runCommand } from "~/lib/command.server";
import type { Actor } from "~/modules/identity/actor";
import { authorize } from "~/modules/access";
import { shapeOf, tallyFromSums } from "./board";
import { settleVote, openVoteNow } from "./commands.server";
import { combine, electionKeyOf, verificationKeyOf, verifyPartial, type Hex, type Partial, type Sealed, type Vault } from "./crypto";
import { decide } from "./rules";
import { serverNow } from "~/lib/clock.server";

/**
 * The tellers' side of a secret vote (ADR 0016, shared/crypto.md §1 and §3).
 * The server relays and checks what is public; it never sees a usable share.
 * Each command authorises with `vote:tell` (only the vote's named tellers).
 */

const hex64 = /^[0-9a-f]{64}$/;
const isVault = (v: Vault) =>
  !!v &&
  v.kdf === "scrypt" &&
  Number.isInteger(v.N) &&
  Number.isInteger(v.r) &&
  Number.isInteger(v.p) &&
  /^[0-9a-f]+$/.test(v.salt + v.iv + v.data) &&
  v.data.length <= 4096;
const isSealed = (s: Sealed) => !!s && hex64.test(s.R) && /^[0-9a-f]{24}$/.test(s.iv) && /^[0-9a-f]{1,256}$/.test(s.data);

async function tellerOf(tx: Tx, actor: Actor, voteId: number) {
  const [vote] = await tx.select().from(votes).where(eq(votes.id, voteId)).for("update");
  if (!vote || !vote.secret) throw new NotFoundError("vote");
  const tellers = await tx.select().from(voteTellers).where(eq(voteTellers.voteId, voteId)).orderBy(asc(voteTellers.index));
  authorize(actor, "vote:tell", { tellerIds: tellers.map((t) => t.userId) });
  const me = tellers.find((t) => t.userId === actor.userId)!;
  const [keys] = await tx.select().from(voteKeys).where(eq(voteKeys.voteId, voteId));
  return { vote, tellers, me, keys: keys! };
}

function inCeremony(vote: typeof votes.$inferSelect) {
  if (vote.state !== "scheduled") throw new CommandError("vote.error.keysDone");
}

/** Step 1: a teller publishes their transport key and Feldman commitments, and leaves their setup vault. */
export async function publishTellerKeys(actor: Actor, input: { voteId: number; transportKey: Hex; commitments: Hex[]; setupVault: Vault }) {
  return runCommand(async (tx) => {
    const { vote, me, keys } = await tellerOf(tx, actor, input.voteId);
    inCeremony(vote);
    if (me.transportKey) throw new CommandError("vote.error.tellerStepDone");
    if (
      !hex64.test(input.transportKey) ||
      input.commitments.length !== keys.threshold ||
      !input.commitments.every((c) => hex64.test(c)) ||
      !isVault(input.setupVault)
    )
      throw new CommandError("vote.error.badKeyMaterial");
    await tx
      .update(voteTellers)
      .set({ transportKey: input.transportKey, commitments: input.commitments, setupVault: input.setupVault })
      .where(and(eq(voteTellers.voteId, vote.id), eq(voteTellers.index, me.index)));
    await tx.insert(voteEvents).values({ voteId: vote.id, actorId: actor.userId, kind: "teller_keys" });
  });
}

/** Step 2: once every teller has a transport key, a teller sends a sealed share to each teller. */
export async function dealTellerShares(actor: Actor, input: { voteId: number; shares: { to: number; sealed: Sealed }[] }) {
  return runCommand(async (tx) => {
    const { vote, tellers, me } = await tellerOf(tx, actor, input.voteId);
    inCeremony(vote);
    if (tellers.some((t) => !t.transportKey)) throw new CommandError("vote.error.waitForTellers");
    if (me.dealt) throw new CommandError("vote.error.tellerStepDone");
    const to = input.shares.map((s) => s.to).sort((a, b) => a - b);
    if (JSON.stringify(to) !== JSON.stringify(tellers.map((t) => t.index)) || !input.shares.every((s) => isSealed(s.sealed)))
      throw new CommandError("vote.error.badKeyMaterial");
    await tx.insert(tellerShares).values(input.shares.map((s) => ({ voteId: vote.id, from: me.index, to: s.to, sealed: s.sealed })));
    await tx
      .update(voteTellers)
      .set({ dealt: true })
      .where(and(eq(voteTellers.voteId, vote.id), eq(voteTellers.index, me.index)));
  });
}

/**
 * Step 3: a teller has checked every share they received and locked the sum
 * under their passphrase. The server checks the public half against the
 * commitments. When all have confirmed, the election key is fixed, and the
 * vote opens (now, if its time has come).
 */
export async function confirmTellerShare(
  actor: Actor,
  input: { voteId: number; shareVault: Vault; verificationKey: Hex },
  now = serverNow(),
) {
  return runCommand(async (tx, outbox) => {
    const { vote, tellers, me, keys } = await tellerOf(tx, actor, input.voteId);
    inCeremony(vote);
    if (tellers.some((t) => !t.dealt)) throw new CommandError("vote.error.waitForTellers");
    if (me.shareVault) throw new CommandError("vote.error.tellerStepDone");
    const all = tellers.map((t) => t.commitments!);
    if (!isVault(input.shareVault) || input.verificationKey !== verificationKeyOf(all, me.index))
      throw new CommandError("vote.error.badKeyMaterial");
    await tx
      .update(voteTellers)
      .set({ shareVault: input.shareVault, verificationKey: input.verificationKey, setupVault: null })
      .where(and(eq(voteTellers.voteId, vote.id), eq(voteTellers.index, me.index)));
    await tx.insert(voteEvents).values({ voteId: vote.id, actorId: actor.userId, kind: "teller_confirmed" });
    const pending = tellers.filter((t) => t.index !== me.index && !t.shareVault);
    if (pending.length > 0 || tellers.some((t) => t.complaint)) return { ready: false };
    await tx
      .update(voteKeys)
      .set({ electionKey: electionKeyOf(all) })
      .where(eq(voteKeys.voteId, vote.id));
    // The shares in transit are no longer needed by anyone.
    await tx.delete(tellerShares).where(eq(tellerShares.voteId, vote.id));
    if (vote.opensAt <= now && keys.threshold > 0) await openVoteNow(tx, outbox, vote, now);
    return { ready: true };
  });
}

/** A teller says a share they received does not match its dealer's commitments: the vote cannot open (it must be cancelled and set up again). */
export async function complainTeller(actor: Actor, input: { voteId: number; against: number }) {
  return runCommand(async (tx) => {
    const { vote, tellers, me } = await tellerOf(tx, actor, input.voteId);
    inCeremony(vote);
    if (!tellers.some((t) => t.index === input.against)) throw new CommandError("vote.error.badKeyMaterial");
    await tx
      .update(voteTellers)
      .set({ complaint: `against:${input.against}` })
      .where(and(eq(voteTellers.voteId, vote.id), eq(voteTellers.index, me.index)));
    await tx
      .insert(voteEvents)
      .values({ voteId: vote.id, actorId: actor.userId, kind: "teller_complaint", reason: `teller ${input.against}` });
  });
}

/**
 * At closing: a teller publishes their partial decryption of the sums with
 * its proofs. The server checks it against the teller's verification key;
 * with t valid ones it combines them, and the frozen rule decides.
 */
export async function submitPartialDecryption(actor: Actor, input: { voteId: number; partial: Partial }, now = serverNow()) {
  return runCommand(async (tx, outbox) => {
    const { vote, tellers, me, keys } = await tellerOf(tx, actor, input.voteId);
    if (vote.state !== "tallying" || !keys.sums) throw new CommandError("vote.error.notTallying");
    if (me.partial) throw new CommandError("vote.error.tellerStepDone");
    if (!verifyPartial(vote.id, me.verificationKey!, keys.sums, input.partial)) throw new CommandError("vote.error.badPartial");
    await tx
      .update(voteTellers)
      .set({ partial: { shares: input.partial.shares, proofs: input.partial.proofs } })
      .where(and(eq(voteTellers.voteId, vote.id), eq(voteTellers.index, me.index)));
    await tx.insert(voteEvents).values({ voteId: vote.id, actorId: actor.userId, kind: "teller_unlocked" });
    const came = [...tellers.filter((t) => t.partial && t.index !== me.index), { ...me, partial: input.partial }].sort(
      (a, b) => a.index - b.index,
    );
    if (came.length < keys.threshold) return { tallied: false };
    const chosen = came.slice(0, keys.threshold).map((t) => ({ index: t.index, partial: t.partial! }));
    const shape = shapeOf(vote);
    const slotCounts = combine(keys.sums, chosen, keys.ballotCount ?? 0);
    const result = decide(vote, tallyFromSums(shape, slotCounts, keys.ballotCount ?? 0), vote.electorateSize ?? 0);
    await settleVote(tx, outbox, vote, result, now);
    return { tallied: true };
  });
}
