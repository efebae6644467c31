/**
 * Whistles benchmark (`npm run bench -- whistles`): report-for-duty at the
 * size of a year. Before the server starts, opens a database of its own,
 * migrates it, seeds the demo and then — with set-based SQL — 50 departments,
 * 17 subdistricts, a year of historical whistles (default 1 000 000 on a
 * PostgreSQL server, 200 000 on PGlite) with their assignments (returns and
 * their replacements, co-operating parts, redos) and residents' ratings for
 * 40 % of them, 300 open assignments for 东城区城管执法局 and 2 000 assignments
 * due for the deadline sweep. Then measures:
 *   1. the full recount of the monthly rate counts (`rebuildRateCounts`: the
 *      data is bulk-inserted around the commands), then one month's three
 *      rates for every department of the district, `monthlyRates(db,
 *      districtPath, month)`, 10 runs (p50/p99), and for one subdistrict; the
 *      counts statement EXPLAIN ANALYZEd;
 *   2. the deadline sweep `sweepWhistles(now)` over the 2 000 due assignments,
 *      a second sweep right after, and whether assignments that fall due after
 *      that are still flagged (the sweep takes at most 2 000 rows a run);
 *   3. the department inbox `/inbox` as maqiang (production build) with
 *      autocannon at 10 and 50 connections.
 * Prints a table as it goes and, as its very last line, one JSON object with
 * every figure.
 *
 * Environment: DATABASE_URL (create, use and drop the database
 * `gongzhi_bench_whistles` on that local PostgreSQL server, whatever database
 * the URL names; otherwise PGlite in a fresh temp folder), BENCH_WHISTLES
 * (historical whistles), BENCH_RATES_RUNS (default 10), BENCH_DUE (default
 * 2000), BENCH_INBOX (default 300), BENCH_DURATION (seconds per page run,
 * default 10), BENCH_WARMUP (default 2), BENCH_PORT (default 3360).
 */
import os from "node:os";
import { setDatabase, redact, type DatabaseHandle } from "#db/client.server";
import { DEMO_PASSWORD } from "~/modules/identity/demo-accounts";
import { sweepWhistles } from "~/modules/whistles/commands.server";
import { loadActor } from "~/modules/identity/actor.server";
import { getInbox, monthlyRates } from "~/modules/whistles/queries.server";
import { addBacklogAndFresh, BENCH_DATABASE, createBenchDatabase, dropBenchDatabase, openTarget, prepareData, retireSweepRows, sweepState, type BenchTarget, type Prepared } from "./lib/whistles-data";
import { captureMonthlyRates, errorText, explain, runRaw, type Statement } from "./lib/whistles-queries";
import { rebuildRateCounts, rebuildRateCountsIfStale } from "~/modules/whistles/rate-counts.server";
import { ensureBuild, login, makeTempDataDir, runAutocannon, startServer, stopAll, type RunningServer } from "./lib/server";
import { envInteger, envNumber, finisher } from "./lib/report";

const serverDatabaseUrl = process.env.DATABASE_URL || undefined;
const whistleCount = envInteger("BENCH_WHISTLES", 1_000_000, 1_000, 5_000_000);
const ratesRuns = envInteger("BENCH_RATES_RUNS", 10, 1, 100);
const dueCount = envInteger("BENCH_DUE", 2_000, 4, 20_000);
const inboxCount = envInteger("BENCH_INBOX", 300, 1, 5_000);
const duration = envNumber("BENCH_DURATION", 10, 1, 600);
const warmup = envNumber("BENCH_WARMUP", 2, 0, 60);
const port = envInteger("BENCH_PORT", 3360, 1024, 65535);
/** Stop repeating a rates run once one run took this long (it blocks the event loop: no watchdog can cut it short). */
const SLOW_RUN_MS = 60_000;
/** Assignments that fall due behind a backlog of work in progress, to see whether the next sweep reaches them. */
const FRESH_OVERDUE = 100;
/** The sweep's `limit` (commands.server.ts): a backlog this big fills it. */
const SWEEP_LIMIT = 2_000;

const figures: Record<string, number | string | boolean | null> = {
  database: serverDatabaseUrl ? "postgres" : "pglite",
  cpus: os.cpus().length,
  whistlesRequested: whistleCount,
};
const finish: (code: number, error?: string) => never = finisher(figures);

