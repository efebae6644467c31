/**
 * Hall meetings benchmark (`npm run bench -- meetings`): issue 17, item 10.
 * A meeting of BENCH_PHONES (300) members, all signed in, on its first item;
 * every phone has a socket in the room `meeting:<id>`, as the page does.
 * 1. Hands: every phone raises its hand, twice at once (a double tap), through
 *    the page's action (`.data`); every phone's socket must end on the state
 *    with all hands. Checked in the database: one waiting hand per phone, none
 *    doubled, every second tap refused.
 * 2. Fan-out: the chair calls the next speaker BENCH_ROUNDS (20) times; for
 *    each call, the time from the POST until the last phone has the new state
 *    (target: p99 < 60 ms).
 * 3. Ballots: a motion is moved, seconded and put to the vote; every phone
 *    votes at once, tapping twice, through the JSON API as the page's script
 *    does (target: all within 5 s); checked in the database: one ballot per
 *    phone, the counts exactly the choices sent; and every phone's last
 *    count heard is the final one.
 * Prints figures as it goes and, as its very last line, one JSON object.
 *
 * Environment: BENCH_PORT (default 3360), BENCH_PHONES, BENCH_ROUNDS,
 * BENCH_CONCURRENCY (hands in flight, default 50), DATABASE_URL (create, use
 * and drop `gongzhi_bench_meetings`, or BENCH_DATABASE, on that local server;
 * otherwise PGlite in a fresh temp folder).
 */
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import postgres from "postgres";
import { sql } from "drizzle-orm";
import { io, type Socket } from "socket.io-client";
import { openDatabase, redact, setDatabase, type DatabaseHandle } from "#db/client.server";
import { migrate } from "#db/migrate.server";
import { seedDemoIfEmpty } from "#db/seed/demo";
import type { ClientToServerEvents, MeetingLive, ServerToClientEvents } from "#realtime/events";
import { mintSessions, rowsOf } from "./lib/votes-data";
import { percentile } from "./lib/votes-clients";
import { ensureBuild, makeTempDataDir, startServer, stopAll } from "./lib/server";
import { envInteger, finisher } from "./lib/report";

const port = envInteger("BENCH_PORT", 3360, 1024, 65535);
const phones = envInteger("BENCH_PHONES", 300, 3, 2_000);
const rounds = envInteger("BENCH_ROUNDS", 20, 1, 200);
const concurrency = envInteger("BENCH_CONCURRENCY", 50, 1, 1_000);
const serverUrl = process.env.DATABASE_URL || undefined;
const DATABASE = process.env.BENCH_DATABASE || "gongzhi_bench_meetings";
if (!/^[a-z_][a-z0-9_]*$/.test(DATABASE)) throw new Error(`BENCH_DATABASE must be a plain lower-case name, not "${DATABASE}".`);

const figures: Record<string, number | string | boolean | null> = { database: serverUrl ? "postgres" : "pglite", phones, rounds };
const finish: (code: number, error?: string) => never = finisher(figures);
const r1 = (n: number) => Math.round(n * 10) / 10;
let handle: DatabaseHandle | undefined;
let sockets: Socket<ServerToClientEvents, ClientToServerEvents>[] = [];

setTimeout(() => {
  console.error("Watchdog: the benchmark took longer than 15 minutes; giving up.");
  void cleanup().finally(() => finish(1, "watchdog"));
}, 15 * 60_000).unref();

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
  for (const s of sockets) s.disconnect();
  sockets = [];
  await stopAll();
  const h = handle;
  handle = undefined;
  setDatabase(undefined);
  await h?.close().catch(() => {});
  if (serverUrl) await admin([`drop database if exists ${DATABASE} with (force)`]).catch(() => {});
}

/** A POST of one intent to the meeting page's action, as its forms do; the reply's text. */
async function post(base: string, cookie: string, meetingId: number, form: Record<string, string>) {
  const res = await fetch(`${base}/meetings/${meetingId}.data`, {
    method: "POST",
    headers: { Cookie: cookie, Origin: base, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form),
    signal: AbortSignal.timeout(30_000),
  });
  return { status: res.status, text: await res.text() };
}

/** A phone's ballot, where the page's script sends it: the JSON write API (ADR 0013). */
async function postBallot(base: string, cookie: string, meetingId: number, form: Record<string, string>) {
  const res = await fetch(`${base}/api/meetings/${meetingId}/ballots`, {
    method: "POST",
    headers: { Cookie: cookie, Origin: base, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form),
    signal: AbortSignal.timeout(30_000),
  });
  return { status: res.status, text: await res.text() };
}

