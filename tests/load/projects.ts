/**
 * The bid race (`npm run bench -- projects`), issue 16 §10, ADR 0042.
 * In one process on a fresh PGlite database, or a fresh database on the
 * PostgreSQL server of DATABASE_URL: BENCH_ORGS verified organisations (default 200)
 * bid on one call whose opening committee made its key.
 *   1. browser work, done up front: every bid sealed under the committee's key
 *      (the time per bid is what a bidder's browser spends);
 *   2. the last 10 seconds: the server's clock is injected so that the run's
 *      real time is the last 10 s before the deadline and 1 s after it. The
 *      organisations submit and revise at BENCH_RATE submissions a second in all
 *      (default 500, open loop: the latency each bidder sees), each
 *      organisation's own submissions one after another as a browser's are,
 *      through the real command (`submitBid`: permission, eligibility, the
 *      deadline by the injected clock, the sealed form, one transaction, the
 *      count); what arrives at or after the deadline must be refused;
 *   3. checks: every organisation has exactly one bid, holding its last accepted
 *      revision (receipt and sealed bytes), one receipt row per accepted
 *      submission, none for a refused one; the count is right;
 *   4. saturation on a second call: BENCH_CONNECTIONS organisations at once (default 200),
 *      each submitting as soon as its previous one was answered: the most the server takes.
 * It leaves out HTTP (the JSON API, /api/projects/<id>/bids, adds about 1 ms, ADR 0013).
 * Prints one JSON object with every figure as its last line.
 */
import { eq, sql } from "drizzle-orm";
import { db, setDatabase } from "#db/client.server";
import { migrate } from "#db/migrate.server";
import { bidReceipts, bids, projects } from "#db/schema";
import type { SealedBid } from "#db/schema/projects";
import { CommandError } from "~/lib/command.server";
import { loadActor } from "~/modules/identity/actor.server";
import type { Actor } from "~/modules/identity/actor";
import { encodeContents } from "~/modules/projects/bid-schemas";
import { submitBid } from "~/modules/projects/bids.server";
import { nameCommittee } from "~/modules/projects/ceremony.server";
import { sealBid } from "~/modules/projects/seal";
import { insertUnit } from "~/modules/units/commands.server";
import { runOpeningCeremony, sampleContents } from "../support/committee";
import { openBenchDatabase } from "./lib/district";

const orgCount = Number(process.env.BENCH_ORGS ?? 200);
const rate = Number(process.env.BENCH_RATE ?? 500);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 200);
const WINDOW_MS = 10_000;
const AFTER_MS = 1_000;
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
const figures: Record<string, number | string> = {};
const rowsOf = <T>(r: unknown) => (Array.isArray(r) ? r : (r as { rows: T[] }).rows) as T[];

