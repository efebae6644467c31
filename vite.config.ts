import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  plugins: [
    remix({
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_singleFetch: true,
        v3_lazyRouteDiscovery: true,
        v3_routeConfig: true,
      },
    }),
    tsconfigPaths(),
  ],
  // Server-only packages must not be pre-bundled for the browser (stack-notes.md).
  optimizeDeps: { exclude: ["drizzle-orm", "postgres", "@electric-sql/pglite", "pg", "@node-rs/argon2"] },
  server: { hmr: { port: Number(process.env.HMR_PORT ?? 24678) } },
});
