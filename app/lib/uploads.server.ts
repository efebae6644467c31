import { randomUUID } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { unstable_composeUploadHandlers, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData, type UploadHandler } from "@remix-run/node";
import { config } from "~/config.server";
import { badRequest, checkForm } from "./input.server";

import { MAX_PHOTO_BYTES, MAX_PHOTOS } from "./uploads";

/** Photos: JPEG, PNG or WebP, recognised by their first bytes (not the name the browser sent), 5 MB each, 4 at most. */

const signatures: { mime: string; ext: string; test: (b: Uint8Array) => boolean }[] = [
  { mime: "image/jpeg", ext: "jpg", test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { mime: "image/png", ext: "png", test: (b) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 },
  { mime: "image/webp", ext: "webp", test: (b) => b[8] === 0x57 && b[9] === 0x45 && b[10] === 0x42 && b[11] === 0x50 },
];

export function sniffImage(bytes: Uint8Array) {
  return signatures.find((s) => bytes.length >= 12 && s.test(bytes));
}

export function uploadsDir(): string {
  return path.resolve(config().dataDir, "uploads");
}

export type PhotoCheck = { ok: true; photos: { bytes: Uint8Array; mime: string; ext: string }[] } | { ok: false; error: string };

/** Check the files a form sent; empty file inputs are ignored. */
export async function checkPhotos(files: File[]): Promise<PhotoCheck> {
  const real = files.filter((f) => f.size > 0);
  if (real.length > MAX_PHOTOS) return { ok: false, error: `proposal.error.tooManyPhotos|{"max":${MAX_PHOTOS}}` };
  const photos = [];
  for (const file of real) {
    if (file.size > MAX_PHOTO_BYTES) return { ok: false, error: "proposal.error.photoTooBig" };
    const bytes = new Uint8Array(await file.arrayBuffer());
    const kind = sniffImage(bytes);
    if (!kind) return { ok: false, error: "proposal.error.photoType" };
    photos.push({ bytes, mime: kind.mime, ext: kind.ext });
  }
  return { ok: true, photos };
}

/** Write checked photos to disk under random names; the database row is written by the command. */
export async function storePhotos(photos: { bytes: Uint8Array; mime: string; ext: string }[]) {
  const dir = uploadsDir();
  await mkdir(dir, { recursive: true });
  const stored = [];
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
export async function photosOf(formData: FormData, name = "photos"): Promise<PhotoCheck> {
  const values = formData.getAll(name);
  if (values.some((v) => v === TOO_BIG)) return { ok: false, error: "proposal.error.photoTooBig" };
  return checkPhotos(values.filter((v): v is File => typeof v === "object"));
}
