/**
 * Group commit in the application (ADR 0015). Under load, hundreds of requests
 * ask the database the same kind of question at once: "whose session is this?",
 * "store this first ballot". Sending each as its own statement costs a round
 * trip and a socket write apiece, and on two cores those writes, not the
 * database, were the limit. A batcher gathers the calls made while the
 * previous batches are on their way and sends them as one statement.
 *
 * - A lone call waits for nothing but the current turn of the event loop
 *   (`setImmediate`), so a quiet server answers as fast as before.
 * - At most `maxInFlight` batches are out at once; calls arriving meanwhile
 *   queue and leave together when one comes back (at most `maxBatch` a time).
 * - `run` answers every item, in order. If a batch of several fails, each
 *   of its items is sent again alone, so one person's bad item fails only
 *   that person's request and everyone else still gets their own answer
 *   (issue 12 §2, ADR 0017). Callers still validate before batching (ids in
 *   range, no NUL): the retry is the safety net, not the filter.
 * - Nothing is acknowledged before its batch's statement has returned, so
 *   group commit changes no guarantee of the single statement it replaces.
 */
export interface BatcherOptions {
  /** Most items in one batch (bounds a statement's size). */
  maxBatch?: number;
  /** Most batches out at once (keeps a pool's other connections free). */
  maxInFlight?: number;
}

export type Batched<I, O> = ((item: I) => Promise<O>) & {
  /** Batches sent and items carried so far (for tests and benchmarks). */
  readonly stats: { batches: number; items: number; retried: number };
};

interface Waiting<I, O> {
  item: I;
  resolve(value: O): void;
  reject(error: unknown): void;
}

export function batcher<I, O>(run: (items: I[]) => Promise<O[]>, options: BatcherOptions = {}): Batched<I, O> {
  const maxBatch = Math.max(1, options.maxBatch ?? 200);
  const maxInFlight = Math.max(1, options.maxInFlight ?? 2);
  let queue: Waiting<I, O>[] = [];
  let inFlight = 0;
  let scheduled = false;
  const stats = { batches: 0, items: 0, retried: 0 };

  const flush = () => {
    scheduled = false;
    while (inFlight < maxInFlight && queue.length > 0) {
      const batch = queue.length <= maxBatch ? queue : queue.slice(0, maxBatch);
      queue = batch === queue ? [] : queue.slice(maxBatch);
      inFlight++;
      stats.batches++;
      stats.items += batch.length;
      void send(batch);
    }
  };

  const send = async (batch: Waiting<I, O>[]) => {
    try {
      const results = await run(batch.map((w) => w.item));
      if (results.length !== batch.length) throw new Error(`A batch of ${batch.length} got ${results.length} answers.`);
      batch.forEach((w, i) => w.resolve(results[i]!));
    } catch (error) {
      if (batch.length === 1) batch[0]!.reject(error);
      else {
        stats.retried += batch.length;
        // One at a time, in order: the statement that failed for all may fail for one only.
        for (const w of batch) {
          try {
            const results = await run([w.item]);
            if (results.length !== 1) throw new Error(`A batch of 1 got ${results.length} answers.`);
            w.resolve(results[0]!);
          } catch (alone) {
            w.reject(alone);
          }
        }
      }
    } finally {
      inFlight--;
      if (queue.length > 0) flush();
    }
  };

  const call = (item: I) =>
    new Promise<O>((resolve, reject) => {
      queue.push({ item, resolve, reject });
      if (!scheduled && inFlight < maxInFlight) {
        scheduled = true;
        setImmediate(flush);
      }
    });
  return Object.assign(call, { stats });
}
