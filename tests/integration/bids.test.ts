import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { and, eq, sql } from "drizzle-orm";
import { db } from "#db/client.server";
import { bidFiles, bidReceipts, bids, notifications, organizations, projectEvents, projectKeys, projects } from "#db/schema";
import { CommandError, ForbiddenError } from "~/lib/command.server";
import { uploadsDir } from "~/lib/uploads.server";
import { loadActor } from "~/modules/identity/actor.server";
import { encodeContents } from "~/modules/projects/bid-schemas";
import { getBidPage, getReceipts, readBid, submissionStats, submitBid, withdrawBid } from "~/modules/projects/bids.server";
import { getOpenerWork, openingKeyOf } from "~/modules/projects/ceremony.server";
import { getOpeningRecord, submitOpening } from "~/modules/projects/opening.server";
import { partialOpen, sealBid, sha256Hex, toBase64 } from "~/modules/projects/seal";
import { projectContext } from "~/modules/votes/crypto";
import { unlockShare } from "~/modules/votes/tellers";
import {
  buildBidWorld,
  clientKey,
  closeCall,
  MARKER,
  openAs,
  publishCall,
  runOpeningCeremony,
  sampleContents,
  sealAndSubmit,
} from "../support/committee";
import { passphraseOf } from "../support/tellers";

const actor = (id: number) => loadActor(db(), id);
const pdf = (text: string) => new TextEncoder().encode(`%PDF-1.7\n% ${text}\n%%EOF\n`);

async function openWorld() {
  const w = await buildBidWorld();
  const key = await runOpeningCeremony(w.project.id, w.openers);
  await publishCall(w.project.id);
  return { w, key };
}

/** Every row of the bid tables (and the committee's), as text: what a database dump or a backup holds. */
async function dumpBidTables() {
  const tables = ["bids", "bid_receipts", "bid_files", "project_openers", "opener_shares", "project_keys", "project_events", "notifications"];
  let text = "";
  for (const t of tables) {
    const rows = await db().execute(sql.raw(`select row_to_json(x)::text as j from ${t} x`));
    const list = (Array.isArray(rows) ? rows : (rows as { rows: unknown[] }).rows) as { j: string }[];
    text += list.map((r) => r.j).join("\n");
  }
  return text;
}

async function sealedFilesText() {
  const dir = uploadsDir();
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => n.endsWith(".sealed"));
  return (await Promise.all(names.map((n) => readFile(path.join(dir, n))))).map((b) => b.toString("latin1")).join("");
}

describe("the opening committee's key ceremony", () => {
  it("makes the opening key from three browsers, without the server ever holding a share", async () => {
    const w = await buildBidWorld();
    expect(await openingKeyOf(db(), w.project.id)).toBeNull();
    const key = await runOpeningCeremony(w.project.id, w.openers);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(await openingKeyOf(db(), w.project.id)).toBe(key);
    const [keys] = await db().select().from(projectKeys).where(eq(projectKeys.projectId, w.project.id));
    expect(keys!.threshold).toBe(2);
    const events = await db().select().from(projectEvents).where(eq(projectEvents.projectId, w.project.id));
    expect(events.map((e) => e.kind)).toContain("opening_key");
    // The shares in transit are gone; each member's is locked under a passphrase the server never saw.
    const work = (await getOpenerWork(db(), w.project.id, w.rep1.id))!;
    expect(work.received).toEqual([]);
    expect(JSON.stringify(work)).not.toContain(passphraseOf(w.rep1.id));
    // Once made, the key cannot be remade.
    await expect(
      (await import("~/modules/projects/ceremony.server")).publishOpenerKeys(await actor(w.rep1.id), {
        projectId: w.project.id,
        transportKey: key,
        commitments: [key, key],
        setupVault: work.me.shareVault!,
      }),
    ).rejects.toThrow(CommandError);
  });
});

