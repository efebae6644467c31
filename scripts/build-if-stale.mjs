// Build the site when the build is missing or older than anything it is made
// from. Used by `npm start` and the benchmarks.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs);
  }
  return latest;
}

/** Returns true when it built; exits the process if the build fails. */
export function buildIfStale() {
  const sourceTime = Math.max(
    ...["app", "public", "realtime", "db"].map((dir) => newest(path.join(root, dir))),
    ...["server.ts", "vite.config.ts", "vite.server.config.ts", "package-lock.json"].map((file) => statSync(path.join(root, file)).mtimeMs),
  );
  // The Remix build and the compiled server entry (`npm run build` makes both).
  const outputs = ["build/server/index.js", "build/node/server.js"].map((file) => path.join(root, file));
  if (outputs.every((file) => existsSync(file) && statSync(file).mtimeMs >= sourceTime)) return false;
  console.log("Building the site…");
  const built = spawnSync("npm", ["run", "build"], { cwd: root, stdio: "inherit" });
  if (built.status !== 0) process.exit(built.status ?? 1);
  return true;
}
