import { parentPort } from "node:worker_threads";
import type { Ballot, BallotShape } from "./crypto";
import { sodiumReady, verifyBallotFast } from "./verify-fast";

/**
 * A worker thread that checks secret ballots' proofs (verify-pool.server.ts):
 * the heaviest part of accepting a secret ballot, moved off the thread that
 * serves requests. Built to build/node/verify-worker.js (vite.server.config.ts).
 */
export interface VerifyJob {
  id: number;
  voteId: number;
  electionKey: string;
  shape: BallotShape;
  ballot: Ballot;
}

parentPort?.on("message", async (job: VerifyJob) => {
  // Jobs that arrive while libsodium is still compiling wait for it (a few ms) rather than take the slow path.
  await sodiumReady;
  parentPort!.postMessage({ id: job.id, ok: verifyBallotFast(job.voteId, job.electionKey, job.shape, job.ballot) });
});
