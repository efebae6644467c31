import { describe, expect, it } from "vitest";
import {
  encryptBallot,
  Point,
  pointHex,
  randomScalar,
  scalarHex,
  verifyBallot,
  type Ballot,
  type BallotShape,
} from "~/modules/votes/crypto";
import { decaf, requireDecafIfAsked } from "~/modules/votes/decaf";
import { checkBallotDecaf, verifyBallotFast } from "~/modules/votes/verify-fast";
import { hexToBytes } from "@noble/hashes/utils.js";

/**
 * The libdecaf binding (ADR 0048) against @noble, operation by operation.
 * CI installs libdecaf0 and sets GONGZHI_NATIVE_CRYPTO=required; a machine
 * without the library skips this file (the name says so) and checks ballots
 * with libsodium, which vote-verify-fast.test.ts tests.
 */
const d = decaf();
const le = (n: bigint) => hexToBytes(scalarHex(n)).reverse();
const G = Point.BASE;

describe.skipIf(!d)("libdecaf (skipped where libdecaf0 is not installed)", () => {
  const lib = d!;
  it("computes what @noble computes: encodings, sums, s·P, s1·G + s2·P, s1·P1 + s2·P2", () => {
    for (let k = 0; k < 8; k++) {
      const mark = lib.mark();
      const [a, b, s1, s2] = [randomScalar(), randomScalar(), randomScalar(), randomScalar()];
      const P = G.multiply(a);
      const Q = G.multiply(b);
      const p = lib.point(P.toBytes())!;
      const q = lib.point(Q.toBytes())!;
      const x = lib.scalar(le(s1))!;
      const y = lib.scalar(le(s2))!;
      expect(lib.encode(p)).toEqual(P.toBytes());
      expect(lib.encode(lib.add(p, q))).toEqual(P.add(Q).toBytes());
      expect(lib.encode(lib.sub(p, q))).toEqual(P.subtract(Q).toBytes());
      expect(lib.encode(lib.mul(p, x))).toEqual(P.multiply(s1).toBytes());
      expect(lib.encode(lib.baseAndMul(x, p, lib.negate(y)))).toEqual(G.multiply(s1).subtract(P.multiply(s2)).toBytes());
      expect(lib.encode(lib.doubleMul(p, x, q, y))).toEqual(P.multiply(s1).add(Q.multiply(s2)).toBytes());
      lib.release(mark);
    }
  });

  it("decodes only canonical encodings, the identity included, and only scalars below the group order", () => {
    const mark = lib.mark();
    expect(lib.encode(lib.point(new Uint8Array(32))!)).toEqual(Point.ZERO.toBytes());
    expect(lib.point(hexToBytes("f".repeat(64)))).toBeNull();
    expect(lib.point(hexToBytes("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"))).toBeNull(); // p: non-canonical
    expect(lib.point(hexToBytes("01" + "0".repeat(62)))).toBeNull(); // negative
    expect(lib.scalar(le(Point.Fn.ORDER - 1n))).not.toBeNull();
    expect(lib.scalar(hexToBytes("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010"))).toBeNull(); // the order itself
    expect(() => lib.point(new Uint8Array(31))).toThrow(/32 bytes/);
    expect(() => lib.scalar(new Uint8Array(64))).toThrow(/32 bytes/);
    lib.release(mark);
  });

  it("reuses a frame's slots after release, and keeps constants for the thread's life", () => {
    const key = G.multiply(randomScalar()).toBytes();
    const constant = lib.constant(key)!;
    const mark = lib.mark();
    const first = lib.point(G.toBytes())!;
    lib.release(mark);
    const again = lib.point(G.multiply(2n).toBytes())!;
    expect(again.byteOffset).toBe(first.byteOffset);
    expect(again.buffer).toBe(first.buffer);
    expect(lib.constant(key)).toBe(constant);
    expect(lib.encode(constant)).toEqual(key);
    // A sum in place: a third slot, never an input.
    const acc = [lib.slot(), lib.slot()] as const;
    expect(lib.decodeInto(acc[0], G.toBytes())).toBe(true);
    expect(() => lib.addInto(acc[0], acc[0], acc[1])).toThrow(/third slot/);
    lib.release(mark);
  });

  it("refuses a malformed ballot by itself, at a valid ballot's cost, where the reference agrees", () => {
    const X = pointHex(G.multiply(randomScalar()));
    const shape: BallotShape = { method: "yes_no", optionCount: 3, maxChoices: 1 };
    const valid = encryptBallot(3, X, shape, [0]);
    const malformed: Ballot[] = [
      (() => {
        const b = structuredClone(valid);
        b.sumProof[0]!.s = "f".repeat(64);
        return b;
      })(), // ≥ q
      (() => {
        const b = structuredClone(valid);
        b.proofs[1]![0]!.c = b.proofs[1]![0]!.c.toUpperCase();
        return b;
      })(),
      (() => {
        const b = structuredClone(valid);
        b.ciphertexts[0]!.a = "f".repeat(64);
        return b;
      })(), // not a point
      (() => {
        const b = structuredClone(valid);
        b.proofs[2]!.pop();
        return b;
      })(),
      (() => {
        const b = structuredClone(valid);
        b.sumProof.push(b.sumProof[0]!);
        return b;
      })(),
      { ...structuredClone(valid), sumProof: undefined as unknown as Ballot["sumProof"] },
    ];
    for (const b of malformed) expect([verifyBallot(3, X, shape, b), checkBallotDecaf(3, X, shape, b)]).toEqual([false, false]);
    // Through the server's entry point: no fall back to the reference (≈ 15 times a valid ballot's cost).
    const time = (f: () => void) => {
      const started = performance.now();
      for (let k = 0; k < 5; k++) f();
      return performance.now() - started;
    };
    const fast = time(() => malformed.forEach((b) => expect(verifyBallotFast(3, X, shape, b)).toBe(false)));
    const reference = time(() => malformed.forEach((b) => verifyBallot(3, X, shape, b)));
    expect(fast * 3).toBeLessThan(reference);
  });
});

describe("GONGZHI_NATIVE_CRYPTO=required", () => {
  it("lets the server start only where libdecaf loads", () => {
    const before = process.env.GONGZHI_NATIVE_CRYPTO;
    process.env.GONGZHI_NATIVE_CRYPTO = "required";
    try {
      if (d) expect(() => requireDecafIfAsked()).not.toThrow();
      else expect(() => requireDecafIfAsked()).toThrow(/libdecaf0/);
    } finally {
      if (before === undefined) delete process.env.GONGZHI_NATIVE_CRYPTO;
      else process.env.GONGZHI_NATIVE_CRYPTO = before;
    }
  });
});
