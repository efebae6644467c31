import { ristretto255 } from "@noble/curves/ed25519.js";
import { hkdf } from "@noble/hashes/hkdf.js";
import { scryptAsync } from "@noble/hashes/scrypt.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, hexToBytes, randomBytes, utf8ToBytes } from "@noble/hashes/utils.js";

/**
 * Secret-ballot cryptography (ADR 0016, shared/crypto.md): exponential
 * ElGamal over ristretto255 with a key split among tellers (Feldman VSS,
 * no dealer), Cramer–Damgård–Schoenmakers disjunctive Chaum–Pedersen proofs
 * under the strong Fiat–Shamir transform, partial decryptions with equality
 * proofs, and Lagrange combination. Pure and isomorphic: the browser encrypts
 * and proves with it, the server and `npm run verify-vote` check with it.
 * All group and hash arithmetic is @noble's; this file only composes it.
 *
 * Wire format: points are 64 hex characters (their canonical 32-byte
 * encoding), scalars 64 hex characters (big-endian), so a board is plain JSON.
 */
export const Point = ristretto255.Point;
export type Point = InstanceType<typeof Point>;
const G = Point.BASE;
export const q = Point.Fn.ORDER;

export type Hex = string;
export interface Ciphertext {
  a: Hex; // α = r·G
  b: Hex; // β = m·G + r·X
}
/** A disjunctive proof: one (challenge, response) per allowed value; challenges sum to the hash. */
export type RangeProof = { c: Hex; s: Hex }[];
export interface Ballot {
  ciphertexts: Ciphertext[];
  /** Each ciphertext encrypts 0 or 1. */
  proofs: RangeProof[];
  /** The (weighted) sum encrypts a value the method allows. */
  sumProof: RangeProof;
}
export interface BallotShape {
  method: "yes_no" | "single" | "approval";
  optionCount: number;
  maxChoices: number;
}

// ---- scalars, points, hashing ------------------------------------------------

const mod = (n: bigint) => ((n % q) + q) % q;
export const scalarHex = (n: bigint): Hex => mod(n).toString(16).padStart(64, "0");
export function scalarFrom(hex: Hex): bigint {
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new CryptoError("bad scalar");
  const n = BigInt("0x" + hex);
  if (n >= q) throw new CryptoError("bad scalar");
  return n;
}
export const pointHex = (p: Point): Hex => bytesToHex(p.toBytes());
export function pointFrom(hex: Hex): Point {
  if (typeof hex !== "string" || !/^[0-9a-f]{64}$/.test(hex)) throw new CryptoError("bad point");
  try {
    return Point.fromBytes(hexToBytes(hex));
  } catch {
    throw new CryptoError("bad point");
  }
}
/** A uniformly random non-zero scalar (64 random bytes reduced: no bias worth the name). */
export function randomScalar(): bigint {
  const n = mod(BigInt("0x" + bytesToHex(randomBytes(64))));
  return n === 0n ? randomScalar() : n;
}
export class CryptoError extends Error {}

type Field = string | Uint8Array | Point | bigint | number;
function encodeField(f: Field): Uint8Array {
  if (typeof f === "string") return utf8ToBytes(f);
  if (typeof f === "number") return utf8ToBytes(String(f));
  if (typeof f === "bigint") return hexToBytes(scalarHex(f));
  if (f instanceof Uint8Array) return f;
  return f.toBytes();
}
/** Length-prefixed fields, so no two different lists encode alike. */
export function encode(fields: Field[]): Uint8Array {
  const parts = fields.map(encodeField);
  const out = new Uint8Array(parts.reduce((n, p) => n + 4 + p.length, 0));
  let at = 0;
  for (const p of parts) {
    new DataView(out.buffer).setUint32(at, p.length);
    out.set(p, at + 4);
    at += 4 + p.length;
  }
  return out;
}
/** H(tag, context, …) → scalar: two counter-prefixed SHA-256 (64 bytes), reduced mod q. */
export function hashToScalar(tag: string, context: string, fields: Field[]): bigint {
  const body = encode([tag, context, ...fields]);
  const wide = new Uint8Array(64);
  for (const k of [0, 1]) {
    const h = sha256.create();
    h.update(new Uint8Array([k]));
    h.update(body);
    wide.set(h.digest(), 32 * k);
  }
  return mod(BigInt("0x" + bytesToHex(wide)));
}

