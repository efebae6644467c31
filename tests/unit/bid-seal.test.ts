import { describe, expect, it } from "vitest";
import type { BidContents } from "#db/schema/projects";
import { bidContentsSchema, encodeContents } from "~/modules/projects/bid-schemas";
import {
  combinePartials,
  fromBase64,
  isWellFormedSealed,
  openBid,
  openContents,
  openFile,
  openingKeyFor,
  partialOpen,
  receiptOf,
  sealBid,
  sha256Hex,
  toBase64,
  verifyPartialOpen,
} from "~/modules/projects/seal";
import { electionKeyOf, Point, pointHex, projectContext, type Partial } from "~/modules/votes/crypto";
import { tellerConfirm, tellerDeal, tellerStart, unlockShare } from "~/modules/votes/tellers";

const CHEAP = { N: 2 ** 10, r: 8, p: 1 };
const MARK = "投标标记-蓝色长颈鹿-7731";

const contents: BidContents = {
  price: 180_000,
  plan: `每周两次助餐服务，${MARK}`,
  team: "三名持证社工",
  experience: "五年社区养老服务",
  milestones: [
    { title: "启动", due: "2027-03-01", share: 30 },
    { title: "结项", due: "2027-12-01", share: 70 },
  ],
  attachments: [],
};

/** The opening committee's 2-of-3 ceremony with the context project:<id>, as three browsers would run it. */
async function committee(projectId: number, n = 3, t = 2) {
  const scope = projectContext(projectId);
  const pass = (i: number) => `opener ${i} passphrase`;
  const started = await Promise.all(Array.from({ length: n }, (_, k) => tellerStart(scope, t, pass(k + 1), CHEAP)));
  const peers = started.map((s, k) => ({ index: k + 1, transportKey: s.transportKey }));
  const dealt = await Promise.all(started.map((s, k) => tellerDeal(scope, k + 1, pass(k + 1), s.setupVault, peers)));
  const commitments = started.map((s, k) => ({ index: k + 1, commitments: s.commitments }));
  const confirmed = await Promise.all(
    started.map((s, k) =>
      tellerConfirm(scope, k + 1, pass(k + 1), s.setupVault, dealt.map((d, i) => ({ from: i + 1, sealed: d.find((x) => x.to === k + 1)!.sealed })), commitments, CHEAP),
    ),
  );
  const secrets = await Promise.all(confirmed.map((c, k) => unlockShare(scope, pass(k + 1), c.shareVault)));
  return { openingKey: electionKeyOf(started.map((s) => s.commitments)), confirmed, secrets };
}

const pdf = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x37, 0x0a, 1, 2, 3]);