describe("submitting, revising and withdrawing sealed bids", () => {
  it("stores only the last revision, a receipt per submission, one submission per clientKey, and keeps the count", async () => {
    const { w, key } = await openWorld();
    const admin = w.people.orgAdmin.id;
    const k = clientKey();
    const first = await sealAndSubmit(admin, w.project.id, w.org.id, key, sampleContents(150_000), { key: k });
    expect(first.receipt).toBe(first.sealedReceipt);
    expect(first).toMatchObject({ kind: "submit", revision: 1, bidCount: 1, repeated: false });
    // A double submit (the same form's key): one submission, the same receipt.
    const again = await submitBid(await actor(admin), { projectId: w.project.id, organizationId: w.org.id, sealed: first.sealed.sealed, fileDigests: [], clientKey: k });
    expect(again).toMatchObject({ repeated: true, receipt: first.receipt, revision: 1 });
    const revised = await sealAndSubmit(admin, w.project.id, w.org.id, key, sampleContents(140_000));
    expect(revised).toMatchObject({ kind: "revise", revision: 2, bidCount: 1 });
    const rows = await db().select().from(bids).where(eq(bids.projectId, w.project.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.receipt).toBe(revised.receipt);
    expect(rows[0]!.sealed).toEqual(revised.sealed.sealed);
    const other = await sealAndSubmit(w.otherAdmin.id, w.project.id, w.org2.id, key, sampleContents(190_000));
    expect(other.bidCount).toBe(2);
    const withdrawn = await withdrawBid(await actor(w.otherAdmin.id), { projectId: w.project.id, organizationId: w.org2.id, clientKey: clientKey() });
    expect(withdrawn).toMatchObject({ kind: "withdraw", bidCount: 1 });
    const [p] = await db().select().from(projects).where(eq(projects.id, w.project.id));
    expect(p!.bidCount).toBe(1);
    const receipts = await getReceipts(db(), await actor(admin), w.project.id, w.org.id);
    expect(receipts.receipts.map((r) => [r.kind, r.revision, r.receipt])).toEqual([
      ["revise", 2, revised.receipt],
      ["submit", 1, first.receipt],
    ]);
    // Withdrawn then submitted again: a new submission, counted again.
    const back = await sealAndSubmit(w.otherAdmin.id, w.project.id, w.org2.id, key, sampleContents(185_000));
    expect(back).toMatchObject({ kind: "submit", revision: 3, bidCount: 2 });
    // The page shows each organisation's receipt, and the count; never contents.
    const page = (await getBidPage(db(), w.project.id, await actor(admin)))!;
    expect(page.organizations[0]!.bid!.receipt).toBe(revised.receipt);
    expect(page.project.bidCount).toBe(2);
  });

  it("takes a double submit sent at once as one submission, and counts concurrent first bids right", async () => {
    const { w, key } = await openWorld();
    const admin = await actor(w.people.orgAdmin.id);
    const s = await sealBid(w.project.id, w.org.id, key, encodeContents(sampleContents()));
    const k = clientKey();
    const [x, y, z] = await Promise.all([
      submitBid(admin, { projectId: w.project.id, organizationId: w.org.id, sealed: s.sealed, fileDigests: [], clientKey: k }),
      submitBid(admin, { projectId: w.project.id, organizationId: w.org.id, sealed: s.sealed, fileDigests: [], clientKey: k }),
      sealAndSubmit(w.otherAdmin.id, w.project.id, w.org2.id, key, sampleContents()),
    ]);
    expect(x.receipt).toBe(y.receipt);
    expect([x.repeated, y.repeated].sort()).toEqual([false, true]);
    expect(z.kind).toBe("submit");
    const receipts = await db().select().from(bidReceipts).where(eq(bidReceipts.bidId, x.bidId));
    expect(receipts).toHaveLength(1);
    const [p] = await db().select().from(projects).where(eq(projects.id, w.project.id));
    expect(p!.bidCount).toBe(2);
  });

  it("writes many submissions sent at once together, each checked and answered as if alone", async () => {
    const { w, key } = await openWorld();
    const admin = await actor(w.people.orgAdmin.id);
    const rival = await actor(w.otherAdmin.id);
    const seal = (org: number, price: number) => sealBid(w.project.id, org, key, encodeContents(sampleContents(price)));
    const mine = await Promise.all([1, 2, 3].map((n) => seal(w.org.id, 100_000 + n)));
    const theirs = await Promise.all([1, 2].map((n) => seal(w.org2.id, 110_000 + n)));
    const k = clientKey();
    const late = new Date(w.project.bidDeadline.getTime());
    const before = { ...submissionStats };
    const answers = await Promise.allSettled([
      submitBid(admin, { projectId: w.project.id, organizationId: w.org.id, sealed: mine[0]!.sealed, fileDigests: [], clientKey: k }),
      submitBid(rival, { projectId: w.project.id, organizationId: w.org2.id, sealed: theirs[0]!.sealed, fileDigests: [], clientKey: clientKey() }),
      submitBid(admin, { projectId: w.project.id, organizationId: w.org.id, sealed: mine[0]!.sealed, fileDigests: [], clientKey: k }),
      submitBid(admin, { projectId: w.project.id, organizationId: w.org.id, sealed: mine[1]!.sealed, fileDigests: [], clientKey: clientKey() }),
      submitBid(rival, { projectId: w.project.id, organizationId: w.org2.id, sealed: theirs[1]!.sealed, fileDigests: [], clientKey: clientKey() }, late),
      submitBid(rival, { projectId: w.project.id, organizationId: w.org.id, sealed: mine[2]!.sealed, fileDigests: [], clientKey: clientKey() }),
    ]);
    expect(answers.map((a) => a.status)).toEqual(["fulfilled", "fulfilled", "fulfilled", "fulfilled", "rejected", "rejected"]);
    // They went together: one batch for the six.
    expect(submissionStats.items - before.items).toBe(6);
    expect(submissionStats.batches - before.batches).toBe(1);
    expect((answers[4] as PromiseRejectedResult).reason).toMatchObject({ messageKey: "bids.error.closed" });
    expect((answers[5] as PromiseRejectedResult).reason).toBeInstanceOf(ForbiddenError);
    const ok = answers.slice(0, 4).map((a) => (a as PromiseFulfilledResult<Awaited<ReturnType<typeof submitBid>>>).value);
    expect(ok[0]!.receipt).toBe(ok[2]!.receipt);
    expect(ok.filter((a) => a.repeated)).toHaveLength(1);
    const rows = await db().select().from(bids).where(eq(bids.projectId, w.project.id));
    expect(rows).toHaveLength(2);
    const ours = rows.find((r) => r.organizationId === w.org.id)!;
    expect(ours.revision).toBe(2);
    const receipts = await db().select().from(bidReceipts).where(eq(bidReceipts.bidId, ours.id));
    expect(receipts.map((r) => r.revision).sort()).toEqual([1, 2]);
    expect(ours.receipt).toBe(receipts.find((r) => r.revision === 2)!.receipt);
    expect(ours.sealed).toEqual([mine[0]!, mine[1]!].find((m) => m.receipt === ours.receipt)!.sealed);
    const [p] = await db().select().from(projects).where(eq(projects.id, w.project.id));
    expect(p!.bidCount).toBe(2);
  });

  it("refuses late bids by the server's clock, ineligible organisations, and sealed data that is not well formed", async () => {
    const { w, key } = await openWorld();
    const admin = w.people.orgAdmin.id;
    const deadline = w.project.bidDeadline;
    const justBefore = await sealAndSubmit(admin, w.project.id, w.org.id, key, sampleContents(), { now: new Date(deadline.getTime() - 1) });
    expect(justBefore.kind).toBe("submit");
    for (const now of [deadline, new Date(deadline.getTime() + 1000)]) {
      const late = sealAndSubmit(admin, w.project.id, w.org.id, key, sampleContents(120_000), { now });
      await expect(late).rejects.toMatchObject({ messageKey: "bids.error.closed" });
      await expect(withdrawBid(await actor(admin), { projectId: w.project.id, organizationId: w.org.id, clientKey: clientKey() }, now)).rejects.toMatchObject({
        messageKey: "bids.error.closed",
      });
    }
    const [row] = await db().select().from(bids).where(eq(bids.projectId, w.project.id));
    expect(row!.receipt).toBe(justBefore.receipt);
    // Verified three months ago, the call asks for six.
    await db().update(organizations).set({ decidedAt: new Date(Date.now() - 90 * 86_400_000) }).where(eq(organizations.id, w.org2.id));
    await expect(sealAndSubmit(w.otherAdmin.id, w.project.id, w.org2.id, key, sampleContents())).rejects.toMatchObject({ messageKey: "bids.ineligible.tooNew" });
    const s = await sealBid(w.project.id, w.org.id, key, encodeContents(sampleContents()));
    for (const sealed of [{ ...s.sealed, R: "00".repeat(32) }, { ...s.sealed, iv: "zz" }, { ...s.sealed, data: "!!" }, { ...s.sealed, data: toBase64(new Uint8Array(200_000)) }])
      await expect(submitBid(await actor(admin), { projectId: w.project.id, organizationId: w.org.id, sealed, fileDigests: [], clientKey: clientKey() })).rejects.toMatchObject({
        messageKey: "bids.error.sealed",
      });
    // Attachments must come with the digests the receipt covers.
    await expect(
      submitBid(await actor(admin), { projectId: w.project.id, organizationId: w.org.id, sealed: s.sealed, fileDigests: [sha256Hex(new Uint8Array(1))], clientKey: clientKey() }),
    ).rejects.toMatchObject({ messageKey: "bids.error.filesMissing" });
  });
});

describe("sealed means sealed, then the opening", () => {
  it("nobody reads a bid before the opening, the database holds no plaintext, and the opening decrypts, checks and records", async () => {
    const { w, key } = await openWorld();
    const admin = w.people.orgAdmin.id;
    const file = pdf(`附件 ${MARKER}`);
    const withFile = { ...sampleContents(180_000), attachments: [{ name: "方案.pdf", mime: "application/pdf" as const, bytes: file.length, sha256: sha256Hex(file) }] };
    const a = await sealAndSubmit(admin, w.project.id, w.org.id, key, withFile, { files: [file] });
    const b = await sealAndSubmit(w.otherAdmin.id, w.project.id, w.org2.id, key, sampleContents(250_000));

    // Before the opening: staff, the district's administrator and the bidder's rival read nothing; the bidder reads its receipt, no contents.
    for (const id of [w.people.communityWorker.id, w.people.districtAdmin.id, w.people.subdistrictOfficer.id, w.otherAdmin.id])
      await expect(readBid(db(), await actor(id), a.bidId)).rejects.toThrow(ForbiddenError);
    const own = await readBid(db(), await actor(admin), a.bidId);
    expect(own).toMatchObject({ receipt: a.receipt, contents: null, price: null });
    const dump = await dumpBidTables();
    expect(dump).toContain(a.receipt); // the dump does hold the bids' rows…
    expect(dump).not.toContain(MARKER); // …but nothing of what they say
    expect(dump).not.toContain("180000");
    const files = await sealedFilesText();
    expect(files.length).toBeGreaterThan(file.length);
    expect(files).not.toContain(MARKER);
    expect(files).not.toContain("%PDF");

    // The deadline passes (B's scheduler): one member alone opens nothing.
    await closeCall(w.project.id);
    expect(await openAs(w.project.id, w.openers[0]!)).toEqual({ opened: false });
    const [still] = await db().select().from(bids).where(eq(bids.id, a.bidId));
    expect(still!.contents).toBeNull();
    await expect(readBid(db(), await actor(w.people.communityWorker.id), a.bidId)).rejects.toThrow(ForbiddenError);

    // A partial that does not match the member's key is refused.
    const secret = await unlockShare(projectContext(w.project.id), passphraseOf(w.openers[2]!), (await getOpenerWork(db(), w.project.id, w.openers[2]!))!.me.shareVault!);
    const wrong = { [String(a.bidId)]: partialOpen(w.project.id, b.bidId, secret, a.sealed.sealed.R), [String(b.bidId)]: partialOpen(w.project.id, b.bidId, secret, b.sealed.sealed.R) };
    await expect(submitOpening(await actor(w.openers[2]!), { projectId: w.project.id, partials: wrong })).rejects.toMatchObject({ messageKey: "bids.error.badPartial" });

    expect(await openAs(w.project.id, w.openers[1]!)).toEqual({ opened: true });
    const [p] = await db().select().from(projects).where(eq(projects.id, w.project.id));
    expect(p!.openedAt).not.toBeNull();
    const opened = await db().select().from(bids).where(eq(bids.projectId, w.project.id));
    const byId = new Map(opened.map((x) => [x.id, x]));
    expect(byId.get(a.bidId)).toMatchObject({ status: "valid", price: 180_000, disqualifiedReason: null });
    expect(byId.get(a.bidId)!.contents).toEqual(withFile);
    // Over the budget cap (200 000): disqualified with its reason.
    expect(byId.get(b.bidId)).toMatchObject({ status: "disqualified", price: 250_000, disqualifiedReason: "overBudget" });
    const [f] = await db().select().from(bidFiles).where(eq(bidFiles.bidId, a.bidId));
    expect(f!.mime).toBe("application/pdf");
    expect(new Uint8Array(await readFile(path.join(uploadsDir(), f!.openedFile!)))).toEqual(file);
    // Staff read it now; the public record lists bidders and prices.
    const staffRead = await readBid(db(), await actor(w.people.communityWorker.id), a.bidId);
    expect(staffRead.contents!.plan).toContain(MARKER);
    expect(staffRead.files).toEqual([{ ordinal: 0, file: f!.openedFile, mime: "application/pdf" }]);
    expect(own.files).toEqual([]);
    const record = (await getOpeningRecord(db(), w.project.id))!;
    expect(record.bids.map((x) => [x.name, x.price, x.status])).toEqual([
      ["阳光社工", 180_000, "valid"],
      ["邻里互助社", 250_000, "disqualified"],
    ]);
    const told = await db().select().from(notifications).where(and(eq(notifications.userId, admin), eq(notifications.kind, "notification.bidsOpened")));
    expect(told).toHaveLength(1);
    // The third member is too late: it is open.
    await expect(openAs(w.project.id, w.openers[2]!)).rejects.toMatchObject({ messageKey: "bids.error.alreadyOpened" });
  });

  it("disqualifies a bid whose attachment was altered or is not what it says", async () => {
    const { w, key } = await openWorld();
    const file = pdf("方案");
    const notPdf = new TextEncoder().encode("just text, not a PDF at all");
    const declared = (bytes: Uint8Array) => ({ ...sampleContents(100_000), attachments: [{ name: "a.pdf", mime: "application/pdf" as const, bytes: bytes.length, sha256: sha256Hex(bytes) }] });
    const a = await sealAndSubmit(w.people.orgAdmin.id, w.project.id, w.org.id, key, declared(file), { files: [file] });
    const b = await sealAndSubmit(w.otherAdmin.id, w.project.id, w.org2.id, key, declared(notPdf), { files: [notPdf] });
    // Someone with the disk alters the sealed file.
    const [stored] = await db().select().from(bidFiles).where(eq(bidFiles.bidId, a.bidId));
    const where = path.join(uploadsDir(), stored!.sealedFile);
    const bytes = await readFile(where);
    bytes[30] = bytes[30]! ^ 0xff;
    await writeFile(where, bytes);
    await closeCall(w.project.id);
    await openAs(w.project.id, w.openers[0]!);
    await openAs(w.project.id, w.openers[2]!);
    const rows = await db().select().from(bids).where(eq(bids.projectId, w.project.id));
    expect(rows.find((r) => r.id === a.bidId)).toMatchObject({ status: "disqualified", disqualifiedReason: "attachment" });
    expect(rows.find((r) => r.id === b.bidId)).toMatchObject({ status: "disqualified", disqualifiedReason: "attachment" });
    const receipts = await db().select().from(bidReceipts).where(eq(bidReceipts.bidId, a.bidId));
    expect(receipts).toHaveLength(1);
  });
});
