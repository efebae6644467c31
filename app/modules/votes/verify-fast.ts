import sodium from "libsodium-wrappers-sumo";
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";
import { decaf, type Decaf, type DecafPoint } from "./decaf";
import {
  ballotLayout,
  hashToScalar,
  Point,
  q,
  scalarFrom,
  sumBallots,
  TAG,
  verifyBallot,
  voteContext,
  type Ballot,
  type BallotShape,
  type Ciphertext,
  type Hex,
  type RangeProof,
} from "./crypto";

/**
 * The same ballot check as `verifyBallot` (crypto.ts), with a faster
 * ristretto255 doing the group arithmetic (ADR 0026):
 *   1. libdecaf (native, decaf.ts) when the machine has it: about 15 times
 *      faster than the pure-JavaScript @noble/curves;
 *   2. otherwise libsodium compiled to WebAssembly: about 6 times faster.
 * The server, its worker threads and `npm run verify-vote` use it; browsers
 * keep @noble (they only encrypt and prove, once per ballot).
 *
 * Same statement, same hash, same answer: any exception (libsodium refuses an
 * identity point where the proofs allow one; a malformed field) hands the
 * ballot to the @noble check, which decides. A test holds each of them to
 * @noble's answers on valid, forged and malformed ballots.
 */
export const sodiumReady: Promise<void> = sodium.ready;
let ready = false;
void sodiumReady.then(() => (ready = true));

/** Our scalars are big-endian hex (the board's format); libsodium's are little-endian bytes. */
function scalarLE(hex: Hex): Uint8Array {
  scalarFrom(hex); // canonical: 64 hex digits, below the group order (throws otherwise)
  return hexToBytes(hex).reverse();
}
function pointBytes(hex: Hex): Uint8Array {
  if (typeof hex !== "string" || !/^[0-9a-f]{64}$/.test(hex)) throw new Error("bad point");
  const p = hexToBytes(hex);
  if (!sodium.crypto_core_ristretto255_is_valid_point(p)) throw new Error("bad point");
  return p;
}
const smallLE = (m: number) => {
  const out = new Uint8Array(32);
  new DataView(out.buffer).setUint32(0, m, true);
  return out;
};
/** m·G's canonical encoding for the small values proofs use (v ≥ 1), from @noble, once; both libraries read it. */
const gTimesCache = new Map<number, Uint8Array>();
const gTimes = (m: number) => {
  let p = gTimesCache.get(m);
  if (!p) gTimesCache.set(m, (p = Point.BASE.multiply(BigInt(m)).toBytes()));
  return p;
};

/**
 * Whether a disjunctive proof holds (crypto.ts `verifyRange`): one (c, s) per
 * allowed value, and the challenges sum to the hash of the statement (X, α, β
 * and the values) with the commitments `commit` recomputes for each branch.
 * Each library supplies only the group arithmetic of `commit`.
 */
function rangeHolds(
  tag: string,
  context: string,
  statement: [X: Uint8Array, a: Uint8Array, b: Uint8Array],
  values: number[],
  proof: RangeProof,
  commit: (c: Hex, s: Hex, value: number) => [Uint8Array, Uint8Array],
): boolean {
  if (!Array.isArray(proof) || proof.length !== values.length) return false;
  const commits: Uint8Array[] = [];
  let sum = 0n;
  for (let i = 0; i < values.length; i++) {
    commits.push(...commit(proof[i]!.c, proof[i]!.s, values[i]!)); // validates c and s first
    sum += BigInt("0x" + proof[i]!.c);
  }
  return sum % q === hashToScalar(tag, context, [...statement, values.join(","), ...commits]);
}