export const TAG = {
  bit: "gongzhi/ballot-proof/v1",
  sum: "gongzhi/ballot-sum-proof/v1",
  partial: "gongzhi/partial-decryption/v1",
  transport: "gongzhi/share-transport/v1",
  vault: "gongzhi/teller-vault/v1",
};
/** The context every hash of a vote starts with: its id (a proof made for one vote fails in another). */
export const voteContext = (voteId: number) => `vote:${voteId}`;
/** The context of a call for bids' key ceremony and opening (shared/crypto.md §5). */
export const projectContext = (projectId: number) => `project:${projectId}`;
/**
 * Whose split key a ceremony makes: a vote's id (as the votes pass it; the
 * same `vote:<id>` context as ever, so every hash is unchanged) or a context
 * string such as `project:<id>`.
 */
export type Scope = number | string;
export const contextOf = (scope: Scope) => (typeof scope === "number" ? voteContext(scope) : scope);

// ---- ElGamal and range proofs --------------------------------------------------

interface Ct {
  a: Point;
  b: Point;
}
const ctFrom = (c: Ciphertext): Ct => ({ a: pointFrom(c.a), b: pointFrom(c.b) });
const ctHex = (c: Ct): Ciphertext => ({ a: pointHex(c.a), b: pointHex(c.b) });
const small: Point[] = [];
/** m·G for the small public values proofs use (cached). */
const gTimes = (m: number) => (small[m] ??= m === 0 ? Point.ZERO : G.multiply(BigInt(m)));
/** Election and verification keys are used for many proofs: decoded once, with a precomputed table. */
const keys = new Map<Hex, Point>();
function keyFrom(hex: Hex): Point {
  let P = keys.get(hex);
  if (!P) {
    if (keys.size > 64) keys.clear();
    P = pointFrom(hex).precompute(8, false);
    keys.set(hex, P);
  }
  return P;
}

/** Encrypt m under X with randomness r. */
function encryptWith(X: Point, m: number, r: bigint): Ct {
  return { a: G.multiply(r), b: gTimes(m).add(X.multiply(r)) };
}

/** `s·P − c·Q` for public values (verification: not constant time). */
const sPminusCQ = (P: Point, s: bigint, Q: Point, c: bigint) => P.multiplyUnsafe(s).subtract(Q.multiplyUnsafe(c));

/**
 * Prove that ct = (r·G, m·G + r·X) encrypts one of `values` (m is the true one),
 * binding the statement (X, ct, the values) and the context into the challenge.
 */
function proveRange(tag: string, context: string, X: Point, ct: Ct, r: bigint, m: number, values: number[]): RangeProof {
  const real = values.indexOf(m);
  if (real < 0) throw new CryptoError("value out of range");
  const out: { c: bigint; s: bigint }[] = [];
  const commits: Point[] = [];
  const w = randomScalar();
  for (let i = 0; i < values.length; i++) {
    if (i === real) {
      out.push({ c: 0n, s: 0n });
      commits.push(G.multiply(w), X.multiply(w));
    } else {
      const c = randomScalar();
      const s = randomScalar();
      const shifted = ct.b.subtract(gTimes(values[i]!));
      out.push({ c, s });
      commits.push(G.multiply(s).subtract(ct.a.multiply(c)), X.multiply(s).subtract(shifted.multiply(c)));
    }
  }
  const total = hashToScalar(tag, context, [X, ct.a, ct.b, values.join(","), ...commits]);
  const cReal = mod(total - out.reduce((sum, p) => sum + p.c, 0n));
  out[real] = { c: cReal, s: mod(w + cReal * r) };
  return out.map((p) => ({ c: scalarHex(p.c), s: scalarHex(p.s) }));
}

