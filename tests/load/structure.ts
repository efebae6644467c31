/**
 * Structure benchmark (`npm run bench -- structure`): seed one district of
 * realistic size into a database of its own — 30 subdistricts, 300
 * communities, 150 000 households, 300 000 verified residents, 50 departments
 * and stations, 300 alleys, the staff — with set-based SQL, timing each table;
 * then measure, for a mixed sample of 2 000 people, `loadActor` (the "my
 * positions and scopes" lookup every signed-in request makes: sequentially,
 * and 16 at a time), the pure permission check `can` (1 000 000 checks), and
 * the plans of loadActor's queries. Prints a table as it goes and, as its
 * very last line, one JSON object with every figure.
 *
 * Environment: DATABASE_URL (create, use and drop the database
 * `gongzhi_bench_structure` on that PostgreSQL server; otherwise a fresh
 * PGlite in a temp folder), BENCH_HOUSEHOLDS (households per community,
 * default 500: fewer for a quick run), BENCH_SAMPLES (people, default 2000),
 * BENCH_CHECKS (permission checks per round, default 1 000 000),
 * BENCH_CONCURRENCY (concurrent lookups, default 16).
 */
import { setDatabase } from "#db/client.server";
import { migrate } from "#db/migrate.server";
import type { Actor } from "~/modules/identity/actor";
import { loadActor } from "~/modules/identity/actor.server";
import { can, type Action, type ResourceOf } from "~/modules/access";
import {
  checkDistrict,
  compareStatements,
  FULL_DISTRICT,
  literal,
  message,
  onOneSession,
  openBenchDatabase,
  pick,
  positionsQuery,
  random,
  residencyQuery,
  seedDistrict,
  shuffle,
  summarize,
  unitPaths,
  usersByRole,
  withTimeout,
  yieldToEventLoop,
  type BenchDatabase,
  type DistrictShape,
  type Role,
  type Summary,
} from "./lib/district";
import { finisher } from "./lib/report";