const round = (n: number, digits = 0) => (Number.isFinite(n) ? Number(n.toFixed(digits)) : null);
const fmt = (n: number, digits = 0) => (Number.isFinite(n) ? n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits }) : "–");
const load1 = () => round(os.loadavg()[0] ?? NaN, 2);

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/** One line of a table: figure, value, note. */
function row(label: string, value: string, note = "") {
  console.log(`  ${label.padEnd(46)} ${value.padStart(16)}   ${note}`.trimEnd());
}

// Bounded however the run goes: seeding (PGlite is slow), rates runs, the sweeps, two page runs, stops, slack.
const budgetMs = (900 + 2 * ratesRuns * 30 + 300 + 90 + 3 * (warmup + duration + 30) + 120) * 1000;
setTimeout(() => {
  console.error(`Watchdog: the benchmark took longer than ${Math.round(budgetMs / 1000)} s; giving up.`);
  void cleanup().finally(() => finish(1, "watchdog"));
}, budgetMs).unref();

// ---------------------------------------------------------------------------
// Clean-up, however the run ends.

let handle: DatabaseHandle | undefined;
let dropping: Promise<void> | undefined;

function dropDatabase(): Promise<void> {
  if (!serverDatabaseUrl) return Promise.resolve();
  return (dropping ??= dropBenchDatabase(serverDatabaseUrl).catch((e: unknown) => console.warn(`  (warning: could not drop ${BENCH_DATABASE}: ${errorText(e)})`)));
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
    .catch((e: unknown) => console.warn(`  (warning: closing the database: ${errorText(e)})`))
    .finally(() => clearTimeout(timer));
}

async function cleanup(): Promise<void> {
  await stopAll();
  await closeHandle();
  await dropDatabase();
  // The temp data folder is removed by lib/server's exit handler.
}

// lib/server stops the servers on a signal and exits; drop the database alongside (WITH (FORCE) does not wait).
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void dropDatabase());

// ---------------------------------------------------------------------------

/** The last complete month (Beijing time) — or the one before, early in a month, so the history covers all of it. */
function measuredMonth(now: Date): Date {
  const beijing = new Date(now.getTime() + 8 * 3_600_000);
  const back = beijing.getUTCDate() <= 10 ? 2 : 1;
  return new Date(Date.UTC(beijing.getUTCFullYear(), beijing.getUTCMonth() - back, 1));
}
const monthLabel = (m: Date) => `${m.getUTCFullYear()}-${String(m.getUTCMonth() + 1).padStart(2, "0")}`;

/** Up to `runs` calls of monthlyRates (fewer once one is slower than SLOW_RUN_MS); ms per run, departments, or the error. */
async function rateRuns(unitPath: string, month: Date, runs: number) {
  const ms: number[] = [];
  let departments = 0;
  let dispatched = 0;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    try {
      const result = await monthlyRates(handle!.db, unitPath, month);
      departments = result.length;
      dispatched = result.reduce((s, r) => s + r.dispatched, 0);
    } catch (error) {
      return { ms, departments, dispatched, error: errorText(error) };
    }
    ms.push(performance.now() - started);
    if (ms.at(-1)! > SLOW_RUN_MS) break;
  }
  return { ms, departments, dispatched, error: null as string | null };
}

function planSummary(lines: string[]): string[] {
  // The plan's nodes and timings, without the buffer and planning noise.
  return lines.filter((l) => !/^\s*(Buffers|Planning:|I\/O Timings)/.test(l)).slice(0, 40);
}