function verifyRange(tag: string, context: string, X: Point, ct: Ct, values: number[], proof: RangeProof): boolean {
  if (!Array.isArray(proof) || proof.length !== values.length) return false;
  const commits: Point[] = [];
  let sum = 0n;
  for (let i = 0; i < values.length; i++) {
    const c = scalarFrom(proof[i]!.c);
    const s = scalarFrom(proof[i]!.s);
    sum += c;
    const shifted = ct.b.subtract(gTimes(values[i]!));
    commits.push(sPminusCQ(G, s, ct.a, c), sPminusCQ(X, s, shifted, c));
  }
  return mod(sum) === hashToScalar(tag, context, [X, ct.a, ct.b, values.join(","), ...commits]);
}

/**
 * How a ballot is laid out: one 0/1 ciphertext per option, plus for approval
 * a "blank" ciphertext (1 for an empty ballot), so abstentions can be counted
 * from sums alone; and what the weighted sum may be.
 */
export function ballotLayout(shape: BallotShape) {
  const approval = shape.method === "approval";
  const k = Math.max(1, Math.min(shape.maxChoices, shape.optionCount));
  return {
    slots: shape.optionCount + (approval ? 1 : 0),
    // Σ options + k·blank ∈ [1, k]: a blank ballot has no choice; otherwise 1..k choices.
    weight: (slot: number) => (approval && slot === shape.optionCount ? k : 1),
    sumValues: approval ? Array.from({ length: k }, (_, i) => i + 1) : [1],
  };
}

/** The ballot's slots as 0/1 from the chosen option indices (validated by the caller). */
export function ballotVector(shape: BallotShape, choices: number[]): number[] {
  const { slots } = ballotLayout(shape);
  const v = new Array<number>(slots).fill(0);
  for (const c of choices) v[c] = 1;
  if (shape.method === "approval" && choices.length === 0) v[shape.optionCount] = 1;
  return v;
}

function weightedSum(cts: Ct[], weight: (slot: number) => number): Ct {
  return cts.reduce<Ct>(
    (acc, ct, i) => {
      const w = BigInt(weight(i));
      return { a: acc.a.add(w === 1n ? ct.a : ct.a.multiply(w)), b: acc.b.add(w === 1n ? ct.b : ct.b.multiply(w)) };
    },
    { a: Point.ZERO, b: Point.ZERO },
  );
}

/** Encrypt and prove a ballot in the voter's browser (or, without scripts, on the server at once). */
export function encryptBallot(voteId: number, electionKey: Hex, shape: BallotShape, choices: number[]): Ballot {
  const X = keyFrom(electionKey);
  const context = voteContext(voteId);
  const layout = ballotLayout(shape);
  const vector = ballotVector(shape, choices);
  const rs = vector.map(() => randomScalar());
  const cts = vector.map((m, i) => encryptWith(X, m, rs[i]!));
  const proofs = cts.map((ct, i) => proveRange(`${TAG.bit}/${i}`, context, X, ct, rs[i]!, vector[i]!, [0, 1]));
  const total = weightedSum(cts, layout.weight);
  const rTotal = mod(rs.reduce((s, r, i) => s + r * BigInt(layout.weight(i)), 0n));
  const mTotal = vector.reduce((s, m, i) => s + m * layout.weight(i), 0);
  const sumProof = proveRange(TAG.sum, context, X, total, rTotal, mTotal, layout.sumValues);
  return { ciphertexts: cts.map(ctHex), proofs, sumProof };
}

