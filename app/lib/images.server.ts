import { rm } from "node:fs/promises";
import path from "node:path";
import sharp from "sharp";
import { MAX_BODY_BYTES, MAX_PHOTO_SIDE } from "./images";
import { parsePhotoForm, TOO_BIG, uploadsDir } from "./uploads.server";

/**
 * Photos from phones (issue 14 §2, ADR 0023): the body-size gate in front of
 * a photo form, and the re-encoding that drops location data before a photo
 * is stored. The browser already downscales and compresses (components/photo-picker.tsx);
 * this is what holds when it did not (no scripts, an old browser, a script of one's own).
 */

/** Beyond this the body is not read at all: the answer is a 413 page. Below it an oversized body is read and thrown away so the form's text comes back. */
export const HARD_BODY_BYTES = 80 * 1024 * 1024;

export class PayloadTooLarge extends Response {
  constructor() {
    super("Payload Too Large", { status: 413 });
  }
}

/**
 * Read a photo form. `tooLarge` when the whole body or one photo is over the
 * limit: the text fields are still there, so the page can answer 413 with
 * what was typed. A body beyond HARD_BODY_BYTES is refused unread (a thrown 413).
 */
export async function readPhotoForm(request: Request): Promise<{ formData: FormData; tooLarge: boolean }> {
  const length = Number(request.headers.get("content-length") ?? 0);
  if (length > HARD_BODY_BYTES) throw new PayloadTooLarge();
  const formData = await parsePhotoForm(request);
  const tooLarge = length > MAX_BODY_BYTES || [...formData.values()].some((v) => v === TOO_BIG);
  return { formData, tooLarge };
}

type Photo = { bytes: Uint8Array; mime: string; ext: string };

/**
 * Re-encode each photo in its own format: the EXIF block (GPS position, phone,
 * time) and any other metadata are dropped, the orientation is applied to the
 * pixels first, and the long side is held to MAX_PHOTO_SIDE. A file that does
 * not decode is refused like one of the wrong type.
 */
export async function stripPhotos(photos: Photo[]): Promise<{ ok: true; photos: Photo[] } | { ok: false; error: string }> {
  const out: Photo[] = [];
  for (const p of photos) {
    // A PDF (evidence documents) is kept as sent: it has no pixels to re-encode.
    if (p.mime === "application/pdf") {
      out.push(p);
      continue;
    }
    try {
      const image = sharp(p.bytes, { failOn: "error", limitInputPixels: 100_000_000 })
        .rotate()
        .resize({ width: MAX_PHOTO_SIDE, height: MAX_PHOTO_SIDE, fit: "inside", withoutEnlargement: true });
      const encoded = p.mime === "image/png" ? image.png({ compressionLevel: 9 }) : p.mime === "image/webp" ? image.webp({ quality: 85 }) : image.jpeg({ quality: 85 });
      out.push({ ...p, bytes: new Uint8Array(await encoded.toBuffer()) });
    } catch {
      return { ok: false, error: "proposal.error.photoType" };
    }
  }
  return { ok: true, photos: out };
}

/** Remove stored photo files whose rows are gone (a deleted draft); a file already missing is fine. */
export async function removeStoredPhotos(fileNames: string[]) {
  const dir = uploadsDir();
  await Promise.all(fileNames.map((f) => rm(path.join(dir, path.basename(f)), { force: true })));
}
