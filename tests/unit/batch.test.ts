import { describe, expect, it } from "vitest";
import { batcher } from "~/lib/batch.server";

/** A run function that records each batch and answers after the test lets it. */
function recorder<I, O>(answer: (item: I) => O) {
  const batches: I[][] = [];
  const pending: (() => void)[] = [];
  const run = async (items: I[]) => {
    batches.push(items);
    await new Promise<void>((resolve) => pending.push(resolve));
    return items.map(answer);
  };
  const releaseAll = () => pending.splice(0).forEach((r) => r());
  return { batches, run, releaseAll };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("batcher (group commit)", () => {
  it("sends calls made in one turn of the event loop as one batch, answering each its own", async () => {
    const r = recorder((n: number) => n * 10);
    const call = batcher(r.run);
    const answers = Promise.all([call(1), call(2), call(3)]);
    await tick();
    expect(r.batches).toEqual([[1, 2, 3]]);
    r.releaseAll();
    expect(await answers).toEqual([10, 20, 30]);
    expect(call.stats).toEqual({ batches: 1, items: 3, retried: 0 });
  });

  it("queues calls while maxInFlight batches are out and sends them together when one returns", async () => {
    const r = recorder((s: string) => s.toUpperCase());
    const call = batcher(r.run, { maxInFlight: 1 });
    const first = call("a");
    await tick();
    const later = [call("b"), call("c"), call("d")];
    await tick();
    expect(r.batches).toEqual([["a"]]); // still out
    r.releaseAll();
    expect(await first).toBe("A");
    await tick();
    expect(r.batches).toEqual([["a"], ["b", "c", "d"]]);
    r.releaseAll();
    expect(await Promise.all(later)).toEqual(["B", "C", "D"]);
  });

  it("splits at maxBatch and keeps order", async () => {
    const r = recorder((n: number) => -n);
    const call = batcher(r.run, { maxBatch: 2, maxInFlight: 3 });
    const answers = Promise.all([1, 2, 3, 4, 5].map((n) => call(n)));
    await tick();
    expect(r.batches).toEqual([[1, 2], [3, 4], [5]]);
    r.releaseAll();
    expect(await answers).toEqual([-1, -2, -3, -4, -5]);
  });

  it("rejects every call of a batch that failed, and goes on with the next", async () => {
    let fail = true;
    const call = batcher(async (items: number[]) => {
      if (fail) throw new Error("connection lost");
      return items;
    });
    const failed = await Promise.allSettled([call(1), call(2)]);
    expect(failed.map((f) => f.status)).toEqual(["rejected", "rejected"]);
    fail = false;
    expect(await Promise.all([call(3), call(4)])).toEqual([3, 4]);
  });

  it("refuses a batch answered with the wrong number of results", async () => {
    const call = batcher(async (items: number[]) => items.slice(1));
    const settled = await Promise.allSettled([call(1), call(2)]);
    expect(settled.map((s) => (s.status === "rejected" ? String(s.reason) : "ok"))).toEqual([
      "Error: A batch of 1 got 0 answers.",
      "Error: A batch of 1 got 0 answers.",
    ]);
  });

  it("retries the members of a failed batch one by one: a poisoned item fails alone (issue 12 §2)", async () => {
    const sent: number[][] = [];
    const call = batcher(async (items: number[]) => {
      sent.push(items);
      // As PostgreSQL fails a whole statement for one out-of-range value.
      if (items.some((n) => n > 2_147_483_647)) throw new Error("value out of range for type integer");
      return items.map((n) => n * 2);
    });
    const settled = await Promise.allSettled([1, 2, 2_147_483_648, 4].map((n) => call(n)));
    expect(settled.map((s) => (s.status === "fulfilled" ? s.value : "rejected"))).toEqual([2, 4, "rejected", 8]);
    expect(sent).toEqual([[1, 2, 2_147_483_648, 4], [1], [2], [2_147_483_648], [4]]);
    expect(call.stats).toMatchObject({ batches: 1, items: 4, retried: 4 });
  });
});
