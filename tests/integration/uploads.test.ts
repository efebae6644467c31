import os from "node:os";
import { replyOf } from "../support/replies";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { assignments, proposalPhotos, rateLimits, whistlePhotos } from "#db/schema";
import { UPLOAD_LIMIT, sweepOrphanUploads, uploadsDir } from "~/lib/uploads.server";
import { createProposal } from "~/modules/proposals/commands.server";
import { workAssignment } from "~/modules/whistles/commands.server";
import * as whistlePage from "~/routes/whistles.$id";
import { actorOf, buildWhistleWorld, contextFor, directWhistle } from "../support/whistle-world";
import { pngBytes } from "../support/images";

/** Uploads are stored only after the action is allowed (issue 12 §6). */
const png = (size = 96) => pngBytes(size);
const checked = (size = 64) => ({ bytes: png(size), mime: "image/png", ext: "png" });
const files = () => new Set(existsSync(uploadsDir()) ? readdirSync(uploadsDir()) : []);
const added = (before: Set<string>) => [...files()].filter((f) => !before.has(f));

function multipart(whistleId: number, fields: Record<string, string>, photos: Uint8Array<ArrayBuffer>[]) {
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) body.append(k, v);
  for (const p of photos) body.append("photos", new File([p], "site.png", { type: "image/png" }));
  return new Request(`http://localhost/whistles/${whistleId}`, { method: "POST", body });
}

beforeAll(() => {
  // Photos go to a temporary folder (when this file is the first of its worker to read the configuration).
  delete process.env.BASE_URL;
  process.env.DATA_DIR ??= mkdtempSync(path.join(os.tmpdir(), "gongzhi-uploads-"));
});

