/**
 * Deliveries benchmark (`npm run bench -- deliveries`): the outbox of email
 * and SMS (ADR 0022) at the size of a district, in this process against the
 * real sender, a real SMTP server (smtp-server, in this process) and an
 * imitation of a cloud SMS API (local HTTP). The people are made
 * with set-based SQL; the sender and the channels are the product's own.
 *   1. one district-wide event: a residents' vote of the district whose
 *      electorate is BENCH_RECIPIENTS roll entries (default 100 000), each
 *      linked to an account with a verified email address, frozen in
 *      `vote_electors` (seeded, not timed: that is the vote's own write). The
 *      event is a transaction writing an event row and notifying the vote's
 *      electorate through notifyAudience, which queues ONE fan-out row naming
 *      the audience by its query kind (ADR 0041, amended); its commit time
 *      against the same transaction without the notification (medians of 5,
 *      interleaved), and, for comparison: the same with a vote of FANOUT_AT
 *      electors (the smallest audience that is fanned out: the cost must not
 *      depend on the audience), the ids given as one `int[]` (notifyMany, the
 *      first form of ADR 0041), and the notification written person by person
 *      in the transaction (ADR 0022's first design: the in-app rows and one
 *      INSERT … SELECT of deliveries; rolled back, so it leaves nothing);
 *   2. the drain: the sender reads the stored audience (as of the event) in
 *      its first chunk, expands the fan-out a chunk a round (in-app
 *      notifications and deliveries) and sends (batches claimed with SKIP
 *      LOCKED) them all to the SMTP server (smtp-server in a child process,
 *      32 pooled connections); deliveries a second from the start of the
 *      drain (the fan-out not yet expanded) to the last email, and the heap and RSS sampled every 500 ms (flat
 *      memory: the sender holds one batch or one chunk);
 *   3. a provider outage: BENCH_OUTAGE_SMS urgent SMS (default 2 000; a
 *      fan-out too, from 1 000) notified while the SMS API answers 503 (and every 10th request times out) for
 *      BENCH_OUTAGE seconds (default 60); the sender runs as the scheduler
 *      runs it (every 2 s, never overlapping) until the queue is empty; then
 *      every SMS must be sent exactly once by the provider, none dead, none lost.
 * Prints figures as it goes and, as its very last line, one JSON object.
 *
 * Environment: BENCH_RECIPIENTS, BENCH_OUTAGE, BENCH_OUTAGE_SMS, DATABASE_URL
 * (create, use and drop `gongzhi_bench_deliveries`, or BENCH_DATABASE, on that
 * local server; otherwise PGlite in a fresh temp folder).
 */
import { fork } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { openDatabase, rowsOf, setDatabase, type DatabaseHandle } from "#db/client.server";
import { migrate } from "#db/migrate.server";
import "~/i18n/catalogs.server";
import { runCommand } from "~/lib/command.server";
import { cloudSms, smtpEmail } from "~/modules/messages/channels.server";
import { queueDeliveries } from "~/modules/messages/enqueue.server";
import { notifyAudience, notifyMany } from "~/modules/notifications/commands.server";
import { FANOUT_AT } from "~/modules/notifications/fanout.server";
import { closeChannels, runDeliveries, setChannels } from "~/modules/messages/sender.server";
import { SMS_SECRET, startFakeSms } from "../support/message-fakes";
import { envNumber } from "./lib/report";

process.env.LOG_LEVEL ??= "silent";

const RECIPIENTS = envNumber("BENCH_RECIPIENTS", 100_000, 1, 1_000_000);
const OUTAGE_S = envNumber("BENCH_OUTAGE", 60, 0, 600);
const OUTAGE_SMS = envNumber("BENCH_OUTAGE_SMS", 2_000, 1, Math.min(RECIPIENTS, 100_000));
const DATABASE = process.env.BENCH_DATABASE || "gongzhi_bench_deliveries";
if (!/^[a-z_][a-z0-9_]*$/.test(DATABASE)) throw new Error(`BENCH_DATABASE must be a plain lower-case name, not "${DATABASE}".`);
// 12:00 in Beijing: outside everyone's quiet hours, so everything is due at once.
const noonInBeijing = () => new Date(Math.floor(Date.now() / 86_400_000) * 86_400_000 + 4 * 3_600_000);

const count = async (handle: DatabaseHandle, where: string) =>
  rowsOf<{ n: number }>(await handle.db.execute(sql.raw(`select count(*)::int as n from deliveries where ${where}`)))[0]!.n;

