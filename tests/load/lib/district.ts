/**
 * Helpers for the structure benchmark (tests/load/structure.ts): a fresh
 * database of its own (a throw-away PostgreSQL database on the DATABASE_URL
 * server, or PGlite in a temp folder), a district of realistic size seeded
 * with set-based SQL, and small statistics helpers.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, count, eq, inArray, isNull, sql, type SQL } from "drizzle-orm";
import { alias, type PgTable } from "drizzle-orm/pg-core";
import postgres from "postgres";
import { openDatabase, redact, type Database, type DatabaseHandle } from "#db/client.server";
import { alleys, departments, households, positions, residencyClaims, units, users, type PositionKind } from "#db/schema";

// ---------------------------------------------------------------------------
// A database of the benchmark's own.

export const BENCH_DATABASE = "gongzhi_bench_structure";

export interface BenchDatabase {
  handle: DatabaseHandle;
  /** "postgres://…/gongzhi_bench_structure" (password hidden) or the PGlite folder. */
  where: string;
  /** Close the handle and drop the database / remove the folder. Every call gets the same promise; never throws. */
  cleanup(): Promise<void>;
}

// Temp folders made here: removed on exit however the process ends (exit handlers cannot wait, so synchronously).
const tempDirs = new Set<string>();
process.on("exit", () => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/**
 * With `url` (DATABASE_URL): drop and create `database` (gongzhi_bench_structure) on that
 * server (through its `postgres` maintenance database) and open it with the
 * app's pool settings. Without: a fresh PGlite in a new temp folder.
 */
export async function openBenchDatabase(url: string | undefined, database = BENCH_DATABASE): Promise<BenchDatabase> {
  if (!url) {
    const dir = mkdtempSync(path.join(os.tmpdir(), "gongzhi-bench-structure-"));
    tempDirs.add(dir);
    const remove = () => {
      rmSync(dir, { recursive: true, force: true });
      tempDirs.delete(dir);
    };
    try {
      const handle = await openDatabase({ kind: "pglite", dataDir: path.join(dir, "pglite") });
      let cleaned: Promise<void> | undefined;
      return {
        handle,
        where: dir,
        cleanup: () =>
          (cleaned ??= (async () => {
            await withTimeout(handle.close(), 10_000, "closing PGlite").catch((e: unknown) => console.warn(`  (warning: ${message(e)})`));
            remove();
          })()),
      };
    } catch (error) {
      remove();
      throw error;
    }
  }

  const benchUrl = withDatabase(url, database);
  const maintenanceUrl = withDatabase(url, "postgres");
  await adminQuery(maintenanceUrl, [`drop database if exists ${database} with (force)`, `create database ${database}`]);
  const drop = () =>
    adminQuery(maintenanceUrl, [`drop database if exists ${database} with (force)`]).catch((e: unknown) =>
      console.warn(`  (warning: could not drop ${database}: ${message(e)})`),
    );
  let handle: DatabaseHandle;
  try {
    // The app's own pool (openDatabase's default of 10 connections), so the figures are the server's.
    handle = await openDatabase({ kind: "postgres", url: benchUrl });
  } catch (error) {
    await drop();
    throw error;
  }
  let cleaned: Promise<void> | undefined;
  return {
    handle,
    where: redact(benchUrl),
    // The same promise for every caller (a signal and the failing query it causes both clean up).
    cleanup: () =>
      (cleaned ??= (async () => {
        await withTimeout(handle.close(), 10_000, "closing the pool").catch((e: unknown) => console.warn(`  (warning: ${message(e)})`));
        await drop();
      })()),
  };
}

/** The same server URL, pointing at another database. */
function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Run statements one by one on a short-lived single connection (CREATE/DROP DATABASE cannot run in a transaction). */
async function adminQuery(url: string, statements: string[]): Promise<void> {
  const admin = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 5, connection: { application_name: "gongzhi-bench" } });
  try {
    for (const statement of statements) await admin.unsafe(statement);
  } finally {
    await admin.end({ timeout: 5 });
  }
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Let timers and signal handlers run. PGlite answers from WebAssembly on this
 * thread and its promises settle as microtasks, so a loop of awaited PGlite
 * queries never returns to the event loop: without this, Ctrl-C and the
 * watchdog wait until the whole loop is over.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Rows of a raw statement, whatever the driver (postgres-js gives an array, PGlite `{ rows }`). */
