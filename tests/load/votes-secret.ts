/**
 * Secret-ballot benchmark (`npm run bench -- votes-secret`), ADR 0016.
 * In one process on a fresh PGlite database, or a fresh database on the
 * PostgreSQL server of DATABASE_URL (the demo, plus BENCH_VOTERS
 * members of the 史家 hall in a secret yes/no vote whose tellers made its key):
 *   1. browser work, done up front: one encrypted ballot with its proofs per
 *      voter (the time per ballot is what a voter's browser spends);
 *   2. casting: 60 % of the voters at 100 ballots a second (the latency voters see), then the rest
 *      200 at a time (saturation), each through
 *      the real command (`castBallot`: every proof verified, then group
 *      commit), until all are cast: ballots per second and latency
 *      percentiles. It leaves out HTTP (the JSON API adds ~1 ms, ADR 0013);
 *   3. closing and counting: the sums at closing, two tellers' partial
 *      decryptions (with the vault's real scrypt cost) and the result;
 *   4. the public board re-verified from its JSON (`verifyBoard`, what
 *      `npm run verify-vote` does), for all ballots.
 * Prints one JSON object with every figure as its last line.
 * Environment: BENCH_VOTERS (default 10 000: the target is for 10 000 ballots, so they are counted, not extrapolated; about 4 minutes, most of it the browsers' encryption), BENCH_CONNECTIONS (default 200), BENCH_RATE (default 100 a second), DATABASE_URL,
 * BENCH_BOARD_OUT (a file to write the board's JSON to).
 */
import { writeFile } from "node:fs/promises";
import { eq, sql } from "drizzle-orm";
import { db, setDatabase } from "#db/client.server";
import { openBenchDatabase } from "./lib/district";
import { migrate } from "#db/migrate.server";
import { hallMembers, halls, users, voteKeys, votes } from "#db/schema";
import { seedDemoIfEmpty } from "#db/seed/demo";
import { loadActor } from "~/modules/identity/actor.server";
import { fastBackend, sodiumReady } from "~/modules/votes/verify-fast";
import { verifyBoardOnAllCores } from "~/modules/votes/verify-parallel";
import { castBallot, createVote, runVoteClock } from "~/modules/votes/commands.server";
import { encryptBallot, type Ballot } from "~/modules/votes/crypto";
import { getBoard } from "~/modules/votes/queries.server";
import { runKeyCeremony, unlockTally } from "../support/tellers";

const voterCount = Number(process.env.BENCH_VOTERS ?? 10_000);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 200);
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const figures: Record<string, number | string> = {};
/** CPU time of the whole process (every thread, the workers included) since `from`, in ms. */
const cpuMsSince = (from: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(from);
  return Math.round((used.user + used.system) / 1000);
};

