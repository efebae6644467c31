import { randomUUID } from "node:crypto";
import { mkdir, readdir, stat, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { unstable_composeUploadHandlers, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData, type UploadHandler } from "@remix-run/node";
import { inArray, sql } from "drizzle-orm";
import { db, type Tx } from "#db/client.server";
import { bidFiles, projectDocuments, projectMilestones, proposalPhotos, whistlePhotos } from "#db/schema";
import { config } from "~/config.server";
import { stripPhotos } from "./images.server";
import { CommandError } from "./command.server";
import { hitRateLimit, type Limit } from "./rate-limit.server";
import { badRequest, checkForm } from "./input.server";

import { MAX_PHOTO_BYTES, MAX_PHOTOS } from "./uploads";
import { serverNow } from "~/lib/clock.server";

/**
 * Photos: JPEG, PNG or WebP, recognised by their first bytes (not the name the
 * browser sent), 5 MB each, 4 at most. Where evidence is asked for (到场, 办结)
 * a PDF document counts too, recognised by its "%PDF-" header.
 */

const signatures: { mime: string; ext: string; test: (b: Uint8Array) => boolean }[] = [
  { mime: "image/jpeg", ext: "jpg", test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { mime: "image/png", ext: "png", test: (b) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 },
  { mime: "image/webp", ext: "webp", test: (b) => b[8] === 0x57 && b[9] === 0x45 && b[10] === 0x42 && b[11] === 0x50 },
];

const pdf = { mime: "application/pdf", ext: "pdf", test: (b: Uint8Array) => b[0] === 0x25 && b[1] === 0x50 && b[2] === 0x44 && b[3] === 0x46 && b[4] === 0x2d };

export function sniffImage(bytes: Uint8Array) {
  return signatures.find((s) => bytes.length >= 12 && s.test(bytes));
}

/** What an upload is by its first bytes: a photo, or (where documents are allowed) a PDF. */
export function sniff(bytes: Uint8Array, documents: boolean) {
  return sniffImage(bytes) ?? (documents && bytes.length >= 5 && pdf.test(bytes) ? pdf : undefined);
}

export function uploadsDir(): string {
  return path.resolve(config().dataDir, "uploads");
}

/** A photo checked by type and size, still in memory: a command writes it only once it has decided to keep it. */
export interface CheckedPhoto {
  bytes: Uint8Array;
  mime: string;
  ext: string;
}

/** A photo written under DATA_DIR/uploads, as its row records it. */
export interface StoredPhoto {
  fileName: string;
  mime: string;
  size: number;
}

export type PhotoCheck = { ok: true; photos: CheckedPhoto[] } | { ok: false; error: string };

/** Check the files a form sent; empty file inputs are ignored. */
export async function checkPhotos(files: File[], options: { documents?: boolean } = {}): Promise<PhotoCheck> {
  const real = files.filter((f) => f.size > 0);
  if (real.length > MAX_PHOTOS) return { ok: false, error: `proposal.error.tooManyPhotos|{"max":${MAX_PHOTOS}}` };
  const photos = [];
  for (const file of real) {
    if (file.size > MAX_PHOTO_BYTES) return { ok: false, error: "proposal.error.photoTooBig" };
    const bytes = new Uint8Array(await file.arrayBuffer());
    const kind = sniff(bytes, options.documents ?? false);
    if (!kind) return { ok: false, error: options.documents ? "upload.error.evidenceType" : "proposal.error.photoType" };
    photos.push({ bytes, mime: kind.mime, ext: kind.ext });
  }
  return { ok: true, photos };
}

/** Write checked photos to disk under random names; the database row is written by the command. */
async function storePhotos(photos: CheckedPhoto[]): Promise<StoredPhoto[]> {
  const dir = uploadsDir();
  await mkdir(dir, { recursive: true });
  const stored: StoredPhoto[] = [];
  for (const p of photos) {
    const fileName = `${randomUUID()}.${p.ext}`;
    await writeFile(path.join(dir, fileName), p.bytes);
    stored.push({ fileName, mime: p.mime, size: p.bytes.length });
  }
  return stored;
}

/**
 * Read a multipart form whose file parts are photos without ever holding more
 * than MAX_PHOTO_BYTES of one: a bigger file becomes the text "too-big" under
 * its field name (so the form can say so beside the field and keep its other
 * values), and an empty file input is dropped.
 */
export async function parsePhotoForm(request: Request): Promise<FormData> {
  const photoHandler: UploadHandler = async ({ filename, contentType, data }) => {
    if (filename === undefined) return undefined;
    const chunks: Uint8Array<ArrayBuffer>[] = [];
    let size = 0;
    for await (const chunk of data) {
      size += chunk.length;
      if (size <= MAX_PHOTO_BYTES) chunks.push(new Uint8Array(chunk));
    }
    if (size > MAX_PHOTO_BYTES) return TOO_BIG;
    if (size === 0) return undefined;
    return new File(chunks, filename, { type: contentType });
  };
  try {
    return checkForm(await unstable_parseMultipartFormData(request, unstable_composeUploadHandlers(photoHandler, unstable_createMemoryUploadHandler({ maxPartSize: 64 * 1024 }))));
  } catch (error) {
    if (error instanceof Response) throw error;
    throw badRequest(); // a broken multipart body, or a text part over 64 KB
  }
}

export const TOO_BIG = "too-big";

/** The photos of a form read by `parsePhotoForm`, checked (type by magic bytes, size, count). */
export async function photosOf(formData: FormData, name = "photos", options: { documents?: boolean } = {}): Promise<PhotoCheck> {
  const values = formData.getAll(name);
  if (values.some((v) => v === TOO_BIG)) return { ok: false, error: "proposal.error.photoTooBig" };
  return checkPhotos(values.filter((v): v is File => typeof v === "object"), options);
}

/** Upload volume per account: 100 MB a day, counted in kilobytes (ADR 0017). */
export const UPLOAD_LIMIT: Limit = { max: 100 * 1024, windowSeconds: 24 * 3600 };

/** Writes a command's photos once it has authorised and validated everything; inside its transaction. */
export type PhotoKeeper = (tx: Tx, userId: number, photos: CheckedPhoto[]) => Promise<StoredPhoto[]>;

/**
 * Uploads are stored only after the action is allowed (issue 12 §6, ADR
 * 0017). A command that takes photos runs inside this: it calls `keep` after
 * its checks, which counts the volume against the account's daily limit (a
 * refusal is a CommandError beside the photos) and writes the files. If the
 * command then fails or its transaction does not commit, the files written are
 * removed again; a crash between the write and the commit leaves files no row
 * refers to, which `sweepOrphanUploads` removes.
 */
export async function withPhotos<T>(command: (keep: PhotoKeeper) => Promise<T>): Promise<T> {
  const written: string[] = [];
  const keep: PhotoKeeper = async (tx, userId, photos) => {
    if (photos.length === 0) return [];
    const kilobytes = photos.reduce((sum, p) => sum + Math.ceil(p.bytes.length / 1024), 0);
    const quota = await hitRateLimit(tx, `uploads:${userId}`, UPLOAD_LIMIT, serverNow(), kilobytes);
    if (!quota.allowed) throw new CommandError("upload.error.quota", "photos", { max: UPLOAD_LIMIT.max / 1024 });
    // Decoded and re-encoded only now, once the command has allowed them: location data dropped (ADR 0023).
    const clean = await stripPhotos(photos);
    if (!clean.ok) throw new CommandError(clean.error, "photos");
    const stored = await storePhotos(clean.photos);
    written.push(...stored.map((s) => s.fileName));
    return stored;
  };
  try {
    return await command(keep);
  } catch (error) {
    await removeUploads(written);
    throw error;
  }
}

async function removeUploads(fileNames: string[]) {
  const dir = uploadsDir();
  await Promise.all(fileNames.map((f) => unlink(path.join(dir, f)).catch(() => {})));
}

/**
 * The sweep (ADR 0010's scheduler): files in the uploads folder that no row
 * refers to and that are older than `graceMs` (a command may be between
 * writing its files and committing) are removed. Returns how many.
 */
export async function sweepOrphanUploads(now = serverNow(), graceMs = 60 * 60_000): Promise<number> {
  const dir = uploadsDir();
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return 0; // nothing uploaded yet
  }
  const candidates: string[] = [];
  for (const name of names) {
    const info = await stat(path.join(dir, name)).catch(() => null);
    if (info?.isFile() && info.mtimeMs <= now.getTime() - graceMs) candidates.push(name);
  }
  if (candidates.length === 0) return 0;
  const [inProposals, inWhistles, inProjects, inMilestones, sealedBids, openedBids] = await Promise.all([
    db().select({ f: proposalPhotos.fileName }).from(proposalPhotos).where(inArray(proposalPhotos.fileName, candidates)),
    db().select({ f: whistlePhotos.fileName }).from(whistlePhotos).where(inArray(whistlePhotos.fileName, candidates)),
    db().select({ f: projectDocuments.file }).from(projectDocuments).where(inArray(projectDocuments.file, candidates)),
    // A contract milestone's evidence (service projects): file names inside its jsonb list.
    db()
      .select({ evidence: projectMilestones.evidence })
      .from(projectMilestones)
      .where(sql`exists (select 1 from jsonb_array_elements(coalesce(${projectMilestones.evidence}, '[]'::jsonb)) e where e->>'file' in ${candidates})`),
    // A bid's attachments: sealed until the opening, then also opened.
    db().select({ f: bidFiles.sealedFile }).from(bidFiles).where(inArray(bidFiles.sealedFile, candidates)),
    db().select({ f: bidFiles.openedFile }).from(bidFiles).where(inArray(bidFiles.openedFile, candidates)),
  ]);
  const milestoneFiles = inMilestones.flatMap((r) => (r.evidence ?? []).map((e) => ({ f: e.file })));
  const referenced = new Set([...inProposals, ...inWhistles, ...inProjects, ...milestoneFiles, ...sealedBids, ...openedBids].map((r) => r.f));
  const orphans = candidates.filter((n) => !referenced.has(n));
  await removeUploads(orphans);
  return orphans.length;
}
