/**
 * Data for the whistles benchmark (tests/load/whistles.ts): a database of its
 * own (the throw-away PostgreSQL database `gongzhi_bench_whistles` on the
 * DATABASE_URL server, or PGlite in the server's data folder), the demo
 * district, and on top of it — with set-based SQL (generate_series) — more
 * subdistricts and departments (50 in all), a year of historical whistles
 * with their assignments and residents' ratings, a few hundred open
 * assignments for 东城区城管执法局 (maqiang's inbox) and a batch of
 * assignments due for the deadline sweep.
 */
import path from "node:path";
import { sql, type SQL } from "drizzle-orm";
import postgres from "postgres";
import { openDatabase, redact, type Database, type DatabaseHandle } from "#db/client.server";
import { migrate } from "#db/migrate.server";
import { seedDemoIfEmpty } from "#db/seed/demo";

export const BENCH_DATABASE = "gongzhi_bench_whistles";

/** Where the data lives: a PGlite folder (the server's DATA_DIR) or a database on a local PostgreSQL server. */
export type BenchTarget = { kind: "pglite"; dataDir: string } | { kind: "postgres"; url: string };

// ---------------------------------------------------------------------------
// Opening, creating and dropping.

/** The same server URL, pointing at another database. */
function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** The benchmark only ever talks to this machine. */
function assertLocalDatabase(url: string): void {
  const host = new URL(url).hostname;
  if (!["127.0.0.1", "localhost", "[::1]", "::1", ""].includes(host)) throw new Error(`Refusing a non-local DATABASE_URL (${redact(url)}).`);
}

/** Statements one by one on a short-lived connection to the server's `postgres` database (CREATE/DROP DATABASE cannot run in a transaction). */
async function adminQuery(serverUrl: string, statements: string[]): Promise<void> {
  const admin = postgres(withDatabase(serverUrl, "postgres"), { max: 1, onnotice: () => {}, connect_timeout: 5, connection: { application_name: "gongzhi-bench" } });
  try {
    for (const statement of statements) await admin.unsafe(statement);
  } finally {
    await admin.end({ timeout: 5 });
  }
}

/**
 * Drop and create `gongzhi_bench_whistles` on the server of `serverUrl` (whatever database that URL
 * names: only the benchmark's own database is ever created or dropped); returns its URL.
 */
export async function createBenchDatabase(serverUrl: string): Promise<string> {
  assertLocalDatabase(serverUrl);
  await adminQuery(serverUrl, [`drop database if exists ${BENCH_DATABASE} with (force)`, `create database ${BENCH_DATABASE}`]);
  return withDatabase(serverUrl, BENCH_DATABASE);
}

export async function dropBenchDatabase(serverUrl: string): Promise<void> {
  assertLocalDatabase(serverUrl);
  await adminQuery(serverUrl, [`drop database if exists ${BENCH_DATABASE} with (force)`]);
}

