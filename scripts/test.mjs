#!/usr/bin/env node
// `npm test`: the whole suite, the same way on a laptop and in CI.
//   1. types and lint   2. unit + integration tests (vitest) against PGlite,
//   or against PostgreSQL when DATABASE_URL is set   3. the production build
//   4. browser tests (Playwright + Debian's Chromium) against the real server.
// `npm test -- --steps=unit` (or any comma-separated subset of
// types,lint,unit,build,e2e) runs only those steps: CI runs the database tests
// on both databases but types, lint, build and browser tests once (ADR 0024).
// It ends with one line "N passed, N failed" and fails if anything failed.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const ALL_STEPS = ["types", "lint", "unit", "build", "e2e"];
const stepsArg = process.argv.slice(2).find((a) => a.startsWith("--steps="));
const steps = new Set(stepsArg ? stepsArg.slice("--steps=".length).split(",").filter(Boolean) : ALL_STEPS);
const unknown = [...steps].filter((s) => !ALL_STEPS.includes(s));
if (unknown.length > 0) {
  console.error(`Unknown step(s): ${unknown.join(", ")}. Steps: ${ALL_STEPS.join(",")}`);
  process.exit(2);
}

const root = path.resolve(import.meta.dirname, "..");
const out = mkdtempSync(path.join(os.tmpdir(), "gongzhi-test-"));
let passed = 0;
let failed = 0;
const timings = [];

function run(title, command, args, env = {}) {
  console.log(`\n▶ ${title}`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  timings.push(`${title}: ${Math.round((Date.now() - started) / 1000)} s`);
  return result.status === 0;
}

function step(title, command, args) {
  if (run(title, command, args)) passed++;
  else {
    failed++;
    console.error(`✗ ${title} failed`);
  }
}

if (steps.has("types")) step("Type check", "npx", ["tsc", "--noEmit"]);
if (steps.has("lint")) step("Lint", "npx", ["eslint", ".", "--max-warnings", "0"]);

if (steps.has("unit")) {
  const vitestJson = path.join(out, "vitest.json");
  run("Unit and integration tests" + (process.env.DATABASE_URL ? " (PostgreSQL server)" : " (embedded PGlite)"), "npx", [
    "vitest",
    "run",
    "--reporter=default",
    "--reporter=json",
    `--outputFile.json=${vitestJson}`,
  ]);
  if (existsSync(vitestJson)) {
    const report = JSON.parse(readFileSync(vitestJson, "utf8"));
    passed += report.numPassedTests;
    failed += report.numFailedTests + (report.numFailedTestSuites ?? 0);
    if (report.numTotalTests === 0) failed++;
  } else failed++;
}

if (steps.has("build") && !run("Production build", "npm", ["run", "build"])) failed++;

if (steps.has("e2e")) {
  // Browser tests get a database of their own: a fresh PGlite folder (made by the
  // Playwright config), or a fresh database beside DATABASE_URL's.
  const e2eEnv = {};
  if (process.env.DATABASE_URL) {
    const base = new URL(process.env.DATABASE_URL);
    const name = `${base.pathname.slice(1) || "gongzhi"}_e2e`;
    const admin = new URL(process.env.DATABASE_URL);
    admin.pathname = "/postgres";
    const psql = (sql) => spawnSync("psql", [admin.toString(), "-qc", sql], { stdio: "inherit" }).status === 0;
    if (!psql(`drop database if exists "${name}" with (force)`) || !psql(`create database "${name}"`)) failed++;
    base.pathname = `/${name}`;
    e2eEnv.E2E_DATABASE_URL = base.toString();
  }
  const playwrightJson = path.join(out, "playwright.json");
  run("Browser tests (Chromium)", "npx", ["playwright", "test", "--reporter=list,json"], {
    ...e2eEnv,
    PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightJson,
  });
  if (existsSync(playwrightJson)) {
    const { stats } = JSON.parse(readFileSync(playwrightJson, "utf8"));
    passed += stats.expected + stats.flaky;
    failed += stats.unexpected;
    if (stats.expected + stats.unexpected + stats.flaky === 0) failed++;
  } else failed++;
}

rmSync(out, { recursive: true, force: true });
console.log(`\nTimings: ${timings.join(" · ")}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
