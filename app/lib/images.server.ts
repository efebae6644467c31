import { rm } from "node:fs/promises";
import path from "node:path";
import { uploadsDir } from "./uploads.server";

/** Remove stored photo files whose rows are gone (a deleted draft); a file already missing is fine. */
export async function removeStoredPhotos(fileNames: string[]) {
  const dir = uploadsDir();
  await Promise.all(fileNames.map((f) => rm(path.join(dir, path.basename(f)), { force: true })));
}