function verifyRange(
  tag: string,
  context: string,
  X: Uint8Array,
  a: Uint8Array,
  b: Uint8Array,
  values: number[],
  proof: RangeProof,
): boolean {
  return rangeHolds(tag, context, [X, a, b], values, proof, (cHex, sHex, value) => {
    const c = scalarLE(cHex);
    const s = scalarLE(sHex);
    const shifted = value === 0 ? b : sodium.crypto_core_ristretto255_sub(b, gTimes(value));
    return [
      sodium.crypto_core_ristretto255_sub(sodium.crypto_scalarmult_ristretto255_base(s), sodium.crypto_scalarmult_ristretto255(c, a)),
      sodium.crypto_core_ristretto255_sub(sodium.crypto_scalarmult_ristretto255(s, X), sodium.crypto_scalarmult_ristretto255(c, shifted)),
    ];
  });
}

function checkSodium(voteId: number, electionKey: Hex, shape: BallotShape, ballot: Ballot): boolean {
  const layout = ballotLayout(shape);
  if (!ballot || !Array.isArray(ballot.ciphertexts) || ballot.ciphertexts.length !== layout.slots) return false;
  if (!Array.isArray(ballot.proofs) || ballot.proofs.length !== layout.slots) return false;
  const X = pointBytes(electionKey);
  const context = voteContext(voteId);
  const cts = ballot.ciphertexts.map((c) => ({ a: pointBytes(c.a), b: pointBytes(c.b) }));
  for (let i = 0; i < cts.length; i++)
    if (!verifyRange(`${TAG.bit}/${i}`, context, X, cts[i]!.a, cts[i]!.b, [0, 1], ballot.proofs[i]!)) return false;
  // The weighted sum of the slots (crypto.ts `weightedSum`), which must encrypt a value the method allows.
  const weighted = (p: Uint8Array, slot: number) =>
    layout.weight(slot) === 1 ? p : sodium.crypto_scalarmult_ristretto255(smallLE(layout.weight(slot)), p);
  const sum = (part: "a" | "b") =>
    cts.map((ct, i) => weighted(ct[part], i)).reduce((acc, p) => sodium.crypto_core_ristretto255_add(acc, p));
  return verifyRange(TAG.sum, context, X, sum("a"), sum("b"), layout.sumValues, ballot.sumProof);
}

// ---- libdecaf: points stay decoded; each commitment is one double-scalar multiplication ----

/** A field that is not what the reference accepts: the ballot is refused at once (the reference would refuse it too). */
class Malformed extends Error {}
const HEX64 = /^[0-9a-f]{64}$/;
const isHex64 = (v: unknown): v is Hex => typeof v === "string" && HEX64.test(v);
function hexBytes(hex: Hex): Uint8Array {
  if (!isHex64(hex)) throw new Malformed("bad field");
  return hexToBytes(hex);
}
function need<T>(value: T | null): T {
  if (value === null) throw new Malformed("not canonical");
  return value;
}
const isProof = (p: unknown, values: number): p is RangeProof =>
  Array.isArray(p) && p.length === values && p.every((x: { c?: unknown; s?: unknown } | null) => !!x && isHex64(x.c) && isHex64(x.s));
/** The ballot's form, as the reference reads it: what fails here, the reference refuses (a test holds them together). */
function wellFormed(ballot: Ballot, slots: number, sumValues: number): boolean {
  if (!ballot || typeof ballot !== "object") return false;
  const { ciphertexts, proofs, sumProof } = ballot;
  if (!Array.isArray(ciphertexts) || ciphertexts.length !== slots || !ciphertexts.every((c) => !!c && isHex64(c.a) && isHex64(c.b)))
    return false;
  return Array.isArray(proofs) && proofs.length === slots && proofs.every((p) => isProof(p, 2)) && isProof(sumProof, sumValues);
}
interface DecafCt {
  a: DecafPoint;
  b: DecafPoint;
  aBytes: Uint8Array;
  bBytes: Uint8Array;
}
function rangeDecaf(
  d: Decaf,
  tag: string,
  context: string,
  X: DecafPoint,
  XBytes: Uint8Array,
  ct: DecafCt,
  values: number[],
  proof: RangeProof,
): boolean {
  return rangeHolds(tag, context, [XBytes, ct.aBytes, ct.bBytes], values, proof, (cHex, sHex, value) => {
    const minusC = d.negate(need(d.scalar(hexBytes(cHex).reverse())));
    const s = need(d.scalar(hexBytes(sHex).reverse()));
    const shifted = value === 0 ? ct.b : d.sub(ct.b, need(d.constant(gTimes(value))));
    // s·G − c·α and s·X − c·(β − v·G): what the prover committed to, if the proof is sound.
    return [d.encode(d.baseAndMul(s, ct.a, minusC)), d.encode(d.doubleMul(X, s, shifted, minusC))];
  });
}

