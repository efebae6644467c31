import { parentPort } from "node:worker_threads";
import type { Ballot, BallotShape, Ciphertext } from "./crypto";
import { sodiumReady, sumBallotsFast, verifyBallotFast } from "./verify-fast";

/**
 * A worker thread that checks secret ballots' proofs (verify-pool.server.ts):
 * the heaviest part of accepting a secret ballot, moved off the thread that
 * serves requests. Built to build/node/verify-worker.js (vite.server.config.ts).
 *
 * It also takes a board's ballots in batches (verify-parallel.ts): it checks
 * each one's proofs and keeps the running sum of every ciphertext it was
 * given, which it sends when asked (`{ done: true }`), so a board's sums are
 * added up on every core too.
 */
export interface VerifyJob {
  id: number;
  voteId: number;
  electionKey: string;
  shape: BallotShape;
  ballot: Ballot;
}
export interface VerifyBatch {
  batch: number;
  voteId: number;
  electionKey: string;
  shape: BallotShape;
  /** How many ciphertexts a ballot of this vote has (crypto.ts `ballotLayout`). */
  slots: number;
  ballots: Ballot[];
}
export interface BatchAnswer {
  batch: number;
  holds: boolean[];
}
/** The sums of every ballot in the batches this worker checked (null if it had none), unless a ballot's ciphertexts are malformed (`sumBallots` threw). */
export interface SumsAnswer {
  sums: Ciphertext[] | null;
  malformed: boolean;
}

let total: Ciphertext[] | null = null;
let malformed = false;
const asBallot = (ciphertexts: Ciphertext[]) => ({ ciphertexts }) as Ballot;

parentPort?.on("message", async (job: VerifyJob | VerifyBatch | { done: true }) => {
  // Jobs that arrive while libsodium is still compiling wait for it (a few ms) rather than take the slow path.
  await sodiumReady;
  if ("done" in job) {
    const answer: SumsAnswer = { sums: malformed ? null : total, malformed };
    total = null;
    malformed = false;
    parentPort!.postMessage(answer);
  } else if ("ballots" in job) {
    const holds = job.ballots.map((b) => verifyBallotFast(job.voteId, job.electionKey, job.shape, b));
    if (!malformed)
      try {
        const part = sumBallotsFast(job.slots, job.ballots);
        total = total ? sumBallotsFast(job.slots, [asBallot(total), asBallot(part)]) : part;
      } catch {
        malformed = true;
      }
    const answer: BatchAnswer = { batch: job.batch, holds };
    parentPort!.postMessage(answer);
  } else {
    parentPort!.postMessage({ id: job.id, ok: verifyBallotFast(job.voteId, job.electionKey, job.shape, job.ballot) });
  }
});
