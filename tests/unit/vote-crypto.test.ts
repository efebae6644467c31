import { execFile } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { shapeOf, tallyFromSums, verifyBoard, type Board } from "~/modules/votes/board";
import {
  ballotReceipt,
  combine,
  electionKeyOf,
  encryptBallot,
  lockVault,
  openVault,
  partialDecrypt,
  pointHex,
  Point,
  randomScalar,
  scalarHex,
  sumBallots,
  verificationKeyOf,
  verifyBallot,
  verifyPartial,
  type BallotShape,
} from "~/modules/votes/crypto";
import { decide } from "~/modules/votes/rules";
import { verifyBoardOnAllCores } from "~/modules/votes/verify-parallel";
import { Complaint, tellerConfirm, tellerDeal, tellerStart, tellerUnlock } from "~/modules/votes/tellers";
import { choicesOf, optionsAnd } from "../support/ballot-arbitraries";

const CHEAP = { N: 2 ** 10, r: 8, p: 1 }; // the vault's real cost (2^17) would only slow the tests down
const yesNo: BallotShape = { method: "yes_no", optionCount: 3, maxChoices: 1 };

/** A full 2-of-3 ceremony as three browsers would run it, the test playing the relaying server. */
async function ceremony(voteId: number, n = 3, t = 2) {
  const pass = (i: number) => `teller ${i} passphrase`;
  const started = await Promise.all(Array.from({ length: n }, (_, k) => tellerStart(voteId, t, pass(k + 1), CHEAP)));
  const peers = started.map((s, k) => ({ index: k + 1, transportKey: s.transportKey }));
  const dealt = await Promise.all(started.map((s, k) => tellerDeal(voteId, k + 1, pass(k + 1), s.setupVault, peers)));
  const commitments = started.map((s, k) => ({ index: k + 1, commitments: s.commitments }));
  const confirmed = await Promise.all(
    started.map((s, k) =>
      tellerConfirm(voteId, k + 1, pass(k + 1), s.setupVault, dealt.map((d, i) => ({ from: i + 1, sealed: d.find((x) => x.to === k + 1)!.sealed })), commitments, CHEAP),
    ),
  );
  const all = started.map((s) => s.commitments);
  return { pass, started, dealt, commitments, confirmed, electionKey: electionKeyOf(all), t };
}

describe("the key ceremony (Feldman VSS, no dealer)", () => {
  it("gives each teller a share whose public half matches the commitments, and any 2 of 3 decrypt", async () => {
    const c = await ceremony(41);
    const all = c.started.map((s) => s.commitments);
    c.confirmed.forEach((x, k) => expect(x.verificationKey).toBe(verificationKeyOf(all, k + 1)));
    const ballots = [[0], [1], [0], [2], [0]].map((ch) => encryptBallot(41, c.electionKey, yesNo, ch));
    const sums = sumBallots(3, ballots);
    const partials = await Promise.all(c.confirmed.map((x, k) => tellerUnlock(41, c.pass(k + 1), x.shareVault, sums)));
    for (const pair of [[1, 2], [1, 3], [2, 3]] as const) {
      const chosen = pair.map((i) => ({ index: i, partial: partials[i - 1]! }));
      expect(combine(sums, chosen, ballots.length)).toEqual([3, 1, 1]);
    }
    // One teller alone gets nothing meaningful.
    expect(() => combine(sums, [{ index: 1, partial: partials[0]! }], ballots.length)).toThrow();
  }, 60_000);

  it("refuses a wrong passphrase and a share that does not match its dealer's commitments", async () => {
    const c = await ceremony(42);
    await expect(tellerUnlock(42, "not it", c.confirmed[0]!.shareVault, sumBallots(3, []))).rejects.toThrow("wrong passphrase");
    const forged = await tellerStart(42, 2, "mallory", CHEAP);
    const commitments = c.commitments.map((x) => (x.index === 2 ? { index: 2, commitments: forged.commitments } : x));
    await expect(
      tellerConfirm(42, 1, c.pass(1), c.started[0]!.setupVault, c.dealt.map((d, i) => ({ from: i + 1, sealed: d.find((x) => x.to === 1)!.sealed })), commitments, CHEAP),
    ).rejects.toBeInstanceOf(Complaint);
  }, 60_000);

  it("keeps the vault's contents under its passphrase", async () => {
    // A plain text that no hex field can contain by chance (the old "ab" matched random hex about one run in a hundred).
    const secret = { share: "the teller's share" };
    const v = await lockVault("vote:1", "correct horse", secret, CHEAP);
    expect(JSON.stringify(v)).not.toContain("share");
    expect(await openVault("vote:1", "correct horse", v)).toEqual(secret);
    await expect(openVault("vote:2", "correct horse", v)).rejects.toThrow();
  });
});

