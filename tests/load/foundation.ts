/**
 * Foundation benchmark (`npm run bench -- foundation`): cold start and restart
 * of the production server, HTTP throughput of the home page (anonymous) and
 * of /notifications (logged in) at 10 and 50 connections, and idle memory
 * after the load. Prints a table as it goes and, as its very last line, one
 * JSON object with every figure.
 *
 * Environment: BENCH_DURATION (seconds per load run, default 10),
 * BENCH_WARMUP (unrecorded seconds per page before its runs, default 2),
 * BENCH_PORT (first port, default 3300), DATABASE_URL (create, use and drop
 * the database `gongzhi_bench_foundation`, with the demo district, on that
 * local PostgreSQL server instead of a fresh embedded PGlite).
 */
import { setTimeout as sleep } from "node:timers/promises";
import postgres from "postgres";
import { DEMO_PASSWORD } from "~/modules/identity/demo-accounts";
import { ensureBuild, login, processMemory, runAutocannon, startServer, stopAll, type RunningServer } from "./lib/server";
import { finisher, tableRow } from "./lib/report";

function seconds(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === "" ? fallback : Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number of seconds, not "${raw}".`);
  return value;
}

const duration = seconds("BENCH_DURATION", 10);
const warmup = seconds("BENCH_WARMUP", 2);
const basePort = seconds("BENCH_PORT", 3300);
const usesServerDatabase = Boolean(process.env.DATABASE_URL);
const BENCH_DATABASE = "gongzhi_bench_foundation";

/** Create (or drop) the benchmark's own database on DATABASE_URL's local server; returns its URL. */
async function benchDatabase(action: "create" | "drop"): Promise<string> {
  const url = new URL(process.env.DATABASE_URL!);
  if (!["127.0.0.1", "localhost", "[::1]", "::1"].includes(url.hostname)) throw new Error("Refusing a non-local DATABASE_URL.");
  url.pathname = "/postgres";
  const admin = postgres(url.toString(), { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    await admin.unsafe(`drop database if exists ${BENCH_DATABASE} with (force)`);
    if (action === "create") await admin.unsafe(`create database ${BENCH_DATABASE}`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  url.pathname = `/${BENCH_DATABASE}`;
  return url.toString();
}

const figures: Record<string, number | string | null> = {
  database: usesServerDatabase ? "postgres" : "pglite",
  durationS: duration,
};
/** Print the JSON line last and exit; the exit handler in lib/server kills anything left. */
const finish: (code: number, error?: string) => never = finisher(figures);

const round = (n: number, digits = 0) => Number(n.toFixed(digits));
const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** One line of the table: figure, value, target, verdict. */
const row = tableRow(40, 12, 12);

// Bounded however the run goes: three starts, two pages (warm-up + two runs each), slack.
const budgetMs = (3 * 90 + 2 * (warmup + 2 * duration + 30) + 120) * 1000;
setTimeout(() => {
  console.error(`Watchdog: the benchmark took longer than ${Math.round(budgetMs / 1000)} s; giving up.`);
  finish(1, "watchdog");
}, budgetMs).unref();

async function main() {
  await ensureBuild();

  // 1. Cold start and restart.
  console.log(`\nFoundation benchmark — production build, ${usesServerDatabase ? "PostgreSQL server (DATABASE_URL)" : "embedded PGlite"}`);
  console.log("\nStart-up (spawn → first 200 of GET /)");
  // A server database starts empty here and gets the demo district, like the embedded one (a user to log in as).
  const env = usesServerDatabase ? { DATABASE_URL: await benchDatabase("create"), DEMO: "true" } : undefined;
  const first = await startServer({ port: basePort, env });
  figures.firstStartMs = round(first.msToFirstResponse);
  row("first start ever (create, migrate, seed)", `${fmt(first.msToFirstResponse)} ms`, "< 15,000 ms", first.msToFirstResponse < 15_000);
  const firstExit = await first.stop();
  if (firstExit.code !== 0) console.warn(`  (warning: the first server exited with ${firstExit.code ?? firstExit.signal})`);

  // The README's own command, as a resident restarting the demo would type it (issue 14 §9): nothing changed, so nothing is installed or built.
  const viaNpm = await startServer({ port: basePort + 2, dataDir: first.dataDir, env, viaNpmStart: true });
  figures.restartNpmStartMs = round(viaNpm.msToFirstResponse);
  row("restart by `npm start` (README)", `${fmt(viaNpm.msToFirstResponse)} ms`, "< 2,000 ms", viaNpm.msToFirstResponse < 2_000);
  await viaNpm.stop();

  const server: RunningServer = await startServer({ port: basePort + 1, dataDir: first.dataDir, env });
  figures.restartMs = round(server.msToFirstResponse);
  row("restart (database already created)", `${fmt(server.msToFirstResponse)} ms`, "< 2,000 ms", server.msToFirstResponse < 2_000);
  // Idle memory before any load: what a quiet server holds (the figure after the load follows below).
  await sleep(3_000);
  const idleMemory = processMemory(server.pid);
  figures.rssIdleMiB = idleMemory ? round(idleMemory.rssMiB, 1) : null;

  // 2. Throughput. Check first that each page answers 200 as intended, or the figures would measure redirects.
  const cookie = await login(server.url, "wangxiulan", DEMO_PASSWORD);
  const pages = [
    { key: "home", label: "/ anonymous", url: `${server.url}/`, headers: {} as Record<string, string> },
    { key: "auth", label: "/notifications (wangxiulan)", url: `${server.url}/notifications`, headers: { Cookie: cookie } },
  ];
  for (const page of pages) {
    const res = await fetch(page.url, { headers: page.headers, redirect: "manual", signal: AbortSignal.timeout(10_000) });
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${page.label} answered ${res.status} before the load, not 200.`);
  }

  console.log(`\nHTTP load (autocannon, ${duration} s per run${warmup ? `, ${warmup} s unrecorded warm-up per page` : ""})`);
  console.log(`  ${"page".padEnd(28)} ${"conns".padStart(5)} ${"req/s".padStart(9)} ${"p50 ms".padStart(8)} ${"p99 ms".padStart(8)} ${"errors".padStart(7)} ${"non-2xx".padStart(8)}`);
  for (const page of pages) {
    if (warmup > 0) await runAutocannon({ url: page.url, connections: 10, duration: warmup, headers: page.headers });
    for (const connections of [10, 50]) {
      const r = await runAutocannon({ url: page.url, connections, duration, headers: page.headers });
      const prefix = `${page.key}_c${connections}`;
      figures[`${prefix}_rps`] = round(r.rps, 1);
      figures[`${prefix}_p50_ms`] = round(r.p50, 2);
      figures[`${prefix}_p99_ms`] = round(r.p99, 2);
      figures[`${prefix}_errors`] = r.errors;
      figures[`${prefix}_non2xx`] = r.non2xx;
      console.log(
        `  ${page.label.padEnd(28)} ${String(connections).padStart(5)} ${fmt(r.rps, 1).padStart(9)} ${fmt(r.p50, 1).padStart(8)} ${fmt(r.p99, 1).padStart(8)} ${String(r.errors).padStart(7)} ${String(r.non2xx).padStart(8)}`,
      );
    }
  }

  // 3. Memory once the load is over and the process has settled.
  await sleep(3_000);
  const memory = processMemory(server.pid);
  console.log("\nMemory (server process)");
  if (memory) {
    figures.rssMiB = round(memory.rssMiB, 1);
    figures.rssPeakMiB = round(memory.peakMiB, 1);
    // The < 150 MiB target is for a server database; with embedded PGlite (its Postgres in this process) it is only a reference.
    if (idleMemory) {
      row("RSS idle after start", `${fmt(idleMemory.rssMiB, 1)} MiB`, "< 150 MiB", usesServerDatabase ? idleMemory.rssMiB < 150 : undefined);
    }
    // V8 keeps the heap it grew under load: reported beside the idle figure, no target.
    row("RSS idle after the load", `${fmt(memory.rssMiB, 1)} MiB`);
    row("peak RSS (VmHWM)", `${fmt(memory.peakMiB, 1)} MiB`);
    if (!usesServerDatabase) console.log("  (the 150 MiB target is for a server database; embedded PGlite lives in this process)");
  } else {
    figures.rssMiB = null;
    console.log("  (no /proc on this system: memory not measured)");
  }

  const lastExit = await server.stop();
  if (lastExit.code !== 0) console.warn(`(warning: the server exited with ${lastExit.code ?? lastExit.signal})`);
  if (usesServerDatabase) await benchDatabase("drop");
  console.log("");
}

main().then(
  () => finish(0),
  async (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`\nThe foundation benchmark failed: ${message}`);
    await stopAll();
    finish(1, message.split("\n")[0]);
  },
);