/** Check a ballot's form and every proof. False for anything malformed (never throws). */
export function verifyBallot(voteId: number, electionKey: Hex, shape: BallotShape, ballot: Ballot): boolean {
  try {
    const layout = ballotLayout(shape);
    if (!ballot || !Array.isArray(ballot.ciphertexts) || ballot.ciphertexts.length !== layout.slots) return false;
    if (!Array.isArray(ballot.proofs) || ballot.proofs.length !== layout.slots) return false;
    const X = keyFrom(electionKey);
    const context = voteContext(voteId);
    const cts = ballot.ciphertexts.map(ctFrom);
    for (let i = 0; i < cts.length; i++) if (!verifyRange(`${TAG.bit}/${i}`, context, X, cts[i]!, [0, 1], ballot.proofs[i]!)) return false;
    return verifyRange(TAG.sum, context, X, weightedSum(cts, layout.weight), layout.sumValues, ballot.sumProof);
  } catch {
    return false;
  }
}

/** The ballot in one canonical text (fixed key order, lower-case hex): what its receipt hashes. */
export function canonicalBallot(ballot: Ballot): string {
  return JSON.stringify({
    ciphertexts: ballot.ciphertexts.map((c) => ({ a: c.a, b: c.b })),
    proofs: ballot.proofs.map((p) => p.map((x) => ({ c: x.c, s: x.s }))),
    sumProof: ballot.sumProof.map((x) => ({ c: x.c, s: x.s })),
  });
}
/** The receipt: SHA-256 of the canonical ballot, in hex. */
export const ballotReceipt = (ballot: Ballot): Hex => bytesToHex(sha256(utf8ToBytes(canonicalBallot(ballot))));

/** Homomorphic sums per slot over accepted ballots (anyone can recompute them from the board). */
export function sumBallots(slots: number, ballots: Ballot[]): Ciphertext[] {
  const acc = Array.from({ length: slots }, () => ({ a: Point.ZERO, b: Point.ZERO }));
  for (const b of ballots)
    b.ciphertexts.forEach((c, i) => {
      const ct = ctFrom(c);
      acc[i] = { a: acc[i]!.a.add(ct.a), b: acc[i]!.b.add(ct.b) };
    });
  return acc.map(ctHex);
}

// ---- the split key (Feldman VSS, no dealer) -----------------------------------

export interface Dealing {
  coefficients: bigint[];
  commitments: Hex[];
}
/** A teller's random polynomial of degree t−1 and its public Feldman commitments. */
export function makeDealing(t: number): Dealing {
  const coefficients = Array.from({ length: t }, () => randomScalar());
  return { coefficients, commitments: coefficients.map((a) => pointHex(G.multiply(a))) };
}
/** f(j) for the polynomial with these coefficients. */
export function evalPolynomial(coefficients: bigint[], j: number): bigint {
  let y = 0n;
  for (let k = coefficients.length - 1; k >= 0; k--) y = mod(y * BigInt(j) + coefficients[k]!);
  return y;
}
/** Σ_k j^k·C_k: what f(j)·G must equal. */
export function commitmentAt(commitments: Hex[], j: number): Point {
  let acc = Point.ZERO;
  let power = 1n;
  for (const c of commitments) {
    acc = acc.add(pointFrom(c).multiplyUnsafe(power));
    power = mod(power * BigInt(j));
  }
  return acc;
}
/** Whether a received share matches its dealer's commitments. */
export const shareMatches = (share: bigint, commitments: Hex[], j: number) => G.multiply(mod(share)).equals(commitmentAt(commitments, j));

/** The election key X = Σ_i C_{i,0}. */
export const electionKeyOf = (allCommitments: Hex[][]): Hex =>
  pointHex(allCommitments.reduce((acc, cs) => acc.add(pointFrom(cs[0]!)), Point.ZERO));
/** Teller j's verification key X_j = Σ_i Σ_k j^k·C_{i,k}. */
export const verificationKeyOf = (allCommitments: Hex[][], j: number): Hex =>
  pointHex(allCommitments.reduce((acc, cs) => acc.add(commitmentAt(cs, j)), Point.ZERO));

