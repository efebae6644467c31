// Install the dependencies when node_modules does not hold what package-lock.json names.
// Used by `npm start`, so the README's first command is the same on a fresh clone and on
// every restart (issue 14 §9: a restart must answer in under 2 s).
//
// Decided by content, like the build (ADR 0023): npm keeps what it installed in
// node_modules/.package-lock.json; every package the lockfile names must be there at
// its version (optional packages for other platforms may be absent).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");

/** The packages the lockfile names that are missing or at another version in node_modules. */
export function staleDependencies() {
  const lock = JSON.parse(readFileSync(path.join(root, "package-lock.json"), "utf8"));
  const installedFile = path.join(root, "node_modules/.package-lock.json");
  if (!existsSync(installedFile)) return ["node_modules"];
  const installed = JSON.parse(readFileSync(installedFile, "utf8")).packages ?? {};
  const stale = [];
  for (const [name, entry] of Object.entries(lock.packages ?? {})) {
    if (!name) continue; // the project itself
    const have = installed[name];
    if (have ? have.version !== entry.version : !entry.optional) stale.push(name);
  }
  return stale;
}

/** Returns true when it installed; exits the process if the install fails. */
export function installIfStale() {
  const stale = staleDependencies();
  if (stale.length === 0) return false;
  console.log(`Installing dependencies (${stale.length} missing or changed)…`);
  const env = { ...process.env, PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: "1" };
  const done = spawnSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: root, stdio: "inherit", env });
  if (done.status !== 0) process.exit(done.status ?? 1);
  return true;
}
