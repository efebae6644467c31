/**
 * npm run verify-vote -- <board URL or file>
 *
 * Re-checks a secret vote's public bulletin board (ADR 0016) with no server
 * or database: the election key from the tellers' commitments, every
 * ballot's proofs and receipt, the sums, every partial decryption, and the
 * result under the vote's frozen rule. Exit code 0 when everything holds.
 */
import { readFile } from "node:fs/promises";
import type { Board } from "../app/modules/votes/board";
import { fastBackend, sodiumReady } from "../app/modules/votes/verify-fast";
import { verifyBoardOnAllCores } from "../app/modules/votes/verify-parallel";

async function load(source: string): Promise<Board> {
  if (/^https?:\/\//.test(source)) {
    const url = new URL(source);
    if (!url.pathname.endsWith(".json")) url.pathname = url.pathname.replace(/\/$/, "") + ".json";
    const res = await fetch(url);
    if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
    return (await res.json()) as Board;
  }
  return JSON.parse(await readFile(source, "utf8")) as Board;
}

const source = process.argv[2];
if (!source) {
  console.error("usage: npm run verify-vote -- <board URL or file>");
  process.exit(2);
}
const board = await load(source);
const started = performance.now();
console.log(`vote ${board.voteId}: ${board.question}`);
console.log(`tellers: ${board.tellers.map((t) => `${t.index}. ${t.name}`).join(", ")} (${board.threshold} needed)`);
await sodiumReady;
const backend = fastBackend();
console.log(`checking ${board.ballots.length} ballots on every core with ${backend}…`);
if (backend !== "libdecaf") console.log("(about three times faster with libdecaf: apt install libdecaf0)");
// Every ballot's proofs and the sums on all cores (libdecaf or libsodium, ADR 0026); then the board's own checks, reading those answers.
const check = await verifyBoardOnAllCores(board);
const seconds = ((performance.now() - started) / 1000).toFixed(1);
if (check.result) console.log(`recomputed: ${check.result.outcome}, counts ${check.result.counts.join(" / ")}, ${check.result.ballots} ballots, ${check.result.abstentions} abstaining`);
else console.log(board.notTallied ? `not tallied: ${board.notTallied}` : "no result yet");
if (check.ok) {
  console.log(`OK: every proof holds and the published result is the recomputed one (${seconds} s).`);
} else {
  for (const p of check.problems) console.log(`PROBLEM: ${p}`);
  console.log(`FAILED: ${check.problems.length} problem(s) (${seconds} s).`);
  process.exit(1);
}
