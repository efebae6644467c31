import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { Ballot, BallotShape, Hex } from "./crypto";
import type { VerifyJob } from "./verify-worker";

/**
 * Check many ballots on every core (ADR 0026): what `npm run verify-vote`
 * and the benchmark use to re-verify a whole board. Each worker runs
 * verify-worker.ts through tsx (the scripts' loader). Answers, in the
 * ballots' order, whether each one's proofs hold.
 */
export async function checkBallotsOnAllCores(
  voteId: number,
  electionKey: Hex,
  shape: BallotShape,
  ballots: Ballot[],
  threads = availableParallelism(),
): Promise<boolean[]> {
  // A worker ignores `--import tsx`: it registers tsx's loader itself, then loads the TypeScript worker.
  const bootstrap = `import("tsx/esm/api").then(({ register }) => { register(); return import(${JSON.stringify(new URL("./verify-worker.ts", import.meta.url).href)}); })`;
  const workers = Array.from({ length: Math.max(1, Math.min(threads, ballots.length)) }, () => new Worker(bootstrap, { eval: true }));
  const answers = new Array<boolean>(ballots.length);
  try {
    await Promise.all(
      workers.map(
        (worker, w) =>
          new Promise<void>((resolve, reject) => {
            let pending = 0;
            worker.on("message", (m: { id: number; ok: boolean }) => {
              answers[m.id] = m.ok;
              if (--pending === 0) resolve();
            });
            worker.on("error", reject);
            for (let id = w; id < ballots.length; id += workers.length) {
              pending++;
              const job: VerifyJob = { id, voteId, electionKey, shape, ballot: ballots[id]! };
              worker.postMessage(job);
            }
            if (pending === 0) resolve();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return answers;
}