async function open(): Promise<{ handle: DatabaseHandle; cleanup: () => Promise<void>; where: string }> {
  const url = process.env.DATABASE_URL;
  if (url) {
    const admin = new URL(url);
    if (!["127.0.0.1", "localhost", "::1"].includes(admin.hostname)) throw new Error("The benchmark creates and drops a database: DATABASE_URL must be a local server.");
    admin.pathname = "/postgres";
    const run = async (statement: string) => {
      const c = postgres(admin.toString(), { max: 1, onnotice: () => {} });
      await c.unsafe(statement);
      await c.end();
    };
    await run(`drop database if exists ${DATABASE} with (force)`);
    await run(`create database ${DATABASE}`);
    const target = new URL(url);
    target.pathname = `/${DATABASE}`;
    const handle = await openDatabase({ kind: "postgres", url: target.toString(), max: 10 });
    return { handle, where: `PostgreSQL (${DATABASE})`, cleanup: async () => (await handle.close(), await run(`drop database if exists ${DATABASE} with (force)`)) };
  }
  const dir = mkdtempSync(path.join(tmpdir(), "gongzhi-bench-deliveries-"));
  const handle = await openDatabase({ kind: "pglite", dataDir: path.join(dir, "pglite") });
  return { handle, where: "PGlite (temp folder)", cleanup: async () => (await handle.close(), rmSync(dir, { recursive: true, force: true })) };
}

