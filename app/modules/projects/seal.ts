import { hkdf } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex, hexToBytes, randomBytes, utf8ToBytes } from "@noble/hashes/utils.js";
import type { SealedBid } from "#db/schema/projects";
import { MAX_PHOTO_BYTES } from "~/lib/uploads";
import {
  aesGcm,
  CryptoError,
  encode,
  hashToScalar,
  lagrange,
  Point,
  pointFrom,
  pointHex,
  projectContext,
  randomScalar,
  scalarFrom,
  scalarHex,
  type Hex,
  type Partial,
} from "~/modules/votes/crypto";

/**
 * Sealed bids: threshold ECIES under the opening committee's split key
 * (shared/crypto.md §5, ADR 0042). Pure and isomorphic: the bidder's browser
 * seals with it, the committee members' browsers make their partial openings
 * with it, and the server checks and, with t valid partials, opens.
 *
 *   seal:  e random, R = e·G, K = HKDF(e·X), AES-GCM(K) over the contents and
 *          each attachment (one ephemeral key per submission);
 *   open:  member j publishes D_j = x_j·R with a Chaum–Pedersen proof that
 *          log_G X_j = log_R D_j (strong Fiat–Shamir: the statement and the
 *          call are hashed with the commitments); Σ λ_j·D_j = x·R = e·X → K.
 *
 * The organisation's id is bound into the key derivation and every AES-GCM
 * tag, so a sealed bid copied to another organisation does not open. All
 * group and hash arithmetic is @noble's (through votes/crypto.ts).
 */
const G = Point.BASE;

export const TAG = {
  open: "gongzhi/bid-open/v1",
  seal: "gongzhi/bid-seal/v1",
};

/** Limits, shared by the form (hints and checks before sealing) and the server (checks of the sealed sizes). */
export const MAX_BID_BYTES = 32 * 1024;
export const MAX_BID_FILES = 4;
/** An attachment as large as a photo, less what sealing adds (the upload of a sealed file is held to the photos' limit). */
export const MAX_BID_FILE_BYTES = MAX_PHOTO_BYTES - 64;
/** AES-GCM adds a 16-byte tag; a sealed file also carries its 12-byte iv in front. */
export const GCM_TAG_BYTES = 16;
export const FILE_IV_BYTES = 12;
export const sealedFileBytes = (plain: number) => FILE_IV_BYTES + plain + GCM_TAG_BYTES;
/** The attachments' limit as people read it, in whole megabytes. */
export const MAX_BID_FILE_MB = Math.round(MAX_BID_FILE_BYTES / (1024 * 1024));

// ---- base64 (isomorphic, no Buffer) --------------------------------------------

export function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}
export function fromBase64(text: string): Uint8Array {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) throw new CryptoError("bad base64");
  const s = atob(text);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

// ---- sealing --------------------------------------------------------------------

const keyInfo = (projectId: number, organizationId: number, R: Point) => encode([TAG.seal, projectContext(projectId), organizationId, R]);
const contentsAad = (projectId: number, organizationId: number, R: Point) => encode([TAG.seal, projectContext(projectId), organizationId, R, "contents"]);
const fileAad = (projectId: number, organizationId: number, R: Point, ordinal: number) =>
  encode([TAG.seal, projectContext(projectId), organizationId, R, "file", ordinal]);

/** K = HKDF-SHA-256(e·X), bound to the call, the organisation and R. */
const bidKey = (projectId: number, organizationId: number, R: Point, shared: Point) => hkdf(sha256, shared.toBytes(), undefined, keyInfo(projectId, organizationId, R), 32);

/** The hex SHA-256 of some bytes. */
export const sha256Hex = (bytes: Uint8Array): Hex => bytesToHex(sha256(bytes));

/** The sealed bid in one canonical text (fixed key order), with the SHA-256 of each sealed attachment, in order. */
export function canonicalSealed(sealed: SealedBid, fileDigests: Hex[] = []): string {
  return JSON.stringify({ R: sealed.R, iv: sealed.iv, data: sealed.data, files: fileDigests });
}
/** The receipt: SHA-256 of the canonical sealed bid (attachments included), in hex. What the bidder keeps. */
export const receiptOf = (sealed: SealedBid, fileDigests: Hex[] = []): Hex => sha256Hex(utf8ToBytes(canonicalSealed(sealed, fileDigests)));

export interface SealedSubmission {
  sealed: SealedBid;
  /** Each attachment sealed: its 12-byte iv, then the AES-GCM ciphertext and tag. */
  files: Uint8Array[];
  /** SHA-256 of each sealed file (what the server checks the uploads against). */
  fileDigests: Hex[];
  receipt: Hex;
}

/**
 * Seal a bid in the bidder's browser: the contents (bytes, the canonical JSON
 * of the form) and its attachments under one ephemeral key. Nothing but the
 * result leaves the browser; e is dropped at once.
 */
export async function sealBid(
  projectId: number,
  organizationId: number,
  openingKey: Hex,
  contents: Uint8Array,
  attachments: Uint8Array[] = [],
): Promise<SealedSubmission> {
  const X = pointFrom(openingKey);
  const e = randomScalar();
  const R = G.multiply(e);
  const key = bidKey(projectId, organizationId, R, X.multiply(e));
  const iv = randomBytes(12);
  const data = await aesGcm("encrypt", key, iv, contents, contentsAad(projectId, organizationId, R));
  const sealed: SealedBid = { R: pointHex(R), iv: bytesToHex(iv), data: toBase64(data) };
  const files: Uint8Array[] = [];
  for (let k = 0; k < attachments.length; k++) {
    const fileIv = randomBytes(FILE_IV_BYTES);
    const body = await aesGcm("encrypt", key, fileIv, attachments[k]!, fileAad(projectId, organizationId, R, k));
    const out = new Uint8Array(FILE_IV_BYTES + body.length);
    out.set(fileIv, 0);
    out.set(body, FILE_IV_BYTES);
    files.push(out);
  }
  const fileDigests = files.map(sha256Hex);
  return { sealed, files, fileDigests, receipt: receiptOf(sealed, fileDigests) };
}

