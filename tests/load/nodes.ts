/**
 * Several nodes benchmark (`npm run bench -- nodes`): fan-out across two
 * production nodes behind nginx (docs/deploy/nginx.conf, as deployed), once
 * per realtime adapter (PostgreSQL NOTIFY, then a Redis stream; ADR 0047).
 *
 * One database seeded with the demo; then, for each adapter, two nodes and
 * nginx in front; 1 000 socket.io watchers connect through nginx (WebSocket;
 * without a session cookie nginx spreads them round-robin, so half on each
 * node) and join one proposal's room. Each round posts one comment, in turn
 * straight to node A and to node B (so half the rounds reach the other node's
 * watchers through the adapter and half the other way round), and times
 * every watcher's `comment:upserted` from just before the POST. The figure
 * that counts is the last watcher's receipt of each round: its p99 over the
 * rounds must stay under 80 ms (issue 19).
 *
 * Then, per adapter, a burst of BENCH_BURST (default 5 000) messages from one
 * node to another (lib/relay-burst.ts): how many a second it carries.
 *
 * Prints a table per adapter and, as its very last line, one JSON object.
 *
 * Environment: DATABASE_URL (required: a local PostgreSQL server; the
 * benchmark creates and drops BENCH_DATABASE there, default
 * `gongzhi_bench_nodes`), REDIS_URL (default redis://127.0.0.1:6379; the Redis
 * run is skipped, and says so, when nothing answers there), BENCH_PORT
 * (nginx; the nodes take the next two, default 3340), BENCH_WATCHERS (default
 * 1000), BENCH_ROUNDS (default 100, at most 200: within the hourly comment
 * limit of the run's four authors, with the warm-up; p99 over 100 rounds is the
 * second slowest, over fewer it is the slowest), BENCH_ADAPTERS (default `postgres,redis`).
 */
import os from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import postgres from "postgres";
import { DEMO_PASSWORD } from "~/modules/identity/demo-accounts";
import { startProxy, type Proxy } from "./lib/cluster";
import { connectCrowd, fanoutRound, percentile, type Crowd } from "./lib/halls-clients";
import { assertLocalDatabase, withDatabase } from "./lib/halls-data";
import { relayBurst } from "./lib/relay-burst";
import { ensureBuild, login, startServer, stopAll, type RunningServer } from "./lib/server";
import { envInteger, envNumber, finisher, tableRow } from "./lib/report";

const port = envNumber("BENCH_PORT", 3340, 1024, 65530);
const watcherCount = envInteger("BENCH_WATCHERS", 1000, 2, 4000);
const rounds = envInteger("BENCH_ROUNDS", 100, 2, 200);
/** Authors per run, taking turns: each may post 60 comments an hour (COMMENT_LIMIT). */
const AUTHORS = 4;
const database = process.env.BENCH_DATABASE || "gongzhi_bench_nodes";
const redisUrl = process.env.REDIS_URL || "redis://127.0.0.1:6379";
const adapters = (process.env.BENCH_ADAPTERS || "single,postgres,redis").split(",").filter(Boolean);
const burst = envInteger("BENCH_BURST", 5_000, 0, 100_000);
const TARGET_LAST_P99_MS = 80;
const WAIT_MS = 5_000;

const figures: Record<string, number | string | boolean | null> = {
  watchers: watcherCount,
  rounds,
  cpus: os.cpus().length,
  targetLastP99Ms: TARGET_LAST_P99_MS,
};
const finish: (code: number, error?: string) => never = finisher(figures);
const round1 = (n: number) => (Number.isFinite(n) ? Number(n.toFixed(1)) : null);
const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : "–");
const row = tableRow(44, 12, 10);

const serverUrl = process.env.DATABASE_URL;
if (!serverUrl) {
  console.error("The nodes benchmark needs DATABASE_URL (a local PostgreSQL server): several nodes share one database.");
  finish(1, "DATABASE_URL unset");
}
assertLocalDatabase(serverUrl);
const adminUrl = withDatabase(serverUrl, "postgres");
const benchUrl = withDatabase(serverUrl, database);

