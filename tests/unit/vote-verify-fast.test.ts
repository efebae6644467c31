import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import {
  ballotLayout,
  encryptBallot,
  Point,
  pointHex,
  randomScalar,
  scalarHex,
  sumBallots,
  verifyBallot,
  type Ballot,
  type BallotShape,
} from "~/modules/votes/crypto";
import { decaf } from "~/modules/votes/decaf";
import {
  checkBallotDecaf,
  fastBackend,
  sodiumReady,
  sumBallotsDecaf,
  sumBallotsFast,
  verifyBallotFast,
  type FastBackend,
} from "~/modules/votes/verify-fast";
import { choicesOf, optionsAnd } from "../support/ballot-arbitraries";

/**
 * Each fast check (ADR 0026: libdecaf, native, where the machine has it; and
 * libsodium's WebAssembly) must give the @noble check's answer on every
 * ballot: valid ones of every method, and each way of forging one. CI installs
 * libdecaf and sets GONGZHI_NATIVE_CRYPTO=required, so both are tested there;
 * on a machine without it, only libsodium is (the first test says which).
 */
const x = randomScalar();
const X = pointHex(Point.BASE.multiply(x));
const yesNo: BallotShape = { method: "yes_no", optionCount: 3, maxChoices: 1 };
const backends: FastBackend[] = decaf() ? ["libdecaf", "libsodium"] : ["libsodium"];

beforeAll(() => sodiumReady);

it("checks with the fastest implementation present: libdecaf if the machine has it", () => {
  console.warn(`fast ballot checks tested here: ${backends.join(", ")}`);
  expect(fastBackend()).toBe(backends[0]);
  if (process.env.GONGZHI_NATIVE_CRYPTO === "required") expect(backends).toContain("libdecaf");
});

/**
 * libdecaf is compared without the reference behind it (`checkBallotDecaf`
 * never falls back, so a path that always threw would fail here); libsodium
 * through `verifyBallotFast`, whose fallback on an identity point is part of
 * its design (ADR 0026).
 */
const fastCheck = (backend: FastBackend) =>
  backend === "libdecaf" ? checkBallotDecaf : (v: number, k: string, shape: BallotShape, b: Ballot) => verifyBallotFast(v, k, shape, b, backend);
const fastSums = (backend: FastBackend) => (backend === "libdecaf" ? sumBallotsDecaf : (n: number, list: Ballot[]) => sumBallotsFast(n, list, backend));

describe.each(backends)("the fast ballot check (%s) agrees with the reference (@noble)", (backend) => {
  const check = fastCheck(backend);
  const both = (voteId: number, shape: BallotShape, b: Ballot) => [verifyBallot(voteId, X, shape, b), check(voteId, X, shape, b)];

  it("property: valid ballots of every method hold in both; altering any one field fails in both", { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(
        optionsAnd((options) => ({ choice: choicesOf(options), field: fc.nat() })),
        ({ options, k, choice, field }) => {
          const shapes: [BallotShape, number[]][] = [
            [{ method: "single", optionCount: options, maxChoices: 1 }, [choice[0] ?? 0]],
            [{ method: "approval", optionCount: options, maxChoices: k }, choice.slice(0, k)],
          ];
          for (const [shape, chosen] of shapes) {
            const ballot = encryptBallot(4, X, shape, chosen);
            expect(both(4, shape, ballot)).toEqual([true, true]);
            // One response or challenge changed by one, anywhere in the ballot.
            const forged = structuredClone(ballot);
            const all = [...forged.proofs.flat(), ...forged.sumProof];
            const target = all[field % all.length]!;
            if (field % 2) target.s = scalarHex(BigInt("0x" + target.s) + 1n);
            else target.c = scalarHex(BigInt("0x" + target.c) + 1n);
            expect(both(4, shape, forged)).toEqual([false, false]);
          }
        },
      ),
      { numRuns: 10 },
    );
  });

  it("refuses what the reference refuses: another vote, a doubled choice, an encryption of 2, identity points, garbage", () => {
    const ok = encryptBallot(5, X, yesNo, [1]);
    expect(both(5, yesNo, ok)).toEqual([true, true]);
    expect(both(6, yesNo, ok)).toEqual([false, false]);
    const a = encryptBallot(5, X, yesNo, [0]);
    const b = encryptBallot(5, X, yesNo, [1]);
    const doubled = { ciphertexts: [a.ciphertexts[0]!, b.ciphertexts[1]!, a.ciphertexts[2]!], proofs: [a.proofs[0]!, b.proofs[1]!, a.proofs[2]!], sumProof: a.sumProof };
    expect(both(5, yesNo, doubled)).toEqual([false, false]);
    const two = structuredClone(ok);
    two.ciphertexts[0]!.b = pointHex(Point.fromHex(two.ciphertexts[0]!.b).add(Point.BASE.multiply(2n)));
    expect(both(5, yesNo, two)).toEqual([false, false]);
    const identity = structuredClone(ok);
    identity.ciphertexts[1]!.a = "0".repeat(64);
    expect(both(5, yesNo, identity)).toEqual([false, false]);
    const zeroResponse = structuredClone(ok);
    zeroResponse.proofs[0]![0]!.s = "0".repeat(64);
    expect(both(5, yesNo, zeroResponse)).toEqual([false, false]);
    const aboveOrder = structuredClone(ok);
    aboveOrder.proofs[0]![0]!.c = "f".repeat(64);
    expect(both(5, yesNo, aboveOrder)).toEqual([false, false]);
    expect(both(5, yesNo, { ciphertexts: [], proofs: [], sumProof: [] })).toEqual([false, false]);
    expect(both(5, yesNo, JSON.parse('{"ciphertexts":[{"a":"zz","b":1},{"a":"zz","b":1},{"a":"zz","b":1}],"proofs":[1,2,3]}'))).toEqual([false, false]);
  });

  it("is several times faster than the reference", { timeout: 60_000 }, () => {
    const ballots = Array.from({ length: 20 }, (_, i) => encryptBallot(7, X, yesNo, [i % 3]));
    const time = (f: (b: Ballot) => boolean) => {
      const started = performance.now();
      for (const b of ballots) expect(f(b)).toBe(true);
      return performance.now() - started;
    };
    // The best of three rounds each, interleaved, so that a busy moment on a shared machine (CI runs test files side by side) does not decide it.
    time((b) => check(7, X, yesNo, b)); // warm
    let fast = Infinity;
    let reference = Infinity;
    for (let round = 0; round < 3; round++) {
      fast = Math.min(fast, time((b) => check(7, X, yesNo, b)));
      reference = Math.min(reference, time((b) => verifyBallot(7, X, yesNo, b)));
    }
    console.warn(`20 yes/no ballots, best of 3: ${backend} ${fast.toFixed(0)} ms, @noble ${reference.toFixed(0)} ms`);
    // About 6 (libsodium) or 20 (libdecaf) times faster when quiet (ADR 0026); at least twice under any load seen so far.
    expect(fast * 2).toBeLessThan(reference);
  });
});