async function measureRates(data: Prepared) {
  const month = measuredMonth(data.now);
  figures.rates_month = monthLabel(month);
  console.log(`\nThree rates for ${monthLabel(month)} — monthlyRates(db, path, month) from the monthly counts (ADR 0018), up to ${ratesRuns} runs each`);

  // The data was bulk-inserted around the commands: count it once, as after an import.
  const rebuildStarted = performance.now();
  const countRows = await rebuildRateCounts(handle!.db);
  figures.rates_rebuild_ms = round(performance.now() - rebuildStarted);
  figures.rates_count_rows = countRows;
  row("full recount (rebuildRateCounts), all months", `${fmt(performance.now() - rebuildStarted, 0)} ms`, `${fmt(countRows)} count rows`);

  // What it sends, for the district.
  const captured = await captureMonthlyRates(handle!, data.districtPath, month);
  const [counts] = captured.statements as [Statement | undefined];
  if (!counts) throw new Error(`monthlyRates sent no statement (${captured.error ?? "no error"}).`);
  figures.rates_statements = captured.statements.length;

  // 1. The district, as the dashboard calls it.
  const district = await rateRuns(data.districtPath, month, ratesRuns);
  figures.rates_district_runs = district.ms.length;
  figures.rates_district_p50_ms = round(percentile(district.ms, 50), 1);
  figures.rates_district_p99_ms = round(percentile(district.ms, 99), 1);
  figures.rates_district_departments = district.departments;
  figures.rates_district_assignments = district.dispatched;
  figures.rates_district_error = district.error;
  if (district.error) row("district: FAILED", "", district.error);
  else row(`district (${district.departments} departments), p50 / p99`, `${fmt(percentile(district.ms, 50), 1)} / ${fmt(percentile(district.ms, 99), 1)} ms`, `${district.ms.length} runs, ${fmt(district.dispatched)} assignments`);

  // 2. One subdistrict (朝阳门街道).
  const sub = await rateRuns(data.subdistrictPath, month, ratesRuns);
  figures.rates_subdistrict_runs = sub.ms.length;
  figures.rates_subdistrict_p50_ms = round(percentile(sub.ms, 50), 1);
  figures.rates_subdistrict_p99_ms = round(percentile(sub.ms, 99), 1);
  figures.rates_subdistrict_assignments = sub.dispatched;
  figures.rates_subdistrict_error = sub.error;
  if (sub.error) row("one subdistrict: FAILED", "", sub.error);
  else row(`one subdistrict (${sub.departments} departments), p50 / p99`, `${fmt(percentile(sub.ms, 50), 1)} / ${fmt(percentile(sub.ms, 99), 1)} ms`, `${sub.ms.length} runs, ${fmt(sub.dispatched)} assignments`);

  // 3. The counts agree with the assignments' own bits for that month (the integration test checks the bits against a recount).
  const [direct] = await runRaw(
    handle!,
    `select count(*)::int as n from assignments a join whistles w on w.id = a.whistle_id join units u on u.id = w.subdistrict_id
      where u.path like $1 and a.dispatched_at >= $2::timestamptz and a.dispatched_at < $3::timestamptz`,
    [`${data.districtPath}%`, new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth(), 1) - 8 * 3_600_000).toISOString(), new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 1) - 8 * 3_600_000).toISOString()],
  );
  figures.rates_direct_assignments = Number(direct!.n);
  row("assignments that month, counted directly", fmt(Number(direct!.n)), Number(direct!.n) === district.dispatched ? "= the counts" : "≠ the counts: WRONG");

  const plan = await explain(handle!, counts);
  console.log("\n  EXPLAIN ANALYZE of the counts statement (district):");
  for (const line of planSummary(plan)) console.log(`    ${line}`);
  figures.rates_counts_plan_ms = round(Number(/Execution Time: ([\d.]+)/.exec(plan.join("\n"))?.[1] ?? NaN), 2);
}

