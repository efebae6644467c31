import path from "node:path";
import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig, type Plugin } from "vite";
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
    websocketOnlyEngine(),
  ],
  // Server-only packages must not be pre-bundled for the browser (stack-notes.md).
  optimizeDeps: { exclude: ["drizzle-orm", "postgres", "@electric-sql/pglite", "pg", "@node-rs/argon2"] },
  server: { hmr: { port: Number(process.env.HMR_PORT ?? 24678) } },
});

/**
 * The browser's socket.io client only ever uses WebSocket (`transports: ["websocket"]` in
 * app/realtime/socket.client.ts), but engine.io-client's Socket imports every transport by
 * name (long-polling over XHR and fetch, WebTransport). In the browser build, its transport
 * table is replaced by one that holds WebSocket alone: 2 KB less JavaScript on every page
 * (targets.md: < 120 KB for the hall page). The server and tests are untouched.
 */
function websocketOnlyEngine(): Plugin {
  const id = "\0gongzhi:engine-websocket-only";
  return {
    name: "gongzhi:engine-websocket-only",
    apply: "build",
    enforce: "pre",
    resolveId(source, importer, options) {
      if (options?.ssr || !importer) return null;
      if (source === "./transports/index.js" && /engine\.io-client[\\/]build[\\/]esm[\\/]socket\.js$/.test(importer)) return id;
      return null;
    },
    load(loaded) {
      if (loaded !== id) return null;
      const websocket = path.resolve("node_modules/engine.io-client/build/esm/transports/websocket.js");
      return `import { WS } from ${JSON.stringify(websocket)};\nexport const transports = { websocket: WS };\n`;
    },
  };
}
