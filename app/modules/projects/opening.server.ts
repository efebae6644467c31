import { randomUUID } from "node:crypto";
import { mkdir, readFile, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { and, asc, eq, inArray } from "drizzle-orm";
import type { Queryable, Tx } from "#db/client.server";
import { bidFiles, bids, organizationMembers, organizations, projectEvents, projectKeys, projectOpeners, projects } from "#db/schema";
import type { BidContents, SealedBid } from "#db/schema/projects";
import { serverNow } from "~/lib/clock.server";
import { CommandError, NotFoundError, runCommand, type Outbox } from "~/lib/command.server";
import { sniff, uploadsDir } from "~/lib/uploads.server";
import { authorize } from "~/modules/access";
import type { Actor } from "~/modules/identity/actor";
import { notifyMany } from "~/modules/notifications/commands.server";
import type { Partial } from "~/modules/votes/crypto";
import { bidContentsSchema, type OpeningReason } from "./bid-schemas";
import { openContents, openFile, openingKeyFor, sha256Hex, verifyPartialOpen } from "./seal";

/**
 * The opening (开标, ADR 0042): after the deadline (status "evaluating"),
 * each committee member unlocks their share in their own browser and posts a
 * partial opening of every submitted bid; the server checks each proof
 * against the member's verification key. With t valid members it combines,
 * decrypts, checks every bid (its schema, the price against the budget cap,
 * each attachment's hash and first bytes) and records the opening publicly:
 * the bidders and their prices. A bid that fails a check is disqualified
 * with a reason code (the evaluation shows it).
 */


/**
 * The deadline passed and the call is being evaluated (B's scheduler, in its
 * transaction): ask the committee to open the bids.
 */
export async function notifyOpeners(tx: Tx, outbox: Outbox, project: { id: number; title: string }) {
  const members = await tx.select({ userId: projectOpeners.userId }).from(projectOpeners).where(eq(projectOpeners.projectId, project.id));
  await notifyMany(tx, outbox, members.map((m) => m.userId), { kind: "notification.openerOpen", params: { title: project.title }, link: `/projects/${project.id}/opener` });
}

/** What a member's browser needs for the opening: each submitted bid's R (public). */
export async function getOpeningWork(q: Queryable, projectId: number) {
  const rows = await q
    .select({ id: bids.id, sealed: bids.sealed })
    .from(bids)
    .where(and(eq(bids.projectId, projectId), eq(bids.status, "submitted")))
    .orderBy(asc(bids.id));
  return rows.filter((r) => r.sealed).map((r) => ({ id: r.id, R: r.sealed!.R }));
}

/** A member publishes partial openings (by bid id) of every submitted bid; with t members the bids open. */
export async function submitOpening(actor: Actor, input: { projectId: number; partials: Record<string, Partial> }, now = serverNow()) {
  const written: string[] = [];
  try {
    return await runCommand(async (tx, outbox) => {
      const [project] = await tx.select().from(projects).where(eq(projects.id, input.projectId)).for("update");
      if (!project) throw new NotFoundError("project");
      const openers = await tx.select().from(projectOpeners).where(eq(projectOpeners.projectId, project.id)).orderBy(asc(projectOpeners.index));
      authorize(actor, "project:open", { openerIds: openers.map((o) => o.userId) });
      const me = openers.find((o) => o.userId === actor.userId)!;
      if (project.status !== "evaluating" || project.openedAt) throw new CommandError(project.openedAt ? "bids.error.alreadyOpened" : "bids.error.notYet");
      if (me.partials) throw new CommandError("bids.error.stepDone");
      if (!me.verificationKey) throw new CommandError("bids.error.badPartial");
      const work = await getOpeningWork(tx, project.id);
      const given = Object.keys(input.partials).map(Number).sort((a, b) => a - b);
      if (JSON.stringify(given) !== JSON.stringify(work.map((w) => w.id))) throw new CommandError("bids.error.badPartial");
      if (!work.every((w) => verifyPartialOpen(project.id, w.id, me.verificationKey!, w.R, input.partials[String(w.id)]!)))
        throw new CommandError("bids.error.badPartial");
      await tx
        .update(projectOpeners)
        .set({ partials: input.partials })
        .where(and(eq(projectOpeners.projectId, project.id), eq(projectOpeners.index, me.index)));
      await tx.insert(projectEvents).values({ projectId: project.id, actorId: actor.userId, kind: "opener_partial", detail: { index: me.index } });
      const [keys] = await tx.select().from(projectKeys).where(eq(projectKeys.projectId, project.id));
      const came = [...openers.filter((o) => o.partials && o.index !== me.index), { ...me, partials: input.partials }].sort((a, b) => a.index - b.index);
      if (came.length < keys!.threshold) return { opened: false };
      const chosen = came.slice(0, keys!.threshold).map((o) => ({ index: o.index, partials: o.partials! }));
      await openBids(tx, outbox, project, chosen, now, written);
      return { opened: true };
    });
  } catch (error) {
    await Promise.all(written.map((f) => unlink(path.join(uploadsDir(), f)).catch(() => {})));
    throw error;
  }
}

async function openBids(
  tx: Tx,
  outbox: Outbox,
  project: typeof projects.$inferSelect,
  chosen: { index: number; partials: Record<string, Partial> }[],
  now: Date,
  written: string[],
) {
  const rows = await tx
    .select({ b: bids, name: organizations.name })
    .from(bids)
    .innerJoin(organizations, eq(organizations.id, bids.organizationId))
    .where(and(eq(bids.projectId, project.id), eq(bids.status, "submitted")))
    .orderBy(asc(bids.id));
  const listed: { bidId: number; organizationId: number; name: string; price: number | null; status: string; reason: string | null }[] = [];
  for (const { b, name } of rows) {
    const sealed = b.sealed!;
    const partials = chosen.map((c) => ({ index: c.index, partial: c.partials[String(b.id)]! }));
    const files = await tx.select().from(bidFiles).where(eq(bidFiles.bidId, b.id)).orderBy(asc(bidFiles.ordinal));
    const result = await openOne(project, b.organizationId, sealed, partials, files, written);
    await tx
      .update(bids)
      .set({
        contents: result.contents,
        price: result.contents?.price ?? null,
        status: result.reason ? "disqualified" : "valid",
        disqualifiedReason: result.reason,
      })
      .where(eq(bids.id, b.id));
    for (const f of result.opened) await tx.update(bidFiles).set({ openedFile: f.file, mime: f.mime }).where(eq(bidFiles.id, f.id));
    listed.push({ bidId: b.id, organizationId: b.organizationId, name, price: result.contents?.price ?? null, status: result.reason ? "disqualified" : "valid", reason: result.reason });
  }
  await tx.update(projects).set({ openedAt: now, updatedAt: now }).where(eq(projects.id, project.id));
  await tx.insert(projectEvents).values({ projectId: project.id, actorId: null, kind: "opened", detail: { bids: listed, members: chosen.map((c) => c.index) }, at: now });
  const bidders = rows.length
    ? await tx
        .select({ userId: organizationMembers.userId })
        .from(organizationMembers)
        .where(and(inArray(organizationMembers.organizationId, rows.map((r) => r.b.organizationId)), eq(organizationMembers.role, "admin")))
    : [];
  await notifyMany(
    tx,
    outbox,
    bidders.map((u) => u.userId),
    { kind: "notification.bidsOpened", params: { title: project.title }, link: `/projects/${project.id}` },
  );
  outbox.emit(`project:${project.id}`, "project:changed", { projectId: project.id, status: project.status, bidCount: project.bidCount });
}

/** Open one bid and check it; never throws for a bad bid (it is disqualified with a reason). */
async function openOne(
  project: typeof projects.$inferSelect,
  organizationId: number,
  sealed: SealedBid,
  partials: { index: number; partial: Partial }[],
  files: (typeof bidFiles.$inferSelect)[],
  written: string[],
): Promise<{ contents: BidContents | null; reason: OpeningReason | null; opened: { id: number; file: string; mime: string }[] }> {
  let key: Uint8Array;
  let text: string;
  try {
    key = openingKeyFor(project.id, organizationId, sealed, partials);
    text = new TextDecoder("utf-8", { fatal: true }).decode(await openContents(project.id, organizationId, sealed, key));
  } catch {
    return { contents: null, reason: "unreadable", opened: [] };
  }
  let parsed;
  try {
    parsed = bidContentsSchema.safeParse(JSON.parse(text));
  } catch {
    return { contents: null, reason: "schema", opened: [] };
  }
  if (!parsed.success) return { contents: null, reason: "schema", opened: [] };
  const contents = parsed.data as BidContents;
  if (files.length !== contents.attachments.length) return { contents, reason: "attachment", opened: [] };
  const opened: { id: number; file: string; mime: string }[] = [];
  for (const f of files) {
    const declared = contents.attachments[f.ordinal];
    try {
      const sealedBytes = new Uint8Array(await readFile(path.join(uploadsDir(), f.sealedFile)));
      const plain = await openFile(project.id, organizationId, sealed, key, f.ordinal, sealedBytes);
      const kind = sniff(plain, true);
      if (!declared || sha256Hex(plain) !== declared.sha256 || plain.length !== declared.bytes || !kind || kind.mime !== declared.mime)
        return { contents, reason: "attachment", opened: [] };
      const dir = uploadsDir();
      await mkdir(dir, { recursive: true });
      const name = `${randomUUID()}.${kind.ext}`;
      await writeFile(path.join(dir, name), plain);
      written.push(name);
      opened.push({ id: f.id, file: name, mime: kind.mime });
    } catch {
      return { contents, reason: "attachment", opened: [] };
    }
  }
  if (contents.price > project.budgetCap) return { contents, reason: "overBudget", opened };
  return { contents, reason: null, opened };
}

/** The public record of the opening (bidders and prices), once it happened; null before. */
export async function getOpeningRecord(q: Queryable, projectId: number) {
  const [event] = await q
    .select({ detail: projectEvents.detail, at: projectEvents.at })
    .from(projectEvents)
    .where(and(eq(projectEvents.projectId, projectId), eq(projectEvents.kind, "opened")));
  if (!event) return null;
  const detail = event.detail as { bids: { bidId: number; name: string; price: number | null; status: string; reason: string | null }[] };
  return { at: event.at, bids: detail.bids.map((b) => ({ bidId: b.bidId, name: b.name, price: b.price, status: b.status, reason: b.reason })) };
}
