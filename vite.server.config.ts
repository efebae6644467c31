import tsconfigPaths from "vite-tsconfig-paths";
import { defineConfig } from "vite";

/**
 * The server entry (server.ts and what it imports from app/, db/ and
 * realtime/) compiled ahead of time to build/node/server.js, so production
 * starts with plain `node` instead of compiling TypeScript on the fly with
 * tsx: restart to first response fell from 2.2 s to 1.3–1.5 s (targets.md:
 * < 2 s). Packages stay external (loaded from node_modules). `npm run build`
 * runs this after the Remix build; development still runs server.ts with tsx.
 */
export default defineConfig({
  plugins: [tsconfigPaths()],
  logLevel: "warn",
  publicDir: false,
  build: {
    ssr: true,
    outDir: "build/node",
    emptyOutDir: true,
    target: "node20",
    minify: false,
    sourcemap: true,
    // The secret-ballot proof checker runs in worker threads (app/modules/votes/verify-pool.server.ts).
    rollupOptions: {
      input: { server: "server.ts", "verify-worker": "app/modules/votes/verify-worker.ts" },
      output: { format: "esm", entryFileNames: "[name].js" },
    },
  },
});