describe("sealed bids (threshold ECIES, shared/crypto.md §5)", () => {
  it("seals in the browser and opens only with t partials, attachments included", async () => {
    const c = await committee(7);
    const body = { ...contents, attachments: [{ name: "plan.pdf", mime: "application/pdf" as const, bytes: pdf.length, sha256: sha256Hex(pdf) }] };
    const s = await sealBid(7, 11, c.openingKey, encodeContents(body), [pdf]);
    expect(isWellFormedSealed(s.sealed)).toBe(true);
    expect(s.receipt).toBe(receiptOf(s.sealed, s.fileDigests));
    // Nothing of the contents shows in what the server stores.
    expect(JSON.stringify(s.sealed)).not.toContain(MARK);
    expect(new TextDecoder().decode(fromBase64(s.sealed.data))).not.toContain(MARK);

    const partials = [1, 3].map((i) => ({ index: i, partial: partialOpen(7, 5, c.secrets[i - 1]!, s.sealed.R) }));
    partials.forEach((p) => expect(verifyPartialOpen(7, 5, c.confirmed[p.index - 1]!.verificationKey, s.sealed.R, p.partial)).toBe(true));
    const opened = bidContentsSchema.parse(JSON.parse(new TextDecoder().decode(await openBid(7, 11, s.sealed, partials))));
    expect(opened).toEqual(body);
    const key = openingKeyFor(7, 11, s.sealed, partials);
    expect(await openFile(7, 11, s.sealed, key, 0, s.files[0]!)).toEqual(pdf);
    // Any other pair opens it too.
    const other = [1, 2].map((i) => ({ index: i, partial: partialOpen(7, 5, c.secrets[i - 1]!, s.sealed.R) }));
    expect(await openBid(7, 11, s.sealed, other)).toEqual(encodeContents(body));
  });

  it("a single share cannot open, nor can a share of another committee", async () => {
    const c = await committee(8);
    const s = await sealBid(8, 11, c.openingKey, encodeContents(contents));
    await expect(openBid(8, 11, s.sealed, [{ index: 2, partial: partialOpen(8, 1, c.secrets[1]!, s.sealed.R) }])).rejects.toThrow("bid does not open");
    const d = await committee(9);
    const foreign = [1, 2].map((i) => ({ index: i, partial: partialOpen(8, 1, d.secrets[i - 1]!, s.sealed.R) }));
    await expect(openBid(8, 11, s.sealed, foreign)).rejects.toThrow("bid does not open");
    expect(() => combinePartials([foreign[0]!, foreign[0]!])).toThrow();
  });

  it("catches a tampered ciphertext, a copied bid and a swapped attachment", async () => {
    const c = await committee(10);
    const s = await sealBid(10, 11, c.openingKey, encodeContents(contents), [pdf, pdf]);
    const partials = [1, 2].map((i) => ({ index: i, partial: partialOpen(10, 1, c.secrets[i - 1]!, s.sealed.R) }));
    const bytes = fromBase64(s.sealed.data);
    bytes[3]! ^= 1;
    const tampered = { ...s.sealed, data: toBase64(bytes) };
    expect(receiptOf(tampered, s.fileDigests)).not.toBe(s.receipt);
    await expect(openBid(10, 11, tampered, partials)).rejects.toThrow("bid does not open");
    // The same sealed bid submitted by another organisation, or for another call, does not open.
    await expect(openBid(10, 12, s.sealed, partials)).rejects.toThrow("bid does not open");
    await expect(openBid(11, 11, s.sealed, partials)).rejects.toThrow("bid does not open");
    const key = openingKeyFor(10, 11, s.sealed, partials);
    await expect(openFile(10, 11, s.sealed, key, 0, s.files[1]!)).rejects.toThrow("file does not open");
    const altered = s.files[0]!.slice();
    altered[20]! ^= 1;
    await expect(openFile(10, 11, s.sealed, key, 0, altered)).rejects.toThrow("file does not open");
  });

  it("catches a tampered proof and a tampered partial, and binds each proof to its bid and call", async () => {
    const c = await committee(12);
    const s = await sealBid(12, 11, c.openingKey, encodeContents(contents));
    const X1 = c.confirmed[0]!.verificationKey;
    const good = partialOpen(12, 4, c.secrets[0]!, s.sealed.R);
    expect(verifyPartialOpen(12, 4, X1, s.sealed.R, good)).toBe(true);
    const badProof: Partial = { shares: good.shares, proofs: [{ c: good.proofs[0]!.c, s: good.proofs[0]!.c }] };
    expect(verifyPartialOpen(12, 4, X1, s.sealed.R, badProof)).toBe(false);
    const badShare: Partial = { shares: [pointHex(Point.BASE)], proofs: good.proofs };
    expect(verifyPartialOpen(12, 4, X1, s.sealed.R, badShare)).toBe(false);
    // A partial made with another member's key, for another bid or another call, is refused.
    expect(verifyPartialOpen(12, 4, c.confirmed[1]!.verificationKey, s.sealed.R, good)).toBe(false);
    expect(verifyPartialOpen(12, 5, X1, s.sealed.R, good)).toBe(false);
    expect(verifyPartialOpen(13, 4, X1, s.sealed.R, good)).toBe(false);
    // An honest-looking D with no knowledge of x_1 (a random point) cannot carry a valid proof; malformed input is false, never a throw.
    expect(verifyPartialOpen(12, 4, X1, s.sealed.R, { shares: ["zz"], proofs: good.proofs })).toBe(false);
    expect(verifyPartialOpen(12, 4, X1, s.sealed.R, { shares: [], proofs: [] })).toBe(false);
    // And a tampered partial that slipped through would not open the bid.
    const second = partialOpen(12, 4, c.secrets[1]!, s.sealed.R);
    await expect(openContents(12, 11, s.sealed, openingKeyFor(12, 11, s.sealed, [{ index: 1, partial: badShare }, { index: 2, partial: second }]))).rejects.toThrow();
  });

  it("refuses sealed bids that are not well formed", () => {
    const R = pointHex(Point.BASE);
    expect(isWellFormedSealed({ R, iv: "00".repeat(12), data: toBase64(new Uint8Array(40)) })).toBe(true);
    expect(isWellFormedSealed({ R: "00".repeat(32), iv: "00".repeat(12), data: toBase64(new Uint8Array(40)) })).toBe(false);
    expect(isWellFormedSealed({ R: "ff".repeat(32), iv: "00".repeat(12), data: toBase64(new Uint8Array(40)) })).toBe(false);
    expect(isWellFormedSealed({ R, iv: "00", data: toBase64(new Uint8Array(40)) })).toBe(false);
    expect(isWellFormedSealed({ R, iv: "00".repeat(12), data: "not base64!" })).toBe(false);
    expect(isWellFormedSealed({ R, iv: "00".repeat(12), data: toBase64(new Uint8Array(8)) })).toBe(false);
    expect(isWellFormedSealed({ R, iv: "00".repeat(12), data: toBase64(new Uint8Array(40)), plain: "x" })).toBe(false);
    expect(isWellFormedSealed({ R, iv: "00".repeat(12), data: toBase64(new Uint8Array(100_000)) })).toBe(false);
    expect(isWellFormedSealed(null)).toBe(false);
  });

  it("checks the contents' milestones sum to 100 and the price is a whole positive number", () => {
    expect(bidContentsSchema.safeParse(contents).success).toBe(true);
    expect(bidContentsSchema.safeParse({ ...contents, price: 0 }).success).toBe(false);
    expect(bidContentsSchema.safeParse({ ...contents, milestones: [{ title: "a", due: "2027-01-01", share: 90 }] }).success).toBe(false);
  });
});
