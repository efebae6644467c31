import { db } from "#db/client.server";
import { loadActor } from "~/modules/identity/actor.server";
import { confirmTellerShare, dealTellerShares, publishTellerKeys, submitPartialDecryption } from "~/modules/votes/secret-commands.server";
import { getTellerWork } from "~/modules/votes/queries.server";
import { tellerConfirm, tellerDeal, tellerStart, tellerUnlock } from "~/modules/votes/tellers";

/** The vault's real cost (scrypt 2^17) only slows tests down; the construction is the same. */
export const CHEAP_VAULT = { N: 2 ** 10, r: 8, p: 1 };
export const passphraseOf = (userId: number) => `teller ${userId}: 胡同口的老槐树`;

/** Run a secret vote's key ceremony as its tellers' browsers would, through the real commands. */
export async function runKeyCeremony(voteId: number, tellerIds: number[], now = new Date()) {
  const work = async (id: number) => (await getTellerWork(db(), voteId, id))!;
  for (const id of tellerIds) {
    const w = await work(id);
    const s = await tellerStart(voteId, w.threshold, passphraseOf(id), CHEAP_VAULT);
    await publishTellerKeys(await loadActor(db(), id), { voteId, ...s });
  }
  for (const id of tellerIds) {
    const w = await work(id);
    const shares = await tellerDeal(voteId, w.me.index, passphraseOf(id), w.me.setupVault!, w.peers.map((p) => ({ index: p.index, transportKey: p.transportKey! })));
    await dealTellerShares(await loadActor(db(), id), { voteId, shares });
  }
  for (const id of tellerIds) {
    const w = await work(id);
    const done = await tellerConfirm(voteId, w.me.index, passphraseOf(id), w.me.setupVault!, w.received, w.peers.map((p) => ({ index: p.index, commitments: p.commitments! })), CHEAP_VAULT);
    await confirmTellerShare(await loadActor(db(), id), { voteId, ...done }, now);
  }
}

/** Tellers unlock at closing: each publishes a partial decryption of the sums. */
export async function unlockTally(voteId: number, tellerIds: number[], now = new Date()) {
  const results = [];
  for (const id of tellerIds) {
    const w = (await getTellerWork(db(), voteId, id))!;
    const partial = await tellerUnlock(voteId, passphraseOf(id), w.me.shareVault!, w.sums!);
    results.push(await submitPartialDecryption(await loadActor(db(), id), { voteId, partial }, now));
  }
  return results;
}
