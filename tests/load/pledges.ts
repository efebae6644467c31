/**
 * Pledges benchmark (`npm run bench -- pledges`): issue 15, item 11.
 * Before the server starts, seeds the demo district and then, with
 * set-based SQL: BENCH_RACERS (2 000) verified residents, one activity with
 * one role of BENCH_SLOTS (50) places, BENCH_PLEDGES (100 000) pledges across
 * the district and BENCH_RECORDS (10 000) members with verified service
 * this year. In this process, on the same database (PGlite admits one process
 * at a time): the pledge wall query of the district (20 runs) and the yearly
 * records of all BENCH_RECORDS members. Then, against the production build:
 * every racer POSTs "sign up" at once where the page's button sends it: the
 * JSON write API `POST /api/activities/<id>/signup` (ADR 0013; with
 * BENCH_VIA=action, the page's Remix action `POST /activities/<id>.data`, the
 * path without scripts) — first on another activity to warm the server up
 * (reported apart; BENCH_WARMUP=0 skips it), then on the measured one — and
 * after the server stops the
 * places are checked: exactly BENCH_SLOTS signed up, the rest waitlisted,
 * one row per racer, arrival numbers 1…N without a gap, the signed-up ones
 * the first BENCH_SLOTS arrivals.
 * Prints figures as it goes and, as its very last line, one JSON object.
 *
 * The racers reach the node as deployed (docs/deploy.md): through nginx with
 * docs/deploy/nginx.conf, on BENCH_PORT + 1, when nginx is installed;
 * BENCH_PROXY=none sends them straight to the node.
 *
 * Environment: BENCH_PORT (default 3350), BENCH_PROXY (nginx or none), BENCH_RACERS, BENCH_SLOTS,
 * BENCH_PLEDGES, BENCH_RECORDS, BENCH_CONCURRENCY (requests in flight,
 * default 200), BENCH_VIA (api or action), BENCH_TRACE (a file for the measured race's answers: when, how
 * long, and whether first on its connection), DATABASE_URL (create, use and drop `gongzhi_bench_pledges`, or BENCH_DATABASE, on that local
 * server; otherwise PGlite in a fresh temp folder).
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { sql } from "drizzle-orm";
import { openDatabase, redact, setDatabase, type DatabaseHandle } from "#db/client.server";
import { migrate } from "#db/migrate.server";
import { seedDemoIfEmpty } from "#db/seed/demo";
import { visitor } from "~/modules/identity/actor";
import { pledgeWallPage, serviceRecordPage, yearlyRecords } from "~/modules/pledges/queries.server";
import { mintSessions, rowsOf } from "./lib/votes-data";
import autocannon from "autocannon";
import { percentile } from "./lib/votes-clients";
import { ensureBuild, makeTempDataDir, startServer, stopAll } from "./lib/server";
import { nginxAvailable, startProxy, type Proxy } from "./lib/cluster";
import { envInteger, finisher } from "./lib/report";

const port = envInteger("BENCH_PORT", 3350, 1024, 65535);
const racers = envInteger("BENCH_RACERS", 2_000, 10, 20_000);
const slots = envInteger("BENCH_SLOTS", 50, 1, 500);
const pledgeCount = envInteger("BENCH_PLEDGES", 100_000, 100, 1_000_000);
const recordCount = envInteger("BENCH_RECORDS", 10_000, 10, 100_000);
const concurrency = envInteger("BENCH_CONCURRENCY", 200, 1, 2_000);
const via = process.env.BENCH_VIA || "api";
if (via !== "api" && via !== "action") throw new Error(`BENCH_VIA must be "api" or "action", not "${via}".`);
// As deployed (docs/deploy.md): nginx in front of the node, holding its connections to the node open between
// requests; "none" sends the racers' connections to the node itself.
const proxyKind = process.env.BENCH_PROXY || (nginxAvailable() ? "nginx" : "none");
if (proxyKind !== "nginx" && proxyKind !== "none") throw new Error(`BENCH_PROXY must be "nginx" or "none", not "${proxyKind}".`);
const serverUrl = process.env.DATABASE_URL || undefined;
const DATABASE = process.env.BENCH_DATABASE || "gongzhi_bench_pledges";
if (!/^[a-z_][a-z0-9_]{0,62}$/.test(DATABASE)) throw new Error(`BENCH_DATABASE must be a plain lower-case database name, not "${DATABASE}".`);
const TZ = "Asia/Shanghai";

const figures: Record<string, number | string | boolean | null> = { database: serverUrl ? "postgres" : "pglite", via, proxy: proxyKind, racers, slots, pledges: pledgeCount, records: recordCount };
const finish: (code: number, error?: string) => never = finisher(figures);
const r1 = (n: number) => Math.round(n * 10) / 10;
let handle: DatabaseHandle | undefined;

setTimeout(() => {
  console.error("Watchdog: the benchmark took longer than 20 minutes; giving up.");
  void cleanup().finally(() => finish(1, "watchdog"));
}, 20 * 60_000).unref();

function withDatabase(url: string, database: string) {
  const u = new URL(url);
  if (!["127.0.0.1", "localhost", "::1", "[::1]"].includes(u.hostname)) throw new Error(`Refusing a non-local DATABASE_URL (${redact(url)}).`);
  u.pathname = `/${database}`;
  return u.toString();
}
async function admin(statements: string[]) {
  const a = postgres(withDatabase(serverUrl!, "postgres"), { max: 1, onnotice: () => {} });
  try {
    for (const s of statements) await a.unsafe(s);
  } finally {
    await a.end({ timeout: 5 });
  }
}
async function cleanup() {
  await stopAll();
  const h = handle;
  handle = undefined;
  setDatabase(undefined);
  await h?.close().catch(() => {});
  if (serverUrl) await admin([`drop database if exists ${DATABASE} with (force)`]).catch(() => {});
}

async function main() {
  await ensureBuild();
  console.log(`\nPledges benchmark — production build, ${serverUrl ? `PostgreSQL server (database ${DATABASE})` : "embedded PGlite"}`);
  let env: Record<string, string> = {};
  let dataDir: string | undefined;
  if (serverUrl) {
    await admin([`drop database if exists ${DATABASE} with (force)`, `create database ${DATABASE}`]);
    env = { DATABASE_URL: withDatabase(serverUrl, DATABASE) };
    handle = await openDatabase({ kind: "postgres", url: env.DATABASE_URL! });
  } else {
    dataDir = makeTempDataDir();
    handle = await openDatabase({ kind: "pglite", dataDir: path.join(dataDir, "pglite") });
  }
  setDatabase(handle);
  const db = handle.db;
  let t = performance.now();
  await migrate(handle);
  await seedDemoIfEmpty(db);
  figures.seedDemoMs = Math.round(performance.now() - t);

  // Bulk data, set-based.
  t = performance.now();
  const [shijia] = await rowsOf<{ id: number }>(db, sql`select id from units where name = '史家社区'`);
  const [worker] = await rowsOf<{ id: number }>(db, sql`select id from users where username = 'lijuan'`);
  const total = racers + recordCount;
  await db.execute(sql`insert into users (username, display_name, password_hash)
    select 'bench_p_' || lpad(g::text, 6, '0'), '志愿者' || g, 'bench-placeholder:not-a-password-hash' from generate_series(1, ${total}) g`);
  const people = await rowsOf<{ id: number }>(db, sql`select id from users where username like 'bench_p_%' order by username`);
  await db.execute(sql`insert into residency_claims (user_id, community_id, address, status)
    select id, ${shijia!.id}, '史家胡同' || id || '号', 'verified' from users where username like 'bench_p_%'`);
  await db.execute(sql`insert into party_reports (user_id, community_id, work_unit, party_org_name, status)
    select id, ${shijia!.id}, '某单位', '某单位党委', 'confirmed' from users where username like 'bench_p_%'`);
  const [raceActivity] = await rowsOf<{ id: number }>(
    db,
    sql`insert into activities (unit_id, created_by, title, category, place, starts_at, ends_at, eligibility, code_secret)
        values (${shijia!.id}, ${worker!.id}, '抢名额测试活动', 'environment', '史家胡同口', now() + interval '2 days', now() + interval '2 days 2 hours', 'residents', 'bench') returning id`,
  );
  const [role] = await rowsOf<{ id: number }>(db, sql`insert into activity_roles (activity_id, name, slots) values (${raceActivity!.id}, '清扫', ${slots}) returning id`);
  // A first race on another activity, for a server that has run its code before (BENCH_WARMUP=0 measures it cold).
  const [warmup] = await rowsOf<{ id: number }>(
    db,
    sql`insert into activities (unit_id, created_by, title, category, place, starts_at, ends_at, eligibility, code_secret)
        values (${shijia!.id}, ${worker!.id}, '热身活动', 'environment', '史家胡同口', now() + interval '3 days', now() + interval '3 days 2 hours', 'residents', 'bench') returning id`,
  );
  const [warmupRole] = await rowsOf<{ id: number }>(db, sql`insert into activity_roles (activity_id, name, slots) values (${warmup!.id}, '清扫', ${slots}) returning id`);
  // 100 000 pledges spread over the district's communities and categories.
  await db.execute(sql`insert into pledges (user_id, unit_id, category, text, unit, amount, starts_on, ends_on, status, achieved, created_by)
    select u.id, c.id, (array['environment','education','policy_advice','serving_people'])[1 + g % 4], '承诺第' || g || '号', 'hours', 10 + g % 30,
           date_trunc('year', now())::date, (date_trunc('year', now()) + interval '1 year - 1 day')::date,
           (array['active','active','active','fulfilled','lapsed'])[1 + g % 5], (g * 37) % 900, u.id
    from generate_series(1, ${pledgeCount}) g
    join lateral (select id from users where username = 'bench_p_' || lpad((1 + g % ${total})::text, 6, '0')) u on true
    join lateral (select id from units where kind = 'community' order by id offset (g % 13) limit 1) c on true`);
  // Verified service this year for the record members: 12 past activities, each of them attended 6.
  await db.execute(sql`insert into activities (unit_id, created_by, title, category, place, starts_at, ends_at, eligibility, code_secret)
    select ${shijia!.id}, ${worker!.id}, '往期活动' || g, 'environment', '社区', date_trunc('year', now()) + (g || ' days')::interval + interval '1 hour',
           date_trunc('year', now()) + (g || ' days')::interval + interval '3 hours', 'residents', 'bench'
    from generate_series(1, 12) g`);
  await db.execute(sql`insert into activity_roles (activity_id, name, slots) select id, '志愿者', 100000 from activities where title like '往期活动%'`);
  const recordIds = people.slice(racers).map((p) => p.id);
  await db.execute(sql`insert into activity_signups (activity_id, role_id, user_id, status, seq, checked_in_at, checked_out_at, attendance, minutes, verified_by, verified_at)
    select a.id, r.id, u.id, 'signed_up', row_number() over (partition by a.id order by u.id), a.starts_at, a.ends_at, 'verified', 120, ${worker!.id}, a.ends_at
    from activities a join activity_roles r on r.activity_id = a.id
    join users u on u.username like 'bench_p_%' and u.id >= ${recordIds[0]!}
    where a.title like '往期活动%' and (a.id + u.id) % 2 = 0`);
  await db.execute(sql`analyze`);
  figures.seedBulkMs = Math.round(performance.now() - t);
  console.log(`  data: ${racers} racers, ${pledgeCount} pledges, ${recordCount} members with records, in ${figures.seedBulkMs} ms`);

  // The wall of the district (everything under it), first page, as a visitor sees it.
  const [district] = await rowsOf<{ id: number }>(db, sql`select id from units where kind = 'district' limit 1`);
  const wallTimes: number[] = [];
  for (let i = 0; i < 23; i++) {
    const s = performance.now();
    const page = await pledgeWallPage(visitor, { unit: district!.id, page: 1 }, TZ);
    if (i >= 3) wallTimes.push(performance.now() - s);
    if (page.pledges.length !== 30) throw new Error(`The wall showed ${page.pledges.length} pledges, not 30.`);
  }
  const filteredTimes: number[] = [];
  for (let i = 0; i < 23; i++) {
    const s = performance.now();
    await pledgeWallPage(visitor, { unit: shijia!.id, category: "education", status: "active", page: 3 }, TZ);
    if (i >= 3) filteredTimes.push(performance.now() - s);
  }
  figures.wall_p50_ms = r1(percentile(wallTimes, 50));
  figures.wall_p99_ms = r1(percentile(wallTimes, 99));
  figures.wall_filtered_p99_ms = r1(percentile(filteredTimes, 99));
  console.log(`  pledge wall of the district (${pledgeCount} pledges): p50 ${figures.wall_p50_ms} ms, p99 ${figures.wall_p99_ms} ms (target < 50); filtered page 3: p99 ${figures.wall_filtered_p99_ms} ms`);

  // Yearly records of all record members: one per member through the page's query (a sample), and all at once.
  const year = Number(new Intl.DateTimeFormat("en-CA", { timeZone: TZ, year: "numeric" }).format(new Date()));
  const sample: number[] = [];
  for (const id of recordIds.slice(0, 200)) {
    const s = performance.now();
    await serviceRecordPage({ ...visitor, userId: id }, { userId: id, year }, TZ);
    sample.push(performance.now() - s);
  }
  figures.record_page_p99_ms = r1(percentile(sample, 99));
  t = performance.now();
  const all = await yearlyRecords(recordIds, year, TZ);
  const lines = [...all.values()].reduce((n, r) => n + r.lines.length, 0);
  if (all.size !== recordIds.length) throw new Error(`${all.size} records for ${recordIds.length} members.`);
  figures.records_ms = Math.round(performance.now() - t);
  figures.records_lines = lines;
  console.log(`  one record page: p99 ${figures.record_page_p99_ms} ms; yearly records of all ${recordCount} members at once (${lines} lines): ${figures.records_ms} ms (target < 5 000)`);

  // Sessions for the racers; then the server.
  const cookies = await mintSessions(db, people.map((p) => p.id), 0, racers);
  await handle.close();
  handle = undefined;
  setDatabase(undefined);
  const server = await startServer({ port, dataDir, env });
  console.log(`  server ${server.url} answered after ${Math.round(server.msToFirstResponse)} ms`);
  let proxy: Proxy | undefined;
  if (proxyKind === "nginx") {
    proxy = await startProxy({ port: port + 1, nodePorts: [port] });
    console.log(`  nginx ${proxy.url} in front of it (docs/deploy/nginx.conf)`);
  }
  const target = proxy?.url ?? server.url;

  // The race: every racer once, BENCH_CONCURRENCY in flight (autocannon, one request at a time per connection), in a shuffled order.
  async function race(activityId: number, roleId: number) {
    const order = Array.from({ length: racers }, (_, i) => i).sort(() => Math.random() - 0.5);
    let ok = 0;
    let failed = 0;
    const failures = new Map<string, number>();
    const fail = (key: string) => {
      failed++;
      failures.set(key, (failures.get(key) ?? 0) + 1);
    };
    let sent = 0;
    const path_ = via === "api" ? `/api/activities/${activityId}/signup` : `/activities/${activityId}.data`;
    const body = new URLSearchParams(via === "api" ? { roleId: String(roleId) } : { intent: "signUp", roleId: String(roleId) }).toString();
    const started = performance.now();
    // The race ends with its last answer: autocannon notices it is done only on its next one-second tick, so
    // its own end would round the race up to whole seconds (2 000 answers read as "1 950/s" whether they
    // took 0.4 s or 1 s).
    let last = started;
    const answers: [number, number, boolean][] = [];
    const result = await new Promise<autocannon.Result>((resolve, reject) => {
      const instance = autocannon(
        {
          url: target,
          connections: Math.min(concurrency, racers),
          amount: racers,
          timeout: 30,
          requests: [
            {
              method: "POST",
              path: path_,
              setupRequest: (req) => {
                const i = order[sent++ % racers]!;
                return { ...req, headers: { ...req.headers, Cookie: cookies[i]!, Origin: target, "Content-Type": "application/x-www-form-urlencoded" }, body };
              },
              onResponse: (status, text) => {
                if (status === 200 && !text.includes("activity.error") && (via === "action" || text.includes('"ok":true'))) ok++;
                else fail(`HTTP ${status}${text.includes("error") ? ` ${text.slice(0, 80)}` : ""}`);
              },
            },
          ],
        },
        (error, done) => (error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(done)),
      );
      // Each autocannon client is one connection: its first answer also waited for the server to accept it.
      const seen = new Set<unknown>();
      instance.on("response", (client: unknown, _status: number, _bytes: number, responseTime: number) => {
        last = performance.now();
        answers.push([last - started, responseTime, !seen.has(client)]);
        seen.add(client);
      });
    });
    const elapsed = (last - started) / 1000;
    if (result.errors) fail(`${result.errors} errors (${result.timeouts} time-outs)`);
    // The same latencies split by connection (the server accepts one new connection per turn of its event loop,
    // so a burst of new connections waits in the kernel's queue while the accepted ones are served).
    const later = answers.filter((a) => !a[2]).map((a) => a[1]);
    const firsts = answers.filter((a) => a[2]).map((a) => a[1]);
    return {
      sent,
      ok,
      failed,
      failures,
      answers,
      perS: r1(ok / elapsed),
      p50: r1(result.latency.p50),
      p99: r1(result.latency.p99),
      max: r1(result.latency.max),
      openP99: later.length ? r1(percentile(later, 99)) : null,
      firstP50: firsts.length ? r1(percentile(firsts, 50)) : null,
      firstMax: firsts.length ? r1(Math.max(...firsts)) : null,
    };
  }
  const line = (r: Awaited<ReturnType<typeof race>>) =>
    `${r.ok} answered ok, ${r.failed} failed ${[...r.failures].map(([k, v]) => `${k} ×${v}`).join(", ")}; ${r.perS}/s, p50 ${r.p50} ms, p99 ${r.p99} ms, max ${r.max} ms` +
    ` (on connections already open: p99 ${r.openP99} ms; each connection's first request: p50 ${r.firstP50} ms, max ${r.firstMax} ms)`;
  const how = `through ${via === "api" ? "the JSON write API" : "the Remix action"}${proxy ? " behind nginx" : ", straight to the node"}, ${Math.min(concurrency, racers)} in flight`;
  if (process.env.BENCH_WARMUP !== "0") {
    const cold = await race(warmup!.id, warmupRole!.id);
    Object.assign(figures, { cold_per_s: cold.perS, cold_p50_ms: cold.p50, cold_p99_ms: cold.p99 });
    console.log(`  warm-up race on another activity (the server's first requests) ${how}: ${line(cold)}`);
  }
  const measured = await race(raceActivity!.id, role!.id);
  const { ok, failed } = measured;
  Object.assign(figures, {
    signup_sent: measured.sent,
    signup_ok: ok,
    signup_failed: failed,
    signup_per_s: measured.perS,
    signup_p50_ms: measured.p50,
    signup_p99_ms: measured.p99,
    signup_max_ms: measured.max,
    signup_open_p99_ms: measured.openP99,
    signup_first_p50_ms: measured.firstP50,
    signup_first_max_ms: measured.firstMax,
  });
  console.log(`  sign-up race ${how}: ${line(measured)} (target ≥ 1 000/s, p99 < 100)`);
  // BENCH_TRACE=<file>: when each answer of the measured race came (ms after its start), how long it took, and
  // whether it was its connection's first.
  if (process.env.BENCH_TRACE)
    writeFileSync(process.env.BENCH_TRACE, `at_ms,latency_ms,first\n${measured.answers.map(([at, ms, first]) => `${r1(at)},${ms},${first ? 1 : 0}`).join("\n")}\n`);
  const proxyErrors = proxy?.errorLog().trim();
  if (proxyErrors) console.log(`  nginx's error log:\n${proxyErrors}`);
  await proxy?.stop();
  await stopAll();

  // The places, checked in the database.
  handle = serverUrl ? await openDatabase({ kind: "postgres", url: env.DATABASE_URL! }) : await openDatabase({ kind: "pglite", dataDir: path.join(dataDir!, "pglite") });
  setDatabase(handle);
  const rows = await rowsOf<{ user_id: number; status: string; seq: number }>(handle.db, sql`select user_id, status, seq from activity_signups where activity_id = ${raceActivity!.id} order by seq`);
  const signedUp = rows.filter((r) => r.status === "signed_up");
  const checks = {
    oneRowEach: rows.length === ok && measured.sent === racers && new Set(rows.map((r) => r.user_id)).size === rows.length,
    exactSlots: signedUp.length === Math.min(slots, ok),
    restWaitlisted: rows.length - signedUp.length === rows.filter((r) => r.status === "waitlisted").length,
    seqWithoutGap: rows.every((r, i) => r.seq === i + 1),
    firstArrivalsHoldTheSlots: signedUp.every((r) => r.seq <= slots),
  };
  Object.assign(figures, checks, { signed_up: signedUp.length, waitlisted: rows.length - signedUp.length });
  console.log(`  places: ${signedUp.length} signed up, ${rows.length - signedUp.length} waitlisted; ${Object.entries(checks).map(([k, v]) => `${k} ${v ? "ok" : "FAILED"}`).join(", ")}`);
  await cleanup();
  finish(Object.values(checks).every(Boolean) && failed === 0 ? 0 : 1);
}

main().catch(async (error: unknown) => {
  console.error(error);
  await cleanup().catch(() => {});
  finish(1, error instanceof Error ? error.message : String(error));
});
