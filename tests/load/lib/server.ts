/**
 * Helpers shared by the load benchmarks (tests/load/*.ts, run with
 * `npm run bench -- <name>`): build once, start the production server the way
 * `npm start` does, log in for real, and drive HTTP load with autocannon.
 * All traffic goes to 127.0.0.1.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import autocannon from "autocannon";

/** The project root (this file sits in tests/load/lib/). */
export const root = path.resolve(import.meta.dirname, "../../..");

/** Build the production site unless a build is already there (the benchmark measures a build, not the dev server). */
/** Build the site unless the build is newer than its sources (a benchmark of an old build measures the wrong code). */
export async function ensureBuild(): Promise<void> {
  const { buildIfStale } = (await import("../../../scripts/build-if-stale.mjs")) as { buildIfStale: () => boolean };
  buildIfStale();
}

export interface StartOptions {
  port: number;
  /** Reuse a data folder (e.g. to measure a restart); default: a fresh temp folder, unless DATABASE_URL is set. */
  dataDir?: string;
  /** Extra environment for the server, over the benchmark's own. */
  env?: Record<string, string | undefined>;
  /** Give up if the server has not answered by then (default 90 s). */
  timeoutMs?: number;
  /** Start it by the README's own command, `npm start` (install and build if stale, then serve), instead of the compiled entry. */
  viaNpmStart?: boolean;
}

export interface RunningServer {
  url: string;
  pid: number;
  /** The DATA_DIR the server runs on (undefined with DATABASE_URL). */
  dataDir: string | undefined;
  /** From spawn to the first 200 answer of `GET /`. */
  msToFirstResponse: number;
  /** SIGTERM, then wait for the exit (SIGKILL after 15 s). */
  stop(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The tail of the server's stdout and stderr, for error reports. */
  output(): string;
}

// Children still running, and temp folders we made: cleaned up however the benchmark ends.
const live = new Set<ChildProcess>();
/** Children started in a process group of their own (`npm start`): signals go to the whole group. */
const groups = new WeakSet<ChildProcess>();
function signal(child: ChildProcess, name: NodeJS.Signals) {
  if (groups.has(child) && child.pid !== undefined) {
    try {
      process.kill(-child.pid, name);
      return;
    } catch {
      // The group is gone already; fall through to the child itself.
    }
  }
  child.kill(name);
}
const tempDirs = new Set<string>();

process.on("exit", () => {
  // Last resort (an error or the watchdog): exit handlers cannot wait, so no graceful stop here.
  for (const child of live) signal(child, "SIGKILL");
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void stopAll().finally(() => process.exit(130));
  });
}

/** Stop every server this process started (gracefully, bounded). */
export async function stopAll(): Promise<void> {
  await Promise.all([...live].map((child) => stopChild(child)));
}

async function stopChild(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    signal(child, "SIGTERM");
    // The server force-exits itself after 10 s; SIGKILL only if even that fails.
    const stopped = await Promise.race([exited.then(() => true), sleep(15_000).then(() => false)]);
    if (!stopped) {
      signal(child, "SIGKILL");
      await exited;
    }
  }
  live.delete(child);
  return { code: child.exitCode, signal: child.signalCode };
}

/** A fresh, empty data folder under the OS temp dir, removed when the benchmark exits. */
export function makeTempDataDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), "gongzhi-bench-"));
  tempDirs.add(dir);
  return dir;
}

/** The HTTP status of GET url, or 0 when nothing answers yet. */
async function probe(url: string): Promise<number> {
  try {
    const res = await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(5_000) });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

/**
 * Start the production server as production does (`node build/node/server.js`,
 * the compiled server entry, NODE_ENV=production) and wait until `/` and
 * `/healthz` answer 200.
 */
