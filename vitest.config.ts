import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";

// Vitest runs without the Remix plugin (stack-notes.md).
export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    include: ["tests/unit/**/*.test.ts", "tests/integration/**/*.test.ts"],
    setupFiles: ["tests/support/setup-db.ts"],
    pool: "forks",
    // One migrated database per worker, reused across files (stack-notes.md: initdb is slow).
    isolate: false,
    maxWorkers: 2,
    testTimeout: 20_000,
    // Vite puts its own BASE_URL ("/", a path) into process.env; ours is an absolute URL, unset in tests.
    env: { BASE_URL: "" },
    hookTimeout: 60_000,
  },
});