// A fresh PGlite, or with DATABASE_URL a fresh database on that (local) server.
const bench = await openBenchDatabase(process.env.DATABASE_URL, "gongzhi_bench_secret");
try {
  const handle = bench.handle;
  console.log(`database: ${bench.where}`);
  setDatabase(handle);
  await migrate(handle);
  await seedDemoIfEmpty(db());
  const [hall] = await db().select().from(halls).where(eq(halls.name, "史家胡同老街坊议事厅"));
  const [donor] = await db().select().from(users).where(eq(users.username, "wangxiulan"));
  await db().execute(sql`insert into users (username, display_name, password_hash)
    select 'bench_secret_' || g, '邻居' || g, ${donor!.passwordHash} from generate_series(1, ${voterCount}) g`);
  await db().execute(sql`insert into ${hallMembers} (hall_id, user_id, status)
    select ${hall!.id}, id, 'active' from users where username like 'bench_secret_%'`);
  const voterIds = (await db().execute(sql`select id from users where username like 'bench_secret_%' order by id`)) as unknown;
  const ids = (Array.isArray(voterIds) ? voterIds : (voterIds as { rows: { id: number }[] }).rows).map((r: { id: number }) => r.id);
  const tellers = ["lijuan", "wangxiulan", "chenjianguo"];
  const tellerIds = await Promise.all(tellers.map(async (u) => (await db().select().from(users).where(eq(users.username, u)))[0]!.id));
  const convener = await loadActor(db(), tellerIds[0]!);
  const vote = await createVote(convener, {
    hallId: hall!.id,
    question: "基准测试：无记名表决",
    method: "yes_no",
    options: [],
    maxChoices: 1,
    electorate: "members",
    opensAt: new Date(),
    closesAt: new Date(Date.now() + 3_600_000),
    quorumPercent: 0,
    threshold: "simple_majority",
    abstentionsCountForQuorum: true,
    secret: true,
    liveResults: false,
    tellers: tellerIds,
  });
  await runKeyCeremony(vote.id, tellerIds);
  const [keys] = await db().select().from(voteKeys).where(eq(voteKeys.voteId, vote.id));
  console.log(`vote ${vote.id}: ${voterCount} voters, election key ${keys!.electionKey!.slice(0, 16)}…`);

  await sodiumReady;
  figures.checkedWith = fastBackend();
  console.log(`proofs checked with ${figures.checkedWith} (ADR 0026, 0048)`);

  // 1. The browsers' work.
  const shape = { method: "yes_no" as const, optionCount: 3, maxChoices: 1 };
  const plain = ids.map((_, k) => k % 5 === 4 ? 2 : k % 3 === 2 ? 1 : 0);
  let started = performance.now();
  const ballots: Ballot[] = ids.map((_, k) => encryptBallot(vote.id, keys!.electionKey!, shape, [plain[k]!]));
  figures.encryptMsPerBallot = +((performance.now() - started) / ids.length).toFixed(2);
  console.log(`encrypt + prove in the "browser": ${figures.encryptMsPerBallot} ms per ballot`);

  // 2. Casting with every proof verified, in two parts:
  //    a. the target's load (targets.md: 100 ballots a second from 200 voters): the first 60 % of
  //       the voters each cast once, at 100 a second in all, whatever the answers' speed (open loop);
  //       the latency each voter sees is what the target's p99 is about;
  //    b. saturation: the rest, 200 at a time, each voter casting as soon as the one before was
  //       answered (closed loop): the most the server takes, ballots per second.
  const actors = await Promise.all(ids.map((id) => loadActor(db(), id)));
  let failed = 0;
  const castOne = async (k: number) => {
    const t0 = performance.now();
    try {
      await castBallot(actors[k]!, { voteId: vote.id, ballot: ballots[k]! });
    } catch (error) {
      failed++;
      if (failed < 3) console.error(error);
    }
    return performance.now() - t0;
  };
  const offered = Number(process.env.BENCH_RATE ?? 100);
  const steady = Math.floor(ids.length * 0.6);
  started = performance.now();
  const steadyLatencies = (
    await Promise.all(
      Array.from({ length: steady }, async (_, k) => {
        const due = started + (k * 1000) / offered;
        await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
        return castOne(k);
      }),
    )
  ).sort((a, b) => a - b);
  figures.steadyRatePerSecond = offered;
  figures.steadyAchievedPerSecond = Math.round(steady / ((performance.now() - started) / 1000));
  figures.steadyP50Ms = Math.round(percentile(steadyLatencies, 50));
  figures.steadyP99Ms = Math.round(percentile(steadyLatencies, 99));
  console.log(`cast ${steady} secret ballots offered at ${offered}/s: ${figures.steadyAchievedPerSecond}/s, p50 ${figures.steadyP50Ms} ms, p99 ${figures.steadyP99Ms} ms`);

  const latencies: number[] = [];
  let next = steady;
  started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (next < ids.length) latencies.push(await castOne(next++));
    }),
  );
  const castSeconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  figures.castPerSecond = Math.round((ids.length - steady) / castSeconds);
  figures.castP50Ms = Math.round(percentile(latencies, 50));
  figures.castP99Ms = Math.round(percentile(latencies, 99));
  figures.castFailed = failed;
  console.log(`cast ${ids.length - steady} secret ballots with ${connections} voters at once (saturation): ${figures.castPerSecond}/s, p50 ${figures.castP50Ms} ms, p99 ${figures.castP99Ms} ms, ${failed} failed in all`);

  // 3. Closing and counting.
  started = performance.now();
  let cpu = process.cpuUsage();
  await runVoteClock(new Date(Date.now() + 3_600_001));
  figures.closeSumsMs = Math.round(performance.now() - started);
  figures.closeSumsCpuMs = cpuMsSince(cpu);
  started = performance.now();
  await unlockTally(vote.id, tellerIds.slice(0, 2));
  figures.unlockAndCountMs = Math.round(performance.now() - started);
  const [closed] = await db().select().from(votes).where(eq(votes.id, vote.id));
  const expected = [0, 1, 2].map((o) => plain.filter((c) => c === o).length);
  figures.resultCorrect = JSON.stringify(closed!.result?.counts) === JSON.stringify(expected) ? "yes" : `no: ${JSON.stringify(closed!.result?.counts)} ≠ ${JSON.stringify(expected)}`;
  console.log(`closing (sums of ${ids.length}): ${figures.closeSumsMs} ms; two tellers unlock and count (test vault cost): ${figures.unlockAndCountMs} ms; result correct: ${figures.resultCorrect}`);

  // 4. The board, verified from its JSON.
  const board = JSON.parse(JSON.stringify(await getBoard(db(), vote.id)));
  // BENCH_BOARD_OUT=<file>: keep the board, to time `npm run verify-vote -- <file>` on it alone.
  if (process.env.BENCH_BOARD_OUT) await writeFile(process.env.BENCH_BOARD_OUT, JSON.stringify(board));
  started = performance.now();
  cpu = process.cpuUsage();
  // As `npm run verify-vote` does: every ballot's proofs and the sums on all cores, then the board's own checks.
  const check = await verifyBoardOnAllCores(board);
  figures.verifyBoardMs = Math.round(performance.now() - started);
  figures.verifyBoardCpuMs = cpuMsSince(cpu);
  figures.verifyBoardMsPer10k = Math.round((figures.verifyBoardMs / ids.length) * 10_000);
  console.log(`verify the board (${ids.length} ballots): ${figures.verifyBoardMs} ms, ${figures.verifyBoardCpuMs} ms of CPU on all threads (${check.ok ? "OK" : check.problems.join("; ")}); per 10 000 ballots ≈ ${figures.verifyBoardMsPer10k} ms`);
  // The target's figure: the sums at closing, the tellers' unlock and count, and the board re-checked, for 10 000 ballots
  // (the sums and the check grow with the ballots; the unlock is as measured). Its CPU over two cores is what two idle cores would take.
  const per10k = (ms: number) => (ms / ids.length) * 10_000;
  const [closeMs, closeCpu, verifyMs, verifyCpu, unlockMs] = [figures.closeSumsMs, figures.closeSumsCpuMs, figures.verifyBoardMs, figures.verifyBoardCpuMs, figures.unlockAndCountMs].map(Number) as [number, number, number, number, number];
  figures.tallyAndVerifyMsPer10k = Math.round(per10k(closeMs + verifyMs) + unlockMs);
  figures.tallyAndVerifyCpuMsPer10k = Math.round(per10k(closeCpu + verifyCpu));
  console.log(`tally and verification of 10 000 ballots ≈ ${figures.tallyAndVerifyMsPer10k} ms (${figures.tallyAndVerifyCpuMsPer10k} ms of CPU, so ≈ ${Math.round(figures.tallyAndVerifyCpuMsPer10k / 2)} ms on two idle cores)`);
} finally {
  await bench.cleanup();
}
console.log(JSON.stringify(figures));
