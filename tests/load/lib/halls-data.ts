/**
 * Data for the halls benchmark (tests/load/halls.ts): a database of its own
 * (a throw-away PostgreSQL database on the DATABASE_URL server, or PGlite in
 * the server's data folder), the demo district, and on top of it — with
 * set-based SQL — a hall of 2 000 proposals, one of them debated by 500
 * comments with replies and stances, and 50 extra member accounts. Also counts
 * the queries of one proposal page (`getProposalPage`) with a logging drizzle.
 */
import path from "node:path";
import { sql, type SQL } from "drizzle-orm";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import { openDatabase, redact, type Database, type DatabaseHandle } from "#db/client.server";
import { migrate } from "#db/migrate.server";
import * as schema from "#db/schema";
import { seedDemoIfEmpty } from "#db/seed/demo";
import { visitor, type Actor } from "~/modules/identity/actor";
import { loadActor } from "~/modules/identity/actor.server";
import { getProposalPage } from "~/modules/proposals/queries.server";

export const BENCH_DATABASE = "gongzhi_bench_halls";

/** Where the benchmark's data lives: a PGlite folder (the server's DATA_DIR) or a database on a PostgreSQL server. */
export type BenchTarget = { kind: "pglite"; dataDir: string } | { kind: "postgres"; url: string };

// ---------------------------------------------------------------------------
// Opening and dropping.

/** The same server URL, pointing at another database. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Refuse anything but a local server: the benchmark only ever talks to this machine. */
export function assertLocalDatabase(url: string): void {
  const host = new URL(url).hostname;
  if (!["127.0.0.1", "localhost", "[::1]", "::1", ""].includes(host))
    throw new Error(`Refusing a non-local DATABASE_URL (${redact(url)}).`);
}

/** Run statements one by one on a short-lived connection to the server's `postgres` database (CREATE/DROP DATABASE cannot run in a transaction). */
async function adminQuery(serverUrl: string, statements: string[]): Promise<void> {
  const admin = postgres(withDatabase(serverUrl, "postgres"), {
    max: 1,
    onnotice: () => {},
    connect_timeout: 5,
    connection: { application_name: "gongzhi-bench" },
  });
  try {
    for (const statement of statements) await admin.unsafe(statement);
  } finally {
    await admin.end({ timeout: 5 });
  }
}

/** Drop and create `gongzhi_bench_halls` on the server of `serverUrl`; returns its URL. */
export async function createBenchDatabase(serverUrl: string): Promise<string> {
  assertLocalDatabase(serverUrl);
  await adminQuery(serverUrl, [`drop database if exists ${BENCH_DATABASE} with (force)`, `create database ${BENCH_DATABASE}`]);
  return withDatabase(serverUrl, BENCH_DATABASE);
}

export async function dropBenchDatabase(serverUrl: string): Promise<void> {
  await adminQuery(serverUrl, [`drop database if exists ${BENCH_DATABASE} with (force)`]);
}