let crowd: Crowd | undefined;
let proxy: Proxy | undefined;
async function cleanup() {
  crowd?.close();
  crowd = undefined;
  await proxy?.stop();
  proxy = undefined;
  await stopAll();
}
setTimeout(() => {
  console.error("Watchdog: the benchmark took longer than 15 minutes; giving up.");
  void cleanup().finally(() => finish(1, "watchdog"));
}, 15 * 60_000).unref();

async function redisAnswers(url: string): Promise<boolean> {
  const { createClient } = await import("redis");
  const client = createClient({ url, socket: { connectTimeout: 2_000, reconnectStrategy: false } });
  client.on("error", () => {});
  try {
    await client.connect();
    return (await client.ping()) === "PONG";
  } catch {
    return false;
  } finally {
    await client.quit().catch(() => {});
  }
}

async function main() {
  await ensureBuild();
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists "${database}" with (force)`);
  await admin.unsafe(`create database "${database}"`);
  const sql = postgres(benchUrl, { max: 1, onnotice: () => {} });
  try {
    const baseEnv = { DATABASE_URL: benchUrl, DEMO: "true" };
    console.log(`Seeding the demo district into ${database}…`);
    await (await startServer({ port: port + 1, env: baseEnv, timeoutMs: 180_000 })).stop();
    // One author posts every round: lift the demo hall's two-comments-a-person rule for the benchmark's proposal.
    const [target] = await sql<
      { id: number; hall_id: number }[]
    >`select id, hall_id from proposals where state = 'in_debate' order by id limit 1`;
    if (!target) throw new Error("The demo has no proposal in debate.");
    await sql`update halls set comments_per_person = null where id = ${target.hall_id}`;
    const room = `proposal:${target.id}`;
    figures.proposalId = target.id;
    let allOk = true;

    for (const adapter of adapters) {
      if (!["postgres", "redis", "single"].includes(adapter)) throw new Error(`BENCH_ADAPTERS: unknown adapter "${adapter}".`);
      if (adapter === "redis" && !(await redisAnswers(redisUrl))) {
        console.log(`\n${adapter}: skipped — nothing answers at ${redisUrl} (set REDIS_URL).`);
        figures[`${adapter}Skipped`] = `no Redis at ${redisUrl}`;
        allOk = false;
        continue;
      }
      const env: Record<string, string> = {
        ...baseEnv,
        REALTIME_ADAPTER: adapter === "single" ? "memory" : adapter,
        ...(adapter === "redis" ? { REDIS_URL: redisUrl, REDIS_PREFIX: `gongzhi-bench-${process.pid}` } : {}),
      };
      const single = adapter === "single";
      console.log(
        single
          ? `\n${adapter}: for comparison, one node on ${port + 1} and no proxy, ${watcherCount} watchers of ${room}`
          : `\n${adapter}: two nodes on ${port + 1} and ${port + 2}, nginx on ${port}, ${watcherCount} watchers of ${room}`,
      );
      const nodes: RunningServer[] = await Promise.all(
        (single ? [port + 1] : [port + 1, port + 2]).map((p) => startServer({ port: p, env })),
      );
      if (single) nodes.push(nodes[0]!);
      else proxy = await startProxy({ port, nodePorts: [port + 1, port + 2] });
      // Authors of its own per run, taking turns, so the hourly comment limit never refuses a round.
      const cookies: string[] = [];
      for (let k = 1; k <= AUTHORS; k++) {
        cookies.push(
          await login(nodes[0]!.url, `neighbour${String(AUTHORS * adapters.indexOf(adapter) + k).padStart(2, "0")}`, DEMO_PASSWORD),
        );
      }
      crowd = await connectCrowd(proxy?.url ?? nodes[0]!.url, room, watcherCount);
      const loadBefore = os.loadavg()[0]!;
      // The adapters find each other by heartbeat: wait until a comment reaches everyone before timing.
      for (let attempt = 0; attempt < 20; attempt++) {
        const warm = await fanoutRound({
          crowd,
          base: nodes[attempt % 2]!.url,
          cookie: cookies[attempt % AUTHORS]!,
          proposalId: target.id,
          label: "warm",
          waitMs: 2_000,
        });
        if (warm.postOk && warm.latencies.every(Number.isFinite)) break;
        await sleep(500);
      }
      const lasts: number[] = [];
      const all: number[] = [];
      let missed = 0;
      let failedPosts = 0;
      for (let r = 0; r < rounds; r++) {
        const origin = r % 2;
        const result = await fanoutRound({
          crowd,
          base: nodes[origin]!.url,
          cookie: cookies[r % AUTHORS]!,
          proposalId: target.id,
          label: `r${r}`,
          waitMs: WAIT_MS,
        });
        if (!result.postOk) {
          failedPosts++;
          continue;
        }
        const got = result.latencies.filter(Number.isFinite);
        missed += result.latencies.length - got.length;
        all.push(...got);
        lasts.push(got.length === result.latencies.length ? Math.max(...got) : Infinity);
        await sleep(100);
      }
      const lastP50 = percentile(lasts, 50);
      const lastP99 = percentile(lasts, 99);
      const ok = failedPosts === 0 && missed === 0 && lastP99 < TARGET_LAST_P99_MS;
      if (!single) allOk &&= ok;
      const load = (loadBefore + os.loadavg()[0]!) / 2;
      row("receipt, any watcher, p50", `${fmt(percentile(all, 50))} ms`);
      row("receipt, any watcher, p99", `${fmt(percentile(all, 99))} ms`);
      row("last watcher of a round, p50", `${fmt(lastP50)} ms`);
      row("last watcher of a round, p99", `${fmt(lastP99)} ms`, `< ${TARGET_LAST_P99_MS} ms`, lastP99 < TARGET_LAST_P99_MS);
      row("receipts missed", String(missed), "0", missed === 0);
      row("comments refused or failed", String(failedPosts), "0", failedPosts === 0);
      row("machine load (1 min), during the rounds", load.toFixed(1));
      Object.assign(figures, {
        [`${adapter}P50Ms`]: round1(percentile(all, 50)),
        [`${adapter}P99Ms`]: round1(percentile(all, 99)),
        [`${adapter}LastP50Ms`]: round1(lastP50),
        [`${adapter}LastP99Ms`]: round1(lastP99),
        [`${adapter}Missed`]: missed,
        [`${adapter}FailedPosts`]: failedPosts,
        [`${adapter}Load`]: round1(load),
      });
      await cleanup();
      if (!single && burst > 0) {
        // How many messages a second the adapter carries between two nodes (in this process, with the servers stopped).
        const relayed = await relayBurst(
          adapter === "postgres" ? { postgresUrl: benchUrl } : { redis: { url: redisUrl, prefix: `gongzhi-bench-${process.pid}` } },
          burst,
        );
        row(`relay burst: ${burst} messages node to node`, `${Math.round(relayed.perSecond)} /s`);
        row("  received, in", `${relayed.received} in ${Math.round(relayed.ms)} ms`);
        Object.assign(figures, { [`${adapter}RelayPerS`]: Math.round(relayed.perSecond), [`${adapter}RelayReceived`]: relayed.received });
      }
      if (adapter === "redis") {
        const { createClient } = await import("redis");
        const client = createClient({ url: redisUrl });
        client.on("error", () => {});
        await client.connect();
        await client.del(`gongzhi-bench-${process.pid}:socket.io`);
        await client.quit();
      }
    }
    figures.ok = allOk;
    return allOk;
  } finally {
    await cleanup();
    await sql.end();
    await admin.unsafe(`drop database if exists "${database}" with (force)`).catch(() => {});
    await admin.end();
  }
}

main().then(
  (ok) => finish(ok ? 0 : 1),
  (error: unknown) => {
    console.error(error);
    void cleanup().finally(() => finish(1, error instanceof Error ? error.message.split("\n")[0] : String(error)));
  },
);
