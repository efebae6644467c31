#!/usr/bin/env node
// `npm start`: build the site if the build is missing or older than the
// source, then serve it in production mode. The server migrates the database
// and, on an empty embedded database, seeds the demo district.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const buildEntry = path.join(root, "build/server/index.js");

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : statSync(full).mtimeMs);
  }
  return latest;
}

const sourceTime = Math.max(
  newest(path.join(root, "app")),
  newest(path.join(root, "public")),
  statSync(path.join(root, "vite.config.ts")).mtimeMs,
  statSync(path.join(root, "package-lock.json")).mtimeMs,
);
if (!existsSync(buildEntry) || statSync(buildEntry).mtimeMs < sourceTime) {
  console.log("Building the site…");
  const built = spawnSync("npx", ["remix", "vite:build"], { cwd: root, stdio: "inherit" });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

const child = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, NODE_ENV: "production" },
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
