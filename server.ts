/**
 * The one process: Express serving Remix (Vite middleware in development, the
 * built app in production) with socket.io on the same HTTP server.
 */
import { createServer } from "node:http";
import { existsSync } from "node:fs";
import path from "node:path";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { config, ConfigError } from "~/config.server";
import { resolveRequestContext } from "~/lib/context.server";
import { cleanUrlGuard, csrfGuard, securityHeaders, staticFolder } from "~/lib/http.server";
import { pageCache } from "~/lib/page-cache.server";
import { validateSessionToken } from "~/modules/identity/sessions.server";
import { loadActor } from "~/modules/identity/actor.server";
import { inboxRooms } from "~/modules/whistles/queries.server";
import { cspMiddleware } from "~/lib/csp.server";
import { apiHandler } from "~/api/router.server";
import { db, openDatabase, redact, setDatabase, DatabaseUnreachableError } from "#db/client.server";
import { migrate } from "#db/migrate.server";
import { rebuildRateCountsIfStale } from "~/modules/whistles/rate-counts.server";
import { indexUnindexedWhistles } from "~/modules/search/queries.server";
import { seedDemoIfEmpty } from "#db/seed/demo";
import { attachRealtime, RealtimeUnreachableError } from "#realtime/server";
import { pruneRoomLog } from "#realtime/room-log.server";
import { startScheduler } from "~/lib/scheduler.server";
import { sweepOrphanUploads } from "~/lib/uploads.server";
import { logError } from "~/lib/log.server";
import { expireDueProposals } from "~/modules/proposals/commands.server";
import { runVoteClock } from "~/modules/votes/commands.server";
import { requireDecafIfAsked } from "~/modules/votes/decaf";
import { sweepWhistles } from "~/modules/whistles/commands.server";
import { lapseDuePledges, remindActivities } from "~/modules/pledges/commands.server";
import { closeChannels, foldDigests, runDeliveries } from "~/modules/messages/sender.server";
import { projectTasks } from "~/modules/projects/scheduler.server";
import { advanceClock, enableTestClock, serverNow } from "~/lib/clock.server";

const startedAt = performance.now();