export async function startServer(options: StartOptions): Promise<RunningServer> {
  const { port, timeoutMs = 90_000 } = options;
  const url = `http://127.0.0.1:${port}`;
  const merged = { ...process.env, ...options.env };
  const dataDir = merged.DATABASE_URL ? undefined : (options.dataDir ?? makeTempDataDir());

  const env: NodeJS.ProcessEnv = {
    ...merged,
    // Many shells export HOST as the machine's name: pin the loopback so the benchmark stays local.
    HOST: options.env?.HOST ?? "127.0.0.1",
    LOG_LEVEL: options.env?.LOG_LEVEL ?? "silent",
    NODE_ENV: "production",
    PORT: String(port),
  };
  if (dataDir) env.DATA_DIR = dataDir;

  // Whatever already answers on the port would be timed instead of our server.
  if ((await probe(`${url}/`)) !== 0) throw new Error(`Port ${port} is already in use: set BENCH_PORT to a free one.`);

  const started = performance.now();
  // BENCH_CPU_PROF=<folder>: the server writes a V8 CPU profile there when it stops (to see where a request's time goes).
  const profile = process.env.BENCH_CPU_PROF ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const [command, args] = options.viaNpmStart ? ["npm", ["start", "--silent"]] : [process.execPath, [...profile, "build/node/server.js"]];
  const child = spawn(command, args as string[], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    // `npm start` runs the server two processes down (npm → scripts/start.mjs → the server), and npm does not
    // pass SIGTERM on: the server outlived the benchmark and held its port. Its own process group is stopped whole.
    detached: options.viaNpmStart === true,
  });
  if (options.viaNpmStart) groups.add(child);
  live.add(child);

  // Keep reading the pipes (a full pipe would stall the server), but keep only the tail.
  let tail = "";
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString("utf8")).slice(-16_000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  let spawnError: Error | undefined;
  child.once("error", (error) => (spawnError = error));

  const failed = (why: string) => new Error(`${why}\n--- server output ---\n${tail.trim() || "(none)"}`);
  const waitFor = async (pathName: string): Promise<number> => {
    let last = 0;
    while (performance.now() - started < timeoutMs) {
      if (spawnError) throw failed(`Cannot spawn the server: ${spawnError.message}`);
      if (child.exitCode !== null || child.signalCode !== null) {
        throw failed(`The server exited (${child.exitCode ?? child.signalCode}) before ${pathName} answered 200.`);
      }
      last = await probe(url + pathName);
      if (last === 200) return performance.now() - started;
      await sleep(last === 0 ? 20 : 100);
    }
    throw failed(`No 200 from ${pathName} within ${timeoutMs} ms (last status: ${last || "no answer"}).`);
  };

  try {
    const msToFirstResponse = await waitFor("/");
    await waitFor("/healthz");
    return {
      url,
      pid: child.pid!,
      dataDir,
      msToFirstResponse,
      stop: () => stopChild(child),
      output: () => tail,
    };
  } catch (error) {
    await stopChild(child);
    throw error;
  }
}

/**
 * Log in through the real form action and return the session cookie
 * (`gz_session=…`) for a Cookie header.
 */
export async function login(url: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${url}/login`, {
    method: "POST",
    // A document POST answers 302 with Set-Cookie; following it would lose the header.
    redirect: "manual",
    headers: {
      // The CSRF guard refuses a POST without a same-site Origin.
      Origin: url,
      "Content-Type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams({ identifier: username, password, redirectTo: "/" }),
    signal: AbortSignal.timeout(15_000),
  });
  const body = await res.text();
  if (res.status !== 302 && res.status !== 204) {
    throw new Error(`Login as ${username} answered ${res.status}, not a redirect: ${body.slice(0, 300)}`);
  }
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0]!.trim())
    .find((c) => c.startsWith("gz_session=") && c.length > "gz_session=".length);
  if (!cookie) throw new Error(`Login as ${username} set no gz_session cookie (status ${res.status}).`);
  return cookie;
}

export interface LoadOptions {
  url: string;
  connections: number;
  /** Seconds. */
  duration: number;
  headers?: Record<string, string>;
  /** Every request with a query string of its own (`?cold=<n>`), so that no page cache can answer it: the cost of a miss. */
  uncached?: boolean;
}

export interface LoadResult {
  /** Mean requests per second. */
  rps: number;
  /** Latency percentiles, ms. */
  p50: number;
  p99: number;
  /** Connection errors, timeouts included. */
  errors: number;
  non2xx: number;
}

let coldRequests = 0;

/** One autocannon run, quietly (no progress bar or table of its own). */
export async function runAutocannon(options: LoadOptions): Promise<LoadResult> {
  const host = new URL(options.url).hostname;
  if (!["127.0.0.1", "localhost", "[::1]"].includes(host)) throw new Error(`Refusing to load a non-local URL: ${options.url}`);
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.duration,
    headers: options.headers,
    ...(options.uncached
      ? {
          requests: [
            {
              setupRequest: (request: autocannon.Request) => ({ ...request, path: `${new URL(options.url).pathname}?cold=${++coldRequests}` }),
            },
          ],
        }
      : {}),
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
  };
}

/** Resident and peak memory of a process in MiB (Linux /proc), or null elsewhere. */
export function processMemory(pid: number): { rssMiB: number; peakMiB: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
    const rss = kb("VmRSS");
    if (Number.isNaN(rss)) return null;
    return { rssMiB: rss / 1024, peakMiB: kb("VmHWM") / 1024 };
  } catch {
    return null;
  }
}