export const publicKeyOf = (secret: bigint): Hex => pointHex(G.multiply(secret));

// ---- ECIES share transport and the passphrase vault (WebCrypto AES-GCM) -------

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new CryptoError("WebCrypto is unavailable (the page must be served over https)");
  return s;
}
export async function aesGcm(mode: "encrypt" | "decrypt", key: Uint8Array, iv: Uint8Array, data: Uint8Array, aad: Uint8Array) {
  const k = await subtle().importKey("raw", key as BufferSource, "AES-GCM", false, [mode]);
  const params = { name: "AES-GCM", iv: iv as BufferSource, additionalData: aad as BufferSource };
  return new Uint8Array(
    mode === "encrypt" ? await subtle().encrypt(params, k, data as BufferSource) : await subtle().decrypt(params, k, data as BufferSource),
  );
}

export interface Sealed {
  R: Hex;
  iv: Hex;
  data: Hex;
}
/** Encrypt a share from dealer i to teller j under j's transport key (ECIES: ephemeral key, shared point → HKDF → AES-GCM). */
export async function sealShare(context: string, transportKey: Hex, from: number, to: number, share: bigint): Promise<Sealed> {
  const e = randomScalar();
  const R = G.multiply(e);
  const shared = pointFrom(transportKey).multiply(e);
  const info = encode([TAG.transport, context, from, to, R]);
  const key = hkdf(sha256, shared.toBytes(), undefined, info, 32);
  const iv = randomBytes(12);
  const data = await aesGcm("encrypt", key, iv, hexToBytes(scalarHex(share)), info);
  return { R: pointHex(R), iv: bytesToHex(iv), data: bytesToHex(data) };
}
export async function openShare(context: string, transportSecret: bigint, from: number, to: number, sealed: Sealed): Promise<bigint> {
  const R = pointFrom(sealed.R);
  const info = encode([TAG.transport, context, from, to, R]);
  const key = hkdf(sha256, R.multiply(transportSecret).toBytes(), undefined, info, 32);
  try {
    return scalarFrom(bytesToHex(await aesGcm("decrypt", key, hexToBytes(sealed.iv), hexToBytes(sealed.data), info)));
  } catch {
    throw new CryptoError("share does not open");
  }
}

export interface Vault {
  kdf: "scrypt";
  N: number;
  r: number;
  p: number;
  salt: Hex;
  iv: Hex;
  data: Hex;
}
/** scrypt's strong default (2^17, 8, 1: 128 MB, about a second on a phone); tests pass a cheaper one. */
export const VAULT_COST = { N: 2 ** 17, r: 8, p: 1 };

/** Lock a teller's secrets under their passphrase: only this blob may reach the server. */
export async function lockVault(context: string, passphrase: string, secrets: object, cost = VAULT_COST): Promise<Vault> {
  const salt = randomBytes(16);
  const key = await scryptAsync(passphrase.normalize("NFKC"), salt, { ...cost, dkLen: 32 });
  const iv = randomBytes(12);
  const data = await aesGcm("encrypt", key, iv, utf8ToBytes(JSON.stringify(secrets)), utf8ToBytes(`${TAG.vault}|${context}`));
  return { kdf: "scrypt", ...cost, salt: bytesToHex(salt), iv: bytesToHex(iv), data: bytesToHex(data) };
}
/** Open a vault; throws CryptoError("wrong passphrase") when the passphrase is not the one it was locked with. */
export async function openVault<T>(context: string, passphrase: string, vault: Vault): Promise<T> {
  if (vault.N > 2 ** 20 || vault.r > 16 || vault.p > 4) throw new CryptoError("vault too costly");
  const key = await scryptAsync(passphrase.normalize("NFKC"), hexToBytes(vault.salt), { N: vault.N, r: vault.r, p: vault.p, dkLen: 32 });
  try {
    const plain = await aesGcm("decrypt", key, hexToBytes(vault.iv), hexToBytes(vault.data), utf8ToBytes(`${TAG.vault}|${context}`));
    return JSON.parse(new TextDecoder().decode(plain)) as T;
  } catch {
    throw new CryptoError("wrong passphrase");
  }
}