function whole(name: string, fallback: number, min = 1): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === "" ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be a whole number ≥ ${min}, not "${raw}".`);
  return value;
}

const shape: DistrictShape = { ...FULL_DISTRICT, householdsPerCommunity: whole("BENCH_HOUSEHOLDS", FULL_DISTRICT.householdsPerCommunity) };
const sampleCount = whole("BENCH_SAMPLES", 2_000, 10);
const checkCount = whole("BENCH_CHECKS", 1_000_000, 1_000);
const concurrency = whole("BENCH_CONCURRENCY", 16);
const databaseUrl = process.env.DATABASE_URL || undefined;
const usesServerDatabase = Boolean(databaseUrl);

/** The sample's mix of people: most requests come from residents, the rest from staff of every level. */
const MIX: [Role, number][] = [
  ["resident", 0.6],
  ["communityWorker", 0.2],
  ["subdistrictStaff", 0.08],
  ["departmentOfficer", 0.1],
  ["districtAdmin", 0.02],
];
const WARMUP_LOOKUPS = 200;
const CONCURRENT_PASSES = 2;
const CHECK_ROUNDS = 3;
/** Lookups between two turns of the event loop (outside the timed calls), so signals and the watchdog are heard on PGlite too. */
const YIELD_EVERY = 25;

const figures: Record<string, number | string | null> = {
  database: usesServerDatabase ? "postgres" : "pglite",
};
/** Print the JSON line last and exit. */
const finish: (code: number, error?: string) => never = finisher(figures);

const round = (n: number, digits = 0) => Number(n.toFixed(digits));
const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** One line of the table: figure, value, note. */
function row(label: string, value: string, note = "") {
  console.log(`  ${label.padEnd(40)} ${value.padStart(14)}   ${note}`.trimEnd());
}

let opening: Promise<BenchDatabase> | undefined;
let cleaning: Promise<void> | undefined;
/**
 * Close and drop/remove the bench database — once it is open, if it is being
 * opened — and every caller (success, error, signal, watchdog) waits for the same cleanup.
 */
function cleanup(): Promise<void> {
  return (cleaning ??= (async () => {
    setDatabase(undefined);
    const bench = await opening?.catch(() => undefined);
    if (bench) await withTimeout(bench.cleanup(), 30_000, "cleaning up").catch((e: unknown) => console.warn(`  (warning: ${message(e)})`));
  })());
}

// Bounded however the run goes (PGlite seeding of 300 000 people is the slow part).
const budgetMs = 20 * 60 * 1000;
setTimeout(() => {
  console.error(`Watchdog: the benchmark took longer than ${Math.round(budgetMs / 1000)} s; giving up.`);
  void cleanup().finally(() => finish(1, "watchdog"));
}, budgetMs).unref();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void cleanup().finally(() => finish(130, signal));
  });
}

async function main() {
  console.log(`\nStructure benchmark — ${usesServerDatabase ? "PostgreSQL server (DATABASE_URL)" : "embedded PGlite"}`);
  opening = openBenchDatabase(databaseUrl);
  const bench = await opening;
  const { handle } = bench;
  const { db } = handle;
  console.log(`  database: ${bench.where}`);
  let started = performance.now();
  await migrate(handle);
  setDatabase(handle);
  figures.migrateMs = round(performance.now() - started);

  // 1. Seed.
  console.log(`\nSeeding the district (set-based SQL, one placeholder password hash)`);
  console.log(`  ${"table".padEnd(24)} ${"rows".padStart(10)} ${"ms".padStart(10)} ${"rows/s".padStart(12)}`);
  started = performance.now();
  const steps = await seedDistrict(db, shape, (s) => {
    const rate = s.rows && s.ms ? fmt((s.rows / s.ms) * 1000) : "";
    console.log(`  ${s.table.padEnd(24)} ${(s.rows ? fmt(s.rows) : "").padStart(10)} ${fmt(s.ms).padStart(10)} ${rate.padStart(12)}`);
  });
  const seedMs = performance.now() - started;
  console.log(`  ${"total".padEnd(24)} ${"".padStart(10)} ${fmt(seedMs).padStart(10)}`);
  for (const s of steps) figures[`seed_${s.table.replace(/[^a-z]+/g, "_").replace(/_$/, "")}_ms`] = round(s.ms);
  figures.seedTotalMs = round(seedMs);
  const counts = await checkDistrict(db, shape);
  for (const [name, n] of Object.entries(counts)) figures[`count_${name}`] = n;

  // 2. The sample: a fixed mix of roles, people drawn at random (seeded) within each role.
  const rand = random(20_190_101);
  const pools = await usersByRole(db);
  const samples: { userId: number; role: Role }[] = [];
  // Each role its share, the first (residents) the remainder, so the sample is exactly `sampleCount`.
  const others = MIX.slice(1).map(([role, share]) => [role, Math.round(sampleCount * share)] as const);
  const mix = [[MIX[0]![0], sampleCount - others.reduce((sum, [, n]) => sum + n, 0)] as const, ...others];
  for (const [role, n] of mix) {
    for (let i = 0; i < n; i++) samples.push({ userId: pick(rand, pools[role]), role });
  }
  shuffle(rand, samples);
  figures.samples = samples.length;
  const mixText = MIX.map(([role]) => `${role} ${samples.filter((s) => s.role === role).length}`).join(", ");

  // 3a. loadActor, one at a time.
  for (let i = 0; i < WARMUP_LOOKUPS; i++) {
    await loadActor(db, samples[i % samples.length]!.userId);
    if (i % YIELD_EVERY === 0) await yieldToEventLoop();
  }
  const lookupMs = new Float64Array(samples.length);
  const actors: { actor: Actor; role: Role }[] = [];
  const loopStart = performance.now();
  for (let i = 0; i < samples.length; i++) {
    const t0 = performance.now();
    const actor = await loadActor(db, samples[i]!.userId);
    lookupMs[i] = performance.now() - t0;
    actors.push({ actor, role: samples[i]!.role });
    if (i % YIELD_EVERY === 0) await yieldToEventLoop();
  }
  const sequentialS = (performance.now() - loopStart) / 1000;
  for (const a of actors) expectShape(a.actor, a.role);
  const sequential = summarize(lookupMs);
  const byRole = new Map<Role, Summary>();
  for (const [role] of MIX) byRole.set(role, summarize(samples.flatMap((s, i) => (s.role === role ? [lookupMs[i]!] : []))));

  console.log(`\nloadActor(db, userId) — ${samples.length} people (${mixText}), after ${WARMUP_LOOKUPS} unrecorded`);
  row("sequential p50", `${fmt(sequential.p50, 3)} ms`);
  row("sequential p99", `${fmt(sequential.p99, 3)} ms`);
  row("sequential mean", `${fmt(sequential.mean, 3)} ms`, `(max ${fmt(sequential.max, 2)} ms)`);
  row("sequential throughput", `${fmt(samples.length / sequentialS)} /s`);
  for (const [role, s] of byRole) row(`  ${role} p50 / p99`, `${fmt(s.p50, 3)} / ${fmt(s.p99, 3)}`, "ms");
  figures.actor_p50_ms = round(sequential.p50, 3);
  figures.actor_p99_ms = round(sequential.p99, 3);
  figures.actor_mean_ms = round(sequential.mean, 3);
  figures.actor_max_ms = round(sequential.max, 2);
  figures.actor_sequential_per_s = round(samples.length / sequentialS);
  for (const [role, s] of byRole) {
    figures[`actor_${role}_p50_ms`] = round(s.p50, 3);
    figures[`actor_${role}_p99_ms`] = round(s.p99, 3);
  }

  // 3a'. loadActor, `concurrency` at a time (each lookup is itself four queries side by side).
  const total = samples.length * CONCURRENT_PASSES;
  const concurrentMs = new Float64Array(total);
  let next = 0;
  // Every worker pauses at the same gate to let the event loop turn: one worker yielding alone would
  // (on PGlite) wait for all the others to stop anyway, and leave fewer workers running than claimed.
  let gate: Promise<void> | undefined;
  const worker = async () => {
    while (next < total) {
      if (gate) await gate;
      if (next >= total) break;
      const i = next++;
      if (i % (YIELD_EVERY * concurrency) === 0 && !gate) gate = yieldToEventLoop().then(() => (gate = undefined));
      const t0 = performance.now();
      await loadActor(db, samples[i % samples.length]!.userId);
      concurrentMs[i] = performance.now() - t0;
    }
  };
  const concurrentStart = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const concurrentS = (performance.now() - concurrentStart) / 1000;
  const concurrent = summarize(concurrentMs);
  const note = usesServerDatabase ? "(pool of 10, the app's default)" : "(PGlite: one connection, queries queue)";
  row(`${concurrency} concurrent: throughput`, `${fmt(total / concurrentS)} /s`, note);
  row(`${concurrency} concurrent: p50 / p99`, `${fmt(concurrent.p50, 2)} / ${fmt(concurrent.p99, 2)}`, "ms per lookup");
  figures.actor_concurrency = concurrency;
  figures.actor_concurrent_per_s = round(total / concurrentS);
  figures.actor_concurrent_p50_ms = round(concurrent.p50, 3);
  figures.actor_concurrent_p99_ms = round(concurrent.p99, 3);

  // 3c. Plans of loadActor's queries, as the app sends them (parameters bound).
  console.log(`\nEXPLAIN ANALYZE of loadActor's queries (parameters bound, as the app sends them)`);
  const worker0 = actors.find((a) => a.role === "communityWorker")?.actor.userId ?? pools.communityWorker[0]!;
  const resident0 = actors.find((a) => a.role === "resident")?.actor.userId ?? pools.resident[0]!;
  const explained = [
    { key: "positions", label: `positions ⋈ units ⋈ departments ⋈ units, community worker ${worker0}`, query: positionsQuery(db, worker0).toSQL() },
    { key: "residency", label: `residency_claims ⋈ units, resident ${resident0}`, query: residencyQuery(db, resident0).toSQL() },
  ];
  for (const e of explained) {
    const [plan] = await onOneSession(handle, [{ text: `explain (analyze, buffers) ${e.query.sql}`, params: e.query.params }]);
    const report = describePlan(plan ?? []);
    console.log(`  ${e.label}`);
    console.log(`    ${report.top}`);
    console.log(`    indexes: ${report.indexes.join(", ") || "none"}${report.seqScans.length ? `; sequential scans: ${report.seqScans.join(", ")}` : ""}`);
    console.log(`    execution ${fmt(report.executionMs, 3)} ms, planning ${fmt(report.planningMs, 3)} ms`);
    figures[`explain_${e.key}_exec_ms`] = round(report.executionMs, 3);
    figures[`explain_${e.key}_planning_ms`] = round(report.planningMs, 3);
    figures[`explain_${e.key}_top`] = report.top;
    figures[`explain_${e.key}_seq_scans`] = report.seqScans.join(",");
  }
  // A prepared statement (postgres.js prepares every query) may switch to a generic plan, where
  // `status = $2` can no longer prove the partial index `residency_claims_one_open` applies.
  const residency = explained[1]!.query;
  const generic = await onOneSession(handle, [
    { text: "set plan_cache_mode = force_generic_plan" },
    { text: `prepare bench_residency as ${residency.sql}` },
    { text: `explain (analyze, buffers) execute bench_residency(${residency.params.map(literal).join(", ")})` },
    { text: "deallocate bench_residency" },
    { text: "reset plan_cache_mode" },
  ]);
  const genericReport = describePlan(generic[2] ?? []);
  console.log(`  the residency query as a generic plan (plan_cache_mode = force_generic_plan)`);
  console.log(`    ${genericReport.top}`);
  console.log(
    `    indexes: ${genericReport.indexes.join(", ") || "none"}${genericReport.seqScans.length ? `; sequential scans: ${genericReport.seqScans.join(", ")}` : ""}`,
  );
  console.log(`    execution ${fmt(genericReport.executionMs, 3)} ms`);
  figures.explain_residency_generic_exec_ms = round(genericReport.executionMs, 3);
  figures.explain_residency_generic_top = genericReport.top;
  if (usesServerDatabase) {
    // drizzle sends every query as an unnamed statement (postgres.js `prepare: false`): parsed and planned on
    // every call, after a Describe round trip. What the same queries cost as named prepared statements:
    const workers = actors.filter((a) => a.role === "communityWorker").map((a) => a.actor.userId!);
    const residents = actors.filter((a) => a.role === "resident").map((a) => a.actor.userId!);
    const compared = await compareStatements(handle, workers, residents);
    console.log(`\nOne query at a time, p50 / p99 ms over ${compared.runs} calls (server only)`);
    for (const v of compared.variants) {
      const plans = v.genericPlans === undefined ? "" : `${v.genericPlans} generic / ${v.customPlans} custom plans`;
      row(v.label, `${fmt(v.summary.p50, 3)} / ${fmt(v.summary.p99, 3)}`, plans);
      figures[`query_${v.key}_p50_ms`] = round(v.summary.p50, 3);
      figures[`query_${v.key}_p99_ms`] = round(v.summary.p99, 3);
      if (v.genericPlans !== undefined) figures[`query_${v.key}_generic_plans`] = v.genericPlans;
    }
    figures.named_statements_on_pool = compared.namedOnPool;
    row("loadActor statements named on the pool", String(compared.namedOnPool), "(one pooled connection, after all the lookups)");
  }

  // 3b. The pure permission check.
  const paths = await unitPaths(db);
  const checks = buildChecks(random(7), actors, paths, pools.resident);
  const mask = checks.length - 1;
  let allowed = 0;
  // Timer cost, measured the same way, to read the per-check figures against.
  const overhead = new Float64Array(Math.min(checkCount, 200_000));
  for (let i = 0; i < overhead.length; i++) {
    const t0 = performance.now();
    overhead[i] = performance.now() - t0;
  }
  const perCheck = new Float64Array(checkCount);
  for (let i = 0; i < checkCount; i++) {
    const c = checks[i & mask]!;
    const t0 = performance.now();
    const ok = can(c.actor, c.action, c.resource as never);
    perCheck[i] = performance.now() - t0;
    if (ok) allowed++;
  }
  const rates: number[] = [];
  for (let r = 0; r < CHECK_ROUNDS; r++) {
    const t0 = performance.now();
    for (let i = 0; i < checkCount; i++) {
      const c = checks[i & mask]!;
      if (can(c.actor, c.action, c.resource as never)) allowed++;
    }
    rates.push(checkCount / ((performance.now() - t0) / 1000));
  }
  const rate = rates.sort((a, b) => a - b)[Math.floor(rates.length / 2)]!;
  const checkStats = summarize(perCheck);
  const timer = summarize(overhead);
  const allowedShare = allowed / (checkCount * (1 + CHECK_ROUNDS));
  console.log(`\ncan(actor, action, resource) — ${fmt(checkCount)} timed checks over ${checks.length} prepared (5 actions, ${fmt(allowedShare * 100, 1)} % allowed)`);
  row("p50 (one check, timer included)", `${fmt(checkStats.p50 * 1000, 3)} µs`, `timer alone: p50 ${fmt(timer.p50 * 1000, 3)} µs`);
  row("p99 (one check, timer included)", `${fmt(checkStats.p99 * 1000, 3)} µs`, `timer alone: p99 ${fmt(timer.p99 * 1000, 3)} µs`);
  row("checks per second (untimed loop)", `${fmt(rate)}`, `median of ${CHECK_ROUNDS} rounds = ${fmt(1e6 / rate, 3)} µs per check`);
  figures.permission_checks = checkCount;
  figures.permission_p50_us = round(checkStats.p50 * 1000, 3);
  figures.permission_p99_us = round(checkStats.p99 * 1000, 3);
  figures.permission_timer_p50_us = round(timer.p50 * 1000, 3);
  figures.permission_checks_per_s = round(rate);
  figures.permission_mean_us = round(1e6 / rate, 4);
  figures.permission_allowed_share = round(allowedShare, 3);

  console.log("");
}