async function main() {
  const { handle, cleanup, where } = await open();
  setDatabase(handle);
  await migrate(handle);
  console.log(`Deliveries benchmark on ${where}: ${RECIPIENTS} recipients, a ${OUTAGE_S} s SMS outage over ${OUTAGE_SMS} messages.`);

  // People with a verified email address; the first OUTAGE_SMS also with a verified mobile number.
  const t0 = performance.now();
  await handle.db.execute(sql`insert into users (display_name, username, password_hash, locale)
    select '居民' || i, 'bench_' || i, 'x', case when i % 5 = 0 then 'en' else 'zh-CN' end from generate_series(1, ${RECIPIENTS}) i`);
  await handle.db.execute(sql`insert into contact_points (user_id, channel, address, verified_at)
    select id, 'email', 'r' || id || '@bench.test', now() from users`);
  const ids = rowsOf<{ id: number }>(await handle.db.execute(sql`select id from users order by id`)).map((r) => r.id);
  // The district: one community, households of two, everyone on the roll and linked to their account; a hall and two
  // residents' votes, open, their electorates frozen: everyone, and the first FANOUT_AT.
  const [district] = rowsOf<{ id: number }>(await handle.db.execute(sql`insert into units (kind, name, path) values ('district', '东城区', '/') returning id`));
  await handle.db.execute(sql`update units set path = '/' || id || '/' where id = ${district!.id}`);
  const [community] = rowsOf<{ id: number }>(
    await handle.db.execute(sql`insert into units (parent_id, kind, name, path) values (${district!.id}, 'community', '东四社区', '/') returning id`),
  );
  await handle.db.execute(sql`update units set path = '/' || ${district!.id} || '/' || id || '/' where id = ${community!.id}`);
  await handle.db.execute(sql`insert into households (community_id, address) select ${community!.id}, '东四' || h || '号' from generate_series(1, ${Math.ceil(RECIPIENTS / 2)}) h`);
  await handle.db.execute(sql`insert into roll_residents (community_id, household_id, name, user_id)
    select ${community!.id}, h.id, u.display_name, u.id from users u join households h on h.address = '东四' || ((u.id + 1) / 2) || '号'`);
  const [hall] = rowsOf<{ id: number }>(await handle.db.execute(sql`insert into halls (unit_id, name) values (${district!.id}, '东城区居民议事厅') returning id`));
  const openVote = async (question: string) =>
    Number(
      rowsOf<{ id: number }>(
        await handle.db.execute(sql`insert into votes (hall_id, question, method, options, electorate, opens_at, closes_at, quorum_percent, threshold, state, created_by)
          values (${hall!.id}, ${question}, 'yes_no', '["赞成","反对"]', 'residents', now(), now() + interval '7 days', 0, 'simple_majority', 'open', ${ids[0]!}) returning id`),
      )[0]!.id,
    );
  const districtVote = await openVote("东城区垃圾分类驿站选址");
  const smallVote = await openVote("东四社区加装电梯");
  await handle.db.execute(sql`insert into vote_electors (vote_id, elector_id) select ${districtVote}, id from roll_residents`);
  await handle.db.execute(sql`insert into vote_electors (vote_id, elector_id) select ${smallVote}, id from roll_residents order by id limit ${FANOUT_AT}`);
  await handle.db.execute(sql`analyze`);
  console.log(`Seeded in ${Math.round(performance.now() - t0)} ms: ${RECIPIENTS} people, on the roll and in a residents' vote's electorate.`);

  // 1. The district-wide event: bare; with its notification (one fan-out row); and, rolled back, written person by person.
  const now = noonInBeijing();
  const notice = { kind: "notification.voteOpened", params: { question: "东四街道垃圾分类驿站选址" }, link: "/votes/1", at: now };
  const eventRow = sql`insert into audit_events (action, subject_type, subject_id) values ('bench:event', 'unit', '1')`;
  const timed = async <T>(fn: () => Promise<T>) => {
    const s = performance.now();
    const value = await fn();
    return { ms: performance.now() - s, value };
  };
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const electorate = (voteId: number) => ({ of: [{ kind: "voteElectorate" as const, voteId, electorate: "residents" as const }] });
  const bare: number[] = [];
  const fanout: number[] = [];
  const smallFanout: number[] = [];
  const idsFanout: number[] = [];
  const loadAtEvent = loadavg()[0]!;
  // Interleaved, so that the machine's load (it is shared) falls on all four alike.
  for (let i = 0; i < 5; i++) {
    bare.push((await timed(() => runCommand((tx) => tx.execute(eventRow)))).ms);
    fanout.push((await timed(() => runCommand(async (tx, outbox) => (await tx.execute(eventRow), await notifyAudience(tx, outbox, electorate(districtVote), notice))))).ms);
    smallFanout.push((await timed(() => runCommand(async (tx, outbox) => (await tx.execute(eventRow), await notifyAudience(tx, outbox, electorate(smallVote), notice))))).ms);
    idsFanout.push((await timed(() => runCommand(async (tx, outbox) => (await tx.execute(eventRow), await notifyMany(tx, outbox, ids, notice))))).ms);
  }
  const bareMs = median(bare);
  const fanoutMs = median(fanout);
  const smallFanoutMs = median(smallFanout);
  const idsFanoutMs = median(idsFanout);
  const [written] = rowsOf<{ byQuery: number; byIds: number; bytes: number }>(
    await handle.db.execute(sql`select count(*) filter (where audience is not null)::int as "byQuery", count(*) filter (where audience is null)::int as "byIds",
      max(octet_length(audience::text))::int as bytes from delivery_fanouts`),
  );
  // The first fan-out (the district's vote, by query) is drained below; the others were only timed.
  await handle.db.execute(sql`delete from delivery_fanouts where id > (select min(id) from delivery_fanouts)`);
  class RolledBack extends Error {}
  const perPerson = await timed(() =>
    runCommand(async (tx) => {
      await tx.execute(eventRow);
      await tx.execute(sql`insert into notifications (user_id, kind, params, link)
        select u, ${notice.kind}, ${JSON.stringify(notice.params)}::jsonb, ${notice.link} from unnest(${`{${ids.join(",")}}`}::int[]) u`);
      const queued = await queueDeliveries(tx, ids, notice, now);
      throw Object.assign(new RolledBack(), { queued });
    }).catch((e: unknown) => {
      if (!(e instanceof RolledBack)) throw e;
      return (e as RolledBack & { queued: number }).queued;
    }),
  );
  console.log(
    `One event: ${bareMs.toFixed(1)} ms without its notification; ${fanoutMs.toFixed(1)} ms with it to the ${RECIPIENTS} electors as one fan-out row naming its audience ` +
      `(${written!.bytes} bytes of audience; ${smallFanoutMs.toFixed(1)} ms for a vote of ${FANOUT_AT}); medians of 5, ${written!.byQuery} such fan-outs written; load average ${loadAtEvent.toFixed(1)} on ${cpus().length} cores.`,
  );
  console.log(
    `For comparison: ${idsFanoutMs.toFixed(1)} ms with the ${RECIPIENTS} ids in the fan-out row (one int[]); ` +
      `${Math.round(perPerson.ms)} ms when the ${RECIPIENTS} notifications and ${perPerson.value} deliveries were written in the transaction itself (rolled back).`,
  );

  // 2. Drain to the SMTP server.
  // The SMTP server runs in its own process, as a mail relay would (it gets a core of its own).
  const sink = fork(path.join(import.meta.dirname, "lib/smtp-sink.ts"), { execArgv: ["--import", "tsx"] });
  const smtpUrl = await new Promise<string>((resolve) => sink.once("message", (m) => resolve((m as { url: string }).url)));
  const received = () =>
    new Promise<number>((resolve) => {
      sink.once("message", (m) => resolve((m as { count: number }).count));
      sink.send("count");
    });
  const sms = await startFakeSms();
  setChannels({
    email: smtpEmail({ url: smtpUrl, from: "共治 <no-reply@bench.test>", maxConnections: 32 }),
    sms: cloudSms(
      { provider: "cloud", endpoint: sms.endpoint, accessKeyId: "bench", accessKeySecret: SMS_SECRET, signName: "共治", noticeTemplate: "SMS_N", codeTemplate: "SMS_C" },
      { timeoutMs: 1_000 },
    ),
  });
  const samples: { heapMiB: number; rssMiB: number }[] = [];
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    samples.push({ heapMiB: m.heapUsed / 2 ** 20, rssMiB: m.rss / 2 ** 20 });
  }, 500);
  const drainStart = performance.now();
  const cpuStart = process.cpuUsage();
  let sent = 0;
  const phases = { claimMs: 0, sendMs: 0, recordMs: 0, rounds: 0, expandMs: 0, firstChunkMs: 0, chunks: 0, expanded: 0, queued: 0 };
  const onExpand = (e: { recipients: number; deliveries: number; ms: number }) => {
    // The first chunk also reads the stored audience (the electorate's accounts, as of the event) into the row.
    if (phases.chunks === 0) phases.firstChunkMs = e.ms;
    phases.expandMs += e.ms;
    phases.chunks++;
    phases.expanded += e.recipients;
    phases.queued += e.deliveries;
  };
  const onRound = (r: { claimMs: number; sendMs: number; recordMs: number }) => {
    phases.claimMs += r.claimMs;
    phases.sendMs += r.sendMs;
    phases.recordMs += r.recordMs;
    phases.rounds++;
  };
  for (;;) {
    const f = await runDeliveries(new Date(now.getTime() + (performance.now() - drainStart)), { batch: 1000, concurrency: 128, budgetMs: 30_000, onRound, onExpand });
    sent += f.sent;
    if (f.sent + f.retried + f.dead + f.deferred + f.expanded === 0) break;
  }
  const drainS = (performance.now() - drainStart) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const cpuMsPerEmail = (cpu.user + cpu.system) / 1000 / Math.max(1, sent);
  clearInterval(sampler);
  const rate = sent / drainS;
  const quarter = Math.max(1, Math.floor(samples.length / 4));
  const heap = samples.map((s) => s.heapMiB);
  const memory = {
    heapFirstQuarterMaxMiB: Math.round(Math.max(...heap.slice(0, quarter))),
    heapLastQuarterMaxMiB: Math.round(Math.max(...heap.slice(-quarter))),
    heapMaxMiB: Math.round(Math.max(...heap)),
    rssStartMiB: Math.round(samples[0]?.rssMiB ?? 0),
    rssEndMiB: Math.round(samples.at(-1)?.rssMiB ?? 0),
  };
  const smtpCount = await received();
  console.log(
    `The sender's process spent ${cpuMsPerEmail.toFixed(2)} ms of CPU per email (${Math.round(1000 / cpuMsPerEmail)}/s per free core); load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores.`,
  );
  console.log(
    `Expansion: ${phases.expanded} recipients in ${phases.chunks} chunks (in-app notifications and ${phases.queued} deliveries), ${Math.round(phases.expandMs)} ms in all, interleaved with sending; ` +
      `the first chunk, which read the audience, ${Math.round(phases.firstChunkMs)} ms.`,
  );
  console.log(
    `Sender rounds: ${phases.rounds}; claiming ${Math.round(phases.claimMs)} ms, sending ${Math.round(phases.sendMs)} ms, recording ${Math.round(phases.recordMs)} ms in all.`,
  );
  console.log(`Drain: ${sent} emails to the SMTP server (${smtpCount} received) in ${drainS.toFixed(1)} s = ${Math.round(rate)}/s.`);
  console.log(`Memory while draining: heap ≤ ${memory.heapFirstQuarterMaxMiB} MiB in the first quarter, ≤ ${memory.heapLastQuarterMaxMiB} MiB in the last; RSS ${memory.rssStartMiB} → ${memory.rssEndMiB} MiB.`);

  // 3. The outage: urgent SMS (and their emails) while the SMS API is down.
  await handle.db.execute(sql`insert into contact_points (user_id, channel, address, verified_at)
    select id, 'sms', (13000000000 + id)::text, now() from users order by id limit ${OUTAGE_SMS}`);
  sms.otherwise = "5xx";
  let n = 0;
  const outageStart = performance.now();
  const answers = setInterval(() => {
    // Every 10th request during the outage hangs until the client's time-out.
    for (let i = 0; i < 50; i++) sms.answers.push(++n % 10 === 0 ? "timeout" : "5xx");
  }, 200);
  await runCommand((tx, outbox) => notifyMany(tx, outbox, ids.slice(0, OUTAGE_SMS), { kind: "notification.deadlineSoon", params: { title: "路灯维修" }, link: "/inbox", at: new Date() }));
  const outageEnds = setTimeout(() => {
    clearInterval(answers);
    sms.answers.length = 0;
    sms.otherwise = "ok";
  }, OUTAGE_S * 1000);
  const deadline = Date.now() + (OUTAGE_S + 600) * 1000;
  let ticks = 0;
  while (Date.now() < deadline) {
    ticks++;
    await runDeliveries(new Date(), { batch: 500, concurrency: 64, budgetMs: 10_000 });
    if ((await count(handle, "state in ('pending', 'sending', 'held')")) === 0) break;
    await sleep(2_000);
  }
  clearTimeout(outageEnds);
  clearInterval(answers);
  const recoveredS = (performance.now() - outageStart) / 1000;
  const smsRows = rowsOf<{ state: string; n: number; max_attempts: number }>(
    await handle.db.execute(sql`select state, count(*)::int as n, max(attempts)::int as max_attempts from deliveries where channel = 'sms' group by state`),
  );
  const smsSent = smsRows.find((r) => r.state === "sent")?.n ?? 0;
  const smsDead = smsRows.find((r) => r.state === "dead")?.n ?? 0;
  const okRequests = sms.requests.filter((r) => r.answered === "ok").length;
  const outage = {
    seconds: OUTAGE_S,
    sms: OUTAGE_SMS,
    sent: smsSent,
    dead: smsDead,
    lost: OUTAGE_SMS - smsSent - smsDead,
    providerSentOnce: sms.sent.size,
    failedRequests: sms.requests.length - okRequests,
    maxAttempts: Math.max(0, ...smsRows.map((r) => r.max_attempts)),
    allSentAfterS: Math.round(recoveredS),
    ticks,
  };
  console.log(
    `Outage: ${outage.sent}/${OUTAGE_SMS} SMS sent, ${outage.dead} dead, ${outage.lost} lost; the provider sent ${outage.providerSentOnce} distinct messages after ${outage.failedRequests} failed requests; at most ${outage.maxAttempts} attempts; all out ${outage.allSentAfterS} s after the outage began.`,
  );

  await closeChannels();
  sink.send("stop");
  await sms.close();
  await cleanup();
  // "Not slowed": the fan-out adds one statement to the event's transaction whose cost does not grow with the audience
  // (it reads at most FANOUT_AT rows of the audience's query and writes a few bytes): within 10 ms of the event alone,
  // and within 5 ms of the same fan-out to FANOUT_AT people.
  const commitOk = fanoutMs <= bareMs + 10 && fanoutMs <= smallFanoutMs + 5;
  const ok = commitOk && rate >= 500 && outage.lost === 0 && outage.dead === 0 && outage.providerSentOnce === OUTAGE_SMS && sent === RECIPIENTS;
  console.log(ok ? "Targets met: the event's commit not slowed, ≥ 500 emails/s, nothing lost in the outage." : "TARGETS MISSED (see above).");
  console.log(
    JSON.stringify({
      benchmark: "deliveries",
      database: where,
      recipients: RECIPIENTS,
      event: {
        bareCommitMs: +bareMs.toFixed(1),
        fanoutCommitMs: +fanoutMs.toFixed(1),
        audienceBytes: written!.bytes,
        smallFanoutCommitMs: +smallFanoutMs.toFixed(1),
        smallFanoutRecipients: FANOUT_AT,
        idsFanoutCommitMs: +idsFanoutMs.toFixed(1),
        perPersonInTransactionMs: Math.round(perPerson.ms),
        perPersonDeliveries: perPerson.value,
        loadAverage: +loadAtEvent.toFixed(1),
      },
      expansion: { recipients: phases.expanded, chunks: phases.chunks, deliveries: phases.queued, ms: Math.round(phases.expandMs), firstChunkMs: Math.round(phases.firstChunkMs) },
      drain: { sent, received: smtpCount, cpuMsPerEmail: +cpuMsPerEmail.toFixed(2), loadAverage: +loadavg()[0]!.toFixed(1), cores: cpus().length, phasesMs: { expand: Math.round(phases.expandMs), claim: Math.round(phases.claimMs), send: Math.round(phases.sendMs), record: Math.round(phases.recordMs) }, seconds: +drainS.toFixed(1), perSecond: Math.round(rate), memory },
      outage,
      ok,
    }),
  );
  process.exit(ok ? 0 : 1);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
