import { randomUUID } from "node:crypto";
import { mkdir, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { and, asc, desc, eq, gt, inArray, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Queryable, Tx } from "#db/client.server";
import { bidFiles, bidReceipts, bids, organizations, projectEvaluators, projectKeys, projects, units } from "#db/schema";
import type { SealedBid } from "#db/schema/projects";
import { batcher } from "~/lib/batch.server";
import { serverNow } from "~/lib/clock.server";
import { CommandError, NotFoundError, runCommand } from "~/lib/command.server";
import { uploadsDir } from "~/lib/uploads.server";
import { authorize, can } from "~/modules/access";
import type { Actor } from "~/modules/identity/actor";
import { biddingOpen, ineligibility } from "./rules";
import { isWellFormedSealed, MAX_BID_FILE_BYTES, MAX_BID_FILE_MB, MAX_BID_FILES, receiptOf, sealedFileBytes, sha256Hex } from "./seal";

/**
 * Sealed bids (ADR 0042): an organisation's admin submits, revises and
 * withdraws while the call is open, by the server's clock. The server stores
 * only what the bidder's browser sealed: it checks the form and sizes, it
 * cannot read the contents. One row per organisation per call holds the last
 * revision; every submission, revision and withdrawal leaves a receipt row
 * with its hash. A repeated clientKey is the same submission.
 */

export interface BidSubmission {
  projectId: number;
  organizationId: number;
  sealed: SealedBid;
  /** SHA-256 of each sealed attachment, in order (what the receipt covers). */
  fileDigests: string[];
  /** The sealed attachments themselves (the page's upload); absent from the JSON API, which takes bids without attachments. */
  files?: Uint8Array[];
  clientKey: string;
}

export interface BidAnswer {
  bidId: number;
  revision: number;
  kind: "submit" | "revise" | "withdraw";
  receipt: string;
  at: Date;
  bidCount: number;
  /** True when this clientKey had already been handled: nothing new was stored. */
  repeated: boolean;
}

const orgUnits = alias(units, "org_units");
/** Raw statements' rows: an array from postgres.js, `{ rows }` from PGlite. */
const rowsOf = <T>(r: unknown) => (Array.isArray(r) ? r : (r as { rows: T[] }).rows) as T[];

/**
 * Load the call and the organisation in one query, authorise, check
 * eligibility and the window by the server's clock. The call's row is held
 * FOR KEY SHARE until the commit: submissions run side by side and beside
 * the count's update, but the step that closes the call (which locks the row
 * FOR UPDATE, skipping it while locked) comes only once those under way have
 * committed, so none lands after it; an attempt after the deadline locks
 * nothing. One
 * organisation's submissions are serialised (a transaction advisory lock,
 * taken in the same statement): a double submit finds the first, a revision
 * finds the bid.
 */
async function openCall(tx: Tx, actor: Actor, projectId: number, organizationId: number, now: Date) {
  const columns = {
    p: projects,
    unitPath: units.path,
    orgId: organizations.id,
    orgKind: organizations.kind,
    orgStatus: organizations.status,
    orgDecidedAt: organizations.decidedAt,
    orgPath: orgUnits.path,
  };
  const base = (locked: boolean) =>
    tx
      .select(
        locked
          ? // One organisation's submissions one at a time (taken here to save a round trip; the next statement sees what the previous holder committed).
            { ...columns, locked: sql<string>`pg_advisory_xact_lock(hashtext(${`bid:${projectId}:${organizationId}`}))::text` }
          : columns,
      )
      .from(projects)
      .innerJoin(units, eq(units.id, projects.unitId))
      .leftJoin(organizations, eq(organizations.id, organizationId))
      .leftJoin(orgUnits, eq(orgUnits.id, organizations.unitId));
  // Only a call still open by this clock is locked: a late attempt holds nothing the close waits for.
  let [row] = await base(true)
    .where(and(eq(projects.id, projectId), eq(projects.status, "open"), gt(projects.bidDeadline, now)))
    .for("key share", { of: projects });
  if (!row) [row] = await base(false).where(eq(projects.id, projectId));
  if (!row || row.p.status === "planning") throw new NotFoundError("project");
  if (row.orgId === null || row.orgKind === null || row.orgStatus === null || row.orgPath === null) throw new NotFoundError("organization");
  authorize(actor, "project:bid", { organization: { id: row.orgId, kind: row.orgKind, confirmed: row.orgStatus === "confirmed" } });
  const why = ineligibility({ kind: row.orgKind, status: row.orgStatus, decidedAt: row.orgDecidedAt, unitPath: row.orgPath }, row.p.eligibility, row.unitPath, now);
  if (why) throw new CommandError(`bids.ineligible.${why}`);
  if (!biddingOpen(row.p, now)) throw new CommandError("bids.error.closed");
  return row.p;
}

/** The organisation's bid on the call, and the receipt a repeated clientKey left (one query). */
async function bidAndRepeat(tx: Tx, projectId: number, organizationId: number, clientKey: string) {
  const [row] = await tx
    .select({ b: bids, r: bidReceipts, files: sql<number>`(select count(*) from ${bidFiles} where ${bidFiles.bidId} = ${bids.id})::int` })
    .from(bids)
    .leftJoin(bidReceipts, and(eq(bidReceipts.bidId, bids.id), eq(bidReceipts.clientKey, clientKey)))
    .where(and(eq(bids.projectId, projectId), eq(bids.organizationId, organizationId)));
  if (!row) return { existing: null, repeated: null, files: 0 };
  const r = row.r;
  const repeated: BidAnswer | null = r ? { bidId: r.bidId, revision: r.revision, kind: r.kind, receipt: r.receipt, at: r.at, bidCount: -1, repeated: true } : null;
  return { existing: row.b, repeated, files: row.files };
}

/**
 * Recount the call's submitted bids once a submission that changed the count
 * has committed (counting the rows cannot drift), and say so live. A plain
 * UPDATE: it does not wait for the submissions under way (they hold the row
 * FOR KEY SHARE). Coalesced per call in this process: callers that arrive
 * while a recount waits to start share it (it starts after their commits), so
 * two hundred first bids in one second make a few recounts, not a queue of
 * two hundred on one row.
 */
export function recount(projectId: number): Promise<number> {
  let q = recounts.get(projectId);
  if (!q) recounts.set(projectId, (q = { tail: Promise.resolve() }));
  if (q.next) return q.next;
  const state = q;
  const next = state.tail.then(() => {
    state.next = undefined;
    return recountNow(projectId);
  });
  state.next = next;
  state.tail = next
    .catch(() => {})
    .finally(() => {
      if (!state.next) recounts.delete(projectId);
    });
  return next;
}
const recounts = new Map<number, { next?: Promise<number>; tail: Promise<unknown> }>();

async function recountNow(projectId: number): Promise<number> {
  return runCommand(async (tx, outbox) => {
    const [row] = await tx
      .update(projects)
      .set({ bidCount: sql`(select count(*) from ${bids} where ${bids.projectId} = ${projectId} and ${bids.status} = 'submitted')::int` })
      .where(eq(projects.id, projectId))
      .returning({ bidCount: projects.bidCount, status: projects.status });
    outbox.emit(`project:${projectId}`, "project:changed", { projectId, status: row!.status, bidCount: row!.bidCount });
    return row!.bidCount;
  });
}

// ---- group commit of submissions (ADR 0015) -------------------------------------

interface Queued {
  actor: Actor;
  input: BidSubmission;
  receipt: string;
  now: Date;
}
type Outcome = { answer: BidAnswer; counted: boolean } | { error: unknown } | { alone: true };

/**
 * Submissions without attachments, gathered while the previous batches are
 * on their way and written in one transaction of a few set-based statements
 * (the last seconds before a deadline). Each item is checked exactly as the
 * single path checks it; anything unusual (a call or organisation not found,
 * a second submission of the same organisation in the batch, a bid with
 * attachments to replace) goes through the single path instead, after the
 * batch, which gives it its own answer.
 */
const submissions = batcher<Queued, Outcome>(writeBatch, { maxBatch: 100, maxInFlight: 4 });
/** Batches sent and submissions carried (for tests and the benchmark). */
export const submissionStats = submissions.stats;

async function writeBatch(items: Queued[]): Promise<Outcome[]> {
  if (items.length === 1) return [{ alone: true }];
  return runCommand(async (tx) => {
    const out: Outcome[] = items.map(() => ({ alone: true }));
    const calls = await tx
      .select({ p: projects, unitPath: units.path })
      .from(projects)
      .innerJoin(units, eq(units.id, projects.unitId))
      .where(and(inArray(projects.id, [...new Set(items.map((i) => i.input.projectId))]), eq(projects.status, "open")))
      .for("key share", { of: projects });
    const orgs = await tx
      .select({ id: organizations.id, kind: organizations.kind, status: organizations.status, decidedAt: organizations.decidedAt, unitPath: units.path })
      .from(organizations)
      .innerJoin(units, eq(units.id, organizations.unitId))
      .where(inArray(organizations.id, [...new Set(items.map((i) => i.input.organizationId))]));
    const pairOf = (i: Queued) => `bid:${i.input.projectId}:${i.input.organizationId}`;
    const seen = new Set<string>();
    const go: number[] = [];
    items.forEach((item, k) => {
      const call = calls.find((c) => c.p.id === item.input.projectId);
      const org = orgs.find((o) => o.id === item.input.organizationId);
      if (!call || !org || seen.has(pairOf(item))) return;
      try {
        authorize(item.actor, "project:bid", { organization: { id: org.id, kind: org.kind, confirmed: org.status === "confirmed" } });
        const why = ineligibility(org, call.p.eligibility, call.unitPath, item.now);
        if (why) throw new CommandError(`bids.ineligible.${why}`);
        if (!biddingOpen(call.p, item.now)) throw new CommandError("bids.error.closed");
      } catch (error) {
        out[k] = { error };
        return;
      }
      seen.add(pairOf(item));
      go.push(k);
    });
    if (go.length === 0) return out;
    // The organisations' locks, in one order for every batch (no deadlock between batches).
    const keys = go.map((k) => pairOf(items[k]!)).sort();
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(k)) from (select k from (values ${sql.join(keys.map((k) => sql`(${k}::text)`), sql`, `)}) v(k) order by k) s`);
    const existing = await tx
      .select({ b: bids, files: sql<number>`(select count(*) from ${bidFiles} where ${bidFiles.bidId} = ${bids.id})::int` })
      .from(bids)
      .where(sql`(${bids.projectId}, ${bids.organizationId}) in (${sql.join(go.map((k) => sql`(${items[k]!.input.projectId}::int, ${items[k]!.input.organizationId}::int)`), sql`, `)})`);
    const repeats = existing.length
      ? await tx
          .select()
          .from(bidReceipts)
          .where(and(inArray(bidReceipts.bidId, existing.map((e) => e.b.id)), inArray(bidReceipts.clientKey, go.map((k) => items[k]!.input.clientKey))))
      : [];
    const inserts: number[] = [];
    const updates: { k: number; id: number; revision: number; kind: "submit" | "revise" }[] = [];
    for (const k of go) {
      const { input } = items[k]!;
      const found = existing.find((e) => e.b.projectId === input.projectId && e.b.organizationId === input.organizationId);
      const repeated = found && repeats.find((r) => r.bidId === found.b.id && r.clientKey === input.clientKey);
      const bidCount = calls.find((c) => c.p.id === input.projectId)!.p.bidCount;
      if (repeated)
        out[k] = { answer: { bidId: repeated.bidId, revision: repeated.revision, kind: repeated.kind, receipt: repeated.receipt, at: repeated.at, bidCount, repeated: true }, counted: false };
      else if (!found) inserts.push(k);
      else if (found.files > 0) out[k] = { alone: true };
      else updates.push({ k, id: found.b.id, revision: found.b.revision + 1, kind: found.b.status === "submitted" ? "revise" : "submit" });
    }
    const by = (k: number) => items[k]!.actor.userId!;
    const inserted = inserts.length
      ? await tx
          .insert(bids)
          .values(
            inserts.map((k) => ({
              projectId: items[k]!.input.projectId,
              organizationId: items[k]!.input.organizationId,
              status: "submitted" as const,
              revision: 1,
              sealed: items[k]!.input.sealed,
              receipt: items[k]!.receipt,
              submittedBy: by(k),
              submittedAt: items[k]!.now,
            })),
          )
          .returning({ id: bids.id, projectId: bids.projectId, organizationId: bids.organizationId })
      : [];
    if (updates.length)
      await tx.execute(sql`update ${bids} set status = 'submitted', revision = v.revision, sealed = v.sealed::jsonb, receipt = v.receipt,
          submitted_by = v.by, submitted_at = v.at::timestamptz
        from (values ${sql.join(
          updates.map((u) => sql`(${u.id}::int, ${u.revision}::int, ${JSON.stringify(items[u.k]!.input.sealed)}::text, ${items[u.k]!.receipt}::text, ${by(u.k)}::int, ${items[u.k]!.now.toISOString()}::text)`),
          sql`, `,
        )}) v(id, revision, sealed, receipt, by, at) where ${bids.id} = v.id`);
    const written = [
      ...inserts.map((k) => {
        const row = inserted.find((r) => r.projectId === items[k]!.input.projectId && r.organizationId === items[k]!.input.organizationId)!;
        return { k, id: row.id, revision: 1, kind: "submit" as const };
      }),
      ...updates,
    ];
    if (written.length)
      await tx.insert(bidReceipts).values(
        written.map((w) => ({ bidId: w.id, revision: w.revision, kind: w.kind, receipt: items[w.k]!.receipt, by: by(w.k), clientKey: items[w.k]!.input.clientKey, at: items[w.k]!.now })),
      );
    for (const w of written) {
      const item = items[w.k]!;
      const bidCount = calls.find((c) => c.p.id === item.input.projectId)!.p.bidCount;
      out[w.k] = { answer: { bidId: w.id, revision: w.revision, kind: w.kind, receipt: item.receipt, at: item.now, bidCount, repeated: false }, counted: w.kind === "submit" };
    }
    return out;
  });
}

/** Submit a bid, or revise the one this organisation has (a withdrawn one comes back as a new submission). */
export async function submitBid(actor: Actor, input: BidSubmission, now = serverNow()): Promise<BidAnswer> {
  if (!isWellFormedSealed(input.sealed)) throw new CommandError("bids.error.sealed", "sealed");
  if (input.fileDigests.length > MAX_BID_FILES || !input.fileDigests.every((d) => /^[0-9a-f]{64}$/.test(d)))
    throw new CommandError(`bids.error.tooManyFiles`, "attachments", { max: MAX_BID_FILES });
  if (input.files) {
    if (input.files.length !== input.fileDigests.length) throw new CommandError("bids.error.filesMissing", "attachments");
    if (input.files.some((f) => f.length > sealedFileBytes(MAX_BID_FILE_BYTES))) throw new CommandError("bids.error.fileTooBig", "attachments", { mb: MAX_BID_FILE_MB });
    if (input.files.some((f, k) => sha256Hex(f) !== input.fileDigests[k])) throw new CommandError("bids.error.filesMissing", "attachments");
  } else if (input.fileDigests.length > 0) throw new CommandError("bids.error.filesMissing", "attachments");
  const receipt = receiptOf(input.sealed, input.fileDigests);
  if (!input.files?.length) {
    const outcome = await submissions({ actor, input, receipt, now });
    if ("error" in outcome) throw outcome.error;
    if ("answer" in outcome) return outcome.counted ? { ...outcome.answer, bidCount: await recount(input.projectId) } : outcome.answer;
  }
  const writtenFiles: string[] = [];
  const replaced: string[] = [];
  try {
    const answer = await runCommand(async (tx) => {
      const project = await openCall(tx, actor, input.projectId, input.organizationId, now);
      const { existing, repeated, files } = await bidAndRepeat(tx, project.id, input.organizationId, input.clientKey);
      if (repeated) return { ...repeated, bidCount: project.bidCount, counted: false };
      const revision = existing ? existing.revision + 1 : 1;
      const kind: BidAnswer["kind"] = existing?.status === "submitted" ? "revise" : "submit";
      const at = now.toISOString();
      const by = actor.userId!;
      // The bid and its receipt in one statement: the hot path of the last minutes before a deadline.
      const written = existing
        ? sql`with b as (
            update ${bids} set status = 'submitted', revision = ${revision}, sealed = ${JSON.stringify(input.sealed)}::jsonb, receipt = ${receipt},
              submitted_by = ${by}, submitted_at = ${at}::timestamptz where id = ${existing.id} returning id)`
        : sql`with b as (
            insert into ${bids} (project_id, organization_id, status, revision, sealed, receipt, submitted_by, submitted_at)
            values (${project.id}, ${input.organizationId}, 'submitted', 1, ${JSON.stringify(input.sealed)}::jsonb, ${receipt}, ${by}, ${at}::timestamptz) returning id)`;
      const result = await tx.execute(sql`${written}
        insert into ${bidReceipts} (bid_id, revision, kind, receipt, "by", client_key, at)
        select id, ${revision}, ${kind}, ${receipt}, ${by}, ${input.clientKey}, ${at}::timestamptz from b returning bid_id`);
      const bidId = rowsOf<{ bid_id: number }>(result)[0]!.bid_id;
      // Only the last revision is kept: the earlier revision's sealed files go.
      if (existing && files > 0) {
        const old = await tx.delete(bidFiles).where(eq(bidFiles.bidId, bidId)).returning({ f: bidFiles.sealedFile });
        replaced.push(...old.map((o) => o.f));
      }
      if (input.files?.length) {
        const stored = await storeSealedFiles(input.files);
        writtenFiles.push(...stored);
        await tx.insert(bidFiles).values(stored.map((f, k) => ({ bidId, revision, ordinal: k, sealedFile: f, bytes: input.files![k]!.length })));
      }
      return { bidId, revision, kind, receipt, at: now, bidCount: project.bidCount, repeated: false, counted: kind === "submit" };
    });
    if (answer.repeated) await removeFiles(writtenFiles);
    else await removeFiles(replaced);
    const { counted, ...rest } = answer;
    return counted ? { ...rest, bidCount: await recount(input.projectId) } : rest;
  } catch (error) {
    await removeFiles(writtenFiles);
    throw error;
  }
}

/** Withdraw the organisation's bid: it no longer counts and will not be opened (its sealed contents are dropped). */
export async function withdrawBid(actor: Actor, input: { projectId: number; organizationId: number; clientKey: string }, now = serverNow()): Promise<BidAnswer> {
  const replaced: string[] = [];
  const answer = await runCommand(async (tx) => {
    const project = await openCall(tx, actor, input.projectId, input.organizationId, now);
    const { existing: bid, repeated } = await bidAndRepeat(tx, project.id, input.organizationId, input.clientKey);
    if (repeated) return { ...repeated, bidCount: project.bidCount };
    if (!bid || bid.status !== "submitted") throw new CommandError("bids.error.nothingToWithdraw");
    const revision = bid.revision + 1;
    const receipt = sha256Hex(new TextEncoder().encode(JSON.stringify({ withdraw: bid.id, project: project.id, revision, previous: bid.receipt })));
    await tx.update(bids).set({ status: "withdrawn", revision, sealed: null, receipt, submittedBy: actor.userId!, submittedAt: now }).where(eq(bids.id, bid.id));
    const old = await tx.delete(bidFiles).where(eq(bidFiles.bidId, bid.id)).returning({ f: bidFiles.sealedFile });
    replaced.push(...old.map((o) => o.f));
    await tx.insert(bidReceipts).values({ bidId: bid.id, revision, kind: "withdraw", receipt, by: actor.userId!, clientKey: input.clientKey, at: now });
    return { bidId: bid.id, revision, kind: "withdraw" as const, receipt, at: now, bidCount: -1, repeated: false };
  });
  await removeFiles(replaced);
  return answer.repeated ? answer : { ...answer, bidCount: await recount(input.projectId) };
}

async function storeSealedFiles(files: Uint8Array[]): Promise<string[]> {
  const dir = uploadsDir();
  await mkdir(dir, { recursive: true });
  const names: string[] = [];
  for (const f of files) {
    const name = `${randomUUID()}.sealed`;
    await writeFile(path.join(dir, name), f);
    names.push(name);
  }
  return names;
}

async function removeFiles(names: string[]) {
  await Promise.all(names.map((n) => unlink(path.join(uploadsDir(), n)).catch(() => {})));
}

// ---- reads ---------------------------------------------------------------------

export async function evaluatorIdsOf(q: Queryable, projectId: number): Promise<number[]> {
  const rows = await q.select({ id: projectEvaluators.userId }).from(projectEvaluators).where(eq(projectEvaluators.projectId, projectId));
  return rows.map((r) => r.id);
}

/**
 * The bid page of a call for one person: the call's terms, its opening key,
 * the organisations they may bid for, and each one's bid as the bidder sees
 * it (status, revision, receipt; never contents: the server has none before
 * the opening). Null when the call is not public.
 */
export async function getBidPage(q: Queryable, projectId: number, actor: Actor, now = serverNow()) {
  const [row] = await q
    .select({ p: projects, unitPath: units.path, unitName: units.name, openingKey: projectKeys.openingKey, threshold: projectKeys.threshold })
    .from(projects)
    .innerJoin(units, eq(units.id, projects.unitId))
    .leftJoin(projectKeys, eq(projectKeys.projectId, projects.id))
    .where(eq(projects.id, projectId));
  if (!row || row.p.status === "planning") return null;
  const adminOf = Object.entries(actor.organizations)
    .filter(([, role]) => role === "admin")
    .map(([id]) => Number(id));
  const orgs = adminOf.length
    ? await q
        .select({ id: organizations.id, name: organizations.name, kind: organizations.kind, status: organizations.status, decidedAt: organizations.decidedAt, unitPath: units.path })
        .from(organizations)
        .innerJoin(units, eq(units.id, organizations.unitId))
        .where(inArray(organizations.id, adminOf))
        .orderBy(asc(organizations.id))
    : [];
  const mine = orgs.length
    ? await q
        .select({ id: bids.id, organizationId: bids.organizationId, status: bids.status, revision: bids.revision, receipt: bids.receipt, submittedAt: bids.submittedAt })
        .from(bids)
        .where(and(eq(bids.projectId, projectId), inArray(bids.organizationId, orgs.map((o) => o.id))))
    : [];
  return {
    project: {
      id: row.p.id,
      title: row.p.title,
      unitName: row.unitName,
      status: row.p.status,
      budgetCap: row.p.budgetCap,
      periodStart: row.p.periodStart,
      periodEnd: row.p.periodEnd,
      bidDeadline: row.p.bidDeadline.toISOString(),
      bidCount: row.p.bidCount,
      open: biddingOpen(row.p, now),
    },
    openingKey: row.openingKey,
    threshold: row.threshold ?? 2,
    /** The withdraw form's one-time key (it works without scripts): a double click is one withdrawal. */
    withdrawKey: randomUUID().replaceAll("-", ""),
    organizations: orgs.map((o) => ({
      id: o.id,
      name: o.name,
      mayBid: can(actor, "project:bid", { organization: { id: o.id, kind: o.kind, confirmed: o.status === "confirmed" } }),
      ineligible: ineligibility(o, row.p.eligibility, row.unitPath, now),
      bid: mine.find((b) => b.organizationId === o.id) ?? null,
    })),
  };
}
export type BidPage = NonNullable<Awaited<ReturnType<typeof getBidPage>>>;

/**
 * An organisation's receipts for a call (every submission, revision and
 * withdrawal, newest first): its own people only (`project:readBid`, which
 * lets its members read their own bid). Never any contents.
 */
export async function getReceipts(q: Queryable, actor: Actor, projectId: number, organizationId: number) {
  const [row] = await q
    .select({ p: projects, unitPath: units.path, orgName: organizations.name })
    .from(projects)
    .innerJoin(units, eq(units.id, projects.unitId))
    .innerJoin(organizations, eq(organizations.id, organizationId))
    .where(eq(projects.id, projectId));
  if (!row) throw new NotFoundError("project");
  // When and how often an organisation bid is its own until the opening.
  authorize(actor, "project:readBid", {
    organizationId,
    unitPath: row.unitPath,
    opened: row.p.openedAt !== null,
    status: row.p.status,
    evaluatorIds: await evaluatorIdsOf(q, row.p.id),
  });
  const list = await q
    .select({ revision: bidReceipts.revision, kind: bidReceipts.kind, receipt: bidReceipts.receipt, at: bidReceipts.at })
    .from(bidReceipts)
    .innerJoin(bids, eq(bids.id, bidReceipts.bidId))
    .where(and(eq(bids.projectId, projectId), eq(bids.organizationId, organizationId)))
    .orderBy(desc(bidReceipts.id));
  return { project: { id: row.p.id, title: row.p.title, status: row.p.status }, organization: { id: organizationId, name: row.orgName }, receipts: list };
}

/**
 * One bid as `project:readBid` allows: its own organisation always (status,
 * receipt; contents once opened: the server has none before), the buyer's
 * staff and the panel once opened, everyone once the award is final. The
 * contents come only from the opening: before it they do not exist in
 * readable form anywhere on the server.
 */
export async function readBid(q: Queryable, actor: Actor, bidId: number) {
  const [row] = await q
    .select({ b: bids, p: projects, unitPath: units.path, orgName: organizations.name })
    .from(bids)
    .innerJoin(projects, eq(projects.id, bids.projectId))
    .innerJoin(units, eq(units.id, projects.unitId))
    .innerJoin(organizations, eq(organizations.id, bids.organizationId))
    .where(eq(bids.id, bidId));
  if (!row) throw new NotFoundError("bid");
  authorize(actor, "project:readBid", {
    organizationId: row.b.organizationId,
    unitPath: row.unitPath,
    opened: row.p.openedAt !== null,
    status: row.p.status,
    evaluatorIds: await evaluatorIdsOf(q, row.p.id),
  });
  return {
    id: row.b.id,
    organization: { id: row.b.organizationId, name: row.orgName },
    status: row.b.status,
    revision: row.b.revision,
    receipt: row.b.receipt,
    submittedAt: row.b.submittedAt,
    contents: row.p.openedAt ? row.b.contents : null,
    price: row.p.openedAt ? row.b.price : null,
    /** After the opening: the opened attachments, served at /uploads/<file> (random names, like photos). */
    files: row.p.openedAt
      ? (await q.select({ ordinal: bidFiles.ordinal, file: bidFiles.openedFile, mime: bidFiles.mime }).from(bidFiles).where(eq(bidFiles.bidId, row.b.id)).orderBy(asc(bidFiles.ordinal))).filter(
          (f): f is { ordinal: number; file: string; mime: string } => f.file !== null && f.mime !== null,
        )
      : [],
    disqualifiedReason: row.b.disqualifiedReason,
  };
}
