import os from "node:os";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";

/**
 * End-to-end tests drive Debian's Chromium (never a downloaded browser)
 * against the production build served by the real server on its own
 * database: a fresh PGlite folder, or E2E_DATABASE_URL (set by scripts/test.mjs).
 */
const port = Number(process.env.E2E_PORT ?? 3210);
process.env.E2E_RUN_ID ??= String(Date.now()); // shared with the workers, so one folder per run
const dataDir = path.join(os.tmpdir(), `gongzhi-e2e-${process.env.E2E_RUN_ID}`);
const databaseUrl = process.env.E2E_DATABASE_URL;
/** The specs that move the server's clock forward (tests/e2e/fixtures.ts: advanceServerClockPast). */
const CLOCK_SPECS = ["**/votes.spec.ts", "**/whistles.spec.ts", "**/pledges.spec.ts", "**/meetings.spec.ts", "**/projects.spec.ts"];

export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: false,
  workers: 2,
  retries: 0,
  forbidOnly: true,
  // Budgets, not expectations: scenarios open several browsers that log in (argon2) on two shared cores.
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  use: {
    baseURL: `http://localhost:${port}`,
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [
    // Specs that move the server's clock (ADR 0025) run one at a time, beside the others: a jump never cuts another's vote short.
    // Listed first so that their one-at-a-time chain starts at once, while the other worker takes the rest.
    { name: "clock", use: { ...devices["Desktop Chrome"], channel: undefined }, testMatch: CLOCK_SPECS, workers: 1 },
    { name: "chromium", use: { ...devices["Desktop Chrome"], channel: undefined }, testIgnore: CLOCK_SPECS },
  ],
  webServer: {
    command: "node build/node/server.js",
    url: `http://localhost:${port}/healthz`,
    reuseExistingServer: false,
    // The first start creates, migrates and seeds the demo district (six months of whistles among it): tens of seconds on a busy 2-core machine.
    timeout: 180_000,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      NODE_ENV: "production",
      PORT: String(port),
      DEMO: "true",
      TEST_CLOCK: "1",
      LOG_LEVEL: "error",
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : { DATA_DIR: dataDir, DATABASE_URL: "" }),
    },
  },
});