async function measureSweep(data: Prepared) {
  console.log(`\nDeadline sweep — sweepWhistles(now) with ${fmt(data.counts.due)} assignments due (a quarter each: remind, overdue, supervise, public)`);
  let started = performance.now();
  const first = await sweepWhistles(data.now);
  const firstMs = performance.now() - started;
  const state = await sweepState(handle!.db, data.dueIds);
  figures.sweep_ms = round(firstMs);
  figures.sweep_remind = first.remind;
  figures.sweep_overdue = first.overdue;
  figures.sweep_supervise = first.supervise;
  figures.sweep_public = first.public;
  figures.sweep_per_assignment_ms = round(firstMs / Math.max(1, first.remind + first.overdue + first.supervise + first.public), 2);
  row("first sweep", `${fmt(firstMs, 0)} ms`, `remind ${first.remind} · overdue ${first.overdue} · supervise ${first.supervise} · public ${first.public}`);
  row("  stored afterwards", `${state.reminded + state.overdue}`, `reminded ${state.reminded} · overdue ${state.overdue} · supervised ${state.supervised} · listed ${state.listed}`);

  started = performance.now();
  const second = await sweepWhistles(data.now);
  figures.sweep_again_ms = round(performance.now() - started);
  figures.sweep_again_steps = second.remind + second.overdue + second.supervise + second.public;
  row("second sweep right after (nothing new)", `${fmt(performance.now() - started, 0)} ms`, `${figures.sweep_again_steps} steps taken`);

  // The first batch is handled; close it. Then: assignments in progress (on time) and a few that just fell due.
  const closedFirst = await retireSweepRows(handle!.db, [data.dueIds]);
  const laid = await addBacklogAndFresh(handle!.db, data.now, SWEEP_LIMIT, FRESH_OVERDUE);
  const later = new Date(data.now.getTime() + 60_000);
  started = performance.now();
  const third = await sweepWhistles(later);
  figures.sweep_backlog_ms = round(performance.now() - started);
  const flagged = (await sweepState(handle!.db, laid.fresh)).overdue;
  figures.sweep_backlog = SWEEP_LIMIT;
  figures.sweep_fresh_due = FRESH_OVERDUE;
  figures.sweep_fresh_flagged = flagged;
  figures.sweep_fresh_starved = flagged < FRESH_OVERDUE;
  row(`${fmt(SWEEP_LIMIT)} on time + ${FRESH_OVERDUE} just overdue: sweep flags`, `${flagged} of ${FRESH_OVERDUE}`, `${fmt(performance.now() - started, 0)} ms; steps ${third.remind + third.overdue + third.supervise + third.public}`);

  // Control: without the in-progress backlog, the same sweep reaches them.
  const closedBacklog = await retireSweepRows(handle!.db, [laid.backlog]);
  await sweepWhistles(new Date(later.getTime() + 60_000));
  const control = (await sweepState(handle!.db, laid.fresh)).overdue;
  figures.sweep_fresh_flagged_without_backlog = control;
  row("  control: backlog closed, next sweep flags", `${control} of ${FRESH_OVERDUE}`);
  if (flagged < FRESH_OVERDUE && control === FRESH_OVERDUE) {
    console.log(`  → starved: the sweep locks the first ${fmt(SWEEP_LIMIT)} open assignments whose *least* deadline is within a day`);
    console.log(`    (the sign-for deadline, long met, for everything in progress), with no order; overdue ones past the limit wait.`);
  }
  const retired = closedFirst + closedBacklog + (await retireSweepRows(handle!.db, [laid.fresh]));
  row("sweep's test assignments closed before the page runs", fmt(retired));
}

async function measureInboxQueries(data: Prepared) {
  const [user] = await runRaw(handle!, "select id from users where username = 'maqiang'");
  const ms: number[] = [];
  let items = 0;
  for (let i = 0; i < 21; i++) {
    const started = performance.now();
    const actor = await loadActor(handle!.db, Number(user!.id));
    items = (await getInbox(handle!.db, actor)).length;
    if (i > 0) ms.push(performance.now() - started);
  }
  figures.inbox_queries_p50_ms = round(percentile(ms, 50), 2);
  const [open] = await runRaw(handle!, `select count(*)::int as n from assignments where department_id = ${data.bureauId} and state in ('dispatched','signed','on_site')`);
  figures.inbox_open = Number(open!.n);
  row("inbox queries alone (loadActor + getInbox), p50", `${fmt(percentile(ms, 50), 1)} ms`, `${items} items of ${figures.inbox_open} open, 20 runs, in this process`);
}