/** Fail loudly if an actor does not look like its role: the figures would measure the wrong thing. */
function expectShape(actor: Actor, role: Role) {
  const depth = (p: string | null | undefined) => (p ? p.split("/").filter(Boolean).length : 0);
  const has = (kinds: string[], d: number) => actor.positions.some((p) => kinds.includes(p.kind) && depth(p.unitPath) === d);
  const ok = {
    resident: actor.residency !== null && depth(actor.residency.communityPath) === 4 && actor.positions.length === 0,
    communityWorker: has(["community_worker"], 4),
    subdistrictStaff: has(["subdistrict_officer", "subdistrict_leader"], 3),
    departmentOfficer: has(["department_officer", "station_officer"], 2),
    districtAdmin: has(["district_admin"], 2),
  }[role];
  if (!ok) throw new Error(`loadActor(${actor.userId}) does not look like a ${role}: ${JSON.stringify(actor)}`);
}

type Check = { [A in Action]: { actor: Actor; action: A; resource: ResourceOf<A> } }[Action];

/**
 * 4096 checks (a power of two, cycled): five actions in turn, each on a
 * resource in the actor's own scope half the time and anywhere in the district otherwise.
 */
function buildChecks(rand: () => number, actors: { actor: Actor }[], paths: { subdistricts: string[]; communities: string[] }, residents: number[]): Check[] {
  const kinds = ["unit_party_org", "social_org", "merchant_association"] as const;
  const checks: Check[] = [];
  for (let i = 0; i < 4096; i++) {
    const { actor } = pick(rand, actors);
    const scope = actor.residency?.communityPath ?? actor.positions.find((p) => p.unitPath)?.unitPath ?? "/";
    const near = rand() < 0.5;
    const community = pick(rand, near ? paths.communities.filter((c) => c.startsWith(scope)) : paths.communities);
    const subdistrict = community.split("/").slice(0, 4).join("/") + "/";
    const person = rand() < 0.1 && actor.userId !== null ? actor.userId : pick(rand, residents);
    switch (i % 5) {
      case 0:
        checks.push({ actor, action: "residency:decide", resource: { communityPath: community, claimantId: person } });
        break;
      case 1:
        checks.push({ actor, action: "resident:viewPrivate", resource: { communityPath: community, personId: person } });
        break;
      case 2:
        checks.push({ actor, action: "unit:manage", resource: { unitPath: rand() < 0.5 ? community : subdistrict } });
        break;
      case 3:
        checks.push({ actor, action: "roster:manage", resource: { subdistrictPath: subdistrict } });
        break;
      default:
        checks.push({ actor, action: "organization:decide", resource: { organizationId: 1 + Math.floor(rand() * 100), kind: pick(rand, kinds), unitPath: community } });
    }
  }
  return checks;
}

/** The top line, the indexes and sequential scans used, and the times of an EXPLAIN ANALYZE. */
function describePlan(rows: Record<string, unknown>[]) {
  const lines = rows.map((r) => String(r["QUERY PLAN"] ?? Object.values(r)[0] ?? ""));
  const time = (label: string) => Number(new RegExp(`${label} Time: ([0-9.]+) ms`).exec(lines.join("\n"))?.[1] ?? NaN);
  const unique = (re: RegExp) => [...new Set(lines.flatMap((l) => [...l.matchAll(re)].map((m) => m[1]!)))];
  return {
    top: (lines[0] ?? "").trim(),
    indexes: unique(/Index (?:Only )?Scan (?:Backward )?using (\S+)/g),
    seqScans: unique(/Seq Scan on (\S+)/g),
    executionMs: time("Execution"),
    planningMs: time("Planning"),
  };
}

main().then(
  async () => {
    await cleanup();
    finish(0);
  },
  async (error: unknown) => {
    console.error(`\nThe structure benchmark failed: ${message(error)}`);
    await cleanup();
    finish(1, message(error).split("\n")[0]);
  },
);
