/**
 * A real 1×1 PNG (commands decode and re-encode every stored photo to drop its
 * location data, ADR 0023), padded with bytes after its end to `size` when a
 * test needs a photo of a given weight (upload volume limits).
 */
const ONE_PIXEL = Uint8Array.from(Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64"));

export function pngBytes(size = ONE_PIXEL.length): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(new ArrayBuffer(Math.max(size, ONE_PIXEL.length)));
  bytes.set(ONE_PIXEL);
  return bytes;
}

/** A checked photo as commands take it. */
export const checkedPng = (size?: number) => ({ bytes: pngBytes(size), mime: "image/png", ext: "png" });
