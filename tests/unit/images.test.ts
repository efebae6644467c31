import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { MAX_BODY_BYTES } from "~/lib/images";
import { HARD_BODY_BYTES, readPhotoForm, stripPhotos } from "~/lib/images.server";
import { MAX_PHOTO_BYTES } from "~/lib/uploads";

/** A photo as a phone makes it: the camera, the place (GPS), and an orientation to apply. */
async function phonePhoto(width: number, height: number, orientation = 1) {
  const bytes = await sharp({ create: { width, height, channels: 3, background: { r: 200, g: 40, b: 40 } } })
    .jpeg()
    .withExif({ IFD0: { Make: "GongzhiPhone", Model: "X1" }, IFD3: { GPSLatitudeRef: "N", GPSLatitude: "39/1 55/1 0/1" } })
    .withMetadata({ orientation })
    .toBuffer();
  return new Uint8Array(bytes);
}

async function multipart(fields: Record<string, string>, files: { name: string; bytes: Uint8Array }[], contentLength?: number) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const f of files) form.append("photos", new File([new Uint8Array(f.bytes)], f.name, { type: "image/jpeg" }));
  const request = new Request("http://localhost/x", { method: "POST", body: form });
  if (contentLength === undefined) return request;
  // What a browser would say of a bigger body (the bytes themselves need not be that many).
  const headers = new Headers({ "content-type": request.headers.get("content-type")!, "content-length": String(contentLength) });
  return new Request("http://localhost/x", { method: "POST", body: await request.arrayBuffer(), headers });
}

describe("stripPhotos", () => {
  it("drops EXIF (camera and location), applies the orientation to the pixels, and holds the long side to 2048", async () => {
    const input = await phonePhoto(3000, 1000, 6); // 6: rotate 90° to view
    const before = await sharp(input).metadata();
    expect(before.exif?.toString("latin1")).toContain("GongzhiPhone");
    const result = await stripPhotos([{ bytes: input, mime: "image/jpeg", ext: "jpg" }]);
    if (!result.ok) throw new Error(result.error);
    const after = await sharp(result.photos[0]!.bytes).metadata();
    expect(after.exif).toBeUndefined();
    expect(after.orientation).toBeUndefined();
    expect([after.width, after.height]).toEqual([683, 2048]); // upright now: portrait
    expect(after.format).toBe("jpeg");
  });

  it("keeps a PNG a PNG and a small photo its size; refuses what does not decode", async () => {
    const png = new Uint8Array(await sharp({ create: { width: 300, height: 200, channels: 4, background: "#fff0" } }).png().toBuffer());
    const ok = await stripPhotos([{ bytes: png, mime: "image/png", ext: "png" }]);
    if (!ok.ok) throw new Error(ok.error);
    expect(await sharp(ok.photos[0]!.bytes).metadata()).toMatchObject({ format: "png", width: 300, height: 200 });
    const broken = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(await stripPhotos([{ bytes: broken, mime: "image/jpeg", ext: "jpg" }])).toEqual({ ok: false, error: "proposal.error.photoType" });
  });
});

describe("readPhotoForm", () => {
  it("reads a form within the limit with its photos", async () => {
    const photo = await phonePhoto(400, 300);
    const { formData, tooLarge } = await readPhotoForm(await multipart({ title: "门口的台阶坏了" }, [{ name: "a.jpg", bytes: photo }]));
    expect(tooLarge).toBe(false);
    expect(formData.get("title")).toBe("门口的台阶坏了");
    expect((formData.get("photos") as File).size).toBe(photo.length);
  });

  it("marks a photo over 5 MB too large but keeps the text that came with it", async () => {
    const big = new Uint8Array(MAX_PHOTO_BYTES + 1).fill(7);
    const { formData, tooLarge } = await readPhotoForm(await multipart({ title: "门口的台阶坏了", body: "台阶塌了一块" }, [{ name: "big.jpg", bytes: big }]));
    expect(tooLarge).toBe(true);
    expect(formData.get("title")).toBe("门口的台阶坏了");
    expect(formData.get("body")).toBe("台阶塌了一块");
  });

  it("calls a body over the form's limit too large, and refuses one over the hard limit unread with a 413", async () => {
    const small = await phonePhoto(40, 30);
    const over = await readPhotoForm(await multipart({ title: "标题标题" }, [{ name: "a.jpg", bytes: small }], MAX_BODY_BYTES + 1));
    expect(over.tooLarge).toBe(true);
    expect(over.formData.get("title")).toBe("标题标题");
    await expect(readPhotoForm(await multipart({ title: "标题标题" }, [], HARD_BODY_BYTES + 1))).rejects.toMatchObject({ status: 413 });
  });
});
