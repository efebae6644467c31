#!/usr/bin/env node
// `npm start`: install the dependencies if node_modules does not match the
// lockfile, build the site if the build was made from other sources (both
// decided by content, not file times), then serve it in production mode. The
// server migrates the database and, on an empty embedded database, seeds the
// demo district.
//
// A restart must answer in under 2 s (issue 14 §9). Hashing the sources takes
// a few hundred milliseconds, so when a hashed build and a database are
// already there the server starts at once and the hash is checked while it
// boots; in the rare case the sources changed, that server is stopped before
// it has served anyone, and the site is built and started again.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { build, buildIsCurrent, hashedBuildExists, sourceHash } from "./build-if-stale.mjs";
import { installIfStale } from "./install-if-stale.mjs";

const root = path.resolve(import.meta.dirname, "..");
installIfStale();

let child = null;
let stopping = false;
/** The compiled server entry (vite.server.config.ts): no TypeScript compiled at start-up. */
function serve() {
  const server = spawn(process.execPath, ["build/node/server.js"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "production" },
  });
  server.on("exit", (code, signal) => {
    if (server === child) process.exit(code ?? (signal ? 1 : 0));
  });
  return server;
}
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    stopping = true;
    if (child) child.kill(signal);
    else process.exit(1);
  });
}

// A database that already exists: the server will only migrate it (never seed it half-way before being stopped).
const dataDir = path.resolve(root, process.env.DATA_DIR ?? "data");
const hasDatabase = Boolean(process.env.DATABASE_URL) || existsSync(path.join(dataDir, "pglite", "PG_VERSION"));
if (hashedBuildExists() && hasDatabase) child = serve();

const current = sourceHash();
if (!buildIsCurrent(current)) {
  if (child) {
    const early = child;
    child = null; // its exit is ours to await, not a reason to quit
    await new Promise((resolve) => {
      early.once("exit", resolve);
      early.kill("SIGTERM");
    });
  }
  if (!stopping) {
    build(current);
    child = serve();
  }
} else if (!child && !stopping) {
  child = serve();
}