/**
 * Whether a sealed bid is well formed (the server's only check of it: it
 * cannot read it): R a valid point, a 12-byte iv, base64 data of a plausible
 * size. Never throws.
 */
export function isWellFormedSealed(sealed: unknown): sealed is SealedBid {
  if (!sealed || typeof sealed !== "object") return false;
  const s = sealed as Record<string, unknown>;
  if (Object.keys(s).sort().join(",") !== "R,data,iv") return false;
  if (typeof s.R !== "string" || typeof s.iv !== "string" || typeof s.data !== "string") return false;
  if (!/^[0-9a-f]{24}$/.test(s.iv)) return false;
  if (s.data.length > Math.ceil(((MAX_BID_BYTES + GCM_TAG_BYTES) * 4) / 3) + 4) return false;
  try {
    const R = pointFrom(s.R);
    if (R.equals(Point.ZERO)) return false;
    const data = fromBase64(s.data);
    return data.length > GCM_TAG_BYTES;
  } catch {
    return false;
  }
}

// ---- the opening ----------------------------------------------------------------

/** The statement a partial opening proves, hashed with its commitments: the call, the bid, X_j, R, D. */
const challenge = (projectId: number, bidId: number, Xj: Point, R: Point, D: Point, a: Point, b: Point) =>
  hashToScalar(TAG.open, projectContext(projectId), [bidId, Xj, R, D, a, b]);

/**
 * A committee member's partial opening of one bid: D = x_j·R, with a
 * Chaum–Pedersen proof that log_G X_j = log_R D. In the `Partial` shape of
 * the votes (one share, one proof), as project_openers.partials stores it.
 */
export function partialOpen(projectId: number, bidId: number, secret: bigint, R: Hex): Partial {
  const Rp = pointFrom(R);
  const Xj = G.multiply(secret);
  const D = Rp.multiply(secret);
  const w = randomScalar();
  const c = challenge(projectId, bidId, Xj, Rp, D, G.multiply(w), Rp.multiply(w));
  return { shares: [pointHex(D)], proofs: [{ c: scalarHex(c), s: scalarHex(w + c * secret) }] };
}

/** Check a partial opening against the member's verification key X_j. False for anything malformed (never throws). */
export function verifyPartialOpen(projectId: number, bidId: number, verificationKey: Hex, R: Hex, partial: Partial): boolean {
  try {
    if (!partial || partial.shares?.length !== 1 || partial.proofs?.length !== 1) return false;
    const Xj = pointFrom(verificationKey);
    const Rp = pointFrom(R);
    const D = pointFrom(partial.shares[0]!);
    const c = scalarFrom(partial.proofs[0]!.c);
    const s = scalarFrom(partial.proofs[0]!.s);
    const a = G.multiplyUnsafe(s).subtract(Xj.multiplyUnsafe(c));
    const b = Rp.multiplyUnsafe(s).subtract(D.multiplyUnsafe(c));
    return c === challenge(projectId, bidId, Xj, Rp, D, a, b);
  } catch {
    return false;
  }
}

/** e·X from t verified partials: Σ λ_j·D_j over the members that came (Lagrange at 0). */
export function combinePartials(partials: { index: number; partial: Partial }[]): Point {
  const set = partials.map((p) => p.index);
  if (new Set(set).size !== set.length) throw new CryptoError("a member counted twice");
  return partials.reduce((acc, p) => acc.add(pointFrom(p.partial.shares[0]!).multiply(lagrange(p.index, set))), Point.ZERO);
}

/** The bid's key from t verified partials; fewer (or wrong) partials give a key that opens nothing. */
export function openingKeyFor(projectId: number, organizationId: number, sealed: SealedBid, partials: { index: number; partial: Partial }[]): Uint8Array {
  return bidKey(projectId, organizationId, pointFrom(sealed.R), combinePartials(partials));
}

/** Decrypt a bid's contents with its key; throws CryptoError("bid does not open") when the key or the ciphertext is wrong. */
export async function openContents(projectId: number, organizationId: number, sealed: SealedBid, key: Uint8Array): Promise<Uint8Array> {
  try {
    return await aesGcm("decrypt", key, hexToBytes(sealed.iv), fromBase64(sealed.data), contentsAad(projectId, organizationId, pointFrom(sealed.R)));
  } catch {
    throw new CryptoError("bid does not open");
  }
}

/** Decrypt the attachment at `ordinal`; throws CryptoError("file does not open") when it was altered or swapped. */
export async function openFile(projectId: number, organizationId: number, sealed: SealedBid, key: Uint8Array, ordinal: number, file: Uint8Array): Promise<Uint8Array> {
  try {
    if (file.length < FILE_IV_BYTES + GCM_TAG_BYTES) throw new Error("short");
    return await aesGcm(
      "decrypt",
      key,
      file.subarray(0, FILE_IV_BYTES),
      file.subarray(FILE_IV_BYTES),
      fileAad(projectId, organizationId, pointFrom(sealed.R), ordinal),
    );
  } catch {
    throw new CryptoError("file does not open");
  }
}

/** Opening in one step, for tests and the verifier: t partials → the contents. */
export async function openBid(projectId: number, organizationId: number, sealed: SealedBid, partials: { index: number; partial: Partial }[]) {
  return openContents(projectId, organizationId, sealed, openingKeyFor(projectId, organizationId, sealed, partials));
}
