import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import type { Ballot, BallotShape } from "./crypto";
import type { VerifyJob } from "./verify-worker";
import type * as VerifyFast from "./verify-fast";

/**
 * Checking a secret ballot's proofs takes ~1 ms of CPU with libdecaf, ~4 with libsodium (ADR 0026). With
 * more than one core, a small pool of worker threads does it, so ballots are
 * checked in parallel and the request thread stays free. The pool uses the
 * compiled worker (build/node/verify-worker.js); without it (development,
 * tests before a build) or on one core, ballots are checked inline.
 */
const WORKER_FILE = path.resolve(process.cwd(), "build/node/verify-worker.js");
const size = Math.max(0, Math.min(4, availableParallelism() - 1, Number(process.env.VOTE_VERIFY_WORKERS ?? 8)));

interface Slot {
  worker: Worker;
  busy: number;
}
let slots: Slot[] | null = null;
const waiting = new Map<number, { resolve: (ok: boolean) => void; job: VerifyJob; slot: Slot }>();
let nextId = 1;

/** The fast check (libdecaf, or libsodium compiled), loaded on the first ballot checked here rather than at every start-up (restart time). */
let fast: Promise<typeof VerifyFast> | null = null;
const loadFast = () => (fast ??= import("./verify-fast").then(async (m) => (await m.sodiumReady, m)));

function pool(): Slot[] {
  if (slots) return slots;
  slots = [];
  if (size < 1 || !existsSync(WORKER_FILE)) return slots;
  for (let k = 0; k < size; k++) {
    const worker = new Worker(WORKER_FILE);
    worker.unref();
    const slot = { worker, busy: 0 };
    worker.on("message", (m: { id: number; ok: boolean }) => {
      slot.busy--;
      waiting.get(m.id)?.resolve(m.ok);
      waiting.delete(m.id);
    });
    worker.on("error", () => {
      // A failed worker leaves the pool; the ballots it had are checked here instead.
      slots = slots!.filter((s) => s !== slot);
      for (const [id, w] of waiting)
        if (w.slot === slot) {
          waiting.delete(id);
          void loadFast().then((m) => w.resolve(m.verifyBallotFast(w.job.voteId, w.job.electionKey, w.job.shape, w.job.ballot)));
        }
    });
    slots.push(slot);
  }
  return slots;
}

/** Whether the ballot's proofs hold, checked on the least busy worker (or here). */
export async function verifyBallotAsync(voteId: number, electionKey: string, shape: BallotShape, ballot: Ballot): Promise<boolean> {
  const free = pool().reduce<Slot | null>((best, s) => (!best || s.busy < best.busy ? s : best), null);
  if (!free) return (await loadFast()).verifyBallotFast(voteId, electionKey, shape, ballot);
  const id = nextId++;
  free.busy++;
  const job: VerifyJob = { id, voteId, electionKey, shape, ballot };
  const answer = new Promise<boolean>((resolve) => waiting.set(id, { resolve, job, slot: free }));
  free.worker.postMessage(job);
  return answer;
}