export async function rowsOf<T>(db: Database, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown;
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

// ---------------------------------------------------------------------------
// The district.

export interface DistrictShape {
  subdistricts: number;
  communitiesPerSubdistrict: number;
  householdsPerCommunity: number;
  residentsPerHousehold: number;
  alleysPerSubdistrict: number;
  workersPerCommunity: number;
  officersPerDepartment: number;
}

export const FULL_DISTRICT: DistrictShape = {
  subdistricts: 30,
  communitiesPerSubdistrict: 10,
  householdsPerCommunity: 500,
  residentsPerHousehold: 2,
  alleysPerSubdistrict: 10,
  workersPerCommunity: 2,
  officersPerDepartment: 2,
};

/** One placeholder for every seeded account: nobody logs in to the benchmark database, and argon2 would dominate the seed. */
export const PLACEHOLDER_PASSWORD_HASH = "bench-placeholder:not-a-password-hash";

/**
 * The 15 district-level departments (职能部门): the duty list's district
 * departments and the district offices above its subdistrict teams and stations.
 */
const DISTRICT_DEPARTMENTS: [kind: string, name: string][] = [
  ["enforcement", "城市管理综合行政执法局"],
  ["police", "公安分局"],
  ["fire", "消防救援支队"],
  ["traffic", "公安交通管理支队"],
  ["market", "市场监督管理局"],
  ["food", "食品药品监督管理局"],
  ["housing", "住房和城乡建设委员会"],
  ["planning", "规划和自然资源分局"],
  ["parks", "园林绿化局"],
  ["culture", "文化和旅游局"],
  ["city", "城市管理委员会"],
  ["water", "水务局"],
  ["ecology", "生态环境局"],
  ["civil", "民政局"],
  ["emergency", "应急管理局"],
];
/** Every subdistrict has its police station (派出所); every sixth one also a fire station. */
const FIRE_STATION_EVERY = 6;

export interface SeedStep {
  table: string;
  rows: number;
  ms: number;
}

/**
 * Seed one city › district › subdistricts › communities with households,
 * verified residents, departments and stations, alleys and staff, each table
 * in a few set-based statements (insert … select … generate_series), then
 * ANALYZE so the planner knows the sizes. Calls `onStep` after each step.
 */
export async function seedDistrict(db: Database, shape: DistrictShape, onStep: (step: SeedStep) => void): Promise<SeedStep[]> {
  const steps: SeedStep[] = [];
  const step = async (table: string, run: () => Promise<unknown>, rows: () => Promise<number>) => {
    const started = performance.now();
    await run();
    const ms = performance.now() - started;
    const s = { table, rows: await rows(), ms };
    steps.push(s);
    onStep(s);
    await yieldToEventLoop();
  };
  const countOf = async (table: PgTable, where?: SQL) => {
    const [row] = await db.select({ n: count() }).from(table).where(where);
    return row?.n ?? 0;
  };
  const hash = PLACEHOLDER_PASSWORD_HASH;

  // Units, with '/' as a placeholder path; then every path from the root in one recursive update.
  await step(
    "units",
    async () => {
      await db.execute(sql`insert into units (kind, name, path) values ('city', '北京市', '/')`);
      await db.execute(sql`insert into units (parent_id, kind, name, path) select id, 'district', '东城区', '/' from units where kind = 'city'`);
      await db.execute(sql`
        insert into units (parent_id, kind, name, path, address)
        select d.id, 'subdistrict', format('第%s街道', lpad(g::text, 2, '0')), '/', format('东城区第%s街道办事处', lpad(g::text, 2, '0'))
        from units d cross join generate_series(1, ${shape.subdistricts}::int) g
        where d.kind = 'district'
        order by g`);
      await db.execute(sql`
        insert into units (parent_id, kind, name, path)
        select s.id, 'community', format('%s第%s社区', s.name, lpad(g::text, 2, '0')), '/'
        from units s cross join generate_series(1, ${shape.communitiesPerSubdistrict}::int) g
        where s.kind = 'subdistrict'
        order by s.id, g`);
      await db.execute(sql`
        with recursive tree (id, path) as (
          select id, '/' || id || '/' from units where parent_id is null
          union all
          select u.id, t.path || u.id || '/' from units u join tree t on u.parent_id = t.id
        )
        update units u set path = tree.path from tree where tree.id = u.id and u.path <> tree.path`);
    },
    () => countOf(units),
  );

  // 15 district departments; a police station per subdistrict and a fire station every sixth one.
  await step(
    "departments",
    async () => {
      const values = sql.join(
        DISTRICT_DEPARTMENTS.map(([kind, name]) => sql`(${kind}, ${name})`),
        sql`, `,
      );
      await db.execute(sql`
        insert into departments (district_id, kind, level, name, phone)
        select d.id, v.kind, 'district', '东城区' || v.name, format('010-6%s', lpad(v.n::text, 7, '0'))
        from units d cross join (select kind, name, row_number() over () as n from (values ${values}) as v0 (kind, name)) v
        where d.kind = 'district'
        order by v.n`);
      await db.execute(sql`
        with subdistrict as (select id, parent_id, name, row_number() over (order by id) as n from units where kind = 'subdistrict')
        insert into departments (district_id, parent_id, serves_unit_id, kind, level, name)
        select s.parent_id, p.id, s.id, p.kind, 'station', replace(s.name, '街道', '') || case p.kind when 'police' then '派出所' else '消防救援站' end
        from subdistrict s
        join departments p on p.district_id = s.parent_id and p.level = 'district'
          and (p.kind = 'police' or (p.kind = 'fire' and (s.n - 1) % ${FIRE_STATION_EVERY}::int = 0))
        order by p.kind desc, s.n`);
    },
    () => countOf(departments),
  );

  // Staff accounts, named after their posts so the positions below can find them.
  await step(
    "users (staff)",
    () =>
      db.execute(sql`
        insert into users (display_name, username, password_hash)
        select display_name, username, ${hash}
        from (
          select format('%s工作者%s', c.name, g) as display_name, format('cw_%s_%s', c.id, g) as username, 1 as sort, c.id, g
          from units c cross join generate_series(1, ${shape.workersPerCommunity}::int) g where c.kind = 'community'
          union all
          select format('%s干部', s.name), format('so_%s', s.id), 2, s.id, 1 from units s where s.kind = 'subdistrict'
          union all
          select format('%s领导', s.name), format('sl_%s', s.id), 3, s.id, 1 from units s where s.kind = 'subdistrict'
          union all
          select format('%s工作人员%s', d.name, g), format('do_%s_%s', d.id, g), 4, d.id, g
          from departments d cross join generate_series(1, ${shape.officersPerDepartment}::int) g
          union all
          select format('%s管理员', d.name), format('da_%s', d.id), 5, d.id, 1 from units d where d.kind = 'district'
        ) staff
        order by sort, id, g`),
    () => countOf(users),
  );

  // Alleys, each with its subdistrict officer as the publicly listed chief.
  await step(
    "alleys",
    () =>
      db.execute(sql`
        insert into alleys (subdistrict_id, name, chief_user_id, chief_contact, description)
        select s.id, format('%s第%s胡同', replace(s.name, '街道', ''), g), u.id, format('010-8%s', lpad((s.id * 100 + g)::text, 7, '0')), '东西走向，居民院落为主'
        from units s
        cross join generate_series(1, ${shape.alleysPerSubdistrict}::int) g
        join users u on u.username = format('so_%s', s.id)
        where s.kind = 'subdistrict'
        order by s.id, g`),
    () => countOf(alleys),
  );

  // Positions: community workers, subdistrict officers and leaders, department and station officers,
  // the district administrator (who granted them all), and the officers' alley-chief posts.
  await step(
    "positions",
    () =>
      db.execute(sql`
        with admin as (select u.id from users u join units d on u.username = format('da_%s', d.id) where d.kind = 'district')
        insert into positions (user_id, kind, unit_id, department_id, alley_id, granted_by)
        select u.id, p.kind, p.unit_id, p.department_id, p.alley_id, (select id from admin)
        from (
          select format('cw_%s_%s', c.id, g) as username, 'community_worker' as kind, c.id as unit_id, null::int as department_id, null::int as alley_id
          from units c cross join generate_series(1, ${shape.workersPerCommunity}::int) g where c.kind = 'community'
          union all
          select format('so_%s', s.id), 'subdistrict_officer', s.id, null, null from units s where s.kind = 'subdistrict'
          union all
          select format('sl_%s', s.id), 'subdistrict_leader', s.id, null, null from units s where s.kind = 'subdistrict'
          union all
          select format('do_%s_%s', d.id, g), case d.level when 'station' then 'station_officer' else 'department_officer' end, null, d.id, null
          from departments d cross join generate_series(1, ${shape.officersPerDepartment}::int) g
          union all
          select format('da_%s', d.id), 'district_admin', d.id, null, null from units d where d.kind = 'district'
          union all
          select format('so_%s', a.subdistrict_id), 'alley_chief', null, null, a.id from alleys a
        ) p
        join users u on u.username = p.username`),
    () => countOf(positions),
  );

  const residents = shape.subdistricts * shape.communitiesPerSubdistrict * shape.householdsPerCommunity * shape.residentsPerHousehold;
  // Residents: registered with a mainland mobile number, some also with a login name.
  await step(
    "users (residents)",
    () =>
      db.execute(sql`
        insert into users (display_name, username, phone, password_hash, locale)
        select format('居民%s', g), case when g % 3 = 0 then format('resident%s', g) end, '13' || lpad(g::text, 9, '0'), ${hash},
          case when g % 10 = 0 then 'en' end
        from generate_series(1, ${residents}::int) g`),
    () => countOf(users, sql`${users.phone} is not null`),
  );

  // Households: 楼/单元/室 addresses, unique within a community.
  await step(
    "households",
    () =>
      db.execute(sql`
        insert into households (community_id, address)
        select c.id, format('%s号楼%s单元%s室', (g - 1) / 40 + 1, (g - 1) / 10 % 4 + 1, 101 + (g - 1) % 10)
        from units c cross join generate_series(1, ${shape.householdsPerCommunity}::int) g
        where c.kind = 'community'
        order by c.id, g`),
    () => countOf(households),
  );

  // Verified residency: residents in order fill households in order, `residentsPerHousehold` each,
  // decided by the community's first worker.
  await step(
    "residency_claims",
    () =>
      db.execute(sql`
        with resident as (select id, row_number() over (order by id) - 1 as n from users where phone is not null),
        household as (select id, community_id, address, row_number() over (order by id) - 1 as n from households),
        worker as (select unit_id, min(user_id) as user_id from positions where kind = 'community_worker' group by unit_id)
        insert into residency_claims (user_id, community_id, household_id, address, status, decided_by, decided_at)
        select r.id, h.community_id, h.id, h.address, 'verified', w.user_id, now() - interval '30 days'
        from resident r
        join household h on h.n = r.n / ${shape.residentsPerHousehold}::int
        left join worker w on w.unit_id = h.community_id`),
    () => countOf(residencyClaims),
  );

  // PGlite runs no autovacuum, so nothing would ever gather statistics there; a server would, later.
  await step(
    "analyze",
    () => db.execute(sql`analyze`),
    async () => 0,
  );
  return steps;
}

/** Check the seeded tree and people are what the benchmark claims; throws on the first mismatch. */
export async function checkDistrict(db: Database, shape: DistrictShape): Promise<Record<string, number>> {
  const [paths] = await rowsOf<{ wrong: number | string; communities: number | string; depth_ok: number | string }>(
    db,
    sql`
      select
        (select count(*) from units u left join units p on p.id = u.parent_id
          where u.path <> coalesce(p.path, '/') || u.id || '/') as wrong,
        (select count(*) from units where kind = 'community') as communities,
        (select count(*) from units where kind = 'community' and path ~ '^/[0-9]+/[0-9]+/[0-9]+/[0-9]+/$') as depth_ok`,
  );
  const communities = shape.subdistricts * shape.communitiesPerSubdistrict;
  if (Number(paths?.wrong) !== 0) throw new Error(`${paths?.wrong} unit paths are wrong.`);
  if (Number(paths?.communities) !== communities || Number(paths?.depth_ok) !== communities) {
    throw new Error(`Expected ${communities} communities at depth 4, found ${paths?.communities} (${paths?.depth_ok} at depth 4).`);
  }
  const [mismatch] = await rowsOf<{ n: number | string }>(
    db,
    sql`select count(*) as n from residency_claims r join households h on h.id = r.household_id where h.community_id <> r.community_id`,
  );
  if (Number(mismatch?.n) !== 0) throw new Error(`${mismatch?.n} residency claims point at a household of another community.`);

  const tables = { units, departments, alleys, users, households, residencyClaims, positions } as const;
  const counts: Record<string, number> = {};
  for (const [name, table] of Object.entries(tables)) {
    const [row] = await db.select({ n: count() }).from(table);
    counts[name] = row?.n ?? 0;
  }
  const expected = {
    households: communities * shape.householdsPerCommunity,
    residencyClaims: communities * shape.householdsPerCommunity * shape.residentsPerHousehold,
    departments: DISTRICT_DEPARTMENTS.length + shape.subdistricts + Math.ceil(shape.subdistricts / FIRE_STATION_EVERY),
    alleys: shape.subdistricts * shape.alleysPerSubdistrict,
  };
  for (const [name, n] of Object.entries(expected)) {
    if (counts[name] !== n) throw new Error(`Expected ${n} ${name}, found ${counts[name]}.`);
  }
  return counts;
}

// ---------------------------------------------------------------------------
// Who to sample.

export type Role = "resident" | "communityWorker" | "subdistrictStaff" | "departmentOfficer" | "districtAdmin";

/** User ids of every role in the seeded district. */
export async function usersByRole(db: Database): Promise<Record<Role, number[]>> {
  const holders = async (kinds: PositionKind[]) =>
    (await db.selectDistinct({ id: positions.userId }).from(positions).where(inArray(positions.kind, kinds)).orderBy(positions.userId)).map((r) => r.id);
  const residents = await db.select({ id: residencyClaims.userId }).from(residencyClaims).where(eq(residencyClaims.status, "verified")).orderBy(residencyClaims.userId);
  return {
    resident: residents.map((r) => r.id),
    communityWorker: await holders(["community_worker"]),
    subdistrictStaff: await holders(["subdistrict_officer", "subdistrict_leader"]),
    departmentOfficer: await holders(["department_officer", "station_officer"]),
    districtAdmin: await holders(["district_admin"]),
  };
}

/** Paths of every subdistrict and community, for permission checks. */
export async function unitPaths(db: Database): Promise<{ subdistricts: string[]; communities: string[] }> {
  const rows = await db.select({ kind: units.kind, path: units.path }).from(units).where(inArray(units.kind, ["subdistrict", "community"])).orderBy(units.id);
  return {
    subdistricts: rows.filter((r) => r.kind === "subdistrict").map((r) => r.path),
    communities: rows.filter((r) => r.kind === "community").map((r) => r.path),
  };
}

// ---------------------------------------------------------------------------
// Numbers.

/** A small seeded PRNG (mulberry32), so every run samples the same people and checks. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(rand: () => number, items: readonly T[]): T {
  if (items.length === 0) throw new Error("Nothing to pick from.");
  return items[Math.floor(rand() * items.length)]!;
}

export function shuffle<T>(rand: () => number, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

export interface Summary {
  n: number;
  mean: number;
  p50: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentiles of the first `n` values (sorts a copy). */
export function summarize(values: Float64Array | number[], n = values.length): Summary {
  if (n === 0) return { n: 0, mean: NaN, p50: NaN, p99: NaN, max: NaN };
  const sorted = Float64Array.from(values.slice(0, n)).sort();
  let sum = 0;
  for (let i = 0; i < n; i++) sum += sorted[i]!;
  const at = (q: number) => sorted[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))]!;
  return { n, mean: sum / n, p50: at(0.5), p99: at(0.99), max: sorted[n - 1]! };
}