describe("uploads (issue 12 §6)", () => {
  it("a refused on-site report with four photos answers 403 and leaves no file", async () => {
    const w = await buildWhistleWorld();
    const whistle = await directWhistle(w);
    const [a] = await db().select().from(assignments).where(eq(assignments.whistleId, whistle.id));
    const before = files();
    // A resident who is no officer of the team: the report is refused.
    const status = await whistlePage
      .action({
        request: multipart(whistle.id, { intent: "on_site", assignmentId: String(a!.id), people: "2" }, [png(), png(), png(), png()]),
        params: { id: String(whistle.id) },
        context: contextFor(w.members[0]!),
      })
      .then(
        () => 200,
        (e: unknown) => (e instanceof Response ? e.status : 500),
      );
    expect(status).toBe(403);
    expect(added(before)).toEqual([]);

    // The officer's own report is stored: two files and their rows.
    await workAssignment(await actorOf(w.teamOfficer.id), { assignmentId: a!.id, action: "sign" });
    const reply = await whistlePage.action({
      request: multipart(whistle.id, { intent: "on_site", assignmentId: String(a!.id), people: "2" }, [png(), png()]),
      params: { id: String(whistle.id) },
      context: contextFor(w.teamOfficer),
    });
    expect(replyOf(reply)).toMatchObject({ ok: true });
    const rows = await db().select().from(whistlePhotos).where(eq(whistlePhotos.whistleId, whistle.id));
    expect(added(before).sort()).toEqual(rows.map((r) => r.fileName).sort());
    expect(rows).toHaveLength(2);
  });

  it("a replayed proposal submission and a rate-limited one leave no file", async () => {
    const w = await buildWhistleWorld();
    const author = await actorOf(w.author.id);
    const input = {
      hallId: w.hall.id,
      title: "楼道堆物清理",
      body: "楼道里堆满杂物，消防隐患很大。",
      categoryCode: "parking",
      publish: true,
      clientKey: "upload-key-0001",
      photos: [checked()],
    };
    const before = files();
    const first = await createProposal(author, input);
    expect(added(before)).toHaveLength(1);
    const replay = await createProposal(author, input);
    expect(replay.id).toBe(first.id);
    expect(added(before)).toHaveLength(1);
    expect(await db().select().from(proposalPhotos).where(eq(proposalPhotos.proposalId, first.id))).toHaveLength(1);

    // Over the hourly proposal limit: refused, no file.
    await db()
      .insert(rateLimits)
      .values({ key: `proposals:${w.author.id}`, windowStart: new Date(), count: 1000 })
      .onConflictDoUpdate({ target: rateLimits.key, set: { count: 1000, windowStart: new Date() } });
    const mid = files();
    await expect(createProposal(author, { ...input, clientKey: "upload-key-0002" })).rejects.toMatchObject({
      messageKey: "proposal.error.rateLimited",
    });
    expect(added(mid)).toEqual([]);
  });

  it("limits the upload volume per account and a day", async () => {
    const w = await buildWhistleWorld();
    const author = await actorOf(w.author.id);
    const base = {
      hallId: w.hall.id,
      title: "楼道堆物清理",
      body: "楼道里堆满杂物，消防隐患很大。",
      categoryCode: "parking",
      publish: true,
    };
    // Almost the whole day's volume used already.
    await db()
      .insert(rateLimits)
      .values({ key: `uploads:${w.author.id}`, windowStart: new Date(), count: UPLOAD_LIMIT.max - 10 });
    const before = files();
    await expect(createProposal(author, { ...base, clientKey: "quota-key-0001", photos: [checked(20 * 1024)] })).rejects.toMatchObject({
      messageKey: "upload.error.quota",
      field: "photos",
    });
    expect(added(before)).toEqual([]);
    // Small enough to fit: accepted.
    await createProposal(author, { ...base, clientKey: "quota-key-0002", photos: [checked(4 * 1024)] });
    expect(added(before)).toHaveLength(1);
    // Another account is not affected.
    await createProposal(await actorOf(w.members[0]!.id), { ...base, clientKey: "quota-key-0003", photos: [checked(20 * 1024)] });
    expect(added(before)).toHaveLength(2);
  });

  it("the sweep removes old files no row refers to, and nothing else", async () => {
    const w = await buildWhistleWorld();
    const kept = await createProposal(await actorOf(w.author.id), {
      hallId: w.hall.id,
      title: "楼道堆物清理",
      body: "楼道里堆满杂物，消防隐患很大。",
      categoryCode: "parking",
      publish: true,
      clientKey: "sweep-key-0001",
      photos: [checked()],
    });
    const [row] = await db().select().from(proposalPhotos).where(eq(proposalPhotos.proposalId, kept.id));
    mkdirSync(uploadsDir(), { recursive: true });
    const old = new Date(Date.now() - 3 * 3600_000);
    const orphan = path.join(uploadsDir(), "00000000-0000-4000-8000-000000000001.png");
    const fresh = path.join(uploadsDir(), "00000000-0000-4000-8000-000000000002.png");
    writeFileSync(orphan, png());
    writeFileSync(fresh, png());
    utimesSync(orphan, old, old);
    utimesSync(path.join(uploadsDir(), row!.fileName), old, old);
    const removed = await sweepOrphanUploads(new Date());
    expect(removed).toBeGreaterThanOrEqual(1);
    expect(existsSync(orphan)).toBe(false);
    expect(existsSync(fresh)).toBe(true); // within the grace period: a command may be about to commit it
    expect(existsSync(path.join(uploadsDir(), row!.fileName))).toBe(true);
  });
});

describe("the new-proposal form over the daily upload volume", () => {
  it("says so beside the photos, keeps what was typed, and stores nothing", async () => {
    const newProposal = await import("~/routes/proposals.new");
    const w = await buildWhistleWorld();
    await db()
      .insert(rateLimits)
      .values({ key: `uploads:${w.author.id}`, windowStart: new Date(), count: UPLOAD_LIMIT.max });
    const body = new FormData();
    for (const [k, v] of Object.entries({
      title: "楼道堆物清理",
      body: "楼道里堆满杂物，消防隐患很大。",
      categoryCode: "parking",
      publish: "publish",
      clientKey: "form-quota-0001",
    }))
      body.append(k, v);
    body.append("photos", new File([png()], "a.png", { type: "image/png" }));
    const before = files();
    const reply = await newProposal.action({
      request: new Request(`http://localhost/proposals/new?hall=${w.hall.id}`, { method: "POST", body }),
      params: {},
      context: contextFor(w.author),
    });
    expect(reply).toMatchObject({ photoError: 'upload.error.quota|{"max":100}' });
    expect(JSON.stringify(reply)).toContain("楼道堆物清理");
    expect(added(before)).toEqual([]);
  });
});
