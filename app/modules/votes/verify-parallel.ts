import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { verifyBoard, type Board, type Verification, shapeOf } from "./board";
import { ballotLayout, sumBallots, type Ballot, type BallotShape, type Ciphertext, type Hex } from "./crypto";
import type { BatchAnswer, SumsAnswer, VerifyBatch } from "./verify-worker";

/**
 * Check a whole board's ballots on every core (ADR 0026): what `npm run
 * verify-vote` and the benchmark use. Each worker runs verify-worker.ts
 * through tsx (the scripts' loader), takes batches of ballots as it finishes
 * the last (so a core slowed by another process does not hold the others
 * back), checks every proof with libdecaf or libsodium and adds up every ciphertext.
 * Answers, in the ballots' order, whether each one's proofs hold, and the
 * sums of all ballots per slot (null when a ballot's ciphertexts are
 * malformed: `sumBallots` would throw).
 */
export async function checkBallotsOnAllCores(
  voteId: number,
  electionKey: Hex,
  shape: BallotShape,
  ballots: Ballot[],
  threads = availableParallelism(),
): Promise<{ holds: boolean[]; sums: Ciphertext[] | null }> {
  const slots = ballotLayout(shape).slots;
  if (ballots.length === 0) return { holds: [], sums: sumBallots(slots, []) };
  const count = Math.max(1, Math.min(threads, ballots.length));
  // Small enough batches that the cores finish together, large enough that messages cost nothing.
  const size = Math.max(1, Math.min(250, Math.ceil(ballots.length / (count * 8))));
  const batches = Math.ceil(ballots.length / size);
  // A worker ignores `--import tsx`: it registers tsx's loader itself, then loads the TypeScript worker.
  const bootstrap = `import("tsx/esm/api").then(({ register }) => { register(); return import(${JSON.stringify(new URL("./verify-worker.ts", import.meta.url).href)}); })`;
  const workers = Array.from({ length: count }, () => new Worker(bootstrap, { eval: true }));
  const holds = new Array<boolean>(ballots.length);
  let next = 0;
  const send = (worker: Worker) => {
    if (next >= batches) return false;
    const batch = next++;
    const job: VerifyBatch = { batch, voteId, electionKey, shape, slots, ballots: ballots.slice(batch * size, (batch + 1) * size) };
    worker.postMessage(job);
    return true;
  };
  try {
    const parts = await Promise.all(
      workers.map(
        (worker) =>
          new Promise<SumsAnswer>((resolve, reject) => {
            let inFlight = 0;
            worker.on("message", (m: BatchAnswer | SumsAnswer) => {
              if ("sums" in m) return resolve(m);
              m.holds.forEach((ok, k) => (holds[m.batch * size + k] = ok));
              inFlight--;
              if (send(worker)) inFlight++;
              else if (inFlight === 0) worker.postMessage({ done: true });
            });
            worker.on("error", reject);
            // Two batches each, so a worker never waits for its next one.
            for (let k = 0; k < 2; k++) if (send(worker)) inFlight++;
            if (inFlight === 0) worker.postMessage({ done: true });
          }),
      ),
    );
    // A handful of points: @noble adds the workers' sums.
    const sums = parts.some((p) => p.malformed)
      ? null
      : sumBallots(
          slots,
          parts.flatMap((p) => (p.sums ? [{ ciphertexts: p.sums } as Ballot] : [])),
        );
    return { holds, sums };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/**
 * Re-check a whole board (`verifyBoard`) with the ballots' proofs and sums
 * computed on every core: the same checks and the same answers as
 * `verifyBoard(board)` alone, in a fraction of the time.
 */
export async function verifyBoardOnAllCores(board: Board, threads?: number): Promise<Verification> {
  if (board.format !== "gongzhi-board/v1" || !board.electionKey) return verifyBoard(board);
  const ballots = board.ballots.map((b) => b.ballot);
  const { holds, sums } = await checkBallotsOnAllCores(board.voteId, board.electionKey, shapeOf(board), ballots, threads);
  const answers = new Map<Ballot, boolean>();
  ballots.forEach((b, k) => answers.set(b, holds[k]!));
  return verifyBoard(
    board,
    undefined,
    (_vote, _key, _shape, ballot) => answers.get(ballot) ?? false,
    () => {
      if (!sums) throw new Error("a ballot's ciphertexts are malformed");
      return sums;
    },
  );
}
