/**
 * Votes benchmark (`npm run bench -- votes`): ballots, the one-ballot
 * guarantee, the tally and the turnout broadcast at the size of a large
 * neighbourhood. Before the server starts, seeds the demo and then, with
 * set-based SQL, 100 000 voters who are members of the demo hall, an open
 * yes/no vote of the members (all of them in its frozen electorate) and a
 * second vote holding 100 000 ballots. Then, against the production build:
 *   1. first ballots: 200 concurrent voters for BENCH_DURATION seconds, each
 *      request a different voter (sessions minted in the database for a pool
 *      of voters, in the app's cookie format, so nearly every POST is a first
 *      ballot);
 *   2. changed ballots: 200 voters logged in through the real login form
 *      (lib/server's `login`), each re-casting (open ballots may change) for
 *      BENCH_DURATION seconds;
 *   3. 200 requests casting for the same voter at once;
 *   4. turnout fan-out: 500 socket.io clients in `vote:<id>`, one ballot, the
 *      time until each receives `vote:changed`, 10 rounds (+1 unrecorded);
 *   5. after stopping the server: the ballot box against the acknowledged
 *      answers (none lost, none doubled, the race left one row).
 * The tally (`countVote` over 100 000 ballots, 20 runs) is timed in this
 * process on the same database before the server starts (PGlite admits one
 * process at a time).
 * Prints tables as it goes, a summary against /work/shared/targets.md and, as
 * its very last line, one JSON object with every figure.
 *
 * Environment: BENCH_DURATION (seconds per ballot run, default 30),
 * BENCH_WARMUP (unrecorded seconds of first ballots from the same pool before
 * the first run, default 2; their ballots are checked like the others),
 * BENCH_PORT (default 3340), BENCH_VOTERS (default 100000), BENCH_WATCHERS
 * (default 500), BENCH_ROUNDS (fan-out rounds, default 10), DATABASE_URL
 * (create, use and drop the database `gongzhi_bench_votes` on that local
 * PostgreSQL server; otherwise PGlite in a fresh temp folder).
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { DatabaseHandle } from "#db/client.server";
import { redact, setDatabase } from "#db/client.server";
import { DEMO_PASSWORD } from "~/modules/identity/demo-accounts";
import { ballotRun, castOnce, connectCrowd, fanoutRound, percentile, type BallotRunFigures, type Crowd } from "./lib/votes-clients";
import {
  BENCH_DATABASE,
  checkBox,
  createBenchDatabase,
  dropBenchDatabase,
  mintSessions,
  openTarget,
  prepareData,
  timeTally,
  voterName,
  type BenchTarget,
  type Prepared,
} from "./lib/votes-data";
import { ensureBuild, login, makeTempDataDir, startServer, stopAll, type RunningServer } from "./lib/server";
import { envInteger, envNumber, finisher, tableRow } from "./lib/report";

const duration = envNumber("BENCH_DURATION", 30, 1, 600);
const warmup = envNumber("BENCH_WARMUP", 2, 0, 60);
const port = envNumber("BENCH_PORT", 3340, 1024, 65535);
const voterCount = envInteger("BENCH_VOTERS", 100_000, 1_000, 1_000_000);
const watcherCount = envInteger("BENCH_WATCHERS", 500, 1, 2000);
const rounds = envInteger("BENCH_ROUNDS", 10, 1, 50);
const serverDatabaseUrl = process.env.DATABASE_URL || undefined;

const CONNECTIONS = 200;
/** Voters with a session minted in the database: the first-ballot run takes a new one for every request. */
const poolSize = Math.max(1, voterCount - (CONNECTIONS + 1 + rounds + 1) - 10);
/** Voters logged in through the form: the re-casting voters, the race's voter, the fan-out's voters. */
const recasters = Array.from({ length: CONNECTIONS }, (_, k) => poolSize + k);
const raceVoter = poolSize + CONNECTIONS;
const fanoutVoters = Array.from({ length: rounds + 1 }, (_, k) => raceVoter + 1 + k);
const RACE_REQUESTS = 200;
const TALLY_RUNS = 20;
const FANOUT_WAIT_MS = 5_000;