const bench = await openBenchDatabase(process.env.DATABASE_URL, "gongzhi_bench_projects");
try {
  console.log(`database: ${bench.where}`);
  setDatabase(bench.handle);
  await migrate(bench.handle);

  // A community, a staff member and two residents' representatives (the committee), and the organisations with their admins.
  const deadline = new Date("2027-06-30T02:00:00Z");
  const { community, committee } = await db().transaction(async (tx) => {
    const city = await insertUnit(tx, { parentId: null, kind: "city", name: "北京市" });
    const district = await insertUnit(tx, { parentId: city.id, kind: "district", name: "东城区" });
    const sub = await insertUnit(tx, { parentId: district.id, kind: "subdistrict", name: "朝阳门街道" });
    const community = await insertUnit(tx, { parentId: sub.id, kind: "community", name: "史家社区" });
    const committee = rowsOf<{ id: number }>(
      await tx.execute(sql`insert into users (username, display_name, password_hash)
        select 'bench_opener_' || g, '开标人' || g, 'x' from generate_series(1, 3) g returning id`),
    ).map((r) => r.id);
    await tx.execute(sql`insert into positions (user_id, kind, unit_id) values (${committee[0]!}, 'community_worker', ${community.id})`);
    return { community, committee };
  });
  await db().execute(sql`insert into users (username, display_name, password_hash)
    select 'bench_org_' || g, '机构负责人' || g, 'x' from generate_series(1, ${orgCount}) g`);
  const admins = rowsOf<{ id: number }>(await db().execute(sql`select id from users where username like 'bench_org_%' order by id`)).map((r) => r.id);
  const verifiedAt = new Date(deadline.getTime() - 400 * 86_400_000).toISOString();
  await db().execute(sql`insert into organizations (kind, name, unit_id, status, decided_at, created_by)
    select 'social_org', '社工机构' || u.id, ${community.id}, 'confirmed', ${verifiedAt}::timestamptz, u.id from users u where u.username like 'bench_org_%'`);
  await db().execute(sql`insert into organization_members (organization_id, user_id, role)
    select o.id, o.created_by, 'admin' from organizations o join users u on u.id = o.created_by where u.username like 'bench_org_%'`);
  const orgs = rowsOf<{ id: number; created_by: number }>(await db().execute(sql`select id, created_by from organizations order by id`));

  async function makeCall(title: string) {
    const p = await db().transaction(async (tx) => {
      const [p] = await tx
        .insert(projects)
        .values({
          unitId: community.id,
          title,
          scope: "基准测试",
          category: "serving_people",
          budgetCap: 300_000,
          periodStart: "2027-08-01",
          periodEnd: "2028-07-31",
          eligibility: { minMonthsVerified: 6, localOnly: true },
          criteria: [{ id: "price", key: "price", weight: 100 }],
          questionsCloseAt: new Date(deadline.getTime() - 86_400_000),
          bidDeadline: deadline,
          createdBy: committee[0]!,
        })
        .returning();
      await nameCommittee(tx, p!.id, committee);
      return p!;
    });
    const key = await runOpeningCeremony(p.id, committee);
    await db().update(projects).set({ status: "open", publishedAt: new Date(deadline.getTime() - 30 * 86_400_000) }).where(eq(projects.id, p.id));
    return { id: p.id, key };
  }
  const race = await makeCall("基准测试：截止前十秒的投标");
  const actors: Actor[] = await Promise.all(admins.map((id) => loadActor(db(), id)));
  const actorOf = new Map(orgs.map((o) => [o.id, actors[admins.indexOf(o.created_by)]!]));

  // 1. The browsers' work: each submission sealed up front, in the order it will be sent.
  const total = Math.round(((WINDOW_MS + AFTER_MS) / 1000) * rate);
  const plan = Array.from({ length: total }, (_, k) => ({ k, org: orgs[k % orgs.length]!.id, at: (k * 1000) / rate }));
  let started = performance.now();
  const sealed: SealedBid[] = [];
  for (const s of plan) sealed.push((await sealBid(race.id, s.org, race.key, encodeContents(sampleContents(100_000 + s.k)))).sealed);
  figures.sealMsPerBid = +((performance.now() - started) / plan.length).toFixed(2);
  console.log(`seal in the "browser": ${figures.sealMsPerBid} ms per bid (${plan.length} bids)`);

  // 2. The race: real time t maps to the server's clock deadline − 10 s + t.
  type Outcome = { k: number; org: number; ok: boolean; late: boolean; revision?: number; receipt?: string; error?: string; ms: number };
  const outcomes: Outcome[] = [];
  const byOrg = new Map<number, typeof plan>();
  for (const s of plan) byOrg.set(s.org, [...(byOrg.get(s.org) ?? []), s]);
  const clockStart = deadline.getTime() - WINDOW_MS;
  started = performance.now();
  await Promise.all(
    [...byOrg.values()].map(async (mine) => {
      // One browser per organisation: its submissions one after another, each sent at its time (or at once if the previous was slow).
      for (const s of mine) {
        await new Promise((r) => setTimeout(r, Math.max(0, started + s.at - performance.now())));
        const t0 = performance.now();
        const now = new Date(clockStart + (t0 - started));
        const late = now >= deadline;
        try {
          const a = await submitBid(actorOf.get(s.org)!, { projectId: race.id, organizationId: s.org, sealed: sealed[s.k]!, fileDigests: [], clientKey: `bench-${s.k}` }, now);
          outcomes.push({ k: s.k, org: s.org, ok: true, late, revision: a.revision, receipt: a.receipt, ms: performance.now() - t0 });
        } catch (error) {
          if (!(error instanceof CommandError)) throw error;
          outcomes.push({ k: s.k, org: s.org, ok: false, late, error: error.messageKey, ms: performance.now() - t0 });
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const inWindow = outcomes.filter((o) => !o.late);
  const lateOnes = outcomes.filter((o) => o.late);
  const latencies = inWindow.map((o) => o.ms).sort((a, b) => a - b);
  figures.offeredPerSecond = rate;
  figures.submissions = inWindow.length;
  figures.lateAttempts = lateOnes.length;
  figures.submissionsPerSecond = Math.round(outcomes.length / elapsed);
  figures.p50Ms = Math.round(percentile(latencies, 50));
  figures.p99Ms = Math.round(percentile(latencies, 99));
  figures.maxMs = Math.round(latencies.at(-1) ?? 0);
  console.log(
    `${inWindow.length} submissions in the last 10 s and ${lateOnes.length} after, offered at ${rate}/s: ${figures.submissionsPerSecond}/s, p50 ${figures.p50Ms} ms, p99 ${figures.p99Ms} ms, max ${figures.maxMs} ms`,
  );

  // 3. Checks.
  const problems: string[] = [];
  const refusedInTime = inWindow.filter((o) => !o.ok);
  if (refusedInTime.length) problems.push(`${refusedInTime.length} in time refused (${refusedInTime[0]!.error})`);
  const acceptedLate = lateOnes.filter((o) => o.ok || o.error !== "bids.error.closed");
  if (acceptedLate.length) problems.push(`${acceptedLate.length} late ones not refused as closed`);
  const stored = await db().select().from(bids).where(eq(bids.projectId, race.id));
  const receiptRows = await db().select({ bidId: bidReceipts.bidId, receipt: bidReceipts.receipt }).from(bidReceipts).innerJoin(bids, eq(bids.id, bidReceipts.bidId)).where(eq(bids.projectId, race.id));
  const bidsByOrg = new Map(stored.map((b) => [b.organizationId, b]));
  if (stored.length !== new Set(stored.map((b) => b.organizationId)).size) problems.push("an organisation has two bids");
  for (const [org] of byOrg) {
    const accepted = outcomes.filter((o) => o.org === org && o.ok).sort((a, b) => a.revision! - b.revision!);
    const bid = bidsByOrg.get(org);
    const last = accepted.at(-1);
    if (!last) continue;
    if (!bid) {
      problems.push(`org ${org}: no bid`);
      continue;
    }
    if (bid.revision !== accepted.length || accepted.some((a, i) => a.revision !== i + 1)) problems.push(`org ${org}: revisions ${bid.revision} ≠ ${accepted.length} accepted`);
    if (bid.receipt !== last.receipt || JSON.stringify(bid.sealed) !== JSON.stringify(sealed[last.k])) problems.push(`org ${org}: not its last revision`);
    if (receiptRows.filter((r) => r.bidId === bid.id).length !== accepted.length) problems.push(`org ${org}: receipts ≠ accepted submissions`);
  }
  const [p] = await db().select().from(projects).where(eq(projects.id, race.id));
  if (p!.bidCount !== stored.length) problems.push(`bidCount ${p!.bidCount} ≠ ${stored.length}`);
  figures.bids = stored.length;
  figures.receipts = receiptRows.length;
  figures.correct = problems.length === 0 ? "yes" : `no: ${problems.slice(0, 5).join("; ")}`;
  console.log(`stored ${stored.length} bids, ${receiptRows.length} receipts; every in-time submission stored once as its last revision, every late one refused: ${figures.correct}`);

  // 4. Saturation on a second call: every organisation at once, closed loop.
  const second = await makeCall("基准测试：饱和");
  const perOrg = Math.max(1, Math.floor(2000 / Math.min(connections, orgs.length)));
  const satOrgs = orgs.slice(0, connections);
  const satSealed = new Map<number, SealedBid[]>();
  for (const o of satOrgs) satSealed.set(o.id, await Promise.all(Array.from({ length: perOrg }, async (_, i) => (await sealBid(second.id, o.id, second.key, encodeContents(sampleContents(100_000 + i)))).sealed)));
  const satLatencies: number[] = [];
  const satNow = new Date(deadline.getTime() - 5_000);
  started = performance.now();
  await Promise.all(
    satOrgs.map(async (o) => {
      for (let i = 0; i < perOrg; i++) {
        const t0 = performance.now();
        await submitBid(actorOf.get(o.id)!, { projectId: second.id, organizationId: o.id, sealed: satSealed.get(o.id)![i]!, fileDigests: [], clientKey: `sat-${o.id}-${i}` }, satNow);
        satLatencies.push(performance.now() - t0);
      }
    }),
  );
  const satSeconds = (performance.now() - started) / 1000;
  satLatencies.sort((a, b) => a - b);
  figures.saturationPerSecond = Math.round(satLatencies.length / satSeconds);
  figures.saturationP50Ms = Math.round(percentile(satLatencies, 50));
  figures.saturationP99Ms = Math.round(percentile(satLatencies, 99));
  console.log(`saturation: ${satLatencies.length} submissions by ${satOrgs.length} organisations at once: ${figures.saturationPerSecond}/s, p50 ${figures.saturationP50Ms} ms, p99 ${figures.saturationP99Ms} ms`);
} finally {
  await bench.cleanup();
}
console.log(JSON.stringify(figures));
if (typeof figures.correct === "string" && figures.correct !== "yes") process.exitCode = 1;
