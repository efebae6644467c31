/**
 * Data for the votes benchmark (tests/load/votes.ts): a database of its own
 * (a throw-away `gongzhi_bench_votes` on the DATABASE_URL server, or PGlite in
 * the server's data folder), the demo district, and on top of it — with
 * set-based SQL — 100 000 voters who are members of the demo hall, an open
 * yes/no vote of the members with all of them in its frozen electorate, a
 * second vote holding 100 000 ballots for the tally timing, and sessions for
 * a pool of voters (the cookie format of app/modules/identity/sessions.server.ts).
 *
 * The votes are inserted directly rather than through `createVote`: opening a
 * vote notifies every voter with one multi-row INSERT, which cannot carry
 * more than ~16 000 rows of parameters (see the report in votes.ts).
 */
import path from "node:path";
import { sha256 } from "@oslojs/crypto/sha2";
import { sql, type SQL } from "drizzle-orm";
import postgres from "postgres";
import { openDatabase, redact, setDatabase, type Database, type DatabaseHandle } from "#db/client.server";
import { migrate } from "#db/migrate.server";
import { sessions } from "#db/schema";
import { seedDemoIfEmpty } from "#db/seed/demo";
import { generateSecureRandomString, SESSION_COOKIE } from "~/modules/identity/sessions.server";
import { countVote } from "~/modules/votes/commands.server";

export const BENCH_DATABASE = "gongzhi_bench_votes";
const HALL_NAME = "史家胡同老街坊议事厅";
/** Whose password hash the voters share (so the demo password logs them in). */
const PASSWORD_DONOR = "wangxiulan";
const CONVENER = "lijuan";
export const VOTER_PREFIX = "bench_voter_";

/** Where the benchmark's data lives: a PGlite folder (the server's DATA_DIR) or a database on a PostgreSQL server. */
export type BenchTarget = { kind: "pglite"; dataDir: string } | { kind: "postgres"; url: string };

// ---------------------------------------------------------------------------
// Opening, creating and dropping.

/** The same server URL, pointing at another database. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Refuse anything but a local server: the benchmark only ever talks to this machine. */
export function assertLocalDatabase(url: string): void {
  const host = new URL(url).hostname;
  if (!["127.0.0.1", "localhost", "[::1]", "::1"].includes(host)) throw new Error(`Refusing a non-local DATABASE_URL (${redact(url)}).`);
}

/** Statements one by one on a short-lived connection to the server's `postgres` database (CREATE/DROP DATABASE cannot run in a transaction). */
async function adminQuery(serverUrl: string, statements: string[]): Promise<void> {
  assertLocalDatabase(serverUrl);
  const admin = postgres(withDatabase(serverUrl, "postgres"), { max: 1, onnotice: () => {}, connect_timeout: 5, connection: { application_name: "gongzhi-bench-votes" } });
  try {
    for (const statement of statements) await admin.unsafe(statement);
  } finally {
    await admin.end({ timeout: 5 });
  }
}

/** Drop and create `gongzhi_bench_votes` on the server of `serverUrl`; returns its URL. */
export async function createBenchDatabase(serverUrl: string): Promise<string> {
  await adminQuery(serverUrl, [`drop database if exists ${BENCH_DATABASE} with (force)`, `create database ${BENCH_DATABASE}`]);
  return withDatabase(serverUrl, BENCH_DATABASE);
}

export async function dropBenchDatabase(serverUrl: string): Promise<void> {
  await adminQuery(serverUrl, [`drop database if exists ${BENCH_DATABASE} with (force)`]);
}

/** Open the target the way the server does (PGlite lives in `<DATA_DIR>/pglite`) and make it the process's database. */
export async function openTarget(target: BenchTarget): Promise<DatabaseHandle> {
  const handle = target.kind === "pglite" ? await openDatabase({ kind: "pglite", dataDir: path.join(target.dataDir, "pglite") }) : await openDatabase({ kind: "postgres", url: target.url });
  setDatabase(handle);
  return handle;
}