async function main() {
  const cfg = config();
  try {
    requireDecafIfAsked(); // GONGZHI_NATIVE_CRYPTO=required: no libdecaf, no start (ADR 0048)
  } catch (error) {
    throw new StartupError((error as Error).message);
  }
  // Load the built app while the database opens: neither needs the other yet (restart time, targets.md).
  const buildDir = path.resolve("build");
  const productionBuild =
    cfg.env === "production" && existsSync(path.join(buildDir, "server/index.js"))
      ? (import(path.join(buildDir, "server/index.js")) as Promise<ServerBuild>)
      : undefined;
  productionBuild?.catch(() => {}); // awaited below; an early failure must not be unhandled
  const handle = await openDatabase(
    cfg.databaseUrl ? { kind: "postgres", url: cfg.databaseUrl } : { kind: "pglite", dataDir: path.join(cfg.dataDir, "pglite") },
  );
  setDatabase(handle);
  await migrate(handle);
  if (cfg.demo) {
    const seeded = await seedDemoIfEmpty(handle.db);
    if (seeded) log(`Seeded the demo district in ${seeded.ms} ms.`);
  }
  // Assignments never counted into the three rates' running counts (ADR 0018): count them once.
  const recounted = await rebuildRateCountsIfStale(handle.db);
  if (recounted !== "none") log(`Counted uncounted assignments into the three rates (${recounted}).`);
  // Whistles made before they were searchable (or by the demo seed) get their search vector once.
  const indexed = await indexUnindexedWhistles(handle.db);
  if (indexed) log(`Indexed ${indexed} whistles for search.`);

  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", "loopback");
  app.use(securityHeaders({ hsts: cfg.baseUrl?.startsWith("https:") ?? false }));
  // A nonce per response and the Content-Security-Policy naming it (ADR 0017).
  app.use(cspMiddleware(cfg.env !== "development"));
  app.use(cleanUrlGuard);
  app.use(csrfGuard(cfg.baseUrl, ["/unsubscribe/"]));
  app.use(compression());
  if (cfg.testClock) {
    // Browser tests move the server's clock forward instead of waiting (ADR 0025); refused outside demo mode.
    enableTestClock();
    app.get("/__test/clock", (_req, res) => void res.json({ now: serverNow().toISOString() }));
    app.post("/__test/clock", express.json(), (req, res) => {
      const ms = Number((req.body as { advanceMs?: unknown } | undefined)?.advanceMs);
      if (!Number.isFinite(ms) || ms < 0) return void res.status(400).json({ error: "advanceMs must be a number ≥ 0" });
      res.json({ now: advanceClock(ms).toISOString() });
    });
  }

  let build: ServerBuild | (() => Promise<ServerBuild>);
  let closeVite = async () => {};
  if (cfg.env === "production") {
    if (!productionBuild) {
      throw new StartupError("No production build found: run `npm run build` first (or `npm start`, which builds).");
    }
    app.use("/assets", express.static(path.join(buildDir, "client/assets"), { immutable: true, maxAge: "1y" }));
    app.use(staticFolder(path.join(buildDir, "client"), (dir) => express.static(dir, { maxAge: "1h" })));
    build = await productionBuild;
  } else {
    const vite = await import("vite").then((v) => v.createServer({ server: { middlewareMode: true } }));
    app.use(vite.middlewares);
    app.use(staticFolder("public", (dir) => express.static(dir, { maxAge: "1h" })));
    build = () => vite.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>;
    closeVite = () => vite.close();
  }

  // Copies of the busiest pages, for visitors (ADR 0012) and per member (ADR 0044), dropped on news and on the member's own actions.
  const cache =
    cfg.pageCacheMs > 0
      ? pageCache({
          ttlMs: cfg.pageCacheMs,
          maxEntries: 1_000,
          maxMemberEntries: 1_000,
          whoIs: async (token) => (await validateSessionToken(db(), token))?.userId ?? null,
          roomsOfReader: async (userId) => inboxRooms(await loadActor(db(), userId)),
        })
      : null;
  if (cache) app.use(cache.middleware);

  app.all(
    "*",
    createRequestHandler({
      build,
      mode: cfg.env,
      async getLoadContext(req, res) {
        const url = new URL(req.originalUrl, `${req.protocol}://${req.get("host") ?? "localhost"}`);
        const { context, setCookies } = await resolveRequestContext({ cookieHeader: req.headers.cookie, url, ip: req.ip ?? "" });
        for (const cookie of setCookies) res.append("Set-Cookie", cookie);
        return { ...context, cspNonce: res.locals.cspNonce as string | undefined };
      },
    }),
  );

  // The JSON write API for the hottest actions (ADR 0013), the same commands as the Remix actions,
  // answers before Express: its own security headers, CSRF check and body limit.
  const api = apiHandler({ baseUrl: cfg.baseUrl, hsts: cfg.baseUrl?.startsWith("https:") ?? false });
  const httpServer = createServer((req, res) => {
    cache?.beforeWrite(req, res);
    if (!api(req, res)) app(req, res);
  });
  // A proxy in front (docs/deploy/nginx.conf) keeps its idle connections to this node for 60 s and reuses them for
  // the next requests; the node must not close them first, or a request sent as it closes one fails (a POST is not
  // retried). Node's default is 5 s.
  httpServer.keepAliveTimeout = 65_000;
  httpServer.headersTimeout = 66_000;
  // Several nodes: news reaches the others through PostgreSQL (NOTIFY) or a Redis stream (ADR 0047).
  const realtime = await attachRealtime(httpServer, {
    postgresUrl: cfg.realtimeAdapter === "postgres" ? cfg.databaseUrl : undefined,
    redis: cfg.realtimeAdapter === "redis" ? cfg.redis : undefined,
  });

  const stopScheduler = startScheduler(
    [
      { name: "expire proposals", everyMs: 60_000, run: (now) => expireDueProposals(now) },
      // Votes open and close on time whether or not anyone is looking, and after a restart.
      { name: "vote clock", everyMs: 5_000, run: (now) => runVoteClock(now) },
      // Reminders, overdue flags, automatic supervision and rating windows, from stored deadlines.
      { name: "whistle deadlines", everyMs: 60_000, run: (now) => sweepWhistles(now) },
      // Pledges lapse at the end of their period by themselves, and after a restart.
      { name: "pledge lapses", everyMs: 60_000, run: (now) => lapseDuePledges(now) },
      // Volunteers hear of their activity the day before and an hour before.
      { name: "activity reminders", everyMs: 60_000, run: (now) => remindActivities(now) },
      // Files no row refers to (a crash between writing a photo and committing its row; ADR 0017).
      { name: "orphan uploads", everyMs: 60 * 60_000, run: (now) => sweepOrphanUploads(now) },
      // Email and SMS leave through the outbox: claimed with SKIP LOCKED, retried with back-off (ADR 0022).
      { name: "deliveries", everyMs: 2_000, run: (now) => runDeliveries(now) },
      { name: "digests", everyMs: 60_000, run: (now) => foldDigests(now) },
      // Live rooms keep an hour of events for clients that reconnect (ADR 0046).
      { name: "room log", everyMs: 10 * 60_000, run: (now) => pruneRoomLog(now) },
      // Service projects: bid deadlines and the end of the notice period (公示).
      ...projectTasks,
    ],
    (task, error) => logError(`Scheduled task "${task}" failed`, error),
  );

  await new Promise<void>((resolve) => httpServer.listen(cfg.port, cfg.host, resolve));
  const where = cfg.databaseUrl ? redact(cfg.databaseUrl) : `embedded PGlite in ${path.join(cfg.dataDir, "pglite")}`;
  log(
    `共治 Gongzhi listening on http://localhost:${cfg.port} (${cfg.env}, ${where}) after ${Math.round(performance.now() - startedAt)} ms`,
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: shutting down…`);
    const force = setTimeout(() => process.exit(1), 10_000).unref();
    stopScheduler();
    await closeChannels().catch(() => {});
    cache?.close();
    await realtime.close();
    httpServer.closeAllConnections();
    await new Promise((resolve) => httpServer.close(resolve));
    await closeVite();
    // An open PGlite keeps Node alive, and an unclean stop costs sequence gaps (stack-notes.md).
    await handle.close();
    clearTimeout(force);
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

class StartupError extends Error {}

function log(message: string) {
  if (process.env.LOG_LEVEL !== "silent") console.log(message);
}

main().catch((error: unknown) => {
  // Known start-up failures get one readable line, not a stack trace.
  if (
    error instanceof ConfigError ||
    error instanceof DatabaseUnreachableError ||
    error instanceof StartupError ||
    error instanceof RealtimeUnreachableError
  ) {
    console.error(`Gongzhi cannot start. ${error.message}`);
  } else {
    console.error("Gongzhi cannot start:", error);
  }
  process.exit(1);
});