async function main() {
  await ensureBuild();
  console.log(`\nMeetings benchmark — production build, ${serverUrl ? `PostgreSQL server (database ${DATABASE})` : "embedded PGlite"}`);
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
  await migrate(handle);
  await seedDemoIfEmpty(db);

  // The room: BENCH_PHONES members of 史家's hall, invited, signed in; the meeting open on its first item.
  const [hall] = await rowsOf<{ id: number }>(db, sql`select id from halls where name = '史家胡同老街坊议事厅'`);
  const [chairRow] = await rowsOf<{ id: number }>(db, sql`select id from users where username = 'lijuan'`);
  const [proposal] = await rowsOf<{ id: number }>(db, sql`select id from proposals where hall_id = ${hall!.id} and state = 'open' order by id limit 1`);
  await db.execute(sql`insert into users (username, display_name, password_hash)
    select 'bench_m_' || lpad(g::text, 5, '0'), '邻居' || g, 'bench-placeholder:not-a-password-hash' from generate_series(1, ${phones}) g`);
  const people = await rowsOf<{ id: number }>(db, sql`select id from users where username like 'bench_m_%' order by username`);
  await db.execute(sql`insert into hall_members (hall_id, user_id, status) select ${hall!.id}, id, 'active' from users where username like 'bench_m_%'`);
  const [meeting] = await rowsOf<{ id: number }>(
    db,
    sql`insert into meetings (hall_id, title, starts_at, minutes, place, invitees, quorum, speaking_seconds, times_per_item, alternate, proxies, status, current_item, code_secret, client_key, created_by, opened_at)
        values (${hall!.id}, '压力测试议事会', now(), 120, '社区活动室', 'members', ${Math.ceil(phones / 2)}, 120, 2, true, false, 'open', 1, 'bench', 'bench', ${chairRow!.id}, now()) returning id`,
  );
  const meetingId = meeting!.id;
  await db.execute(sql`insert into meeting_items (meeting_id, position, proposal_id, minutes, started_at) values (${meetingId}, 1, ${proposal!.id}, 60, now())`);
  await db.execute(sql`insert into meeting_invites (meeting_id, user_id) select ${meetingId}, id from users where username like 'bench_m_%'`);
  await db.execute(sql`insert into meeting_attendance (meeting_id, user_id, way, signed_in_at) select ${meetingId}, id, 'code', now() from users where username like 'bench_m_%'`);
  const cookies = await mintSessions(db, people.map((p) => p.id), 0, phones);
  const [chairCookie] = await mintSessions(db, [chairRow!.id], 0, 1);
  await handle.close();
  handle = undefined;
  setDatabase(undefined);
  const server = await startServer({ port, dataDir, env });
  console.log(`  server ${server.url} answered after ${Math.round(server.msToFirstResponse)} ms`);

  // Every phone's socket in the room; each keeps the newest state it heard.
  const latest = new Array<MeetingLive | null>(phones).fill(null);
  // Each phone's latest reading of the voted motion's phone count (from a tally or a whole state, by asOf).
  let watched = -1;
  const heard = new Array<{ asOf: number; total: number } | null>(phones).fill(null);
  const hear = (i: number, asOf: number, total: number) => {
    if (!heard[i] || asOf > heard[i]!.asOf) heard[i] = { asOf, total };
  };
  let onState: (i: number, state: MeetingLive, at: number) => void = () => {};
  for (let first = 0; first < phones; first += 50) {
    const made = Array.from({ length: Math.min(50, phones - first) }, (_, k) => {
      const i = first + k;
      const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(server.url, { transports: ["websocket"], extraHeaders: { Origin: server.url }, forceNew: true, reconnection: false, timeout: 10_000 });
      socket.on("meeting:tally", (p) => {
        if (p.motionId === watched) hear(i, p.asOf, p.total);
      });
      socket.on("meeting:changed", (state) => {
        if (!latest[i] || state.rev > latest[i]!.rev) latest[i] = state;
        const m = state.motions.find((x) => x.id === watched);
        if (m) hear(i, state.asOf, m.phones.for + m.phones.against + m.phones.abstain);
        onState(i, state, performance.now());
      });
      sockets.push(socket);
      return socket;
    });
    await Promise.all(made.map((s) => new Promise<void>((resolve, reject) => (s.once("connect", () => resolve()), s.once("connect_error", reject)))));
    const joined = await Promise.all(made.map((s) => s.timeout(10_000).emitWithAck("room:join", `meeting:${meetingId}`)));
    if (joined.some((ok) => !ok)) throw new Error("A phone could not join the meeting's room.");
  }
  console.log(`  ${phones} phones connected to meeting:${meetingId}`);

  // 1. Every phone raises its hand, tapping twice at once.
  const order = Array.from({ length: phones }, (_, i) => i).sort(() => Math.random() - 0.5);
  const times: number[] = [];
  let ok = 0;
  let refusedTwice = 0;
  let failed = 0;
  let cursor = 0;
  let t = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (cursor < order.length) {
        const i = order[cursor++]!;
        const stance = i % 3 === 0 ? "against" : "for";
        const s = performance.now();
        const replies = await Promise.all([0, 1].map(() => post(server.url, cookies[i]!, meetingId, { intent: "raise", stance }).catch(() => ({ status: 0, text: "" }))));
        times.push(performance.now() - s);
        const good = replies.filter((r) => r.status === 200 && !r.text.includes("meeting.error")).length;
        const refused = replies.filter((r) => r.status === 200 && r.text.includes("meeting.error.alreadyWaiting")).length;
        if (good === 1 && refused === 1) {
          ok++;
          refusedTwice++;
        } else failed++;
      }
    }),
  );
  const handsSeconds = (performance.now() - t) / 1000;
  // Every phone ends on the state with every hand (allow the last broadcasts a moment).
  const deadline = performance.now() + 10_000;
  while (performance.now() < deadline && latest.some((s) => (s?.order.length ?? 0) < phones)) await sleep(50);
  const upToDate = latest.filter((s) => s?.order.length === phones).length;
  Object.assign(figures, {
    hands_ok: ok,
    hands_failed: failed,
    hands_per_s: r1(ok / handsSeconds),
    hand_p50_ms: r1(percentile(times, 50)),
    hand_p99_ms: r1(percentile(times, 99)),
    phones_with_full_queue: upToDate,
  });
  console.log(`  hands: ${ok} raised (second tap refused ${refusedTwice}), ${failed} failed; ${figures.hands_per_s}/s, double tap p50 ${figures.hand_p50_ms} ms, p99 ${figures.hand_p99_ms} ms; ${upToDate}/${phones} phones show all ${phones} hands`);

  // 2. Fan-out: the chair calls the next speaker; time until the last phone has the new state.
  const lastArrival: number[] = [];
  const postTimes: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const before = Math.max(...latest.map((s) => s?.rev ?? 0));
    const got = new Array<number>(phones).fill(NaN);
    let count = 0;
    let allIn: () => void = () => {};
    const everyone = new Promise<void>((resolve) => (allIn = resolve));
    onState = (i, state, at) => {
      if (state.rev > before && Number.isNaN(got[i]!)) {
        got[i] = at;
        if (++count === phones) allIn();
      }
    };
    t = performance.now();
    const reply = await post(server.url, chairCookie!, meetingId, { intent: "callNext" });
    postTimes.push(performance.now() - t);
    if (reply.status !== 200 || reply.text.includes("meeting.error")) throw new Error(`The chair's call failed: ${reply.status} ${reply.text.slice(0, 200)}`);
    await Promise.race([everyone, sleep(5_000)]);
    lastArrival.push(Math.max(...got) - t);
    await sleep(100);
  }
  onState = () => {};
  Object.assign(figures, {
    call_post_p50_ms: r1(percentile(postTimes, 50)),
    queue_change_last_phone_p50_ms: r1(percentile(lastArrival, 50)),
    queue_change_last_phone_p99_ms: r1(percentile(lastArrival, 99)),
  });
  console.log(
    `  next speaker × ${rounds}: POST p50 ${figures.call_post_p50_ms} ms; the last of ${phones} phones has it after p50 ${figures.queue_change_last_phone_p50_ms} ms, p99 ${figures.queue_change_last_phone_p99_ms} ms (target p99 < 60)`,
  );
  // 3. A motion put to the vote; every phone votes at once (a double tap each): the ballots' time, none lost or doubled.
  await post(server.url, cookies[0]!, meetingId, { intent: "move", text: "同意把垃圾桶站挪到胡同东侧空地" });
  await sleep(200); // the phones hear the new motion
  const live = latest[0]!;
  const motion = live.motions.at(-1)!;
  await post(server.url, cookies[1]!, meetingId, { intent: "second", motionId: String(motion.id) });
  const put = await post(server.url, chairCookie!, meetingId, { intent: "put", motionId: String(motion.id) });
  if (put.text.includes("meeting.error")) throw new Error(`Could not put the motion: ${put.text.slice(0, 200)}`);
  watched = motion.id;
  const ballotTimes: number[] = [];
  let ballotsOk = 0;
  cursor = 0;
  t = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (cursor < order.length) {
        const i = order[cursor++]!;
        const choice = i % 4 === 0 ? "against" : i % 7 === 0 ? "abstain" : "for";
        const s = performance.now();
        const replies = await Promise.all([0, 1].map(() => postBallot(server.url, cookies[i]!, meetingId, { motionId: String(motion.id), choice }).catch(() => ({ status: 0, text: "" }))));
        ballotTimes.push(performance.now() - s);
        if (replies.every((r) => r.status === 200 && r.text.includes('"ok":true'))) ballotsOk++;
      }
    }),
  );
  const ballotsSeconds = (performance.now() - t) / 1000;
  // The room's counts are coalesced: every phone must still end on the final one.
  const countDeadline = performance.now() + 5_000;
  while (performance.now() < countDeadline && heard.some((h) => h?.total !== phones)) await sleep(20);
  const finalCountSeconds = (performance.now() - t) / 1000;
  const phonesWithFinalCount = heard.filter((h) => h?.total === phones).length;
  const expected = { for: 0, against: 0, abstain: 0 };
  for (let i = 0; i < phones; i++) expected[i % 4 === 0 ? "against" : i % 7 === 0 ? "abstain" : "for"]++;
  Object.assign(figures, {
    ballots_ok: ballotsOk,
    ballots_seconds: r1(ballotsSeconds),
    ballot_p50_ms: r1(percentile(ballotTimes, 50)),
    ballot_p99_ms: r1(percentile(ballotTimes, 99)),
    phones_with_final_count: phonesWithFinalCount,
    final_count_on_every_phone_s: r1(finalCountSeconds),
  });
  console.log(
    `  ballots: ${ballotsOk} phones voted (double tap) in ${figures.ballots_seconds} s (target < 5), p50 ${figures.ballot_p50_ms} ms, p99 ${figures.ballot_p99_ms} ms; ${phonesWithFinalCount}/${phones} phones show the final count (${figures.final_count_on_every_phone_s} s after the first tap)`,
  );

  for (const s of sockets) s.disconnect();
  sockets = [];
  await stopAll();

  // The hands, checked in the database.
  handle = serverUrl ? await openDatabase({ kind: "postgres", url: env.DATABASE_URL! }) : await openDatabase({ kind: "pglite", dataDir: path.join(dataDir!, "pglite") });
  setDatabase(handle);
  const [counts] = await rowsOf<{ hands: number; people: number; spoken: number }>(
    handle.db,
    sql`select count(*)::int as hands, count(distinct user_id)::int as people, count(*) filter (where status in ('spoken', 'speaking'))::int as spoken from meeting_hands where meeting_id = ${meetingId}`,
  );
  const tally = await rowsOf<{ choice: "for" | "against" | "abstain"; n: number; people: number }>(
    handle.db,
    sql`select choice, count(*)::int as n, count(distinct user_id)::int as people from meeting_ballots where motion_id = ${motion.id} group by choice`,
  );
  const counted = { for: 0, against: 0, abstain: 0 };
  for (const row of tally) counted[row.choice] = row.n;
  const checks = {
    ballotsNoneLostOrDoubled: JSON.stringify(counted) === JSON.stringify(expected) && ballotsOk === phones,
    oneHandEach: counts!.hands === phones && counts!.people === phones,
    everySecondTapRefused: refusedTwice === phones,
    everyPhoneHeardEveryHand: upToDate === phones,
    everyPhoneHeardFinalCount: phonesWithFinalCount === phones,
    calledInTurn: counts!.spoken === rounds,
  };
  Object.assign(figures, checks);
  console.log(`  checks: ${Object.entries(checks).map(([k, v]) => `${k} ${v ? "ok" : "FAILED"}`).join(", ")}`);
  await cleanup();
  finish(Object.values(checks).every(Boolean) && failed === 0 ? 0 : 1);
}

main().catch(async (error: unknown) => {
  console.error(error);
  await cleanup().catch(() => {});
  finish(1, error instanceof Error ? error.message : String(error));
});