async function measureInbox(server: RunningServer) {
  const cookie = await login(server.url, "maqiang", DEMO_PASSWORD);
  const url = `${server.url}/inbox`;
  const res = await fetch(url, { headers: { Cookie: cookie }, redirect: "manual", signal: AbortSignal.timeout(30_000) });
  const html = await res.text();
  if (res.status !== 200) throw new Error(`GET /inbox as maqiang answered ${res.status}, not 200.`);
  const items = (html.match(/<li class="list-item/g) ?? []).length;
  if (!html.includes("待办派单 #")) throw new Error("GET /inbox as maqiang does not list the benchmark's open assignments.");
  figures.inbox_items_shown = items;
  figures.inbox_bytes = Buffer.byteLength(html);
  console.log(`\nInbox GET /inbox as maqiang (东城区城管执法局): 200, ${items} items shown of ${fmt(Number(figures.inbox_open))} open, ${fmt(Buffer.byteLength(html) / 1024)} KiB`);
  console.log(`  (autocannon, ${duration} s per run${warmup ? `, ${warmup} s unrecorded warm-up` : ""})`);
  console.log(`  ${"conns".padStart(5)} ${"req/s".padStart(9)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)} ${"errors".padStart(7)} ${"non-2xx".padStart(8)}`);
  if (warmup > 0) await runAutocannon({ url, connections: 10, duration: warmup, headers: { Cookie: cookie } });
  for (const connections of [10, 50]) {
    const r = await runAutocannon({ url, connections, duration, headers: { Cookie: cookie } });
    const prefix = `inbox_c${connections}`;
    figures[`${prefix}_rps`] = round(r.rps, 1);
    figures[`${prefix}_p50_ms`] = round(r.p50, 2);
    figures[`${prefix}_p99_ms`] = round(r.p99, 2);
    figures[`${prefix}_errors`] = r.errors;
    figures[`${prefix}_non2xx`] = r.non2xx;
    console.log(`  ${String(connections).padStart(5)} ${fmt(r.rps, 1).padStart(9)} ${fmt(r.p50, 1).padStart(8)} ${fmt(r.p99, 1).padStart(8)} ${String(r.errors).padStart(7)} ${String(r.non2xx).padStart(8)}`);
    if (r.non2xx > 0 || r.errors > 0) console.warn(`  (warning: ${r.non2xx} non-2xx answers and ${r.errors} errors at ${connections} connections)`);
  }
  // The loaders' data alone (what a client-side navigation fetches): tells the queries and serialisation from the HTML render.
  const dataUrl = `${url}.data`;
  const probe = await fetch(dataUrl, { headers: { Cookie: cookie }, signal: AbortSignal.timeout(30_000) });
  const body = await probe.text();
  if (probe.status !== 200 || !body.includes("待办派单 #")) throw new Error(`GET /inbox.data answered ${probe.status} without the inbox's items.`);
  figures.inbox_data_bytes = Buffer.byteLength(body);
  const d = await runAutocannon({ url: dataUrl, connections: 10, duration, headers: { Cookie: cookie } });
  figures.inbox_data_c10_rps = round(d.rps, 1);
  figures.inbox_data_c10_p50_ms = round(d.p50, 2);
  figures.inbox_data_c10_p99_ms = round(d.p99, 2);
  console.log(`  ${"10".padStart(5)} ${fmt(d.rps, 1).padStart(9)} ${fmt(d.p50, 1).padStart(8)} ${fmt(d.p99, 1).padStart(8)} ${String(d.errors).padStart(7)} ${String(d.non2xx).padStart(8)}   /inbox.data (loader data only, ${fmt(Buffer.byteLength(body) / 1024)} KiB)`);
}

async function main() {
  await ensureBuild();
  figures.loadavg_start = load1();
  console.log(`\nWhistles benchmark — ${serverDatabaseUrl ? `PostgreSQL server (database ${BENCH_DATABASE})` : "embedded PGlite"}, ${fmt(whistleCount)} historical whistles`);

  // 1. The data, before the server starts.
  let target: BenchTarget;
  let serverEnv: Record<string, string | undefined> = {};
  if (serverDatabaseUrl) {
    const url = await createBenchDatabase(serverDatabaseUrl);
    target = { kind: "postgres", url };
    serverEnv = { DATABASE_URL: url };
    console.log(`\nData (${redact(url)}), set-based SQL`);
  } else {
    target = { kind: "pglite", dataDir: makeTempDataDir() };
    serverEnv = { DATABASE_URL: "" };
    console.log(`\nData (PGlite in ${target.dataDir}), set-based SQL`);
  }
  handle = await openTarget(target);
  setDatabase(handle); // the sweep's commands use the process's database
  console.log(`  ${"step".padEnd(32)} ${"rows".padStart(10)} ${"ms".padStart(10)} ${"rows/s".padStart(12)}`);
  const data = await prepareData(handle, { whistles: whistleCount, departments: 50, subdistricts: 17, inbox: inboxCount, due: dueCount }, (s) =>
    console.log(`  ${s.what.padEnd(32)} ${(s.rows ? fmt(s.rows) : "").padStart(10)} ${fmt(s.ms).padStart(10)} ${(s.rows ? fmt(s.rows / (s.ms / 1000)) : "").padStart(12)}`),
  );
  for (const s of data.steps) figures[`seed_${s.what.replace(/\W+/g, "_").replace(/^_|_$/g, "")}_ms`] = round(s.ms);
  figures.seed_total_ms = round(data.steps.reduce((t, s) => t + s.ms, 0));
  Object.assign(figures, Object.fromEntries(Object.entries(data.counts).map(([k, v]) => [`count_${k}`, v])));
  row("departments / subdistricts", `${data.counts.departments} / ${data.counts.subdistricts}`);
  row("whistles / assignments / ratings", `${fmt(data.counts.whistles)} / ${fmt(data.counts.assignments)} / ${fmt(data.counts.ratings)}`);

  // 2. The rates and the sweep, in this process.
  await measureRates(data);
  await measureSweep(data);
  console.log("");
  await measureInboxQueries(data);
  // The sweep's extra rows were written around the commands: count them now, as the server's start would.
  const staleStarted = performance.now();
  await rebuildRateCountsIfStale(handle!.db);
  figures.rates_rebuild_after_sweep_ms = round(performance.now() - staleStarted);
  await closeHandle();

  // 3. The server on that data: maqiang's inbox.
  const server = await startServer({ port, dataDir: target.kind === "pglite" ? target.dataDir : undefined, env: serverEnv, timeoutMs: 180_000 });
  figures.startMs = round(server.msToFirstResponse);
  console.log(`\nServer ${server.url} answered after ${fmt(server.msToFirstResponse)} ms`);
  await measureInbox(server);
  figures.loadavg_end = load1();
  const exit = await server.stop();
  if (exit.code !== 0) console.warn(`  (warning: the server exited with ${exit.code ?? exit.signal})`);

  // 4. Summary.
  console.log(`\nSummary (${serverDatabaseUrl ? "PostgreSQL server" : "embedded PGlite"}, ${fmt(data.counts.whistles)} whistles, ${fmt(data.counts.assignments)} assignments)`);
  row(`rates, district, ${figures.rates_month}: p50 / p99`, figures.rates_district_error ? "FAILED" : `${fmt(Number(figures.rates_district_p50_ms))} / ${fmt(Number(figures.rates_district_p99_ms))} ms`, String(figures.rates_district_error ?? ""));
  row(`rates, one subdistrict: p50 / p99`, figures.rates_subdistrict_error ? "FAILED" : `${fmt(Number(figures.rates_subdistrict_p50_ms))} / ${fmt(Number(figures.rates_subdistrict_p99_ms))} ms`);
  row("sweep of the due assignments", `${fmt(Number(figures.sweep_ms))} ms`, `${fmt(Number(figures.sweep_per_assignment_ms), 2)} ms per step`);
  row("later-due assignments flagged by the next sweep", `${figures.sweep_fresh_flagged} of ${FRESH_OVERDUE}`, figures.sweep_fresh_starved ? "STARVED" : "ok");
  row("/inbox, 10 conns: req/s, p50 / p99", `${fmt(Number(figures.inbox_c10_rps), 1)}, ${fmt(Number(figures.inbox_c10_p50_ms), 1)} / ${fmt(Number(figures.inbox_c10_p99_ms), 1)} ms`);
  row("/inbox, 50 conns: req/s, p50 / p99", `${fmt(Number(figures.inbox_c50_rps), 1)}, ${fmt(Number(figures.inbox_c50_p50_ms), 1)} / ${fmt(Number(figures.inbox_c50_p99_ms), 1)} ms`, `${figures.inbox_c50_errors} errors`);
  row("/inbox.data, 10 conns: req/s, p50 / p99", `${fmt(Number(figures.inbox_data_c10_rps), 1)}, ${fmt(Number(figures.inbox_data_c10_p50_ms), 1)} / ${fmt(Number(figures.inbox_data_c10_p99_ms), 1)} ms`, "loader data only");
  row("machine load average (1 min), start / end", `${fmt(Number(figures.loadavg_start), 1)} / ${fmt(Number(figures.loadavg_end), 1)}`, `${os.cpus().length} CPUs`);
  console.log("");
}

main().then(
  async () => {
    await cleanup();
    finish(0);
  },
  async (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`\nThe whistles benchmark failed: ${message}`);
    await cleanup();
    finish(1, message.split("\n")[0]);
  },
);
