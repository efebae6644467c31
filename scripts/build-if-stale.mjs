// Build the site when the build is missing or was made from other sources.
// Used by `npm start` and the benchmarks.
//
// Staleness is decided by content, not by file times (ADR 0023): `npm install`
// rewrites package-lock.json (and a checkout touches every file) without
// changing a byte that matters, and a time comparison rebuilt the site on
// every start. The hash of every source file and the lockfile is kept beside
// the build, in build/.source-hash, after each successful build.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const SOURCE_DIRS = ["app", "public", "realtime", "db"];
const SOURCE_FILES = ["server.ts", "vite.config.ts", "vite.server.config.ts", "tsconfig.json", "package.json", "package-lock.json"];
const OUTPUTS = ["build/server/index.js", "build/node/server.js"];
const HASH_FILE = "build/.source-hash";

function filesUnder(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(full));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

/** One hash of the sources' paths and contents, in a fixed order. */
export function sourceHash() {
  const files = [...SOURCE_DIRS.flatMap((d) => filesUnder(path.join(root, d))), ...SOURCE_FILES.map((f) => path.join(root, f))]
    .filter((f) => existsSync(f))
    .map((f) => path.relative(root, f).split(path.sep).join("/"))
    .sort();
  const hash = createHash("sha256");
  for (const file of files) {
    hash.update(file);
    hash.update("\0");
    hash.update(readFileSync(path.join(root, file)));
    hash.update("\0");
  }
  return hash.digest("hex");
}

/** The newest modification time of the sources: only for a build made before hashes were kept. */
function newestSource() {
  return Math.max(
    ...[...SOURCE_DIRS.flatMap((d) => filesUnder(path.join(root, d))), ...SOURCE_FILES.map((f) => path.join(root, f))]
      .filter((f) => existsSync(f))
      .map((f) => statSync(f).mtimeMs),
  );
}

/** Whether a build is there and was made from these sources (by content); `current` is their hash. */
export function buildIsCurrent(current = sourceHash()) {
  const outputs = OUTPUTS.map((file) => path.join(root, file));
  const hashFile = path.join(root, HASH_FILE);
  if (!outputs.every((file) => existsSync(file))) return false;
  if (existsSync(hashFile)) return readFileSync(hashFile, "utf8").trim() === current;
  if (outputs.every((file) => statSync(file).mtimeMs >= newestSource())) {
    // Built by `npm run build` just now (no hash yet): trust it, and remember what it was built from.
    writeFileSync(hashFile, `${current}\n`);
    return true;
  }
  return false;
}

/** Whether there is a build with a recorded source hash: one `npm start` may serve while it checks the hash. */
export function hashedBuildExists() {
  return [...OUTPUTS, HASH_FILE].every((file) => existsSync(path.join(root, file)));
}

/** Build the site and record what it was built from; exits the process if the build fails. */
export function build(current = sourceHash()) {
  console.log("Building the site…");
  const built = spawnSync("npm", ["run", "build"], { cwd: root, stdio: "inherit" });
  if (built.status !== 0) process.exit(built.status ?? 1);
  writeFileSync(path.join(root, HASH_FILE), `${current}\n`);
}

/** Returns true when it built; exits the process if the build fails. */
export function buildIfStale() {
  const current = sourceHash();
  if (buildIsCurrent(current)) return false;
  build(current);
  return true;
}
