/**
 * Halls benchmark (`npm run bench -- halls`): the debate at realistic size.
 * Before the server starts, seeds the demo and then, with set-based SQL, a
 * hall of 2 000 proposals, one of them debated by 500 comments (replies,
 * stances), and 250 extra members. Then, against the production build:
 *   1. the proposal page HTML (500 comments) with autocannon at 10 and 50
 *      connections, anonymous and as a member;
 *   2. comment posting by 50 concurrent authors (each at most 60 posts: the
 *      hourly limit; a connection whose author is done passes to the next of
 *      200), checked afterwards against the database, after an unrecorded
 *      warm-up in which 50 other extra members post 10 each;
 *   3. fan-out: 500 socket.io watchers of the proposal, one comment posted,
 *      time until each (and the last) receives `comment:upserted`, 20 rounds.
 * Prints a table as it goes, a summary against /work/shared/targets.md and,
 * as its very last line, one JSON object with every figure.
 *
 * Environment: BENCH_DURATION (seconds per load run and for the posting run,
 * default 10), BENCH_WARMUP (unrecorded seconds before each page's runs and
 * before the posting run, default 2; 0 skips warming up), BENCH_PORT (default 3320), BENCH_WATCHERS (default 500),
 * BENCH_ROUNDS (fan-out rounds, default 20, at most 50), DATABASE_URL (create,
 * use and drop the database `gongzhi_bench_halls` on that local PostgreSQL
 * server; otherwise PGlite in a fresh temp folder), BENCH_DEBUG (print the
 * server's output after a fan-out round that missed watchers).
 */
import { readFileSync } from "node:fs";
import os from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import type { DatabaseHandle } from "#db/client.server";
import { redact } from "#db/client.server";
import { DEMO_PASSWORD } from "~/modules/identity/demo-accounts";
import { connectCrowd, fanoutRound, percentile, postingRun, type Crowd } from "./lib/halls-clients";
import { JS_BUDGET_BYTES, measurePageWeight } from "./lib/page-weight";
import {
  BENCH_DATABASE,
  countComments,
  createBenchDatabase,
  dropBenchDatabase,
  measurePageQueries,
  openTarget,
  prepareData,
  type BenchTarget,
  type Prepared,
} from "./lib/halls-data";
import { ensureBuild, login, makeTempDataDir, runAutocannon, startServer, stopAll, type RunningServer } from "./lib/server";
import { envInteger, envNumber, finisher, tableRow } from "./lib/report";

const duration = envNumber("BENCH_DURATION", 10, 1, 600);
const warmup = envNumber("BENCH_WARMUP", 2, 0, 60);
const port = envNumber("BENCH_PORT", 3320, 1024, 65535);
const watcherCount = envInteger("BENCH_WATCHERS", 500, 1, 2000);
const rounds = envInteger("BENCH_ROUNDS", 20, 1, 50);
const serverDatabaseUrl = process.env.DATABASE_URL || undefined;

/**
 * 50 authors post at once in the measured run, four cohorts of 50 one after another (each author up to the
 * hourly limit: one cohort alone lasts only 2–4 s, too short to measure steadily); 50 others warm the path up
 * first (unrecorded, like the pages' warm-up).
 */
const CONCURRENT_AUTHORS = 50;
const COHORTS = 4;
const AUTHORS = CONCURRENT_AUTHORS * COHORTS;
const SHAPE = { proposals: 2_000, comments: 500, authors: AUTHORS + CONCURRENT_AUTHORS };
/** The hourly comment limit (COMMENT_LIMIT): no author posts more. */
const POSTS_PER_AUTHOR = 60;
const FANOUT_WAIT_MS = 5_000;

const figures: Record<string, number | string | boolean | null> = {
  database: serverDatabaseUrl ? "postgres" : "pglite",
  durationS: duration,
  cpus: os.cpus().length,
};
/** Print the JSON line last and exit; lib/server's exit handler kills anything left and removes temp folders. */
const finish: (code: number, error?: string) => never = finisher(figures);

