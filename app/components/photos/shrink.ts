import { MAX_PHOTO_SIDE } from "~/lib/images";
import { MAX_PHOTO_BYTES } from "~/lib/uploads";

/**
 * Shrink a photo in the browser before it is sent (ADR 0023): decode it (a
 * phone's HEIC too, where the browser can), draw it with its long side at most
 * MAX_PHOTO_SIDE on a white canvas, and encode a JPEG, lowering the quality
 * until it fits MAX_PHOTO_BYTES. The new file carries no EXIF (no location).
 * A photo already within both limits, in a type the server takes, is kept as it is.
 * Null when the browser cannot decode the file.
 */
export async function shrinkPhoto(file: File, maxSide = MAX_PHOTO_SIDE, maxBytes = MAX_PHOTO_BYTES): Promise<File | null> {
  const source = await decode(file);
  if (!source) return null;
  try {
    const scale = Math.min(1, maxSide / Math.max(source.width, source.height));
    // Already small, in a type the server takes: sent as it is (the server drops its EXIF when storing it).
    if (scale === 1 && file.size <= maxBytes && SENDABLE.includes(file.type)) return file;
    const width = Math.max(1, Math.round(source.width * scale));
    const height = Math.max(1, Math.round(source.height * scale));
    const canvas = document.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    const ctx = canvas.getContext("2d");
    if (!ctx) return null;
    ctx.fillStyle = "#fff"; // a transparent PNG becomes a photo on white, not on black
    ctx.fillRect(0, 0, width, height);
    ctx.drawImage(source.image, 0, 0, width, height);
    let blob: Blob | null = null;
    for (const quality of [0.85, 0.75, 0.6, 0.45]) {
      blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, "image/jpeg", quality));
      if (blob && blob.size <= maxBytes) break;
    }
    if (!blob) return null;
    const name = `${file.name.replace(/\.[^.]*$/, "") || "photo"}.jpg`;
    return new File([blob], name, { type: "image/jpeg", lastModified: Date.now() });
  } finally {
    source.close();
  }
}

const SENDABLE = ["image/jpeg", "image/png", "image/webp"];

type Decoded = { image: CanvasImageSource; width: number; height: number; close: () => void };

async function decode(file: File): Promise<Decoded | null> {
  try {
    // Applies the EXIF orientation, so a phone's portrait photo stays upright.
    const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
    return { image: bitmap, width: bitmap.width, height: bitmap.height, close: () => bitmap.close() };
  } catch {
    // Some browsers decode more formats (HEIC in Safari) through an <img> than through createImageBitmap.
    const url = URL.createObjectURL(file);
    try {
      const img = new Image();
      img.src = url;
      await img.decode();
      return { image: img, width: img.naturalWidth, height: img.naturalHeight, close: () => URL.revokeObjectURL(url) };
    } catch {
      URL.revokeObjectURL(url);
      return null;
    }
  }
}

/** "3.2 MB", "840 KB": sizes as people read them. */
export function formatBytes(bytes: number, locale: string): string {
  const mb = bytes / (1024 * 1024);
  const fmt = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  return mb >= 1 ? `${fmt.format(mb)} MB` : `${fmt.format(Math.max(1, Math.round(bytes / 1024)))} KB`;
}
