import type { Threshold, VoteMethod, VoteResult } from "#db/schema/votes";
import {
  ballotLayout,
  ballotReceipt,
  combine,
  electionKeyOf,
  sumBallots,
  verificationKeyOf,
  verifyBallot,
  verifyPartial,
  type Ballot,
  type BallotShape,
  type Ciphertext,
  type Hex,
  type Partial,
} from "./crypto";
import { ABSTAIN, decide, type Tally } from "./rules";

/**
 * A secret vote's public bulletin board (ADR 0016): everything needed to
 * re-check the result without the server or its database. Pure: the board
 * page, its JSON, the tally and `npm run verify-vote` all use these functions.
 */
export interface Board {
  format: "gongzhi-board/v1";
  voteId: number;
  question: string;
  method: VoteMethod;
  options: string[];
  maxChoices: number;
  electorateSize: number;
  rule: { threshold: Threshold; quorumPercent: number; abstentionsCountForQuorum: boolean };
  state: string;
  /** Partial decryptions needed (t of n). */
  threshold: number;
  electionKey: Hex | null;
  tellers: { index: number; name: string; commitments: Hex[]; verificationKey: Hex | null }[];
  ballots: { receipt: Hex; ballot: Ballot }[];
  sums: Ciphertext[] | null;
  partials: { index: number; partial: Partial }[];
  result: VoteResult | null;
  notTallied: string | null;
}

export const shapeOf = (v: { method: VoteMethod; options: string[]; maxChoices: number }): BallotShape => ({
  method: v.method,
  optionCount: v.options.length,
  maxChoices: v.maxChoices,
});

/** Decrypted slot sums → the tally `decide` takes (abstentions: the abstain option, or approval's blank slot). */
export function tallyFromSums(shape: BallotShape, slotCounts: number[], ballots: number): Tally {
  const counts = slotCounts.slice(0, shape.optionCount);
  const abstentions =
    shape.method === "yes_no" ? (counts[ABSTAIN] ?? 0) : shape.method === "approval" ? (slotCounts[shape.optionCount] ?? 0) : 0;
  return { counts, ballots, abstentions };
}

export interface Verification {
  ok: boolean;
  problems: string[];
  ballotsChecked: number;
  result: VoteResult | null;
}

/** Re-check everything on a board: keys from commitments, every ballot and receipt, the sums, every partial, the result. */
export function verifyBoard(
  board: Board,
  onProgress?: (done: number, total: number) => void,
  // The reference check by default; `npm run verify-vote` passes the faster libdecaf or libsodium one (ADR 0026), run on every core.
  checkBallot: typeof verifyBallot = verifyBallot,
  // Likewise the sums: @noble's by default, or libdecaf's or libsodium's from every core (verify-parallel.ts). Throws for malformed ciphertexts.
  sumAll: typeof sumBallots = sumBallots,
): Verification {
  const problems: string[] = [];
  const shape = shapeOf(board);
  const layout = ballotLayout(shape);
  if (board.format !== "gongzhi-board/v1") return { ok: false, problems: ["unknown board format"], ballotsChecked: 0, result: null };
  const commitments = board.tellers.map((t) => t.commitments);
  if (!board.electionKey) return { ok: problems.length === 0, problems, ballotsChecked: 0, result: null };
  try {
    if (electionKeyOf(commitments) !== board.electionKey) problems.push("the election key is not the sum of the tellers' commitments");
    for (const t of board.tellers)
      if (verificationKeyOf(commitments, t.index) !== t.verificationKey)
        problems.push(`teller ${t.index}'s verification key does not match the commitments`);
  } catch {
    problems.push("the tellers' commitments are malformed");
  }
  const seen = new Set<string>();
  board.ballots.forEach((b, k) => {
    if (!checkBallot(board.voteId, board.electionKey!, shape, b.ballot)) problems.push(`ballot ${b.receipt}: a proof does not hold`);
    else if (ballotReceipt(b.ballot) !== b.receipt) problems.push(`ballot ${b.receipt}: the receipt is not the ballot's hash`);
    if (seen.has(b.receipt)) problems.push(`ballot ${b.receipt}: listed twice`);
    seen.add(b.receipt);
    if (onProgress && k % 100 === 99) onProgress(k + 1, board.ballots.length);
  });
  if (!board.sums) return { ok: problems.length === 0, problems, ballotsChecked: board.ballots.length, result: null };
  let sums: Ciphertext[];
  try {
    sums = sumAll(
      layout.slots,
      board.ballots.map((b) => b.ballot),
    );
  } catch {
    problems.push("a ballot's ciphertexts are malformed");
    return { ok: false, problems, ballotsChecked: board.ballots.length, result: null };
  }
  if (JSON.stringify(sums) !== JSON.stringify(board.sums)) problems.push("the published sums are not the sums of the ballots");
  const valid = board.partials.filter((p) => {
    const teller = board.tellers.find((t) => t.index === p.index);
    const ok = !!teller?.verificationKey && verifyPartial(board.voteId, teller.verificationKey, sums, p.partial);
    if (!ok) problems.push(`teller ${p.index}'s partial decryption does not hold`);
    return ok;
  });
  if (valid.length < board.threshold) {
    if (board.result) problems.push("a result is published without enough valid partial decryptions");
    return { ok: problems.length === 0, problems, ballotsChecked: board.ballots.length, result: null };
  }
  let slotCounts: number[];
  try {
    slotCounts = combine(sums, valid.slice(0, board.threshold), board.ballots.length);
  } catch {
    problems.push("the sums do not decrypt to counts within the number of ballots");
    return { ok: false, problems, ballotsChecked: board.ballots.length, result: null };
  }
  const result = decide(
    { ...board.rule, method: board.method, options: board.options, maxChoices: board.maxChoices },
    tallyFromSums(shape, slotCounts, board.ballots.length),
    board.electorateSize,
  );
  if (!board.result) problems.push("the partial decryptions suffice but no result is published");
  else if (JSON.stringify(resultCore(board.result)) !== JSON.stringify(resultCore(result)))
    problems.push(
      `the published result (${board.result.outcome}, ${board.result.counts.join("/")}) is not the recomputed one (${result.outcome}, ${result.counts.join("/")})`,
    );
  return { ok: problems.length === 0, problems, ballotsChecked: board.ballots.length, result };
}

/** What a published result must agree on (its other fields are explanation). */
const resultCore = (r: VoteResult) => ({
  outcome: r.outcome,
  counts: r.counts,
  ballots: r.ballots,
  abstentions: r.abstentions,
  winner: r.winner,
});