const round = (n: number, digits = 0) => (Number.isFinite(n) ? Number(n.toFixed(digits)) : null);
const fmt = (n: number, digits = 0) =>
  Number.isFinite(n) ? n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits }) : "–";

/**
 * CPU time the process has used, in ms (Linux /proc; null elsewhere). Per
 * request it says what the work costs even when other programs share the
 * machine and the wall-clock figures wobble. Clock ticks are 10 ms on Linux.
 */
function cpuMs(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}
const perItem = (before: number | null, after: number | null, items: number) =>
  before === null || after === null || items === 0 ? NaN : (after - before) / items;
const load1 = () => round(os.loadavg()[0] ?? NaN, 2);

/** Statements the server has sent to its database since it started (`/healthz`). */
async function statementsSent(base: string): Promise<number | null> {
  const body = (await (await fetch(`${base}/healthz`)).json()) as { database?: { statements?: number } };
  return body.database?.statements ?? null;
}

/** One line of a table: figure, value, target, verdict. */
const row = tableRow(44, 14, 14);

// Bounded however the run goes: seeding, logins, ten page runs, posting, fan-out, stop and check, slack.
const budgetMs = (300 + 120 + 8 * (warmup + 10) + 10 * (duration + 30) + (duration + 60) + (120 + rounds * 8) + 120 + 120) * 1000;
setTimeout(() => {
  console.error(`Watchdog: the benchmark took longer than ${Math.round(budgetMs / 1000)} s; giving up.`);
  void cleanup().finally(() => finish(1, "watchdog"));
}, budgetMs).unref();

// ---------------------------------------------------------------------------
// Clean-up, however the run ends.

let handle: DatabaseHandle | undefined;
let crowd: Crowd | undefined;
let dropping: Promise<void> | undefined;

/** Drop the benchmark's PostgreSQL database (once; never throws). */
function dropDatabase(): Promise<void> {
  if (!serverDatabaseUrl) return Promise.resolve();
  return (dropping ??= dropBenchDatabase(serverDatabaseUrl).catch((e: unknown) =>
    console.warn(`  (warning: could not drop ${BENCH_DATABASE}: ${e instanceof Error ? e.message : String(e)})`),
  ));
}

async function closeHandle(): Promise<void> {
  const h = handle;
  handle = undefined;
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

async function checkPage(url: string, headers: Record<string, string>, mustContain: string, label: string): Promise<number> {
  const res = await fetch(url, { headers, redirect: "manual", signal: AbortSignal.timeout(15_000) });
  const html = await res.text();
  if (res.status !== 200) throw new Error(`${label} answered ${res.status} before the load, not 200.`);
  if (!html.includes(mustContain)) throw new Error(`${label} does not show the first comment ("${mustContain.slice(0, 20)}…").`);
  return Buffer.byteLength(html);
}

/** Log everyone in a few at a time (argon2 on the server); failures would count against the login limit, so stop at the first. */
async function loginAll(base: string, usernames: string[], concurrency = 4): Promise<string[]> {
  const cookies = new Array<string>(usernames.length);
  let next = 0;
  let failed = false;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (!failed && next < usernames.length) {
        const i = next++;
        try {
          cookies[i] = await login(base, usernames[i]!, DEMO_PASSWORD);
        } catch (error) {
          failed = true;
          throw error;
        }
      }
    }),
  );
  return cookies;
}