describe("ballots", () => {
  const x = randomScalar();
  const X = pointHex(Point.BASE.multiply(x));
  const decrypt = (voteId: number, shape: BallotShape, choices: number[][]) => {
    const ballots = choices.map((ch) => encryptBallot(voteId, X, shape, ch));
    for (const b of ballots) expect(verifyBallot(voteId, X, shape, b)).toBe(true);
    const sums = sumBallots(ballots[0]?.ciphertexts.length ?? shape.optionCount, ballots);
    const p = partialDecrypt(voteId, x, sums);
    expect(verifyPartial(voteId, X, sums, p)).toBe(true);
    return combine(sums, [{ index: 1, partial: p }], ballots.length);
  };

  it("property: the decrypted sums are the plain sums, for every method", { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(
        optionsAnd((options) => ({ approval: fc.array(choicesOf(options), { minLength: 1, maxLength: 5 }) })),
        ({ options, k, approval }) => {
          const single = approval.map((a) => [a[0] ?? 0]);
          const shapeSingle: BallotShape = { method: "single", optionCount: options, maxChoices: 1 };
          const plainSingle = Array.from({ length: options }, (_, o) => single.filter((b) => b[0] === o).length);
          expect(decrypt(9, shapeSingle, single)).toEqual(plainSingle);
          const chosen = approval.map((a) => a.slice(0, k));
          const shapeApproval: BallotShape = { method: "approval", optionCount: options, maxChoices: k };
          const plain = [...Array.from({ length: options }, (_, o) => chosen.filter((b) => b.includes(o)).length), chosen.filter((b) => b.length === 0).length];
          expect(decrypt(9, shapeApproval, chosen)).toEqual(plain);
        },
      ),
      { numRuns: 12 },
    );
  });

  it("refuses a ballot whose proofs do not hold: two choices, a forged proof, another vote's ballot, garbage", () => {
    const ok = encryptBallot(5, X, yesNo, [1]);
    expect(verifyBallot(5, X, yesNo, ok)).toBe(true);
    expect(verifyBallot(6, X, yesNo, ok)).toBe(false); // replayed into another vote
    // A ballot for "yes" twice: each slot 0/1 is provable, the sum is not 1. Build it from two honest halves.
    const a = encryptBallot(5, X, yesNo, [0]);
    const b = encryptBallot(5, X, yesNo, [1]);
    const doubled = { ciphertexts: [a.ciphertexts[0]!, b.ciphertexts[1]!, a.ciphertexts[2]!], proofs: [a.proofs[0]!, b.proofs[1]!, a.proofs[2]!], sumProof: a.sumProof };
    expect(verifyBallot(5, X, yesNo, doubled)).toBe(false);
    // A forged proof: a response changed by one.
    const forged = structuredClone(ok);
    forged.proofs[0]![1]!.s = scalarHex(BigInt("0x" + forged.proofs[0]![1]!.s) + 1n);
    expect(verifyBallot(5, X, yesNo, forged)).toBe(false);
    // An encryption of 2 in one slot, with the proof of another ballot.
    const two = structuredClone(ok);
    two.ciphertexts[0]!.b = pointHex(Point.fromHex(two.ciphertexts[0]!.b).add(Point.BASE.multiply(2n)));
    expect(verifyBallot(5, X, yesNo, two)).toBe(false);
    expect(verifyBallot(5, X, yesNo, { ciphertexts: [], proofs: [], sumProof: [] })).toBe(false);
    expect(verifyBallot(5, X, yesNo, JSON.parse('{"ciphertexts":[{"a":"zz","b":1}]}'))).toBe(false);
  });

  it("an approval ballot can be blank, and not over k", () => {
    const shape: BallotShape = { method: "approval", optionCount: 4, maxChoices: 2 };
    expect(decrypt(3, shape, [[], [0, 3], [1]])).toEqual([1, 1, 0, 1, 1]);
    expect(() => encryptBallot(3, X, shape, [0, 1, 2])).toThrow();
  });

  it("refuses a partial decryption that was altered", () => {
    const sums = sumBallots(3, [encryptBallot(5, X, yesNo, [0])]);
    const p = partialDecrypt(5, x, sums);
    const altered = structuredClone(p);
    altered.shares[0] = pointHex(Point.fromHex(p.shares[0]!).add(Point.BASE));
    expect(verifyPartial(5, X, sums, altered)).toBe(false);
    expect(verifyPartial(5, pointHex(Point.BASE), sums, p)).toBe(false);
  });
});