const figures: Record<string, number | string | boolean | null> = {
  database: serverDatabaseUrl ? "postgres" : "pglite",
  durationS: duration,
  voters: voterCount,
};
/** Print the JSON line last and exit; lib/server's exit handler kills anything left and removes temp folders. */
const finish: (code: number, error?: string) => never = finisher(figures);

const round = (n: number, digits = 0) => (Number.isFinite(n) ? Number(n.toFixed(digits)) : null);
const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits }) : "–");

/** One line of a table: figure, value, target, verdict. */
const row = tableRow(46, 16, 14);

// Bounded however the run goes: seeding, tally, logins, two ballot runs, the race, fan-out, stop and check, slack.
const budgetMs = (600 + 60 + 180 + 2 * (duration + 30) + 60 + (120 + rounds * 8) + 120 + 180) * 1000;
setTimeout(() => {
  console.error(`Watchdog: the benchmark took longer than ${Math.round(budgetMs / 1000)} s; giving up.`);
  void cleanup().finally(() => finish(1, "watchdog"));
}, budgetMs).unref();

// ---------------------------------------------------------------------------
// Clean-up, however the run ends.

let handle: DatabaseHandle | undefined;
let crowd: Crowd | undefined;
let dropping: Promise<void> | undefined;

function dropDatabase(): Promise<void> {
  if (!serverDatabaseUrl) return Promise.resolve();
  return (dropping ??= dropBenchDatabase(serverDatabaseUrl).catch((e: unknown) =>
    console.warn(`  (warning: could not drop ${BENCH_DATABASE}: ${e instanceof Error ? e.message : String(e)})`),
  ));
}

async function closeHandle(): Promise<void> {
  const h = handle;
  handle = undefined;
  setDatabase(undefined);
  if (!h) return;
  let timer: NodeJS.Timeout | undefined;
  const slow = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      console.warn("  (warning: closing the database took over 15 s; going on)");
      resolve();
    }, 15_000);
  });
  await Promise.race([h.close(), slow])
    .catch((e: unknown) => console.warn(`  (warning: closing the database: ${e instanceof Error ? e.message : String(e)})`))
    .finally(() => clearTimeout(timer));
}

async function cleanup(): Promise<void> {
  crowd?.close();
  crowd = undefined;
  await stopAll();
  await closeHandle();
  await dropDatabase();
  // The temp data folder is removed by lib/server's exit handler.
}

// lib/server stops the servers on a signal and exits; drop the database alongside (WITH (FORCE) does not wait for them).
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    crowd?.close();
    void dropDatabase();
  });
}

// ---------------------------------------------------------------------------

/** Log voters in through the real form a few at a time (argon2 on the server); stop at the first failure. */
async function loginAll(base: string, usernames: string[], concurrency = 2): Promise<string[]> {
  const cookies = new Array<string>(usernames.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < usernames.length) {
        const i = next++;
        cookies[i] = await login(base, usernames[i]!, DEMO_PASSWORD);
      }
    }),
  );
  return cookies;
}

function printRun(label: string, r: BallotRunFigures, extra = "") {
  console.log(
    `  ${label.padEnd(26)} ${fmt(r.answered).padStart(8)} ${fmt(r.acknowledged).padStart(8)} ${fmt(r.acknowledged / r.elapsedS, 1).padStart(9)} ${fmt(r.p50, 1).padStart(8)} ${fmt(r.p99, 1).padStart(8)} ${fmt(r.max, 0).padStart(8)} ${String(r.errors).padStart(7)} ${String(r.timeouts).padStart(8)}${extra}`,
  );
  const outcomes = Object.entries(r.outcomes).map(([k, v]) => `${k} ×${v}`).join(", ");
  if (outcomes) console.log(`    refusals and other answers: ${outcomes}`);
}