// ---- partial decryptions and the result ----------------------------------------

export interface Partial {
  /** D = x_j·A for each summed slot. */
  shares: Hex[];
  /** Chaum–Pedersen: log_G X_j = log_A D, per slot. */
  proofs: { c: Hex; s: Hex }[];
}

export function partialDecrypt(scope: Scope, secret: bigint, sums: Ciphertext[]): Partial {
  const context = contextOf(scope);
  const Xj = G.multiply(secret);
  const shares: Hex[] = [];
  const proofs: { c: Hex; s: Hex }[] = [];
  sums.forEach((sum, o) => {
    const A = pointFrom(sum.a);
    const D = A.multiply(secret);
    const w = randomScalar();
    const c = hashToScalar(TAG.partial, context, [o, Xj, A, D, G.multiply(w), A.multiply(w)]);
    shares.push(pointHex(D));
    proofs.push({ c: scalarHex(c), s: scalarHex(w + c * secret) });
  });
  return { shares, proofs };
}

export function verifyPartial(scope: Scope, verificationKey: Hex, sums: Ciphertext[], partial: Partial): boolean {
  try {
    if (!partial || partial.shares?.length !== sums.length || partial.proofs?.length !== sums.length) return false;
    const context = contextOf(scope);
    const Xj = keyFrom(verificationKey);
    return sums.every((sum, o) => {
      const A = pointFrom(sum.a);
      const D = pointFrom(partial.shares[o]!);
      const c = scalarFrom(partial.proofs[o]!.c);
      const s = scalarFrom(partial.proofs[o]!.s);
      return c === hashToScalar(TAG.partial, context, [o, Xj, A, D, sPminusCQ(G, s, Xj, c), sPminusCQ(A, s, D, c)]);
    });
  } catch {
    return false;
  }
}

/** Lagrange coefficient at 0 for teller j among the set that came. */
export function lagrange(j: number, set: number[]): bigint {
  let num = 1n;
  let den = 1n;
  for (const m of set) {
    if (m === j) continue;
    num = mod(num * BigInt(m));
    den = mod(den * BigInt(m - j));
  }
  return mod(num * Point.Fn.inv(den));
}

/**
 * Combine t partial decryptions (already verified) into the counts: M_o = B_o − Σ λ_j·D_{j,o} = m_o·G,
 * and m_o ∈ [0, max] by baby-step giant-step. Throws if a sum is out of range (it cannot be, with valid proofs).
 */
export function combine(sums: Ciphertext[], partials: { index: number; partial: Partial }[], max: number): number[] {
  const set = partials.map((p) => p.index);
  const lambdas = set.map((j) => lagrange(j, set));
  return sums.map((sum, o) => {
    let M = pointFrom(sum.b);
    partials.forEach((p, k) => (M = M.subtract(pointFrom(p.partial.shares[o]!).multiply(lambdas[k]!))));
    return discreteLog(M, max);
  });
}

/** m with m·G = M, 0 ≤ m ≤ max (baby-step giant-step: about 2√max additions). */
export function discreteLog(M: Point, max: number): number {
  const step = Math.max(1, Math.ceil(Math.sqrt(max + 1)));
  const baby = new Map<string, number>();
  let P = Point.ZERO;
  for (let j = 0; j < step; j++) {
    baby.set(pointHex(P), j);
    P = P.add(G);
  }
  const giant = P.negate(); // −step·G
  let Y = M;
  for (let i = 0; i <= step; i++) {
    const j = baby.get(pointHex(Y));
    if (j !== undefined && i * step + j <= max) return i * step + j;
    Y = Y.add(giant);
  }
  throw new CryptoError("sum out of range");
}