describe.each(backends)("the fast sums (%s) agree with the reference (@noble)", (backend) => {
  /** Both sums, or what each threw: the same answer either way. */
  const sums = (slots: number, ballots: Ballot[]) =>
    [sumBallots, fastSums(backend)].map((f) => {
      try {
        return f(slots, ballots);
      } catch {
        return "throws";
      }
    });

  it("property: the same sums for any ballots of every method, none included", { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(
        optionsAnd((options) => ({ chosen: fc.array(choicesOf(options), { maxLength: 4 }) })),
        ({ options, k, chosen }) => {
          const shape: BallotShape = { method: "approval", optionCount: options, maxChoices: k };
          const ballots = chosen.map((c) => encryptBallot(4, X, shape, c.slice(0, k)));
          const [reference, fast] = sums(ballotLayout(shape).slots, ballots);
          expect(reference).not.toBe("throws");
          expect(fast).toEqual(reference);
        },
      ),
      { numRuns: 15 },
    );
  });

  it("the same on the odd cases: identity points, a short ballot; throws where the reference throws", () => {
    const ballots = [0, 1, 2, 1].map((c) => encryptBallot(5, X, yesNo, [c]));
    const same = (list: Ballot[]) => {
      const [reference, fast] = sums(3, list);
      expect(fast).toEqual(reference);
      return reference;
    };
    expect(same([])).not.toBe("throws");
    // A ciphertext and its negation: sums that are the identity (32 zero bytes).
    const negated = structuredClone(ballots[0]!);
    negated.ciphertexts = negated.ciphertexts.map((c) => ({ a: pointHex(Point.fromHex(c.a).negate()), b: pointHex(Point.fromHex(c.b).negate()) }));
    expect(same([ballots[0]!, negated])).toEqual(Array(3).fill({ a: "0".repeat(64), b: "0".repeat(64) }));
    const identity = structuredClone(ballots[1]!);
    identity.ciphertexts[2] = { a: "0".repeat(64), b: "0".repeat(64) };
    expect(same([...ballots, identity])).not.toBe("throws");
    const short = structuredClone(ballots[2]!);
    short.ciphertexts.pop();
    expect(same([...ballots, short])).not.toBe("throws");
    // Malformed: not hex, not a point, a non-canonical or negative encoding, one ciphertext too many, no ciphertexts at all.
    const bad = (edit: (b: Ballot) => void) => {
      const b = structuredClone(ballots[3]!);
      edit(b);
      expect(same([...ballots, b])).toBe("throws");
    };
    bad((b) => (b.ciphertexts[0]!.a = "zz"));
    bad((b) => (b.ciphertexts[1]!.b = "f".repeat(64)));
    bad((b) => (b.ciphertexts[1]!.b = "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")); // p itself: non-canonical
    bad((b) => (b.ciphertexts[2]!.a = "01" + "0".repeat(62))); // s = 1 is negative
    bad((b) => (b.ciphertexts[0]!.b = 7 as unknown as string));
    bad((b) => b.ciphertexts.push(b.ciphertexts[0]!));
    bad((b) => (b.ciphertexts = "none" as unknown as Ballot["ciphertexts"]));
    bad((b) => (b.ciphertexts = [null as unknown as Ballot["ciphertexts"][number]]));
  });
});