// ---------------------------------------------------------------------------
// loadActor's queries, for EXPLAIN.

const departmentDistrict = alias(units, "department_district");

/**
 * The positions query of `loadActor` (app/modules/identity/actor.server.ts),
 * built the same way: keep the two in step. The biggest of its four queries
 * (three joins), so the one whose plan the benchmark prints.
 */
export function positionsQuery(db: Database, userId: number) {
  return db
    .select({
      id: positions.id,
      kind: positions.kind,
      unitId: positions.unitId,
      unitPath: sql<string | null>`coalesce(${units.path}, ${departmentDistrict.path})`,
      departmentId: positions.departmentId,
      alleyId: positions.alleyId,
    })
    .from(positions)
    .leftJoin(units, eq(units.id, positions.unitId))
    .leftJoin(departments, eq(departments.id, positions.departmentId))
    .leftJoin(departmentDistrict, eq(departmentDistrict.id, departments.districtId))
    .where(and(eq(positions.userId, userId), isNull(positions.revokedAt)));
}

/** The residency query of `loadActor`: the one that searches the biggest table (one claim per resident). */
export function residencyQuery(db: Database, userId: number) {
  return db
    .select({ communityId: residencyClaims.communityId, communityPath: units.path, householdId: residencyClaims.householdId })
    .from(residencyClaims)
    .innerJoin(units, eq(units.id, residencyClaims.communityId))
    .where(and(eq(residencyClaims.userId, userId), eq(residencyClaims.status, "verified")));
}