/**
 * The libdecaf check alone, without the reference behind it (tests hold it to
 * the reference directly). A malformed ballot (a field that is not canonical
 * hex, a point or scalar that is not canonical, a proof of the wrong length)
 * is refused at once: sending one costs the server what a valid ballot does,
 * never @noble's fifteen-fold price. Anything else unexpected throws.
 */
export function checkBallotDecaf(voteId: number, electionKey: Hex, shape: BallotShape, ballot: Ballot): boolean {
  const d = decaf();
  if (!d) throw new Error("libdecaf is not loaded");
  const layout = ballotLayout(shape);
  if (!wellFormed(ballot, layout.slots, layout.sumValues.length)) return false;
  try {
    return checkDecaf(d, voteId, electionKey, shape, ballot, layout);
  } catch (error) {
    if (error instanceof Malformed) return false;
    throw error;
  }
}

function checkDecaf(
  d: Decaf,
  voteId: number,
  electionKey: Hex,
  shape: BallotShape,
  ballot: Ballot,
  layout: ReturnType<typeof ballotLayout>,
): boolean {
  const mark = d.mark();
  try {
    const XBytes = hexBytes(electionKey);
    const X = need(d.constant(XBytes));
    const context = voteContext(voteId);
    const cts: DecafCt[] = ballot.ciphertexts.map((c) => {
      const aBytes = hexBytes(c.a);
      const bBytes = hexBytes(c.b);
      return { a: need(d.point(aBytes)), b: need(d.point(bBytes)), aBytes, bBytes };
    });
    for (let i = 0; i < cts.length; i++)
      if (!rangeDecaf(d, `${TAG.bit}/${i}`, context, X, XBytes, cts[i]!, [0, 1], ballot.proofs[i]!)) return false;
    // The weighted sum of the slots (crypto.ts `weightedSum`), which must encrypt a value the method allows.
    const weighted = (p: DecafPoint, slot: number) => {
      const w = layout.weight(slot);
      return w === 1 ? p : d.mul(p, need(d.scalar(smallLE(w))));
    };
    const total = (part: "a" | "b") => cts.map((ct, i) => weighted(ct[part], i)).reduce((acc, p) => d.add(acc, p));
    const a = total("a");
    const b = total("b");
    return rangeDecaf(
      d,
      TAG.sum,
      context,
      X,
      XBytes,
      { a, b, aBytes: d.encode(a), bBytes: d.encode(b) },
      layout.sumValues,
      ballot.sumProof,
    );
  } finally {
    d.release(mark);
  }
}

export type FastBackend = "libdecaf" | "libsodium" | "noble";
/** Which implementation checks ballots in this thread: the fastest present (what the benchmark and `npm run verify-vote` report). */
export function fastBackend(): FastBackend {
  return decaf() ? "libdecaf" : ready ? "libsodium" : "noble";
}

/**
 * Whether a ballot's form and proofs hold (never throws), checked by the
 * fastest implementation present, or the one named (tests compare them).
 * Before libsodium has loaded (and without libdecaf), the @noble check answers.
 */
export function verifyBallotFast(voteId: number, electionKey: Hex, shape: BallotShape, ballot: Ballot, backend?: FastBackend): boolean {
  try {
    const use = backend ?? fastBackend();
    if (use === "libdecaf" && decaf()) return checkBallotDecaf(voteId, electionKey, shape, ballot);
    if (use === "libsodium" && ready) return checkSodium(voteId, electionKey, shape, ballot);
  } catch {
    // the reference decides
  }
  return verifyBallot(voteId, electionKey, shape, ballot);
}