/** Open the target the way the server does (PGlite lives in `<DATA_DIR>/pglite`). */
export function openTarget(target: BenchTarget): Promise<DatabaseHandle> {
  return target.kind === "pglite" ? openDatabase({ kind: "pglite", dataDir: path.join(target.dataDir, "pglite") }) : openDatabase({ kind: "postgres", url: target.url });
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

/** A SQL string literal (for the few constant names and codes this file writes into statements). */
const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;
const textArray = (items: string[]) => sql.raw(`array[${items.map(lit).join(",")}]::text[]`);

// ---------------------------------------------------------------------------
// The data.

export interface Shape {
  /** Historical whistles, spread over the 12 months before now (all closed, with their assignments). */
  whistles: number;
  /** Departments in the district, the demo's included. */
  departments: number;
  /** Subdistricts in the district, the demo's three included. */
  subdistricts: number;
  /** Open assignments for 东城区城管执法局 (maqiang's inbox). */
  inbox: number;
  /** Assignments due for the sweep: a quarter each for a reminder, the overdue flag, automatic supervision, the public list. */
  due: number;
}

export interface Step {
  what: string;
  rows: number;
  ms: number;
}

export interface Prepared {
  districtId: number;
  districtPath: string;
  /** One subdistrict (朝阳门街道): the rates of the departments serving it. */
  subdistrictPath: string;
  /** 东城区城管执法局, maqiang's department. */
  bureauId: number;
  /** The clock the due assignments were laid out against; pass it to sweepWhistles. */
  now: Date;
  /** Ids of the assignments laid out for the sweep (to check and clean up). */
  dueIds: { first: number; last: number };
  /** `inbox`: the bureau's open assignments (the demo's and the benchmark's), before the sweep's batch is added. */
  counts: { departments: number; subdistricts: number; whistles: number; assignments: number; ratings: number; inbox: number; due: number };
  steps: Step[];
}

/** Minutes to sign for / arrive, per whistle kind (domain-rules.md, Timers), as SQL over a `kind` column. */
const SIGN_MINUTES = sql.raw(`(case kind when 'emergency' then 30 when 'enforcement' then 120 else 1440 end)`);
const ON_SITE_MINUTES = sql.raw(`(case kind when 'emergency' then 30 when 'enforcement' then 1440 else 4320 end)`);
/** Null for emergencies ("until confirmed"); key tasks get a 14-day notice. */
const RESOLVE_MINUTES = sql.raw(`(case kind when 'emergency' then null when 'key_task' then 20160 else 10080 end)`);

/** 东城区's real subdistricts beyond the demo's three. */
const MORE_SUBDISTRICTS = ["东华门街道", "交道口街道", "安定门街道", "北新桥街道", "东直门街道", "和平里街道", "建国门街道", "崇文门外街道", "前门街道", "天坛街道", "体育馆路街道", "龙潭街道", "永定门外街道", "东花市街道"];
const MORE_DISTRICT_DEPARTMENTS: [kind: string, name: string][] = [
  ["education", "东城区教育委员会"],
  ["health", "东城区卫生健康委员会"],
  ["commerce", "东城区商务局"],
  ["veterans", "东城区退役军人事务局"],
  ["sports", "东城区体育局"],
];

/**
 * Migrate, seed the demo, then add the benchmark's data with a handful of
 * set-based statements and ANALYZE. Only on an empty database (a fresh folder
 * or a freshly created database). `onStep` is called after each step.
 */
export async function prepareData(handle: DatabaseHandle, shape: Shape, onStep: (s: Step) => void = () => {}): Promise<Prepared> {
  const { db } = handle;
  const steps: Step[] = [];
  const step = async (what: string, run: () => Promise<number>) => {
    const started = performance.now();
    const rows = await run();
    const s = { what, rows, ms: performance.now() - started };
    steps.push(s);
    onStep(s);
  };

  await step("migrate", async () => {
    await migrate(handle);
    return 0;
  });
  await step("demo seed", async () => {
    const seeded = await seedDemoIfEmpty(db);
    if (!seeded) throw new Error("The benchmark database is not empty.");
    return 0;
  });

  const district = await one<{ id: number; path: string }>(db, sql`select id, path from units where kind = 'district' and name = '东城区'`);
  const chaoyangmen = await one<{ path: string }>(db, sql`select path from units where kind = 'subdistrict' and name = '朝阳门街道'`);
  const bureau = await one<{ id: number }>(db, sql`select id from departments where name = '东城区城管执法局'`);
  const officer = await one<{ id: number }>(db, sql`select id from users where username = 'sunlei'`);

  // Subdistricts and departments.
  await step("subdistricts", async () => {
    const existing = (await one<{ n: number }>(db, sql`select count(*)::int as n from units where parent_id = ${district.id} and kind = 'subdistrict'`)).n;
    const names = MORE_SUBDISTRICTS.slice(0, Math.max(0, shape.subdistricts - existing));
    if (names.length === 0) return 0;
    await db.execute(sql`insert into units (parent_id, kind, name, path) select ${district.id}, 'subdistrict', n, '/' from unnest(${textArray(names)}) as n`);
    await db.execute(sql`update units set path = ${district.path} || id || '/' where parent_id = ${district.id} and kind = 'subdistrict' and path = '/'`);
    return names.length;
  });
  await step("departments", async () => {
    const existing = (await one<{ n: number }>(db, sql`select count(*)::int as n from departments where district_id = ${district.id}`)).n;
    let need = shape.departments - existing;
    if (need <= 0) return 0;
    const added = need;
    // Stations for the subdistricts that have none: an enforcement team and a police station each, under the district's departments.
    const bare = await rowsOf<{ id: number; name: string }>(
      db,
      sql`select s.id, s.name from units s where s.parent_id = ${district.id} and s.kind = 'subdistrict' and not exists (select 1 from departments d where d.serves_unit_id = s.id) order by s.id`,
    );
    const parents = await rowsOf<{ id: number; kind: string }>(db, sql`select id, kind from departments where district_id = ${district.id} and level = 'district' and kind in ('enforcement', 'police')`);
    const parentOf = (kind: string) => parents.find((p) => p.kind === kind)?.id ?? null;
    const values: SQL[] = [];
    for (const s of bare) {
      for (const [kind, level, name] of [
        ["enforcement", "subdistrict", `${s.name}综合执法队`],
        ["police", "station", `${s.name.replace("街道", "")}派出所`],
      ] as const) {
        if (need-- <= 0) break;
        values.push(sql`(${district.id}, ${parentOf(kind)}, ${s.id}, ${kind}, ${level}, ${name})`);
      }
    }
    for (const [kind, name] of MORE_DISTRICT_DEPARTMENTS) {
      if (need-- <= 0) break;
      values.push(sql`(${district.id}, ${null}, ${null}, ${kind}, 'district', ${name})`);
    }
    for (let i = 1; need > 0; i++, need--) values.push(sql`(${district.id}, ${null}, ${null}, 'other', 'district', ${`东城区委办局 ${i}`})`);
    await db.execute(sql`insert into departments (district_id, parent_id, serves_unit_id, kind, level, name) values ${sql.join(values, sql`, `)}`);
    return added;
  });

  // Which departments may take a subdistrict's whistles: the district's own, and the stations serving it.
  await db.execute(sql`drop table if exists bench_subdistricts`);
  await db.execute(sql`
    create table bench_subdistricts as
    select (row_number() over (order by s.id) - 1)::int as ord, s.id,
           array(select d.id from departments d where d.district_id = ${district.id} and (d.level = 'district' or d.serves_unit_id = s.id) order by d.id) as deps
    from units s where s.parent_id = ${district.id} and s.kind = 'subdistrict'`);
  const subdistrictCount = (await one<{ n: number }>(db, sql`select count(*)::int as n from bench_subdistricts`)).n;
  const categoryCodes = (await rowsOf<{ code: string }>(db, sql`select code from categories order by sort_order`)).map((c) => c.code);

  // A year of history, ending 8 days ago (every rating window closed): ids grow with time, as they would.
  const now = new Date();
  const historyEnd = new Date(now.getTime() - 8 * 86_400_000);
  const historyStart = new Date(historyEnd.getTime() - 365 * 86_400_000 + 8 * 86_400_000);
  const spanSeconds = (historyEnd.getTime() - historyStart.getTime()) / 1000;
  const before = (await one<{ n: number }>(db, sql`select coalesce(max(id), 0)::int as n from whistles`)).n;
  const n = shape.whistles;

  await step("whistles (history)", async () => {
    await db.execute(sql`
      insert into whistles (subdistrict_id, source, kind, title, description, category_code, address, state, round, resolved_at, rating_closes_at, closure, created_by, created_at, dispatched_at)
      select s.id, 'direct', k.kind, '历史吹哨事项 #' || g, '批量生成的历史事项，用于压测三率与派单。', c.code, '东城区某胡同 ' || (g % 997) || ' 号',
             'closed', 0, t + interval '1 hour' * (2 + (g * 7) % 200), t + interval '1 hour' * (2 + (g * 7) % 200) + interval '7 days',
             case when g % 97 = 0 then 'unreasonable' else 'resolved' end, ${officer.id}, t, t + interval '20 minutes'
      from generate_series(1, ${n}::int) as g
      cross join lateral (select ${historyStart.toISOString()}::timestamptz + ((g - 1) * (${spanSeconds}::float8 / ${n}::int)) * interval '1 second' as t) as tt
      cross join lateral (select (array['enforcement','enforcement','enforcement','enforcement','resident_request','resident_request','resident_request','key_task','key_task','emergency'])[1 + ((g::bigint * 7919) % 10)::int] as kind) as k
      join bench_subdistricts s on s.ord = ((g::bigint * 104729) % ${subdistrictCount}::int)::int
      cross join lateral (select (${textArray(categoryCodes)})[1 + (g * 31) % ${categoryCodes.length}::int] as code) as c`);
    return n;
  });
  const range = sql`w.id > ${before} and w.id <= ${before + n}`;

  let assignmentRows = 0;
  await step("assignments (history)", async () => {
    const started = (await one<{ n: number }>(db, sql`select count(*)::int as n from assignments`)).n;
    // Every whistle's lead: 5 % returned (then replaced), 10 % confirmed, the rest resolved; 15 % signed for late.
    await db.execute(sql`
      insert into assignments (whistle_id, department_id, role, round, state, dispatched_at, due_sign_at, due_on_site_at, due_resolve_at, signed_at, on_site_at, resolved_at, returned_at, result_text)
      select w.id, s.deps[1 + (w.id * 13) % cardinality(s.deps)], 'lead', 0,
             case when w.id % 20 = 0 then 'returned' when w.id % 10 = 1 then 'confirmed' else 'resolved' end,
             w.dispatched_at, w.dispatched_at + ${SIGN_MINUTES} * interval '1 minute', w.dispatched_at + ${ON_SITE_MINUTES} * interval '1 minute', w.dispatched_at + ${RESOLVE_MINUTES} * interval '1 minute',
             case when w.id % 20 = 0 then null else w.dispatched_at + ${SIGN_MINUTES} * interval '1 minute' * (case when w.id % 7 = 0 then 1.6 else 0.1 + (w.id % 9) * 0.1 end) end,
             case when w.id % 20 = 0 then null else w.dispatched_at + ${ON_SITE_MINUTES} * interval '1 minute' * (0.2 + (w.id % 11) * 0.1) end,
             case when w.id % 20 = 0 then null else w.resolved_at end,
             case when w.id % 20 = 0 then w.dispatched_at + interval '50 minutes' else null end,
             case when w.id % 20 = 0 then null else '已按要求办结' end
      from whistles w join bench_subdistricts s on s.id = w.subdistrict_id
      where ${range}`);
    // The returned parts' replacements (another department, re-dispatched an hour later), 20 % co-operating parts, 2 % redone (round 1).
    await db.execute(sql`
      insert into assignments (whistle_id, department_id, role, round, state, dispatched_at, due_sign_at, due_on_site_at, due_resolve_at, signed_at, on_site_at, resolved_at, result_text)
      select w.id, s.deps[1 + (w.id * 13 + 1 + x.which) % cardinality(s.deps)], x.role, x.round, 'resolved',
             w.dispatched_at + x.delay, w.dispatched_at + x.delay + ${SIGN_MINUTES} * interval '1 minute', w.dispatched_at + x.delay + ${ON_SITE_MINUTES} * interval '1 minute',
             w.dispatched_at + x.delay + ${RESOLVE_MINUTES} * interval '1 minute',
             w.dispatched_at + x.delay + ${SIGN_MINUTES} * interval '1 minute' * 0.5, w.dispatched_at + x.delay + ${ON_SITE_MINUTES} * interval '1 minute' * 0.5,
             greatest(w.resolved_at, w.dispatched_at + x.delay + interval '1 hour'), '已按要求办结'
      from whistles w join bench_subdistricts s on s.id = w.subdistrict_id
      cross join lateral (values (0, 'lead', 0, interval '1 hour', w.id % 20 = 0), (1, 'cooperate', 0, interval '0 minutes', w.id % 10 in (3, 6)), (2, 'lead', 1, interval '9 days', w.id % 50 = 7)) as x(which, role, round, delay, wanted)
      where ${range} and x.wanted`);
    assignmentRows = (await one<{ n: number }>(db, sql`select count(*)::int as n from assignments`)).n - started;
    return assignmentRows;
  });

  let ratingRows = 0;
  await step("ratings (history)", async () => {
    // 40 % of the whistles are rated, by one or two of their residents; 80 % solved, most satisfied.
    await db.execute(sql`
      insert into ratings (whistle_id, user_id, round, solved, satisfaction, created_at)
      select w.id, u.ids[1 + (w.id + k * 7) % cardinality(u.ids)], 0, (w.id * 7 + k) % 10 < 8,
             (array['satisfied','satisfied','satisfied','basically_satisfied','basically_satisfied','dissatisfied'])[1 + (w.id * 11 + k) % 6],
             w.resolved_at + interval '1 day'
      from whistles w cross join generate_series(0, 1) as k cross join (select array_agg(id order by id) as ids from users) as u
      where ${range} and w.id % 5 < 2 and (k = 0 or w.id % 3 = 0)`);
    ratingRows = (await one<{ n: number }>(db, sql`select count(*)::int as n from ratings where whistle_id > ${before}`)).n;
    return ratingRows;
  });

  // maqiang's inbox: open assignments of the bureau, all due more than a day ahead (outside the sweep's window).
  const inboxFirst = (await one<{ n: number }>(db, sql`select coalesce(max(id), 0)::int as n from whistles`)).n;
  await step("open assignments (inbox)", async () => {
    await db.execute(sql`
      insert into whistles (subdistrict_id, source, kind, title, description, category_code, address, state, created_by, created_at, dispatched_at)
      select (select id from units where name = '朝阳门街道'), 'direct', 'key_task', '待办派单 #' || g, '城管执法局的待办事项。', 'junk_piles', '朝阳门南小街 ' || g || ' 号', 'dispatched', ${officer.id},
             ${now.toISOString()}::timestamptz - g * interval '3 minutes', ${now.toISOString()}::timestamptz - g * interval '3 minutes'
      from generate_series(1, ${shape.inbox}::int) as g`);
    await db.execute(sql`
      insert into assignments (whistle_id, department_id, role, round, state, dispatched_at, due_sign_at, due_on_site_at, due_resolve_at, signed_at, on_site_at)
      select w.id, ${bureau.id}, 'lead', 0, (array['dispatched','signed','on_site'])[1 + w.id % 3], w.dispatched_at,
             ${now.toISOString()}::timestamptz + interval '36 hours' + (w.id % 300) * interval '10 minutes', ${now.toISOString()}::timestamptz + interval '3 days', ${now.toISOString()}::timestamptz + interval '14 days',
             case when w.id % 3 > 0 then w.dispatched_at + interval '10 minutes' end, case when w.id % 3 = 2 then w.dispatched_at + interval '1 hour' end
      from whistles w where w.id > ${inboxFirst}`);
    return shape.inbox;
  });
  const inboxOpen = (await one<{ n: number }>(db, sql`select count(*)::int as n from assignments where department_id = ${bureau.id} and state in ('dispatched','signed','on_site')`)).n;

  // Due for the sweep, a quarter each: a reminder (due in 2 h), the overdue flag (sign-for due an hour ago), automatic
  // supervision (on-site overdue 30 h), the public list (resolution overdue 10 days, supervised 9 days ago).
  const dueFirstWhistle = (await one<{ n: number }>(db, sql`select coalesce(max(id), 0)::int as n from whistles`)).n;
  const dueFirstAssignment = (await one<{ n: number }>(db, sql`select coalesce(max(id), 0)::int as n from assignments`)).n;
  await step("assignments due for the sweep", async () => {
    const at = sql`${now.toISOString()}::timestamptz`;
    await db.execute(sql`
      insert into whistles (subdistrict_id, source, kind, title, description, category_code, state, created_by, created_at, dispatched_at)
      select s.id, 'direct', 'enforcement', '到期派单 #' || g, '等待超时扫描的事项。', 'street_vending', 'dispatched', ${officer.id}, ${at} - interval '12 days', ${at} - interval '12 days'
      from generate_series(1, ${shape.due}::int) as g join bench_subdistricts s on s.ord = g % ${subdistrictCount}::int`);
    await db.execute(sql`
      insert into assignments (whistle_id, department_id, role, round, state, dispatched_at, due_sign_at, due_on_site_at, due_resolve_at, signed_at, on_site_at, overdue_since, auto_supervised_at)
      select w.id, s.deps[1 + w.id % cardinality(s.deps)], 'lead', 0, q.state, w.dispatched_at, q.sign, q.on_site, q.resolve, q.signed, q.arrived, q.overdue, q.supervised
      from whistles w join bench_subdistricts s on s.id = w.subdistrict_id
      cross join lateral (
        select * from (values
          (0, 'dispatched', ${at} + interval '2 hours', ${at} + interval '20 hours', ${at} + interval '7 days', null::timestamptz, null::timestamptz, null::timestamptz, null::timestamptz),
          (1, 'dispatched', ${at} - interval '1 hour', ${at} + interval '20 hours', ${at} + interval '7 days', null, null, null, null),
          (2, 'signed', ${at} - interval '40 hours', ${at} - interval '30 hours', ${at} + interval '7 days', ${at} - interval '41 hours', null, ${at} - interval '30 hours', null),
          (3, 'on_site', ${at} - interval '12 days', ${at} - interval '11 days', ${at} - interval '10 days', ${at} - interval '12 days', ${at} - interval '11 days', ${at} - interval '10 days', ${at} - interval '9 days')
        ) as v(quarter, state, sign, on_site, resolve, signed, arrived, overdue, supervised)
        where v.quarter = w.id % 4
      ) as q
      where w.id > ${dueFirstWhistle}`);
    return shape.due;
  });
  const dueLast = (await one<{ n: number }>(db, sql`select coalesce(max(id), 0)::int as n from assignments`)).n;

  await step("analyze", async () => {
    await db.execute(sql`drop table if exists bench_subdistricts`);
    await db.execute(sql`analyze`);
    return 0;
  });

  const counts = {
    departments: (await one<{ n: number }>(db, sql`select count(*)::int as n from departments where district_id = ${district.id}`)).n,
    subdistricts: subdistrictCount,
    whistles: (await one<{ n: number }>(db, sql`select count(*)::int as n from whistles`)).n,
    assignments: (await one<{ n: number }>(db, sql`select count(*)::int as n from assignments`)).n,
    ratings: (await one<{ n: number }>(db, sql`select count(*)::int as n from ratings`)).n,
    inbox: inboxOpen,
    due: dueLast - dueFirstAssignment,
  };
  return {
    districtId: district.id,
    districtPath: district.path,
    subdistrictPath: chaoyangmen.path,
    bureauId: bureau.id,
    now,
    dueIds: { first: dueFirstAssignment + 1, last: dueLast },
    counts,
    steps,
  };
}

/** Assignments of the sweep's batch that have been flagged overdue, supervised, listed, reminded. */
export async function sweepState(db: Database, ids: { first: number; last: number }) {
  return one<{ reminded: number; overdue: number; supervised: number; listed: number }>(
    db,
    sql`select count(*) filter (where reminded_step is not null)::int as reminded, count(*) filter (where overdue_since is not null)::int as overdue,
               count(*) filter (where auto_supervised_at is not null)::int as supervised, count(*) filter (where public_overdue_at is not null)::int as listed
        from assignments where id between ${ids.first} and ${ids.last}`,
  );
}

/**
 * The sweep's blind spot, laid out: `backlog` assignments on site and on time (signed for days ago, nothing owed for
 * five days — they match the sweep's filter only because their sign-for deadline, long met, is the least of their
 * deadlines), then `fresh` signed-for assignments whose on-site deadline passed 10 minutes before `now`, which nobody
 * has flagged yet. The backlog comes first in both orders the sweep's statement can take (table order, and the open
 * index's state order: on_site before signed). Returns both id ranges.
 */
export async function addBacklogAndFresh(db: Database, now: Date, backlog: number, fresh: number) {
  const at = sql`${now.toISOString()}::timestamptz`;
  const add = async (count: number, title: string, state: "on_site" | "signed", deadlines: SQL) => {
    const firstWhistle = (await one<{ n: number }>(db, sql`select coalesce(max(id), 0)::int as n from whistles`)).n;
    const first = (await one<{ n: number }>(db, sql`select coalesce(max(id), 0)::int as n from assignments`)).n + 1;
    await db.execute(sql`
      insert into whistles (subdistrict_id, source, kind, title, description, category_code, state, created_by, created_at, dispatched_at)
      select (select id from units where name = '朝阳门街道'), 'direct', 'resident_request', ${title} || g, '压测：超时扫描。', 'street_vending', 'dispatched', null, ${at} - interval '3 days', ${at} - interval '3 days'
      from generate_series(1, ${count}::int) as g`);
    await db.execute(sql`
      insert into assignments (whistle_id, department_id, role, round, state, dispatched_at, due_sign_at, due_on_site_at, due_resolve_at, signed_at, on_site_at, reminded_step)
      select w.id, (select id from departments where name = '朝阳门派出所'), 'lead', 0, ${state}, w.dispatched_at, ${deadlines}, w.dispatched_at + interval '1 hour',
             case when ${state} = 'on_site' then w.dispatched_at + interval '1 day' end, ${state === "on_site" ? "resolve" : "onSite"}
      from whistles w where w.id > ${firstWhistle}`);
    const last = (await one<{ n: number }>(db, sql`select coalesce(max(id), 0)::int as n from assignments`)).n;
    return { first, last };
  };
  // Resident requests: sign for in 24 h, on site in 3 days, resolve in 7 (here: resolve in 5 days from now).
  const backlogIds = await add(backlog, "在办派单 #", "on_site", sql`${at} - interval '2 days', ${at} - interval '1 day', ${at} + interval '5 days'`);
  const freshIds = await add(fresh, "新超时派单 #", "signed", sql`${at} - interval '2 days', ${at} - interval '10 minutes', ${at} + interval '4 days'`);
  return { backlog: backlogIds, fresh: freshIds };
}

/** Take the sweep's test assignments out of the open set (resolved), so the server's own sweep does not work on them during the page runs. */
export async function retireSweepRows(db: Database, ranges: { first: number; last: number }[]): Promise<number> {
  let n = 0;
  for (const r of ranges) {
    const rows = await rowsOf<{ id: number }>(
      db,
      sql`update assignments set state = 'resolved', resolved_at = now(), result_text = '压测后收尾' where id between ${r.first} and ${r.last} and state in ('dispatched','signed','on_site') returning id`,
    );
    n += rows.length;
  }
  return n;
}