/** Run statements in order on one session (a reserved connection on a server; PGlite has only one) and return each one's rows. */
export async function onOneSession(handle: DatabaseHandle, statements: { text: string; params?: unknown[] }[]): Promise<Record<string, unknown>[][]> {
  const results: Record<string, unknown>[][] = [];
  if (handle.kind === "pglite") {
    for (const s of statements) results.push((await handle.pglite!.query<Record<string, unknown>>(s.text, s.params ?? [])).rows);
    return results;
  }
  const connection = await handle.sql!.reserve();
  try {
    for (const s of statements) results.push([...(await connection.unsafe(s.text, (s.params ?? []) as postgres.ParameterOrJSON<never>[]))]);
  } finally {
    connection.release();
  }
  return results;
}

/** A parameter as an SQL literal (numbers and plain strings only: the benchmark's own values). */
export function literal(value: unknown): string {
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value === "string") return `'${value.replace(/'/g, "''")}'`;
  throw new Error(`Cannot inline ${typeof value} as an SQL literal.`);
}

export interface StatementVariant {
  key: string;
  label: string;
  summary: Summary;
  genericPlans?: number;
  customPlans?: number;
}

/**
 * Server only: loadActor's positions and residency queries sent as drizzle
 * sends them (unnamed: parsed and planned every call), as named prepared
 * statements (postgres.js `prepare: true`) — with the same SQL sent unnamed
 * by postgres.js directly, to part drizzle's own cost from the protocol's —
 * and the residency query with its
 * status written as a literal, so that the partial index
 * `residency_claims_one_open (user_id) where status in ('pending','verified')`
 * can serve a generic plan. Sequential calls, users cycled; bounded.
 */
