/**
 * What checking a secret ballot is made of (`npm run bench -- votes-crypto-ops`), ADR 0026:
 * the cost of each group operation in libdecaf (native, when the machine has it), libsodium
 * (WebAssembly) and @noble/curves (JavaScript), the ways proposed to check a ballot faster,
 * and one yes/no ballot's check and sums each way.
 * One thread, CPU time (process.cpuUsage), best of five rounds: on the shared 2-core machine
 * wall-clock time says more about the neighbours than about the code.
 * Prints one JSON object (µs per operation) as its last line. Environment: BENCH_OPS_N (default 100).
 */
import sodium from "libsodium-wrappers-sumo";
import { mulAddUnsafe } from "@noble/curves/abstract/curve.js";
import { hexToBytes } from "@noble/hashes/utils.js";
import { encryptBallot, Point, pointHex, randomScalar, scalarHex, sumBallots, verifyBallot, type Ballot } from "~/modules/votes/crypto";
import { decaf } from "~/modules/votes/decaf";
import { sodiumReady, sumBallotsFast, verifyBallotFast, type FastBackend } from "~/modules/votes/verify-fast";

await sodiumReady;
const N = Number(process.env.BENCH_OPS_N ?? 100);
const G = Point.BASE;
const points = Array.from({ length: N }, () => G.multiply(randomScalar()));
const bytes = points.map((p) => p.toBytes());
const scalars = Array.from({ length: N }, () => randomScalar());
const scalarsLE = scalars.map((s) => hexToBytes(scalarHex(s)).reverse());
const X = G.multiply(randomScalar());
const Xhex = pointHex(X);
const figures: Record<string, number> = {};

/** µs of CPU per call, best of five rounds of `n` calls (each round on other inputs when n ≤ N/5: @noble caches per point). */
function measure(name: string, f: (i: number) => unknown, n = N) {
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    const before = process.cpuUsage();
    for (let i = 0; i < n; i++) f((round * n + i) % N);
    const used = process.cpuUsage(before);
    best = Math.min(best, (used.user + used.system) / n);
  }
  figures[name] = Math.round(best);
  console.log(`${name.padEnd(52)} ${figures[name]} µs`);
}

// libsodium: every call decodes its points (a square root) and encodes its result (another).
measure("sodium: c·P, any point", (i) => sodium.crypto_scalarmult_ristretto255(scalarsLE[i]!, bytes[i]!));
measure("sodium: s·G", (i) => sodium.crypto_scalarmult_ristretto255_base(scalarsLE[i]!));
measure("sodium: P − Q (or P + Q)", (i) => sodium.crypto_core_ristretto255_sub(bytes[i]!, bytes[(i + 1) % N]!));
// libdecaf: points stay decoded between operations, and a commitment is one double-scalar multiplication.
const d = decaf();
if (d) {
  const mark = d.mark();
  const P = d.point(bytes[0]!)!;
  const Q = d.point(bytes[1]!)!;
  const s1 = d.scalar(scalarsLE[0]!)!;
  const s2 = d.scalar(scalarsLE[1]!)!;
  // Each call takes a slot of the frame; release them every 1 000 calls.
  const framed = (f: () => unknown) => (i: number) => {
    if (i % 1000 === 0) d.release(mark + 4);
    return f();
  };
  measure("libdecaf: decode a point", framed(() => d.point(bytes[1]!)));
  measure("libdecaf: encode a point", framed(() => d.encode(P)));
  measure("libdecaf: P + Q", framed(() => d.add(P, Q)));
  measure("libdecaf: c·P, any point", framed(() => d.mul(P, s1)));
  measure("libdecaf: s·G − c·A in one (variable time)", framed(() => d.baseAndMul(s1, P, s2)));
  measure("libdecaf: s·X − c·B in one", framed(() => d.doubleMul(P, s1, Q, s2)));
  d.release(mark);
} else console.log("libdecaf: not on this machine (apt install libdecaf0)");
// @noble: cheap additions, costly square roots (BigInt), so costly decoding and encoding.
measure("noble: decode a point", (i) => Point.fromBytes(bytes[i]!));
measure("noble: encode a point", (i) => points[i]!.toBytes());
measure("noble: P + Q", (i) => points[i]!.add(points[(i + 1) % N]!));
measure("noble: c·P, any point", (i) => points[i]!.multiplyUnsafe(scalars[i]!), Math.floor(N / 5));
// (a) fixed bases with precomputed tables.
const X8 = Point.fromBytes(X.toBytes()).precompute(8, false);
measure("noble: s·X, X with a window-8 table", (i) => X8.multiplyUnsafe(scalars[i]!));
measure("noble: s·G, G with its table", (i) => G.multiplyUnsafe(scalars[i]!));
// (b) one commitment s·G − c·A as one double-scalar multiplication (Straus–Shamir, shared doublings).
const ep = (p: Point) => (p as unknown as { ep: Parameters<typeof mulAddUnsafe>[1][number] }).ep;
const Edwards = (ep(G) as unknown as { constructor: Parameters<typeof mulAddUnsafe>[0] }).constructor;
measure("noble: s·G + c·A in one (Straus)", (i) => mulAddUnsafe(Edwards, [ep(G), ep(points[i]!)], [scalars[i]!, scalars[(i + 1) % N]!]), Math.floor(N / 5));

// One yes/no ballot (three 0/1 ciphertexts and the sum: 7 disjunctive branches, 14 commitments).
const shape = { method: "yes_no" as const, optionCount: 3, maxChoices: 1 };
const ballots: Ballot[] = Array.from({ length: 20 }, (_, i) => encryptBallot(9, Xhex, shape, [i % 3]));
const fast: FastBackend[] = d ? ["libdecaf", "libsodium"] : ["libsodium"];
for (const backend of fast) measure(`ballot check, ${backend}`, (i) => verifyBallotFast(9, Xhex, shape, ballots[i % 20]!, backend), 20);
measure("ballot check, @noble", (i) => verifyBallot(9, Xhex, shape, ballots[i % 20]!), 5);
const share = (name: string, f: () => unknown) => {
  measure(name, f, 1);
  figures[name] = Math.round(figures[name]! / ballots.length);
};
for (const backend of fast) share(`ballot's share of the sums, ${backend}`, () => sumBallotsFast(3, ballots, backend));
share("ballot's share of the sums, @noble", () => sumBallots(3, ballots));
console.log(`(sums, µs a ballot: ${[...fast, "@noble"].map((b) => `${b} ${figures[`ballot's share of the sums, ${b}`]}`).join(", ")})`);
console.log(JSON.stringify(figures));
