#!/usr/bin/env node
// `npm start`: install the dependencies if node_modules does not match the
// lockfile, build the site if the build was made from other sources (both
// decided by content, not file times), then serve it in production mode. The
// server migrates the database and, on an empty embedded database, seeds the
// demo district.
import { spawn } from "node:child_process";
import path from "node:path";
import { buildIfStale } from "./build-if-stale.mjs";
import { installIfStale } from "./install-if-stale.mjs";

const root = path.resolve(import.meta.dirname, "..");
installIfStale();
buildIfStale();

// The compiled server entry (vite.server.config.ts): no TypeScript compiled at start-up.
const child = spawn(process.execPath, ["build/node/server.js"], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, NODE_ENV: "production" },
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