export async function compareStatements(handle: DatabaseHandle, workers: number[], residents: number[], runs = 1_000, warmup = 100) {
  if (handle.kind !== "postgres" || !handle.sql) throw new Error("compareStatements needs a server database.");
  if (!workers.length || !residents.length) throw new Error("compareStatements needs community workers and residents.");
  const { db } = handle;
  const positionsSql = positionsQuery(db, 0).toSQL();
  const residencySql = residencyQuery(db, 0).toSQL();
  if (!/\$2\b/.test(residencySql.sql) || residencySql.params[1] !== "verified") throw new Error("The residency query no longer binds its status as $2.");
  const residencyLiteral = residencySql.sql.replace(/\$2\b/, "'verified'");
  const connection = await handle.sql.reserve();
  try {
    // The reserved connection served lookups before: the named statements of loadActor's tables it holds (none expected).
    const [named] = await connection.unsafe<{ n: number }[]>(
      `select count(*)::int as n from pg_prepared_statements where statement like '%"positions"%' or statement like '%"residency_claims"%'`,
    );
    const time = async (run: (i: number) => Promise<unknown>) => {
      for (let i = 0; i < warmup; i++) await run(i);
      const ms = new Float64Array(runs);
      for (let i = 0; i < runs; i++) {
        const t0 = performance.now();
        await run(i);
        ms[i] = performance.now() - t0;
      }
      return summarize(ms);
    };
    const worker = (i: number) => workers[i % workers.length]!;
    const resident = (i: number) => residents[i % residents.length]!;
    const variants: StatementVariant[] = [
      { key: "positions_drizzle", label: "positions, as loadActor sends it", summary: await time((i) => positionsQuery(db, worker(i))) },
      {
        key: "positions_unnamed",
        label: "positions, same SQL, raw postgres.js",
        summary: await time((i) => connection.unsafe(positionsSql.sql, [worker(i)])),
      },
      {
        key: "positions_prepared",
        label: "positions, named prepared",
        summary: await time((i) => connection.unsafe(positionsSql.sql, [worker(i)], { prepare: true })),
      },
      { key: "residency_drizzle", label: "residency, as loadActor sends it", summary: await time((i) => residencyQuery(db, resident(i))) },
      {
        key: "residency_prepared",
        label: "residency, named prepared ($2 status)",
        summary: await time((i) => connection.unsafe(residencySql.sql, [resident(i), "verified"], { prepare: true })),
      },
      {
        key: "residency_prepared_literal",
        label: "residency, named prepared ('verified')",
        summary: await time((i) => connection.unsafe(residencyLiteral, [resident(i)], { prepare: true })),
      },
    ];
    const plans = await connection.unsafe<{ statement: string; generic_plans: string; custom_plans: string }[]>(
      "select statement, generic_plans::text, custom_plans::text from pg_prepared_statements",
    );
    const planOf = (text: string) => plans.find((p) => p.statement === text);
    for (const [key, text] of [
      ["positions_prepared", positionsSql.sql],
      ["residency_prepared", residencySql.sql],
      ["residency_prepared_literal", residencyLiteral],
    ] as const) {
      const v = variants.find((x) => x.key === key)!;
      const p = planOf(text);
      if (p) {
        v.genericPlans = Number(p.generic_plans);
        v.customPlans = Number(p.custom_plans);
      }
    }
    return { runs, namedOnPool: named?.n ?? 0, variants };
  } finally {
    connection.release();
  }
}