describe("the bulletin board verifier", () => {
  async function board(): Promise<Board> {
    const c = await ceremony(77);
    const choices = [[0], [0], [1], [2], [0], [1], [0]];
    const ballots = choices.map((ch) => encryptBallot(77, c.electionKey, yesNo, ch)).map((ballot) => ({ receipt: ballotReceipt(ballot), ballot }));
    const sums = sumBallots(3, ballots.map((b) => b.ballot));
    const partials = await Promise.all([1, 3].map(async (i) => ({ index: i, partial: await tellerUnlock(77, c.pass(i), c.confirmed[i - 1]!.shareVault, sums) })));
    const rule = { threshold: "simple_majority" as const, quorumPercent: 20, abstentionsCountForQuorum: true };
    const base = { method: "yes_no" as const, options: ["yes", "no", "abstain"], maxChoices: 1 };
    const counts = combine(sums, partials, ballots.length);
    return {
      format: "gongzhi-board/v1",
      voteId: 77,
      question: "是否同意？",
      ...base,
      electorateSize: 10,
      rule,
      state: "closed",
      threshold: 2,
      electionKey: c.electionKey,
      tellers: c.started.map((s, k) => ({ index: k + 1, name: `t${k + 1}`, commitments: s.commitments, verificationKey: c.confirmed[k]!.verificationKey })),
      ballots,
      sums,
      partials,
      result: decide({ ...rule, ...base }, tallyFromSums(shapeOf(base), counts, ballots.length), 10),
      notTallied: null,
    };
  }

  it("recomputes the result, and catches one altered ciphertext, proof, partial decryption or result", async () => {
    const b = await board();
    const good = verifyBoard(b);
    expect(good.problems).toEqual([]);
    expect(good.result?.counts).toEqual([4, 2, 1]);
    expect(good.result?.outcome).toBe("passed");

    const ct = structuredClone(b);
    ct.ballots[3]!.ballot.ciphertexts[1]!.a = ct.ballots[2]!.ballot.ciphertexts[1]!.a;
    expect(verifyBoard(ct).ok).toBe(false);

    const proof = structuredClone(b);
    proof.ballots[0]!.ballot.sumProof[0]!.c = proof.ballots[1]!.ballot.sumProof[0]!.c;
    expect(verifyBoard(proof).ok).toBe(false);

    const partial = structuredClone(b);
    partial.partials[1]!.partial.shares[0] = partial.partials[0]!.partial.shares[0]!;
    expect(verifyBoard(partial).ok).toBe(false);

    const result = structuredClone(b);
    result.result!.counts = [2, 4, 1];
    expect(verifyBoard(result).ok).toBe(false);

    const dropped = structuredClone(b);
    dropped.ballots.pop();
    expect(verifyBoard(dropped).ok).toBe(false); // the sums no longer match
  }, 60_000);

  it("on every core (libsodium, batches, sums in the workers) gives verifyBoard's very answer on good, altered and malformed boards", async () => {
    const b = await board();
    const boards: Board[] = [b];
    const edit = (f: (x: Board) => void) => {
      const x = structuredClone(b);
      f(x);
      boards.push(x);
    };
    edit((x) => (x.ballots[3]!.ballot.ciphertexts[1]!.a = x.ballots[2]!.ballot.ciphertexts[1]!.a));
    edit((x) => (x.ballots[0]!.ballot.sumProof[0]!.c = x.ballots[1]!.ballot.sumProof[0]!.c));
    edit((x) => (x.ballots[5]!.ballot.ciphertexts[0]!.b = "zz"));
    edit((x) => (x.ballots[6]!.ballot.ciphertexts[2]!.a = "0".repeat(64)));
    edit((x) => x.ballots.pop());
    edit((x) => x.ballots.push(x.ballots[0]!));
    edit((x) => (x.sums![1]!.b = x.sums![0]!.b));
    edit((x) => (x.partials[1]!.partial.shares[0] = x.partials[0]!.partial.shares[0]!));
    edit((x) => (x.ballots = []));
    for (const x of boards) {
      const parallel = await verifyBoardOnAllCores(structuredClone(x), 2);
      expect(parallel).toEqual(verifyBoard(structuredClone(x)));
    }
    expect(boards.map((x) => verifyBoard(x).ok)).toEqual([true, ...Array(boards.length - 1).fill(false)]);
  }, 120_000);

  it("npm run verify-vote checks a board file with no server: 0 when it holds, 1 with the altered ciphertext named", async () => {
    const b = await board();
    const dir = await mkdtemp(join(tmpdir(), "board-"));
    await writeFile(join(dir, "good.json"), JSON.stringify(b));
    const bad = structuredClone(b);
    bad.ballots[4]!.ballot.ciphertexts[2]!.b = bad.ballots[5]!.ballot.ciphertexts[2]!.b;
    await writeFile(join(dir, "bad.json"), JSON.stringify(bad));
    const run = (file: string) =>
      promisify(execFile)(process.execPath, ["--import", "tsx", "scripts/verify-vote.ts", join(dir, file)]).then(
        (r) => ({ code: 0, out: r.stdout }),
        (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout + e.stderr }),
      );
    const good = await run("good.json");
    expect(good, good.out).toMatchObject({ code: 0 });
    expect(good.out).toContain("counts 4 / 2 / 1");
    const caught = await run("bad.json");
    expect(caught.out).toContain("FAILED");
    expect(caught.code).toBe(1);
    expect(caught.out).toContain(`ballot ${bad.ballots[4]!.receipt}:`);
    expect(caught.out).toContain("FAILED");
  }, 60_000);
});