/** Rows of a raw statement, whatever the driver (postgres-js gives an array, PGlite `{ rows }`). */
export async function rowsOf<T>(db: Database, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

async function one<T>(db: Database, query: SQL): Promise<T> {
  const [row] = await rowsOf<T>(db, query);
  if (!row) throw new Error("A query of the benchmark's seed returned no row.");
  return row;
}

// ---------------------------------------------------------------------------
// The data.

export interface Prepared {
  hallId: number;
  /** The open vote the ballots go to (electorate: the hall's members). */
  voteId: number;
  electorateSize: number;
  /** The vote holding `voters` ballots, for the tally timing. */
  tallyVoteId: number;
  /** The ballots inserted into the tally vote, per option (yes, no, abstain). */
  tallyExpected: number[];
  /** Voter i (0-based) is `bench_voter_<i+1>`, user id `voterIds[i]`. */
  voterIds: number[];
  /** Milliseconds: migrate, demo seed, bulk insert (with ANALYZE). */
  ms: { migrate: number; demo: number; bulk: number };
}

/** Voter i's login name. */
export const voterName = (i: number) => `${VOTER_PREFIX}${String(i + 1).padStart(6, "0")}`;

/** The share of each option among the tally vote's ballots: 45 % yes, 35 % no, 20 % abstain. */
const tallyChoice = (g: SQL) => sql`case when ${g} % 20 < 9 then 0 when ${g} % 20 < 16 then 1 else 2 end`;

/**
 * Migrate, seed the demo, then add the voters, their membership and the two
 * votes with a handful of set-based statements. Only on an empty database.
 */
export async function prepareData(handle: DatabaseHandle, voters: number): Promise<Prepared> {
  const { db } = handle;
  let t = performance.now();
  await migrate(handle);
  const migrateMs = performance.now() - t;
  t = performance.now();
  await seedDemoIfEmpty(db);
  const demoMs = performance.now() - t;
  t = performance.now();

  const hall = await one<{ id: number }>(db, sql`select id from halls where name = ${HALL_NAME} order by id limit 1`);
  const hallId = Number(hall.id);
  const donor = await one<{ password_hash: string }>(db, sql`select password_hash from users where username = ${PASSWORD_DONOR}`);
  const convener = await one<{ id: number }>(db, sql`select id from users where username = ${CONVENER}`);

  // 1. The voters (the demo password works for each), members of the hall.
  await db.execute(sql`
    insert into users (username, display_name, password_hash)
    select ${VOTER_PREFIX} || lpad(g::text, 6, '0'), '压测居民' || g, ${donor.password_hash}
    from generate_series(1, ${voters}) g
    order by g`);
  const voterRows = await rowsOf<{ id: number }>(db, sql`select id from users where username like ${VOTER_PREFIX.replace(/_/g, "\\_") + "%"} order by username`);
  if (voterRows.length !== voters) throw new Error(`Expected ${voters} bench voters, found ${voterRows.length}.`);
  const voterIds = voterRows.map((r) => Number(r.id));
  await db.execute(sql`
    insert into hall_members (hall_id, user_id, status)
    select ${hallId}, id, 'active' from users where username like ${VOTER_PREFIX.replace(/_/g, "\\_") + "%"}`);

  // 2. Two open yes/no votes of the hall's members, electorate frozen (as openVote does), closing in 30 days
  //    (so the 24-hour reminder does not fall due during the run).
  const newVote = async (question: string) => {
    const vote = await one<{ id: number }>(
      db,
      sql`insert into votes (hall_id, question, method, options, max_choices, electorate, opens_at, closes_at, quorum_percent, threshold,
                             abstentions_count_for_quorum, secret, live_results, state, created_by)
          values (${hallId}, ${question}, 'yes_no', '["yes","no","abstain"]'::jsonb, 1, 'members', now(), now() + interval '30 days', 50, 'simple_majority',
                  true, false, false, 'open', ${Number(convener.id)})
          returning id`,
    );
    const voteId = Number(vote.id);
    await db.execute(sql`
      insert into vote_electors (vote_id, elector_id)
      select distinct ${voteId}::int, user_id from hall_members where hall_id = ${hallId} and status = 'active' and user_id is not null`);
    const size = await one<{ n: number }>(db, sql`select count(*)::int as n from vote_electors where vote_id = ${voteId}`);
    await db.execute(sql`update votes set electorate_size = ${Number(size.n)} where id = ${voteId}`);
    await db.execute(sql`insert into vote_events (vote_id, actor_id, kind) values (${voteId}, ${Number(convener.id)}, 'created'), (${voteId}, null, 'opened')`);
    return { voteId, size: Number(size.n) };
  };
  const ballotVote = await newVote("压测表决：胡同口夜间限时停车方案");
  const tallyVote = await newVote("压测计票：老楼加装电梯方案");

  // 3. The tally vote: one ballot from every bench voter.
  await db.execute(sql`
    insert into ballots (vote_id, elector_id, choices, cast_by, cast_at)
    select ${tallyVote.voteId}, u.id, array[${tallyChoice(sql`u.g`)}]::smallint[], u.id, now() - (u.g % 1000) * interval '1 second'
    from (select id, row_number() over (order by id) as g from users where username like ${VOTER_PREFIX.replace(/_/g, "\\_") + "%"}) u`);
  const expected = await rowsOf<{ c: number; n: number }>(
    db,
    sql`select ${tallyChoice(sql`g`)} as c, count(*)::int as n from generate_series(1, ${voters}) g group by 1 order by 1`,
  );
  const tallyExpected = [0, 0, 0];
  for (const r of expected) tallyExpected[Number(r.c)] = Number(r.n);

  await db.execute(sql`analyze`);
  const bulkMs = performance.now() - t;
  return { hallId, voteId: ballotVote.voteId, electorateSize: ballotVote.size, tallyVoteId: tallyVote.voteId, tallyExpected, voterIds, ms: { migrate: migrateMs, demo: demoMs, bulk: bulkMs } };
}

/**
 * Sessions for voters `from` … `to - 1`, minted the way `createSession` does
 * (cookie `id.secret`, SHA-256 of the secret stored), in multi-row inserts.
 * Returns each voter's Cookie header value, in order.
 */
export async function mintSessions(db: Database, voterIds: number[], from: number, to: number, batch = 5_000): Promise<string[]> {
  const cookies: string[] = [];
  const encoder = new TextEncoder();
  for (let start = from; start < to; start += batch) {
    const rows = [];
    for (let i = start; i < Math.min(to, start + batch); i++) {
      const id = generateSecureRandomString();
      const secret = generateSecureRandomString();
      rows.push({ id, userId: voterIds[i]!, secretHash: sha256(encoder.encode(secret)) });
      cookies.push(`${SESSION_COOKIE}=${id}.${secret}`);
    }
    await db.insert(sessions).values(rows);
  }
  return cookies;
}

// ---------------------------------------------------------------------------
// The tally.

export interface TallyTiming {
  /** Wall time of each `countVote` run, ms. */
  times: number[];
  counts: number[];
  ballots: number;
  abstentions: number;
}

/** Time `countVote` (the app's own tally, as closing and the turnout broadcast use it) over `runs` runs after `warmup` unrecorded ones. */
export async function timeTally(db: Database, voteId: number, runs: number, warmup = 3): Promise<TallyTiming> {
  const vote = { id: voteId, method: "yes_no" as const, options: ["yes", "no", "abstain"], secret: false };
  let last = await countVote(db, vote);
  for (let i = 0; i < warmup; i++) last = await countVote(db, vote);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    last = await countVote(db, vote);
    times.push(performance.now() - started);
  }
  return { times, counts: last.counts, ballots: last.ballots, abstentions: last.abstentions };
}