/** Open the target the way the server does (PGlite lives in `<DATA_DIR>/pglite`). */
export function openTarget(target: BenchTarget): Promise<DatabaseHandle> {
  return target.kind === "pglite"
    ? openDatabase({ kind: "pglite", dataDir: path.join(target.dataDir, "pglite") })
    : openDatabase({ kind: "postgres", url: target.url });
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

export interface Shape {
  /** Proposals in the hall, the demo's included. */
  proposals: number;
  /** Comments on the debated proposal. */
  comments: number;
  /** Extra member accounts that post comments. */
  authors: number;
}

export interface Prepared {
  hallId: number;
  hallName: string;
  proposalId: number;
  /** The body of the proposal's first comment (the page's first thread: it must show it). */
  firstCommentBody: string;
  /** The extra authors' login names (their password is the demo password). */
  authorUsernames: string[];
  authorIds: number[];
  /** The demo member who browses logged in and posts the fan-out comments. */
  memberUsername: string;
  memberId: number;
  counts: { proposals: number; comments: number; replies: number; members: number; seconds: number };
  /** Milliseconds: migrate, demo seed, bulk insert (with ANALYZE). */
  ms: { migrate: number; demo: number; bulk: number };
}

export const MEMBER_USERNAME = "wangxiulan";
const HALL_NAME = "史家胡同老街坊议事厅";
const TOPICS = [
  "胡同口夜间停车",
  "垃圾分类桶站",
  "老楼加装电梯",
  "路灯维修",
  "院内私搭乱建",
  "共享单车乱停",
  "行道树修剪",
  "广场舞噪音",
  "化粪池清掏",
  "快递柜设置",
];

/**
 * Migrate, seed the demo, then add the benchmark's hall data with a handful
 * of set-based statements. Idempotent only on an empty database (a fresh
 * folder or a freshly created database).
 */
export async function prepareData(handle: DatabaseHandle, shape: Shape): Promise<Prepared> {
  const { db } = handle;
  let t = performance.now();
  await migrate(handle);
  const migrateMs = performance.now() - t;
  t = performance.now();
  await seedDemoIfEmpty(db);
  const demoMs = performance.now() - t;
  t = performance.now();

  const hall = await one<{ id: number }>(db, sql`select id from halls where name = ${HALL_NAME} order by id limit 1`);
  const member = await one<{ id: number; password_hash: string }>(
    db,
    sql`select id, password_hash from users where username = ${MEMBER_USERNAME}`,
  );
  const hallId = Number(hall.id);
  // The demo hall's rules allow 2 speeches per person per proposal (ADR 0019); the benchmark's 50 authors
  // speak hundreds of times on one proposal, so its copy of the hall has no such rule.
  await db.execute(sql`update halls set comments_per_person = null where id = ${hallId}`);
  const existing = await one<{ n: number }>(db, sql`select count(*)::int as n from proposals where hall_id = ${hallId}`);
  // The demo members before we add ours: they wrote the seeded debate.
  const demoMembers = (
    await rowsOf<{ user_id: number }>(
      db,
      sql`select user_id from hall_members where hall_id = ${hallId} and status = 'active' and user_id is not null order by user_id`,
    )
  ).map((r) => Number(r.user_id));
  if (demoMembers.length < 3) throw new Error("The demo hall has too few members to write its debate.");

  // 1. Fifty extra members, with the demo password (the demo user's hash, copied).
  await db.execute(sql`
    insert into users (username, display_name, password_hash)
    select 'bench_author_' || lpad(g::text, 3, '0'), '压测居民' || lpad(g::text, 3, '0'), ${member.password_hash}
    from generate_series(1, ${shape.authors}) g`);
  const authors = await rowsOf<{ id: number; username: string }>(
    db,
    sql`select id, username from users where username like 'bench\\_author\\_%' order by username`,
  );
  if (authors.length !== shape.authors) throw new Error(`Expected ${shape.authors} bench authors, found ${authors.length}.`);
  await db.execute(sql`
    insert into hall_members (hall_id, user_id, status)
    select ${hallId}, id, 'active' from users where username like 'bench\\_author\\_%'`);

  // 2. Proposals: the hall grows to `shape.proposals`; the last one made is the debated one (in debate).
  const bulk = Math.max(0, shape.proposals - Number(existing.n) - 1);
  const memberArray = sql.raw(`array[${demoMembers.join(",")}]::int[]`);
  const topics = sql.raw(`array[${TOPICS.map((s) => `'${s}'`).join(",")}]::text[]`);
  // Open proposals still within their seconding window (older ones have expired), so the server's expiry task finds nothing to do.
  await db.execute(sql`
    insert into proposals (hall_id, author_id, title, body, category_code, state, seconds_required, seconding_deadline, client_key, search_vector, created_at, opened_at)
    select ${hallId},
           (${memberArray})[1 + s.g % ${demoMembers.length}],
           '议题 ' || s.g || '：' || s.topic,
           '关于' || s.topic || '的问题，邻居们反映已经有一段时间了。希望社区牵头，请相关部门和居民代表一起商量一个可行的办法，并在议事厅公示结果。第 ' || s.g || ' 号议题。',
           (select array_agg(code order by sort_order) from categories)[1 + s.g % (select count(*)::int from categories)],
           case when s.state = 'open' and s.created < now() - interval '13 days' then 'expired' else s.state end,
           5,
           s.created + interval '14 days',
           'bench-p-' || s.g,
           to_tsvector('simple', '议题 ' || s.topic),
           s.created,
           s.created
    from (
      select g,
             (${topics})[1 + g % ${TOPICS.length}] as topic,
             (array['open','open','open','on_agenda','in_debate','closed','expired','decided_passed','withdrawn','declined'])[1 + g % 10] as state,
             now() - (${bulk} - g) * interval '3 hours' - interval '1 day' as created
      from generate_series(1, ${bulk}) g
    ) s
    order by s.g`);
  const target = await one<{ id: number }>(
    db,
    sql`
    insert into proposals (hall_id, author_id, title, body, category_code, state, seconds_required, seconding_deadline, client_key, search_vector, created_at, opened_at)
    values (${hallId}, ${demoMembers[0]!}, '胡同口夜间停车管理方案（大讨论）',
            '史家胡同东口到 24 号院一带夜间停车越来越乱，消防通道经常被堵。社区拟定了夜间限时停车、设置隔离桩和居民车位登记三套方案，请大家充分讨论，说明支持、反对或中立的理由。',
            'parking', 'in_debate', 5, now() + interval '7 days', 'bench-target', to_tsvector('simple', '胡同口 夜间 停车'), now() - interval '10 days', now() - interval '10 days')
    returning id`,
  );
  const proposalId = Number(target.id);

  // 3. History, seconds and follows for every added proposal.
  await db.execute(sql`
    insert into proposal_events (proposal_id, actor_id, kind, to_state, at)
    select id, author_id, 'state', 'open', created_at from proposals where hall_id = ${hallId} and client_key like 'bench-%'`);
  await db.execute(sql`
    insert into proposal_events (proposal_id, actor_id, kind, from_state, to_state, reason, at)
    values (${proposalId}, null, 'state', 'open', 'on_agenda', 'seconds', now() - interval '8 days'),
           (${proposalId}, ${demoMembers[1]!}, 'state', 'on_agenda', 'in_debate', null, now() - interval '7 days')`);
  await db.execute(sql`
    insert into proposal_seconds (proposal_id, user_id, created_at)
    select p.id, s.user_id, p.created_at + interval '1 hour'
    from proposals p
    cross join lateral (
      select m.user_id from hall_members m
      where m.hall_id = ${hallId} and m.status = 'active' and m.user_id is not null and m.user_id <> p.author_id
      order by (m.user_id * 7919 + p.id) % 101, m.user_id
      limit case when p.id = ${proposalId} then 8 else p.id % 7 end
    ) s
    where p.hall_id = ${hallId} and p.client_key like 'bench-%'`);
  await db.execute(sql`
    insert into follows (proposal_id, user_id)
    select id, author_id from proposals where hall_id = ${hallId} and client_key like 'bench-%'
    on conflict do nothing`);

  // 4. The debate: comments in order (so the n-th inserted has the n-th id), a third support, a third oppose, a third neutral.
  await db.execute(sql`
    insert into comments (proposal_id, author_id, stance, body, client_key, search_vector, created_at)
    select ${proposalId},
           (${memberArray})[1 + (g * 7) % ${demoMembers.length}],
           (array['support','oppose','neutral'])[1 + g % 3],
           '第' || g || '条发言：' || (array[
             '我支持夜间限时停车，晚上八点以后胡同口必须留出消防通道，救护车进不来太危险了。',
             '我反对设置隔离桩，老人推轮椅、送快递都不方便，建议先试行居民车位登记再说。',
             '我保持中立，希望社区先统计一下每晚到底有多少外来车辆，数据清楚了大家再表态。'
           ])[1 + g % 3] || repeat('补充一点：', g % 3) || '谢谢召集人。',
           'bench-c-' || g,
           to_tsvector('simple', '发言 ' || g),
           now() - (${shape.comments} - g) * interval '17 minutes'
    from generate_series(1, ${shape.comments}) g
    order by g`);
  // Replies: every 4th comment answers the one before it; every 8th+1 answers that reply (depth 2).
  await db.execute(sql`
    with n as (select id, row_number() over (order by id) as k from comments where proposal_id = ${proposalId})
    update comments c set parent_id = p.id, depth = 1
    from n cn join n p on p.k = cn.k - 1
    where c.id = cn.id and cn.k % 4 = 0`);
  await db.execute(sql`
    with n as (select id, depth, row_number() over (order by id) as k from comments where proposal_id = ${proposalId})
    update comments c set parent_id = p.id, depth = p.depth + 1
    from n cn join n p on p.k = cn.k - 1
    where c.id = cn.id and cn.k % 8 = 1 and cn.k > 1 and p.depth = 1`);
  await db.execute(sql`
    insert into follows (proposal_id, user_id)
    select distinct ${proposalId}::int, author_id from comments where proposal_id = ${proposalId}
    on conflict do nothing`);
  await db.execute(sql`analyze`);
  const bulkMs = performance.now() - t;

  const first = await one<{ body: string }>(db, sql`select body from comments where proposal_id = ${proposalId} order by id limit 1`);
  const counts = await one<{ proposals: number; comments: number; replies: number; members: number; seconds: number }>(
    db,
    sql`select (select count(*)::int from proposals where hall_id = ${hallId}) as proposals,
               (select count(*)::int from comments where proposal_id = ${proposalId}) as comments,
               (select count(*)::int from comments where proposal_id = ${proposalId} and parent_id is not null) as replies,
               (select count(*)::int from hall_members where hall_id = ${hallId} and status = 'active') as members,
               (select count(*)::int from proposal_seconds s join proposals p on p.id = s.proposal_id where p.hall_id = ${hallId}) as seconds`,
  );
  if (counts.proposals !== shape.proposals) throw new Error(`The hall has ${counts.proposals} proposals, not ${shape.proposals}.`);
  if (counts.comments !== shape.comments) throw new Error(`The debated proposal has ${counts.comments} comments, not ${shape.comments}.`);

  return {
    hallId,
    hallName: HALL_NAME,
    proposalId,
    firstCommentBody: first.body,
    authorUsernames: authors.map((a) => a.username),
    authorIds: authors.map((a) => Number(a.id)),
    memberUsername: MEMBER_USERNAME,
    memberId: Number(member.id),
    counts: {
      proposals: Number(counts.proposals),
      comments: Number(counts.comments),
      replies: Number(counts.replies),
      members: Number(counts.members),
      seconds: Number(counts.seconds),
    },
    ms: { migrate: migrateMs, demo: demoMs, bulk: bulkMs },
  };
}

// ---------------------------------------------------------------------------
// What one page load costs the database.

export interface PageQueryCost {
  /** Statements `getProposalPage` sends, anonymous and as a member. */
  anonymous: number;
  member: number;
  /** The same, on a proposal with only a handful of comments: equal when the number is fixed. */
  smallAnonymous: number;
  smallMember: number;
  /** Median wall time of `getProposalPage` for the debated proposal, in this process (no HTTP, no render). */
  medianMsAnonymous: number;
  medianMsMember: number;
}

/**
 * Count the statements of one `getProposalPage` call with a drizzle of our own
 * over the same driver whose logger counts, and time the call (median of `runs`).
 */
export async function measurePageQueries(
  handle: DatabaseHandle,
  proposalId: number,
  memberId: number,
  runs: number,
): Promise<PageQueryCost> {
  let statements = 0;
  const logger = { logQuery: () => void statements++ };
  const counting = (handle.kind === "pglite"
    ? drizzlePglite(handle.pglite!, { schema, casing: "snake_case", logger })
    : drizzlePostgres(handle.sql!, { schema, casing: "snake_case", logger })) as unknown as Database;
  const memberActor: Actor = await loadActor(handle.db, memberId);
  const small = await one<{ id: number }>(
    handle.db,
    sql`select p.id from proposals p where p.state <> 'draft' and p.id <> ${proposalId} and exists (select 1 from comments c where c.proposal_id = p.id) order by p.id limit 1`,
  );

  const count = async (id: number, actor: Actor) => {
    statements = 0;
    const page = await getProposalPage(counting, id, actor);
    if (!page) throw new Error(`getProposalPage found no proposal ${id}.`);
    return statements;
  };
  const median = async (actor: Actor) => {
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      await getProposalPage(handle.db, proposalId, actor);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    return times[Math.floor(times.length / 2)] ?? NaN;
  };
  return {
    anonymous: await count(proposalId, visitor),
    member: await count(proposalId, memberActor),
    smallAnonymous: await count(Number(small.id), visitor),
    smallMember: await count(Number(small.id), memberActor),
    medianMsAnonymous: await median(visitor),
    medianMsMember: await median(memberActor),
  };
}

/** Comments on the proposal by these authors (after the run, to check against the answers). */
export async function countComments(db: Database, proposalId: number, authorIds: number[]): Promise<number> {
  if (!authorIds.length) return 0;
  const row = await one<{ n: number }>(
    db,
    sql`select count(*)::int as n from comments where proposal_id = ${proposalId} and author_id in (${sql.join(
      authorIds.map((id) => sql`${id}`),
      sql`, `,
    )})`,
  );
  return Number(row.n);
}
