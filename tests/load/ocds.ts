/**
 * OCDS export benchmark (`npm run bench -- ocds`): issue 16, item 10 (its
 * open-data half). Seeds BENCH_PROJECTS (10 000) published service projects
 * with set-based SQL — a fifth each open, being evaluated, awarded, running
 * and completed; two opened bids each once opened, the award, three
 * milestones with payments for running and completed ones, a document each —
 * then asks /ocds/releases.json?limit=BENCH_PROJECTS (the route's own loader,
 * in this process) and reads the stream as a client would, chunk by chunk,
 * keeping none of it: the time to the first byte and to the last, the bytes,
 * and the heap when a quarter, half, three quarters and all of the releases
 * have arrived, after a full collection (flat memory: the export never
 * holds the whole list; the collections' time is left out). A
 * second read parses the whole package and checks it has every project once,
 * newest first, and validates it against the vendored OCDS schema (ajv).
 * Prints figures as it goes and, as its very last line, one JSON object.
 *
 * Environment: BENCH_PROJECTS (default 10 000), DATABASE_URL (create, use and
 * drop `gongzhi_bench_ocds` on that local server; otherwise PGlite in a fresh
 * temp folder). Target: the whole export in < 5 s.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import v8 from "node:v8";
import vm from "node:vm";
import postgres from "postgres";
import Ajv from "ajv";
import { sql } from "drizzle-orm";
import { openDatabase, redact, setDatabase, type DatabaseHandle } from "#db/client.server";
import { migrate } from "#db/migrate.server";
import { insertUnit } from "~/modules/units/commands.server";
import { loader } from "~/routes/ocds.releases[.]json";
import { rowsOf } from "./lib/votes-data";
import { makeTempDataDir, root } from "./lib/server";
import { envInteger, finisher } from "./lib/report";

const count = envInteger("BENCH_PROJECTS", 10_000, 10, 10_000);
const serverUrl = process.env.DATABASE_URL || undefined;
const DATABASE = "gongzhi_bench_ocds";
const TARGET_MS = 5_000;

const figures: Record<string, number | string | boolean | null | number[]> = {
  database: serverUrl ? "postgres" : "pglite",
  projects: count,
};
const finish: (code: number, error?: string) => never = finisher(figures);
let handle: DatabaseHandle | undefined;

setTimeout(() => {
  console.error("Watchdog: the benchmark took longer than 10 minutes; giving up.");
  void cleanup().finally(() => finish(1, "watchdog"));
}, 10 * 60_000).unref();

function withDatabase(url: string, database: string) {
  const u = new URL(url);
  if (!["127.0.0.1", "localhost", "::1", "[::1]"].includes(u.hostname))
    throw new Error(`Refusing a non-local DATABASE_URL (${redact(url)}).`);
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
  const h = handle;
  handle = undefined;
  setDatabase(undefined);
  await h?.close().catch(() => {});
  if (serverUrl) await admin([`drop database if exists ${DATABASE} with (force)`]).catch(() => {});
}
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

async function seed(db: DatabaseHandle["db"]) {
  const { district, community } = await db.transaction(async (tx) => {
    const city = await insertUnit(tx, { parentId: null, kind: "city", name: "北京市" });
    const district = await insertUnit(tx, { parentId: city.id, kind: "district", name: "东城区" });
    const s = await insertUnit(tx, { parentId: district.id, kind: "subdistrict", name: "朝阳门街道" });
    const community = await insertUnit(tx, { parentId: s.id, kind: "community", name: "史家社区" });
    return { district, community };
  });
  void district;
  const [staff] = await rowsOf<{ id: number }>(
    db,
    sql`insert into users (username, display_name, password_hash) values ('bench_staff', '社区工作者', 'bench-placeholder') returning id`,
  );
  await db.execute(sql`insert into organizations (kind, name, unit_id, status, registration_number, created_by, decided_at)
    select 'social_org', '社会组织' || g, ${community.id}, 'confirmed', '5211' || lpad(g::text, 14, '0'), ${staff!.id}, now() - interval '2 years' from generate_series(1, 200) g`);
  const [firstOrg] = await rowsOf<{ id: number }>(db, sql`select min(id) as id from organizations`);
  const o = firstOrg!.id;
  // Statuses by g % 5: open, evaluating, awarded, active, completed.
  await db.execute(sql`insert into projects (unit_id, title, scope, category, budget_cap, period_start, period_end, eligibility, criteria,
      questions_close_at, bid_deadline, status, created_by, published_at, opened_at, bid_count, awarded_at, award_rationale, notice_ends_at, final_at, completed_at, updated_at)
    select ${community.id}, '社区服务项目' || g, '为社区居民提供第' || g || '项服务。', 'serving_people', 100000, '2026-07-01', '2027-02-28',
      '{"minMonthsVerified":6,"localOnly":true}'::jsonb,
      '[{"id":"price","key":"price","weight":30},{"id":"plan","key":"plan","weight":50},{"id":"local","key":"local","weight":20}]'::jsonb,
      now() - interval '40 days', now() - interval '30 days',
      (array['open','evaluating','awarded','active','completed'])[g % 5 + 1], ${staff!.id}, now() - interval '50 days',
      case when g % 5 = 0 then null else now() - interval '30 days' end, 2,
      case when g % 5 >= 2 then now() - interval '25 days' end,
      case when g % 5 >= 2 then '综合得分最高。' end,
      case when g % 5 >= 2 then now() - interval '18 days' end,
      case when g % 5 >= 3 then now() - interval '17 days' end,
      case when g % 5 = 4 then now() - interval '1 day' end,
      now() - (g || ' seconds')::interval
    from generate_series(1, ${count}) g`);
  const contents = sql.raw(`jsonb_build_object('price', 80000, 'plan', '服务方案', 'team', '社工3名', 'attachments', '[]'::jsonb,
    'milestones', '[{"title":"启动","due":"2026-08-31","share":30},{"title":"中期","due":"2026-11-30","share":40},{"title":"结项","due":"2027-02-28","share":30}]'::jsonb)`);
  await db.execute(sql`insert into bids (project_id, organization_id, status, receipt, submitted_by, submitted_at, contents, price)
    select p.id, ${o} + (p.id % 200), case when p.opened_at is null then 'submitted' else 'valid' end, 'r' || p.id || 'a', ${staff!.id}, now() - interval '31 days',
      case when p.opened_at is null then null else ${contents} end, case when p.opened_at is null then null else 80000 end
    from projects p`);
  await db.execute(sql`insert into bids (project_id, organization_id, status, receipt, submitted_by, submitted_at, price)
    select p.id, ${o} + ((p.id + 1) % 200), case when p.opened_at is null then 'submitted' else 'valid' end, 'r' || p.id || 'b', ${staff!.id}, now() - interval '31 days',
      case when p.opened_at is null then null else 90000 end
    from projects p`);
  await db.execute(
    sql`update projects p set award_bid_id = b.id from bids b where b.project_id = p.id and b.price = 80000 and p.status in ('awarded','active','completed')`,
  );
  await db.execute(sql`insert into project_milestones (project_id, ordinal, title, due_on, payment_share, status, reported_at, judged_at, paid_amount, paid_at)
    select p.id, m.ordinal, m.title, m.due::date, m.share,
      case when p.status = 'completed' then 'met' else 'scheduled' end,
      case when p.status = 'completed' then now() - interval '3 days' end,
      case when p.status = 'completed' then now() - interval '2 days' end,
      case when p.status = 'completed' then 800 * m.share end,
      case when p.status = 'completed' then now() - interval '1 day' end
    from projects p cross join (values (1, '启动', '2026-08-31', 30), (2, '中期', '2026-11-30', 40), (3, '结项', '2027-02-28', 30)) as m(ordinal, title, due, share)
    where p.status in ('active','completed')`);
  await db.execute(sql`insert into project_documents (project_id, file, name, mime, bytes, uploaded_by)
    select id, '00000000-0000-4000-8000-' || lpad(id::text, 12, '0') || '.pdf', '采购需求书.pdf', 'application/pdf', 12345, ${staff!.id} from projects`);
}

function validator() {
  const dir = path.join(root, "app/modules/projects/ocds");
  const read = (f: string) => JSON.parse(readFileSync(f, "utf8")) as Record<string, unknown>;
  const ajv = new Ajv({ schemaId: "id", meta: false, format: "full" });
  ajv.addMetaSchema(read(path.join(root, "node_modules/ajv/lib/refs/json-schema-draft-04.json")));
  ajv.addSchema(read(path.join(dir, "release-schema.json")));
  return ajv.compile(read(path.join(dir, "release-package-schema.json")));
}

async function exportAll(): Promise<Response> {
  return loader({ request: new Request(`http://localhost/ocds/releases.json?limit=${count}`), params: {}, context: {} as never });
}

async function main() {
  console.log(`\nOCDS export benchmark — ${serverUrl ? `PostgreSQL server (database ${DATABASE})` : "embedded PGlite"}, ${count} projects`);
  if (serverUrl) {
    await admin([`drop database if exists ${DATABASE} with (force)`, `create database ${DATABASE}`]);
    handle = await openDatabase({ kind: "postgres", url: withDatabase(serverUrl, DATABASE) });
  } else {
    handle = await openDatabase({ kind: "pglite", dataDir: path.join(makeTempDataDir(), "pglite") });
  }
  setDatabase(handle);
  await migrate(handle);
  let t = performance.now();
  await seed(handle.db);
  figures.seedMs = Math.round(performance.now() - t);
  console.log(`seeded in ${figures.seedMs} ms`);

  // A warm-up page, as a server that has answered before would be.
  await (await loader({ request: new Request("http://localhost/ocds/releases.json"), params: {}, context: {} as never })).arrayBuffer();
  // The live heap is read after a full collection (garbage not yet collected is not memory the export holds); the collections' time is not counted.
  v8.setFlagsFromString("--expose-gc");
  const gc = vm.runInNewContext("gc") as () => void;
  let gcMs = 0;

  // The measured export: read chunk by chunk, keep nothing, note the heap at each quarter.
  const heapAt: number[] = [];
  const rssAt: number[] = [];
  const note = () => {
    const g = performance.now();
    gc();
    gcMs += performance.now() - g;
    const m = process.memoryUsage();
    heapAt.push(mb(m.heapUsed));
    rssAt.push(mb(m.rss));
  };
  note();
  t = performance.now();
  const cpu = process.cpuUsage();
  const res = await exportAll();
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let bytes = 0;
  let releases = 0;
  let firstByteMs: number | null = null;
  let nextQuarter = 1;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    firstByteMs ??= performance.now() - t;
    bytes += value.byteLength;
    releases += decoder.decode(value, { stream: true }).split('"ocid":').length - 1;
    while (nextQuarter <= 4 && releases >= (count * nextQuarter) / 4) {
      note();
      nextQuarter++;
    }
  }
  const totalMs = performance.now() - t - gcMs;
  const used = process.cpuUsage(cpu);
  // On a shared machine the wall time moves with the load; the processor time this process spent is steadier.
  figures.cpuMs = Math.round((used.user + used.system) / 1000 - gcMs);
  figures.exportMs = Math.round(totalMs);
  figures.firstByteMs = Math.round(firstByteMs ?? 0);
  figures.megabytes = mb(bytes);
  figures.releasesStreamed = releases;
  figures.heapMbAtQuarters = heapAt;
  figures.rssMbAtQuarters = rssAt;
  figures.heapGrowthMb = Math.round((Math.max(...heapAt) - heapAt[0]!) * 10) / 10;
  console.log(`export: ${figures.exportMs} ms (first byte ${figures.firstByteMs} ms), ${figures.megabytes} MB, ${releases} releases`);
  console.log(`heap MB at 0/¼/½/¾/all: ${heapAt.join(" / ")}; rss MB: ${rssAt.join(" / ")}`);

  // The check, unmeasured: the whole package parses, holds every project once, newest first, and validates.
  const pkg = JSON.parse(await (await exportAll()).text()) as { releases: { ocid: string }[] };
  const ids = pkg.releases.map((r) => Number(r.ocid.split("-").at(-1)));
  const ordered = ids.every((id, i) => i === 0 || id < ids[i - 1]!);
  const validate = validator();
  const valid = validate(pkg) as boolean;
  figures.complete = pkg.releases.length === count && new Set(ids).size === count && ordered;
  figures.valid = valid;
  if (!valid) console.log(validate.errors?.slice(0, 5));
  figures.withinTarget = totalMs < TARGET_MS;
  console.log(`complete and newest first: ${figures.complete}; valid OCDS: ${valid}; within ${TARGET_MS} ms: ${figures.withinTarget}`);
  await cleanup();
  finish(figures.complete && valid && figures.withinTarget ? 0 : 1);
}

main().catch(async (error: unknown) => {
  console.error(error);
  await cleanup().catch(() => {});
  finish(1, error instanceof Error ? error.message : String(error));
});