// ---------------------------------------------------------------------------
// Checking the ballot box against what the server acknowledged.

export interface BoxCheck {
  /** Ballot rows of the vote. */
  rows: number;
  /** Electors with more than one row (the primary key makes it impossible: must be 0). */
  doubled: number;
  /** Acknowledged electors (ok: true) without a row: lost ballots. */
  lost: number;
  /** Rows of electors never acknowledged (a request that failed or timed out on our side but committed). */
  unacknowledged: number;
  /** Electors whose stored choice differs from the one choice they were acknowledged for (first-ballot run only). */
  wrongChoice: number;
  /** Rows and history rows of the one elector that 200 requests hit at once. */
  raceRows: number;
  raceHistory: number;
}

/**
 * After the server has stopped: compare the stored ballots of `voteId` with
 * the acknowledged electors. `single` maps electors acknowledged exactly once
 * (and cast for by nobody else) to the choice they were acknowledged for.
 */
export async function checkBox(db: Database, voteId: number, acknowledged: Set<number>, single: Map<number, number>, raceElector: number): Promise<BoxCheck> {
  const stored = await rowsOf<{ elector_id: number; choice: number }>(db, sql`select elector_id, choices[1]::int as choice from ballots where vote_id = ${voteId}`);
  const doubled = await rowsOf<{ elector_id: number; n: number }>(
    db,
    sql`select elector_id, count(*)::int as n from ballots where vote_id = ${voteId} group by elector_id having count(*) > 1`,
  );
  const storedIds = new Map<number, number>();
  for (const r of stored) storedIds.set(Number(r.elector_id), Number(r.choice));
  let lost = 0;
  for (const id of acknowledged) if (!storedIds.has(id)) lost++;
  let unacknowledged = 0;
  let wrongChoice = 0;
  for (const [id, choice] of storedIds) {
    if (!acknowledged.has(id)) unacknowledged++;
    const expected = single.get(id);
    if (expected !== undefined && expected !== choice) wrongChoice++;
  }
  const race = await one<{ rows: number; history: number }>(
    db,
    sql`select (select count(*)::int from ballots where vote_id = ${voteId} and elector_id = ${raceElector}) as rows,
               (select count(*)::int from ballot_history where vote_id = ${voteId} and elector_id = ${raceElector}) as history`,
  );
  return { rows: stored.length, doubled: doubled.length, lost, unacknowledged, wrongChoice, raceRows: Number(race.rows), raceHistory: Number(race.history) };
}
