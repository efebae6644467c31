import sodium from "libsodium-wrappers-sumo";
import { bytesToHex, hexToBytes } from "@noble/hashes/utils.js";
import {
  ballotLayout,
  hashToScalar,
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
 * The same ballot check as `verifyBallot` (crypto.ts), with libsodium's
 * ristretto255 (WebAssembly) doing the group arithmetic: about six times
 * faster than the pure-JavaScript @noble/curves on this machine (ADR 0026).
 * The server, its worker threads and `npm run verify-vote` use it; browsers
 * keep @noble (they only encrypt and prove, once per ballot).
 *
 * Same statement, same hash, same answer: libsodium refuses an identity
 * point where the proofs allow one (a product that is zero throws), so any
 * exception hands the ballot to the @noble check, which decides. A test
 * holds the two to the same answers on valid, forged and malformed ballots.
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
const gTimesCache = new Map<number, Uint8Array>();
const gTimes = (m: number) => {
  let p = gTimesCache.get(m);
  if (!p) gTimesCache.set(m, (p = sodium.crypto_scalarmult_ristretto255_base(smallLE(m))));
  return p;
};

function verifyRange(
  tag: string,
  context: string,
  X: Uint8Array,
  a: Uint8Array,
  b: Uint8Array,
  values: number[],
  proof: RangeProof,
): boolean {
  if (!Array.isArray(proof) || proof.length !== values.length) return false;
  const commits: Uint8Array[] = [];
  let sum = 0n;
  for (let i = 0; i < values.length; i++) {
    const cHex = proof[i]!.c;
    const c = scalarLE(cHex);
    const s = scalarLE(proof[i]!.s);
    sum += BigInt("0x" + cHex);
    const shifted = values[i] === 0 ? b : sodium.crypto_core_ristretto255_sub(b, gTimes(values[i]!));
    commits.push(
      sodium.crypto_core_ristretto255_sub(sodium.crypto_scalarmult_ristretto255_base(s), sodium.crypto_scalarmult_ristretto255(c, a)),
      sodium.crypto_core_ristretto255_sub(sodium.crypto_scalarmult_ristretto255(s, X), sodium.crypto_scalarmult_ristretto255(c, shifted)),
    );
  }
  return sum % q === hashToScalar(tag, context, [X, a, b, values.join(","), ...commits]);
}

function check(voteId: number, electionKey: Hex, shape: BallotShape, ballot: Ballot): boolean {
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

/** Whether a ballot's form and proofs hold (never throws). Before libsodium has loaded, the @noble check answers. */
export function verifyBallotFast(voteId: number, electionKey: Hex, shape: BallotShape, ballot: Ballot): boolean {
  if (!ready) return verifyBallot(voteId, electionKey, shape, ballot);
  try {
    return check(voteId, electionKey, shape, ballot);
  } catch {
    return verifyBallot(voteId, electionKey, shape, ballot);
  }
}

/**
 * The homomorphic sums per slot (crypto.ts `sumBallots`), with libsodium's
 * point addition: about fifteen times faster than @noble here, where each
 * point's decoding (a square root in BigInt arithmetic) dominated closing a
 * vote and re-checking its board (ADR 0026). Ristretto255 encodings are
 * canonical, so the same sums give the same hex. Whatever libsodium does not
 * take (a malformed ballot, more ciphertexts than slots, anything odd) goes
 * to `sumBallots`, which decides: it returns the same sums or throws as ever.
 */
export function sumBallotsFast(slots: number, ballots: Ballot[]): Ciphertext[] {
  if (ready)
    try {
      return sodiumSums(slots, ballots);
    } catch {
      // fall through to the reference
    }
  return sumBallots(slots, ballots);
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