function recordRun(prefix: string, r: BallotRunFigures) {
  figures[`${prefix}_sent`] = r.sent;
  figures[`${prefix}_answered`] = r.answered;
  figures[`${prefix}_acknowledged`] = r.acknowledged;
  figures[`${prefix}_refused`] = r.status200 - r.acknowledged;
  figures[`${prefix}_non2xx`] = r.non2xx;
  figures[`${prefix}_errors`] = r.errors;
  figures[`${prefix}_timeouts`] = r.timeouts;
  figures[`${prefix}_elapsed_s`] = round(r.elapsedS, 2);
  figures[`${prefix}_per_s`] = round(r.acknowledged / r.elapsedS, 1);
  figures[`${prefix}_p50_ms`] = round(r.p50, 2);
  figures[`${prefix}_p90_ms`] = round(r.p90, 2);
  figures[`${prefix}_p99_ms`] = round(r.p99, 2);
  figures[`${prefix}_max_ms`] = round(r.max, 2);
}

async function main() {
  await ensureBuild();
  console.log(`\nVotes benchmark — production build, ${serverDatabaseUrl ? `PostgreSQL server (database ${BENCH_DATABASE})` : "embedded PGlite"}`);

  // 1. Data, straight into the database, before the server starts.
  let target: BenchTarget;
  let serverEnv: Record<string, string | undefined> = {};
  if (serverDatabaseUrl) {
    const url = await createBenchDatabase(serverDatabaseUrl);
    target = { kind: "postgres", url };
    serverEnv = { DATABASE_URL: url };
    console.log(`\nData (${redact(url)})`);
  } else {
    target = { kind: "pglite", dataDir: makeTempDataDir() };
    console.log(`\nData (PGlite in ${target.dataDir})`);
  }
  handle = await openTarget(target);
  const data: Prepared = await prepareData(handle, voterCount);
  let t = performance.now();
  const poolCookies = await mintSessions(handle.db, data.voterIds, 0, poolSize);
  const mintMs = performance.now() - t;
  figures.electorate = data.electorateSize;
  figures.seedMigrateMs = round(data.ms.migrate);
  figures.seedDemoMs = round(data.ms.demo);
  figures.seedBulkMs = round(data.ms.bulk);
  figures.sessionsMinted = poolCookies.length;
  figures.sessionsMintMs = round(mintMs);
  row("voters (members of the demo hall)", fmt(voterCount));
  row(`open vote #${data.voteId}: frozen electorate`, fmt(data.electorateSize));
  row(`tally vote #${data.tallyVoteId}: ballots`, fmt(data.tallyExpected.reduce((a, b) => a + b, 0)));
  row("migrate / demo seed / bulk insert", `${fmt(data.ms.migrate)} / ${fmt(data.ms.demo)} / ${fmt(data.ms.bulk)} ms`);
  row("sessions minted for the first-ballot pool", `${fmt(poolCookies.length)} in ${fmt(mintMs)} ms`);

  // 2. The tally: the app's countVote over 100 000 ballots, in this process, on the same database.
  const tally = await timeTally(handle.db, data.tallyVoteId, TALLY_RUNS);
  const tallyCorrect = tally.ballots === voterCount && tally.counts.every((n, i) => n === data.tallyExpected[i]) && tally.abstentions === data.tallyExpected[2];
  const tallyP50 = percentile(tally.times, 50);
  const tallyP99 = percentile(tally.times, 99);
  figures.tally_ballots = tally.ballots;
  figures.tally_runs = TALLY_RUNS;
  figures.tally_p50_ms = round(tallyP50, 2);
  figures.tally_p99_ms = round(tallyP99, 2);
  figures.tally_max_ms = round(Math.max(...tally.times), 2);
  figures.tally_correct = tallyCorrect;
  console.log(`\nTally: countVote over ${fmt(tally.ballots)} ballots, ${TALLY_RUNS} runs (after 3 unrecorded)`);
  row("p50 / p99 / max", `${fmt(tallyP50, 2)} / ${fmt(tallyP99, 2)} / ${fmt(Math.max(...tally.times), 2)} ms`, "< 25 ms", tallyP99 < 25);
  row("counts (yes / no / abstain)", tally.counts.map((n) => fmt(n)).join(" / "), `= ${data.tallyExpected.map((n) => fmt(n)).join(" / ")}`, tallyCorrect);
  await closeHandle();

  // 3. The server on that data; the re-casters, the race's voter and the fan-out's voters log in for real.
  const server: RunningServer = await startServer({ port, dataDir: target.kind === "pglite" ? target.dataDir : undefined, env: serverEnv });
  figures.startMs = round(server.msToFirstResponse);
  console.log(`\nServer ${server.url} answered after ${fmt(server.msToFirstResponse)} ms`);
  const base = server.url;
  t = performance.now();
  const loggedIn = await loginAll(base, [...recasters, raceVoter, ...fanoutVoters].map(voterName));
  const cookieOfLoggedIn = new Map<number, string>([...recasters, raceVoter, ...fanoutVoters].map((v, k) => [v, loggedIn[k]!]));
  figures.loginsMs = round(performance.now() - t);
  row("logged in through /login", `${loggedIn.length} in ${fmt(performance.now() - t)} ms`);

  // The vote page answers and shows the electorate, before any load.
  const pageRes = await fetch(`${base}/votes/${data.voteId}`, { signal: AbortSignal.timeout(15_000) });
  const page = await pageRes.text();
  const shown = `已投 0 票 / 共 ${new Intl.NumberFormat("zh-CN").format(data.electorateSize)} 票`;
  if (pageRes.status !== 200 || !page.includes(shown)) {
    throw new Error(`GET /votes/${data.voteId} answered ${pageRes.status} without the turnout "${shown}".`);
  }

  const acknowledged = new Set<number>(); // electors (user ids) with an acknowledged ballot
  const ackCount = new Map<number, number>(); // voter index → acknowledged ballots
  const firstChoice = new Map<number, number>(); // first-ballot voters → the choice acknowledged
  const acknowledge = (voter: number, choice: number) => {
    acknowledged.add(data.voterIds[voter]!);
    ackCount.set(voter, (ackCount.get(voter) ?? 0) + 1);
    if (voter < poolSize) firstChoice.set(voter, choice);
  };
  const choiceOf = (voter: number) => voter % 3;

  // A minted session works: the pool's first voter casts one ballot.
  const probe = await castOnce(base, poolCookies[0]!, data.voteId, choiceOf(0));
  if (!probe.ok) throw new Error(`A ballot with a minted session was not accepted (${probe.error}).`);
  acknowledge(0, choiceOf(0));

  // 4. First ballots: 200 connections, a new voter for every request.
  console.log(`\nBallots: ${CONNECTIONS} concurrent voters, ${duration} s per run (POST /api/votes/${data.voteId}/ballots)`);
  console.log(`  ${"run".padEnd(26)} ${"answers".padStart(8)} ${"acked".padStart(8)} ${"acked/s".padStart(9)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)} ${"max ms".padStart(8)} ${"errors".padStart(7)} ${"timeouts".padStart(8)}`);
  let nextPoolVoter = 1;
  let wrapped = 0;
  const firstBallots = (durationS: number) =>
    ballotRun({
      base,
      voteId: data.voteId,
      connections: CONNECTIONS,
      durationS,
      take: () => {
        if (nextPoolVoter >= poolSize) {
          nextPoolVoter = 1;
          wrapped++;
        }
        return nextPoolVoter++;
      },
      cookieOf: (voter) => poolCookies[voter]!,
      choiceOf,
      onAcknowledged: acknowledge,
    });
  // Unrecorded, like the page benchmarks' warm-up; its ballots still go into the box check below.
  const warm = warmup > 0 ? await firstBallots(warmup) : null;
  if (warm) console.log(`  (warm-up, unrecorded: ${fmt(warm.acknowledged)} first ballots in ${fmt(warm.elapsedS, 1)} s)`);
  const first = await firstBallots(duration);
  recordRun("first", first);
  figures.first_voters = CONNECTIONS;
  figures.first_pool = poolSize;
  figures.first_pool_exhausted = wrapped > 0;
  printRun("first ballots", first, wrapped ? `   (pool of ${fmt(poolSize)} used up ${wrapped}×: later requests re-cast)` : "");

  // 5. Changed ballots: 200 logged-in voters, each with one request in flight, re-casting.
  const free = [...recasters];
  const attempts = new Map<number, number>();
  const recast = await ballotRun({
    base,
    voteId: data.voteId,
    connections: CONNECTIONS,
    durationS: duration,
    // A voter whose answer was lost (timeout) never comes back; then share the busiest.
    take: () => free.pop() ?? recasters[Math.floor(Math.random() * recasters.length)]!,
    release: (voter) => free.push(voter),
    cookieOf: (voter) => cookieOfLoggedIn.get(voter)!,
    choiceOf: (voter) => {
      const n = (attempts.get(voter) ?? 0) + 1;
      attempts.set(voter, n);
      return (voter + n) % 3;
    },
    onAcknowledged: acknowledge,
  });
  recordRun("recast", recast);
  figures.recast_voters = CONNECTIONS;
  printRun("re-cast (changed ballots)", recast);
  const recastFirsts = recasters.filter((v) => (ackCount.get(v) ?? 0) > 0).length;
  console.log(`    of the acknowledged: ${fmt(recastFirsts)} first ballots, ${fmt(recast.acknowledged - recastFirsts)} changes`);

  // 6. The same voter, 200 requests at once.
  const raceCookie = cookieOfLoggedIn.get(raceVoter)!;
  const race = await Promise.all(Array.from({ length: RACE_REQUESTS }, (_, k) => castOnce(base, raceCookie, data.voteId, k % 3)));
  const raceOk = race.filter((r) => r.ok).length;
  const raceOutcomes: Record<string, number> = {};
  for (const r of race) if (!r.ok) raceOutcomes[r.error ?? "unknown"] = (raceOutcomes[r.error ?? "unknown"] ?? 0) + 1;
  for (const [k, r] of race.entries()) if (r.ok) acknowledge(raceVoter, k % 3);
  figures.race_requests = RACE_REQUESTS;
  figures.race_acknowledged = raceOk;
  figures.race_refused = race.filter((r) => r.status === 200 && !r.ok).length;
  figures.race_errors = race.filter((r) => r.status !== 200).length;
  figures.race_p99_ms = round(percentile(race.map((r) => r.ms), 99), 2);
  console.log(`\nOne voter (${voterName(raceVoter)}), ${RACE_REQUESTS} requests at once`);
  row("acknowledged / refused / errors", `${raceOk} / ${figures.race_refused} / ${figures.race_errors}`);
  if (Object.keys(raceOutcomes).length) row("refusals and errors", Object.entries(raceOutcomes).map(([k, v]) => `${k} ×${v}`).join(", "));
  row("latency p50 / p99", `${fmt(percentile(race.map((r) => r.ms), 50), 1)} / ${fmt(percentile(race.map((r) => r.ms), 99), 1)} ms`);

  // 7. Fan-out of the turnout.
  const room = `vote:${data.voteId}`;
  console.log(`\nTurnout fan-out: ${watcherCount} socket.io clients in ${room}, ${rounds} rounds (+1 unrecorded)`);
  const connectStarted = performance.now();
  crowd = await connectCrowd(base, room, watcherCount);
  figures.fanout_connect_ms = round(performance.now() - connectStarted);
  row("connected and joined", `${watcherCount} in ${fmt(performance.now() - connectStarted)} ms`);
  await sleep(500); // let any turnout broadcast still pending from the race go out first
  const spreads: number[] = [];
  const lastFromPost: number[] = [];
  const firstFromPost: number[] = [];
  const afterFirst: number[] = [];
  const postMs: number[] = [];
  let missed = 0;
  let lastBallots: number | null = null;
  let turnoutRising = true;
  for (let i = 0; i <= rounds; i++) {
    const voter = fanoutVoters[i]!;
    const r = await fanoutRound({ crowd, base, cookie: cookieOfLoggedIn.get(voter)!, voteId: data.voteId, choice: choiceOf(voter), waitMs: FANOUT_WAIT_MS });
    if (!r.post.ok) throw new Error(`The fan-out ballot of round ${i} was not accepted (${r.post.error}).`);
    acknowledge(voter, choiceOf(voter));
    if (r.ballots !== null && lastBallots !== null && r.ballots !== lastBallots + 1) turnoutRising = false;
    lastBallots = r.ballots;
    if (i > 0) {
      const got = r.fromPost.filter((ms) => Number.isFinite(ms));
      missed += r.fromPost.length - got.length;
      if (got.length) {
        const firstAt = Math.min(...got);
        const lastAt = got.length === r.fromPost.length ? Math.max(...got) : FANOUT_WAIT_MS;
        firstFromPost.push(firstAt);
        lastFromPost.push(lastAt);
        spreads.push(lastAt - firstAt);
        afterFirst.push(...got.map((ms) => ms - firstAt));
      }
      postMs.push(r.post.ms);
    }
    await sleep(100);
  }
  crowd.close();
  crowd = undefined;
  figures.fanout_clients = watcherCount;
  figures.fanout_rounds = rounds;
  figures.fanout_spread_p50_ms = round(percentile(spreads, 50), 2);
  figures.fanout_spread_p99_ms = round(percentile(spreads, 99), 2);
  figures.fanout_all_after_first_p99_ms = round(percentile(afterFirst, 99), 2);
  figures.fanout_first_from_post_p50_ms = round(percentile(firstFromPost, 50), 2);
  figures.fanout_last_from_post_p50_ms = round(percentile(lastFromPost, 50), 2);
  figures.fanout_last_from_post_p99_ms = round(percentile(lastFromPost, 99), 2);
  figures.fanout_post_p50_ms = round(percentile(postMs, 50), 2);
  figures.fanout_missed = missed;
  figures.fanout_turnout_rising = turnoutRising;
  row("broadcast → last client (spread) p50 / p99", `${fmt(percentile(spreads, 50), 1)} / ${fmt(percentile(spreads, 99), 1)} ms`, "< 60 ms", percentile(spreads, 99) < 60 && missed === 0);
  row("every delivery after the first: p99", `${fmt(percentile(afterFirst, 99), 1)} ms`);
  row("POST → first client p50", `${fmt(percentile(firstFromPost, 50), 1)} ms`, "(300 ms throttle)");
  row("POST → last client p50 / p99", `${fmt(percentile(lastFromPost, 50), 1)} / ${fmt(percentile(lastFromPost, 99), 1)} ms`);
  row("the POST itself p50", `${fmt(percentile(postMs, 50), 1)} ms`);
  row("deliveries missed", String(missed), "0", missed === 0);
  row("turnout in the event rises by one a round", turnoutRising ? "yes" : "NO", "", turnoutRising);

  // 8. Stop, then check the ballot box against the answers.
  const cutOff = (warm ? warm.sent - warm.answered : 0) + first.sent - first.answered + (recast.sent - recast.answered) + race.filter((r) => r.status === 0).length;
  // A server error is a bug, not a figure: show what the server said.
  if (Number(figures.race_errors) > 0 || Number(figures.recast_non2xx) > 0 || Number(figures.first_non2xx) > 0)
    console.log(`\nServer output (tail), for the errors above:\n${server.output().slice(-4000)}`);
  const exit = await server.stop();
  if (exit.code !== 0) console.warn(`  (warning: the server exited with ${exit.code ?? exit.signal})`);
  handle = await openTarget(target);
  const single = new Map<number, number>();
  for (const [voter, choice] of firstChoice) if (ackCount.get(voter) === 1) single.set(data.voterIds[voter]!, choice);
  const box = await checkBox(handle.db, data.voteId, acknowledged, single, data.voterIds[raceVoter]!);
  await closeHandle();
  figures.box_acknowledged_electors = acknowledged.size;
  figures.box_rows = box.rows;
  figures.box_doubled = box.doubled;
  figures.box_lost = box.lost;
  figures.box_unacknowledged = box.unacknowledged;
  figures.box_cut_off = cutOff;
  figures.box_wrong_choice = box.wrongChoice;
  figures.race_rows = box.raceRows;
  figures.race_history = box.raceHistory;
  console.log("\nCheck against the database (server stopped)");
  row("ballot rows / acknowledged electors", `${fmt(box.rows)} / ${fmt(acknowledged.size)}`);
  row("acknowledged but not stored (lost)", String(box.lost), "0", box.lost === 0);
  row("electors with two rows (double)", String(box.doubled), "0", box.doubled === 0);
  // autocannon drops the connections in flight when a run's time is up: those ballots are stored, their answers never read.
  row("stored, answer not read (cut off at run end)", `${fmt(box.unacknowledged)}`, `≤ ${fmt(cutOff)} cut off`, box.unacknowledged <= cutOff);
  row("first ballots stored with another choice", String(box.wrongChoice), "0", box.wrongChoice === 0);
  row("race: rows for the one voter", String(box.raceRows), "1", box.raceRows === 1);
  row("race: history rows (= acknowledged − 1)", `${box.raceHistory} = ${raceOk - 1}`, "", box.raceHistory === raceOk - 1);

  // 9. Summary against the targets.
  const firstRate = first.acknowledged / first.elapsedS;
  const recastRate = recast.acknowledged / recast.elapsedS;
  console.log(`\nSummary (${serverDatabaseUrl ? "PostgreSQL server" : "embedded PGlite"}; targets from /work/shared/targets.md)`);
  row("first ballots, 200 voters: ballots/s", fmt(firstRate, 1), "≥ 2,000/s", firstRate >= 2000);
  row("first ballots, 200 voters: p99", `${fmt(first.p99, 1)} ms`, "< 100 ms", first.p99 < 100);
  row("changed ballots, 200 voters: ballots/s", fmt(recastRate, 1), "≥ 2,000/s", recastRate >= 2000);
  row("changed ballots, 200 voters: p99", `${fmt(recast.p99, 1)} ms`, "< 100 ms", recast.p99 < 100);
  row("zero lost, zero double", `${box.lost} / ${box.doubled}`, "0 / 0", box.lost === 0 && box.doubled === 0);
  row("200 casts for one voter: rows", String(box.raceRows), "1", box.raceRows === 1);
  row("tally of 100,000 ballots: p99", `${fmt(tallyP99, 2)} ms`, "< 25 ms", tallyP99 < 25);
  row(`turnout to ${watcherCount} clients: spread p99`, `${fmt(percentile(spreads, 99), 1)} ms`, "< 60 ms", percentile(spreads, 99) < 60 && missed === 0);
  console.log("");
  if (box.lost !== 0 || box.doubled !== 0 || box.raceRows !== 1) throw new Error(`The ballot box does not match: ${box.lost} lost, ${box.doubled} doubled, ${box.raceRows} rows for the race's voter.`);
  if (!tallyCorrect) throw new Error("countVote returned wrong counts for the tally vote.");
}

main().then(
  async () => {
    await cleanup();
    finish(0);
  },
  async (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`\nThe votes benchmark failed: ${message}`);
    await cleanup();
    finish(1, message.split("\n")[0]);
  },
);