/**
 * The homomorphic sums per slot (crypto.ts `sumBallots`), with libdecaf's or
 * libsodium's point addition: about 14 or 4 times faster than @noble here,
 * where each point's decoding (a square root in BigInt arithmetic) dominated
 * closing a vote and re-checking its board (ADR 0026). Ristretto255
 * encodings are canonical, so the same sums give the same hex. Whatever they
 * do not take (a malformed ballot, more ciphertexts than slots, anything odd)
 * goes to `sumBallots`, which decides: it returns the same sums or throws as
 * ever.
 */
export function sumBallotsFast(slots: number, ballots: Ballot[], backend?: FastBackend): Ciphertext[] {
  try {
    const use = backend ?? fastBackend();
    if (use === "libdecaf" && decaf()) return sumBallotsDecaf(slots, ballots);
    if (use === "libsodium" && ready) return sodiumSums(slots, ballots);
  } catch {
    // the reference decides
  }
  return sumBallots(slots, ballots);
}

/** libdecaf's sums alone (tests hold them to the reference): each point decoded into one slot and added into the other of a pair, in place. Throws for what the reference throws for. */
export function sumBallotsDecaf(slots: number, ballots: Ballot[]): Ciphertext[] {
  const d = decaf();
  if (!d) throw new Error("libdecaf is not loaded");
  const mark = d.mark();
  try {
    const identity = new Uint8Array(32);
    const pairs = Array.from({ length: 2 * slots }, () => {
      const acc = [d.slot(), d.slot()] as const;
      if (!d.decodeInto(acc[0], identity)) throw new Error("libdecaf: identity refused");
      return { acc, current: 0 };
    });
    const incoming = d.slot();
    const add = (k: number, hex: unknown) => {
      if (!d.decodeInto(incoming, hexPoint(hex))) throw new Error("bad point");
      const pair = pairs[k]!;
      d.addInto(pair.acc[1 - pair.current]!, pair.acc[pair.current]!, incoming);
      pair.current = 1 - pair.current;
    };
    for (const ballot of ballots) {
      const cts = ballot.ciphertexts;
      if (!Array.isArray(cts) || cts.length > slots) throw new Error("not a ballot of this vote");
      for (let i = 0; i < cts.length; i++) {
        add(2 * i, cts[i]!.a);
        add(2 * i + 1, cts[i]!.b);
      }
    }
    const out = (k: number) => bytesToHex(d.encode(pairs[k]!.acc[pairs[k]!.current]!));
    return Array.from({ length: slots }, (_, i) => ({ a: out(2 * i), b: out(2 * i + 1) }));
  } finally {
    d.release(mark);
  }
}

const hexPoint = (hex: unknown): Uint8Array => {
  if (typeof hex !== "string" || !/^[0-9a-f]{64}$/.test(hex)) throw new Error("bad point");
  return hexToBytes(hex);
};
function sodiumSums(slots: number, ballots: Ballot[]): Ciphertext[] {
  // The identity's encoding is 32 zero bytes, which libsodium decodes as @noble does.
  const a: Uint8Array[] = Array.from({ length: slots }, () => new Uint8Array(32));
  const b: Uint8Array[] = Array.from({ length: slots }, () => new Uint8Array(32));
  for (const ballot of ballots) {
    const cts = ballot.ciphertexts;
    if (!Array.isArray(cts) || cts.length > slots) throw new Error("not a ballot of this vote");
    for (let i = 0; i < cts.length; i++) {
      // crypto_core_ristretto255_add decodes both (rejecting non-canonical or invalid encodings, as @noble does) and throws on failure.
      a[i] = sodium.crypto_core_ristretto255_add(a[i]!, hexPoint(cts[i]!.a));
      b[i] = sodium.crypto_core_ristretto255_add(b[i]!, hexPoint(cts[i]!.b));
    }
  }
  return a.map((p, i) => ({ a: bytesToHex(p), b: bytesToHex(b[i]!) }));
}