async function main() {
  await ensureBuild();
  figures.loadavg_start = load1();
  console.log(
    `\nHalls benchmark — production build, ${serverDatabaseUrl ? `PostgreSQL server (database ${BENCH_DATABASE})` : "embedded PGlite"}`,
  );

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
  const data: Prepared = await prepareData(handle, SHAPE);
  figures.proposals = data.counts.proposals;
  figures.comments = data.counts.comments;
  figures.replies = data.counts.replies;
  figures.hallMembers = data.counts.members;
  figures.seconds = data.counts.seconds;
  figures.seedMigrateMs = round(data.ms.migrate);
  figures.seedDemoMs = round(data.ms.demo);
  figures.seedBulkMs = round(data.ms.bulk);
  row("hall", `${data.hallName} (#${data.hallId})`);
  row("proposals in the hall", fmt(data.counts.proposals));
  row(`comments on proposal #${data.proposalId}`, `${fmt(data.counts.comments)} (${data.counts.replies} replies)`);
  row("active members (50 added)", fmt(data.counts.members));
  row("migrate / demo seed / bulk insert", `${fmt(data.ms.migrate)} / ${fmt(data.ms.demo)} / ${fmt(data.ms.bulk)} ms`);

  const cost = await measurePageQueries(handle, data.proposalId, data.memberId, 20);
  const fixed = cost.anonymous === cost.smallAnonymous && cost.member === cost.smallMember;
  figures.pageQueriesAnonymous = cost.anonymous;
  figures.pageQueriesMember = cost.member;
  figures.pageQueriesFixed = fixed;
  figures.getProposalPageMsAnonymous = round(cost.medianMsAnonymous, 2);
  figures.getProposalPageMsMember = round(cost.medianMsMember, 2);
  row("getProposalPage, 500 comments (median)", `${fmt(cost.medianMsAnonymous, 1)} / ${fmt(cost.medianMsMember, 1)} ms`, "anon / member");
  const memberCommentsBefore = await countComments(handle.db, data.proposalId, [data.memberId]);
  await closeHandle();

  // 2. The server on that data, and everyone logged in.
  const server: RunningServer = await startServer({ port, dataDir: target.kind === "pglite" ? target.dataDir : undefined, env: serverEnv });
  figures.startMs = round(server.msToFirstResponse);
  console.log(`\nServer ${server.url} answered after ${fmt(server.msToFirstResponse)} ms`);
  const [memberCookie] = await loginAll(server.url, [data.memberUsername]);
  const allAuthorCookies = await loginAll(server.url, data.authorUsernames);
  const authorCookies = allAuthorCookies.slice(0, AUTHORS);
  const warmupCookies = allAuthorCookies.slice(AUTHORS);
  const authorIds = data.authorIds.slice(0, AUTHORS);
  console.log(`  logged in ${data.memberUsername} and ${allAuthorCookies.length} authors`);

  // 3. The proposal page.
  const pageUrl = `${server.url}/proposals/${data.proposalId}`;
  const pages = [
    { key: "page_anon", label: "anonymous", headers: {} as Record<string, string> },
    { key: "page_member", label: `member (${data.memberUsername})`, headers: { Cookie: memberCookie! } },
  ];
  for (const page of pages) {
    const bytes = await checkPage(pageUrl, page.headers, data.firstCommentBody, `GET /proposals/${data.proposalId} (${page.label})`);
    figures[`${page.key}_bytes`] = bytes;
  }
  console.log(
    `\nProposal page GET /proposals/${data.proposalId}: 200, shows the first thread, ${fmt(Number(figures.page_anon_bytes) / 1024)} KiB anonymous`,
  );
  console.log(`  (autocannon, ${duration} s per run${warmup ? `, ${warmup} s unrecorded warm-up per page` : ""})`);
  console.log(
    `  ${"who".padEnd(30)} ${"conns".padStart(5)} ${"req/s".padStart(9)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)} ${"errors".padStart(7)} ${"non-2xx".padStart(8)} ${"server CPU/req".padStart(15)} ${"statements".padStart(11)}`,
  );
  /** One measured run: figures under `prefix`, a line of the table. Server CPU and statements are divided by the requests answered. */
  const measure = async (prefix: string, label: string, url: string, connections: number, headers: Record<string, string>, uncached = false) => {
    const cpuBefore = cpuMs(server.pid);
    const statementsBefore = await statementsSent(server.url);
    const r = await runAutocannon({ url, connections, duration, headers, uncached });
    const requests = Math.round(r.rps * duration);
    const cpuPerRequest = perItem(cpuBefore, cpuMs(server.pid), requests);
    // Less the statement of the second /healthz itself.
    const statementsAfter = await statementsSent(server.url);
    const statementsPerRequest = perItem(statementsBefore, statementsAfter === null ? null : statementsAfter - 1, requests);
    figures[`${prefix}_cpu_ms_per_req`] = round(cpuPerRequest, 2);
    figures[`${prefix}_statements_per_req`] = round(statementsPerRequest, 2);
    figures[`${prefix}_rps`] = round(r.rps, 1);
    figures[`${prefix}_p50_ms`] = round(r.p50, 2);
    figures[`${prefix}_p99_ms`] = round(r.p99, 2);
    figures[`${prefix}_errors`] = r.errors;
    figures[`${prefix}_non2xx`] = r.non2xx;
    console.log(
      `  ${label.padEnd(30)} ${String(connections).padStart(5)} ${fmt(r.rps, 1).padStart(9)} ${fmt(r.p50, 1).padStart(8)} ${fmt(r.p99, 1).padStart(8)} ${String(r.errors).padStart(7)} ${String(r.non2xx).padStart(8)} ${`${fmt(cpuPerRequest, 2)} ms`.padStart(15)} ${fmt(statementsPerRequest, 2).padStart(11)}`,
    );
    return r;
  };
  for (const page of pages) {
    if (warmup > 0) await runAutocannon({ url: pageUrl, connections: 10, duration: warmup, headers: page.headers });
    for (const connections of [10, 50]) await measure(`${page.key}_c${connections}`, page.label, pageUrl, connections, page.headers);
  }

  // 3b. Members' pages (issue 19 §1), at 50 connections: each page a member reads most, from the page cache where it
  // has one (ADR 0044) and, as "cold", with every request a miss (as after news in the page's room).
  const [officerCookie] = await loginAll(server.url, ["maqiang"]);
  const member = { Cookie: memberCookie! };
  const hallUrl = `${server.url}/halls/${data.hallId}`;
  const memberPages: [string, string, string, Record<string, string>, boolean][] = [
    ["page_member_cold", "proposal, member, cold", pageUrl, member, true],
    ["hall_member", "hall, member", hallUrl, member, false],
    ["hall_member_cold", "hall, member, cold", hallUrl, member, true],
    ["notifications_member", "/notifications, member", `${server.url}/notifications`, member, false],
    ["me_member", "/me, member", `${server.url}/me`, member, false],
    ["inbox_officer", "/inbox, department officer", `${server.url}/inbox`, { Cookie: officerCookie! }, false],
  ];
  console.log(`\nMembers' pages, 50 connections (statements: sent to the database per request)`);
  for (const [key, label, url, headers, uncached] of memberPages) {
    if (warmup > 0) await runAutocannon({ url, connections: 10, duration: warmup, headers, uncached });
    await measure(`${key}_c50`, label, url, 50, headers, uncached);
  }

  // The hall page's JavaScript, as a browser receives it (targets.md: < 120 KB with gzip).
  const weight = await measurePageWeight(`${server.url}/halls/${data.hallId}`);
  figures.hall_js_gzip_kb = round(weight.jsBytes / 1024, 1);
  figures.hall_js_raw_kb = round(weight.jsRawBytes / 1024, 1);
  figures.hall_js_files = weight.scripts.length;
  figures.hall_hydrated = weight.hydrated;
  console.log(`\nHall page /halls/${data.hallId} in Chromium: JavaScript shipped (gzip)`);
  for (const s of weight.scripts) row(`  ${s.url}`, `${fmt(s.bytes / 1024, 1)} KB`);
  row("total (gzip / uncompressed)", `${fmt(weight.jsBytes / 1024, 1)} / ${fmt(weight.jsRawBytes / 1024, 1)} KB`, "< 120 KB", weight.jsBytes < JS_BUDGET_BYTES);
  row("hydrated (live socket opened)", weight.hydrated ? "yes" : "no", "yes", weight.hydrated);

  // 4. Posting: 50 authors at once, each at most the hourly limit, time-boxed.
  console.log(
    `\nPosting comments: ${CONCURRENT_AUTHORS} authors at once (${authorCookies.length} in ${COHORTS} cohorts), ≤ ${POSTS_PER_AUTHOR} each, ≤ ${duration} s`,
  );
  if (warmup > 0) {
    // Unrecorded: other authors, so the measured ones keep their whole hourly limit.
    const warm = await postingRun({ base: server.url, proposalId: data.proposalId, cookies: warmupCookies, perAuthor: 10, durationS: warmup, label: "预热发言" });
    console.log(`  (warm-up, unrecorded: ${warm.accepted} comments by ${warmupCookies.length} other authors in ${fmt(warm.elapsedMs / 1000, 2)} s)`);
  }
  const postCpuBefore = cpuMs(server.pid);
  const posting = await postingRun({
    base: server.url,
    proposalId: data.proposalId,
    cookies: authorCookies,
    concurrency: CONCURRENT_AUTHORS,
    perAuthor: POSTS_PER_AUTHOR,
    durationS: duration,
    label: "压测发言",
  });
  const postCpu = perItem(postCpuBefore, cpuMs(server.pid), posting.accepted);
  const postRate = posting.accepted / (posting.elapsedMs / 1000);
  figures.post_cpu_ms_per_comment = round(postCpu, 2);
  figures.post_authors = posting.authors;
  figures.post_concurrency = CONCURRENT_AUTHORS;
  figures.post_attempts = posting.attempts;
  figures.post_status200 = posting.status200;
  figures.post_accepted = posting.accepted;
  figures.post_refused = posting.status200 - posting.accepted;
  figures.post_errors = posting.errors;
  figures.post_unanswered = posting.unanswered;
  figures.post_elapsed_s = round(posting.elapsedMs / 1000, 2);
  figures.post_capped = posting.capped;
  figures.post_per_s = round(postRate, 1);
  figures.post_p50_ms = round(posting.p50, 2);
  figures.post_p99_ms = round(posting.p99, 2);
  figures.post_max_ms = round(posting.max, 2);
  row("attempts / 200 answers / accepted", `${posting.attempts} / ${posting.status200} / ${posting.accepted}`);
  row("ended by", posting.capped ? `every author at ${POSTS_PER_AUTHOR}` : `the ${duration} s time box (${posting.authors} authors posted)`);
  row("elapsed", `${fmt(posting.elapsedMs / 1000, 2)} s`);
  row("comments/s", fmt(postRate, 1));
  row("server CPU per accepted comment", `${fmt(postCpu, 2)} ms`);
  row(
    "latency p50 / p99 / max",
    `${fmt(posting.p50, 1)} / ${fmt(posting.p99, 1)} / ${fmt(posting.max, 0)} ms`,
  );
  const outcomeText = Object.entries(posting.outcomes)
    .map(([k, v]) => `${k} ×${v}`)
    .join(", ");
  row("refusals and errors", outcomeText || "none");

  // 5. Fan-out to the proposal's watchers.
  const room = `proposal:${data.proposalId}`;
  console.log(`\nFan-out: ${watcherCount} socket.io watchers of ${room}, ${rounds} rounds (+1 unrecorded)`);
  const connectStarted = performance.now();
  crowd = await connectCrowd(server.url, room, watcherCount);
  figures.fanout_connect_ms = round(performance.now() - connectStarted);
  row("connected and joined", `${watcherCount} in ${fmt(performance.now() - connectStarted)} ms`);
  const lasts: number[] = [];
  const all: number[] = [];
  const postTimes: number[] = [];
  let missed = 0;
  let fanoutPosted = 0;
  for (let i = 0; i <= rounds; i++) {
    const r = await fanoutRound({
      crowd,
      base: server.url,
      cookie: memberCookie!,
      proposalId: data.proposalId,
      label: `扇出第${i}轮`,
      waitMs: FANOUT_WAIT_MS,
    });
    if (r.postOk) fanoutPosted++;
    else throw new Error(`The fan-out comment of round ${i} was not accepted.`);
    if (i > 0) {
      const got = r.latencies.filter((ms) => Number.isFinite(ms));
      missed += r.latencies.length - got.length;
      if (got.length < r.latencies.length)
        console.log(`  round ${i}: ${r.latencies.length - got.length} of ${r.latencies.length} watchers did not receive the comment within ${FANOUT_WAIT_MS} ms\n${process.env.BENCH_DEBUG ? server.output().slice(-3000) : ""}`);
      all.push(...got);
      postTimes.push(r.postMs);
      lasts.push(got.length === r.latencies.length ? Math.max(...got) : FANOUT_WAIT_MS);
    }
    await sleep(150);
  }
  crowd.close();
  crowd = undefined;
  figures.fanout_watchers = watcherCount;
  figures.fanout_rounds = rounds;
  figures.fanout_last_p50_ms = round(percentile(lasts, 50), 2);
  figures.fanout_last_p99_ms = round(percentile(lasts, 99), 2);
  figures.fanout_all_p50_ms = round(percentile(all, 50), 2);
  figures.fanout_all_p99_ms = round(percentile(all, 99), 2);
  figures.fanout_missed = missed;
  figures.fanout_post_p50_ms = round(percentile(postTimes, 50), 2);
  row("last watcher p50 / p99", `${fmt(percentile(lasts, 50), 1)} / ${fmt(percentile(lasts, 99), 1)} ms`);
  row("all deliveries p50 / p99", `${fmt(percentile(all, 50), 1)} / ${fmt(percentile(all, 99), 1)} ms`);
  row("the POST itself p50", `${fmt(percentile(postTimes, 50), 1)} ms`);
  row("deliveries missed", String(missed));

  figures.loadavg_end = load1();

  // 6. Stop, then check the database against the answers.
  const exit = await server.stop();
  if (exit.code !== 0) console.warn(`  (warning: the server exited with ${exit.code ?? exit.signal})`);
  handle = await openTarget(target);
  const stored = await countComments(handle.db, data.proposalId, authorIds);
  const storedFanout = (await countComments(handle.db, data.proposalId, [data.memberId])) - memberCommentsBefore;
  await closeHandle();
  // Exactly one comment per 200 answer. A request that got no answer (client time-out) may or may not have been stored:
  // then the count must lie between the 200s and the 200s plus the unanswered — nothing lost, nothing doubled.
  const postingConsistent =
    posting.status200 <= stored && stored <= posting.status200 + posting.unanswered && posting.accepted === posting.status200;
  figures.post_db_comments = stored;
  figures.post_db_matches = stored === posting.status200 && posting.accepted === posting.status200;
  figures.post_db_consistent = postingConsistent;
  figures.fanout_db_comments = storedFanout;
  console.log("\nCheck against the database");
  if (posting.unanswered === 0) row("posting: comments stored", String(stored), `= ${posting.status200} (200s)`, stored === posting.status200);
  else {
    // Requests in flight when the run stopped (or timed out): stored or not, never twice.
    row("posting: comments stored", String(stored), `${posting.status200}–${posting.status200 + posting.unanswered}`, postingConsistent);
    row("posting: requests cut off without an answer", String(posting.unanswered), `${stored - posting.status200} of them stored`);
  }
  if (posting.status200 !== posting.accepted) row("posting: of the 200 answers, accepted", String(posting.accepted));
  row("fan-out: comments stored", String(storedFanout), `= ${fanoutPosted} posted`, storedFanout === fanoutPosted);

  // 7. Summary against the targets.
  const anonRps = Number(figures.page_anon_c50_rps);
  const anonP99 = Number(figures.page_anon_c50_p99_ms);
  const postP99 = posting.p99;
  const lastP99 = percentile(lasts, 99);
  console.log(`\nSummary (${serverDatabaseUrl ? "PostgreSQL server" : "embedded PGlite"}; targets from /work/shared/targets.md)`);
  row("page, anonymous, 50 conns: req/s", fmt(anonRps, 1), "≥ 550", anonRps >= 550);
  row("page, anonymous, 50 conns: p99", `${fmt(anonP99, 1)} ms`, "< 150 ms", anonP99 < 150);
  // Issue 19 §1: a member's proposal page ≥ 600 req/s, p99 < 150 ms, ≤ 1.5 ms CPU; the other members' pages ≥ 400 req/s, p99 < 150 ms.
  const memberRow = (label: string, prefix: string, rps: number, cpu?: number) => {
    const [r, p99, c] = [Number(figures[`${prefix}_rps`]), Number(figures[`${prefix}_p99_ms`]), Number(figures[`${prefix}_cpu_ms_per_req`])];
    row(
      `${label}: req/s / p99${cpu ? " / CPU" : ""}`,
      `${fmt(r, 0)} / ${fmt(p99, 0)}${cpu ? ` / ${fmt(c, 2)}` : ""}`,
      `≥ ${rps} / < 150${cpu ? ` / ≤ ${cpu}` : ""}`,
      r >= rps && p99 < 150 && (!cpu || c <= cpu),
    );
  };
  memberRow("page, member, 50 conns", "page_member_c50", 600, 1.5);
  memberRow("page, member, cold (every look a miss)", "page_member_cold_c50", 600, 1.5);
  memberRow("hall page, member", "hall_member_c50", 400);
  memberRow("hall page, member, cold", "hall_member_cold_c50", 400);
  memberRow("/notifications, member", "notifications_member_c50", 400);
  memberRow("/me, member", "me_member_c50", 400);
  memberRow("/inbox, department officer", "inbox_officer_c50", 400);
  row("hall page JavaScript (gzip)", `${fmt(weight.jsBytes / 1024, 1)} KB`, "< 120 KB", weight.jsBytes < JS_BUDGET_BYTES);
  row("posting, 50 authors: comments/s", fmt(postRate, 1), "≥ 800/s", postRate >= 800);
  row("posting, 50 authors: p99", `${fmt(postP99, 1)} ms`, "< 100 ms", postP99 < 100);
  row(`fan-out to ${watcherCount}: last received p99`, `${fmt(lastP99, 1)} ms`, "< 60 ms", lastP99 < 60 && missed === 0);
  row(
    "posting: comments stored vs 200 answers",
    `${stored} vs ${posting.status200}${posting.unanswered ? ` (+${posting.unanswered} unanswered)` : ""}`,
    "equal",
    posting.unanswered ? postingConsistent : stored === posting.status200,
  );
  row(
    "machine load average (1 min), start / end",
    `${fmt(Number(figures.loadavg_start), 1)} / ${fmt(Number(figures.loadavg_end), 1)}`,
    `${os.cpus().length} CPUs`,
  );
  console.log(
    `proposal page queries: ${fixed ? "fixed" : "NOT fixed"} (${cost.anonymous}) — getProposalPage sends ${cost.anonymous} statements anonymous, ${cost.member} for a member, whatever the comment count (${cost.smallAnonymous} / ${cost.smallMember} on a proposal with a few comments)`,
  );
  console.log("");
  if (!postingConsistent)
    throw new Error(
      `The database holds ${stored} new comments, but ${posting.status200} posts answered 200 (${posting.unanswered} unanswered).`,
    );
  if (storedFanout !== fanoutPosted)
    throw new Error(`The database holds ${storedFanout} fan-out comments, but ${fanoutPosted} were accepted.`);
}

main().then(
  async () => {
    await cleanup();
    finish(0);
  },
  async (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`\nThe halls benchmark failed: ${message}`);
    await cleanup();
    finish(1, message.split("\n")[0]);
  },
);
