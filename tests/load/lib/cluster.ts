/**
 * Several app nodes behind nginx, as docs/deploy.md deploys them: the
 * multi-node test (tests/e2e/nodes.spec.ts) and benchmark
 * (`npm run bench -- nodes`) run Debian's nginx as an unprivileged process
 * with the site file docs/deploy/nginx.conf itself, rewriting only its
 * `listen` port and its two node addresses, inside a main configuration of
 * their own (pid, logs and temp folders under a temp dir).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { root } from "./server";

/** Debian's nginx (`apt-get install nginx-light` or `nginx`); NGINX overrides. */
export const NGINX = process.env.NGINX ?? "/usr/sbin/nginx";

export function nginxAvailable(): boolean {
  return existsSync(NGINX);
}

/** The deployment's site file, the one docs/deploy.md tells people to install. */
export const SITE_FILE = path.join(root, "docs/deploy/nginx.conf");

/**
 * docs/deploy/nginx.conf with its `listen` and its node addresses changed, and nothing else:
 * each must be found exactly once, so a change to the file that the test no longer exercises fails loudly.
 */
export function renderSiteFile(listenPort: number, nodePorts: [number] | [number, number]): string {
  let text = readFileSync(SITE_FILE, "utf8");
  const replace = (pattern: RegExp, by: string) => {
    const hits = text.match(new RegExp(pattern.source, "gm"))?.length ?? 0;
    if (hits !== 1) throw new Error(`${SITE_FILE}: expected one line matching ${pattern}, found ${hits}.`);
    text = text.replace(new RegExp(pattern.source, "m"), by);
  };
  replace(/^(\s*)listen 80;/, `$1listen 127.0.0.1:${listenPort};`);
  replace(/^(\s*)server 127\.0\.0\.1:3001 /, `$1server 127.0.0.1:${nodePorts[0]} `);
  // One node (the single-node benchmarks, measured as deployed): the second server line goes.
  if (nodePorts.length === 1) replace(/^\s*server 127\.0\.0\.1:3002 .*\n/, "");
  else replace(/^(\s*)server 127\.0\.0\.1:3002 /, `$1server 127.0.0.1:${nodePorts[1]} `);
  return text;
}

export interface Proxy {
  url: string;
  pid: number;
  /** Its error log so far (for failure reports). */
  errorLog(): string;
  stop(): Promise<void>;
}

const running = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/** Start nginx in front of two nodes and wait until it answers `/healthz` through them. */
export async function startProxy(options: { port: number; nodePorts: [number] | [number, number]; timeoutMs?: number }): Promise<Proxy> {
  const { port, nodePorts, timeoutMs = 15_000 } = options;
  if (!nginxAvailable()) throw new Error(`No nginx at ${NGINX} (apt-get install nginx-light), or set NGINX.`);
  const dir = mkdtempSync(path.join(os.tmpdir(), "gongzhi-nginx-"));
  for (const sub of ["body", "proxy", "fastcgi", "uwsgi", "scgi"]) mkdirSync(path.join(dir, sub));
  writeFileSync(path.join(dir, "gongzhi.conf"), renderSiteFile(port, nodePorts));
  const errorLog = path.join(dir, "error.log");
  writeFileSync(
    path.join(dir, "nginx.conf"),
    [
      "worker_processes 1;",
      "worker_rlimit_nofile 8192;",
      `pid ${dir}/nginx.pid;`,
      `error_log ${errorLog} warn;`,
      "events { worker_connections 4096; }",
      "http {",
      "  access_log off;",
      ...["body", "proxy", "fastcgi", "uwsgi", "scgi"].map((t) => `  ${t === "body" ? "client_body" : t}_temp_path ${dir}/${t};`),
      `  include ${dir}/gongzhi.conf;`,
      "}",
      "",
    ].join("\n"),
  );
  const child = spawn(NGINX, ["-p", dir, "-e", errorLog, "-c", path.join(dir, "nginx.conf"), "-g", "daemon off;"], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  running.add(child);
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString("utf8")).slice(-8_000)));
  const readLog = () => {
    try {
      return readFileSync(errorLog, "utf8").slice(-8_000);
    } catch {
      return "";
    }
  };
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      child.kill("SIGQUIT"); // graceful: finish what is in flight
      await Promise.race([exited, sleep(5_000).then(() => child.kill("SIGKILL"))]);
    }
    running.delete(child);
    rmSync(dir, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${port}`;
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) {
      const why = `nginx exited (${child.exitCode}): ${stderr.trim()} ${readLog().trim()}`;
      await stop();
      throw new Error(why);
    }
    const status = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) })
      .then((r) => r.arrayBuffer().then(() => r.status))
      .catch(() => 0);
    if (status === 200) break;
    if (Date.now() - started > timeoutMs) {
      await stop();
      throw new Error(`nginx on ${port} gave no 200 from /healthz within ${timeoutMs} ms (last ${status}). ${readLog()}`);
    }
    await sleep(100);
  }
  return { url, pid: child.pid!, errorLog: readLog, stop };
}
