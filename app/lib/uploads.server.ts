import { randomUUID } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { config } from "~/config.server";

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
