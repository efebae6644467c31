import type { IncomingMessage, Server as HttpServer } from "node:http";
import type pg from "pg";
import { Server } from "socket.io";
import { db } from "#db/client.server";
import { readCookie, SESSION_COOKIE, validateSessionToken } from "~/modules/identity/sessions.server";
import { isPublicRoom } from "./events";
import { receiveRelayed, setClustered, setRealtimeServer, type RealtimeServer } from "./publish.server";
import { startPulse } from "./pulse.server";
import { missedSince } from "./room-log.server";

export interface RealtimeOptions {
  /** Several nodes share one database: fan out through PostgreSQL NOTIFY. */
  postgresUrl?: string;
  /** Several nodes fan out through a Redis stream instead (ADR 0047); wins over `postgresUrl`. */
  redis?: { url: string; prefix: string };
}

/** The realtime adapter's service cannot be reached at start (a readable line, not a stack trace). */
export class RealtimeUnreachableError extends Error {}

/** A cluster adapter attached to the server, and how to let go of its connections. */
interface Cluster {
  close(): Promise<void>;
}

/**
 * socket.io on the same HTTP server as the site, authenticated by the same
 * session cookie. Signed-in sockets join `user:<id>` and `session:<id>`;
 * anyone may watch public rooms; nobody can ask to join a private one.
 */
export async function attachRealtime(httpServer: HttpServer, options: RealtimeOptions = {}) {
  const io: RealtimeServer = new Server(httpServer, {
    serveClient: false,
    // WebSocket only, as the pages' client connects (app/realtime/socket.client.ts): one connection stays on one
    // node, so several nodes behind a proxy need no sticky sessions for socket.io (docs/deploy.md, ADR 0047).
    transports: ["websocket"],
    // Cross-site WebSocket hijacking: only pages of this site may connect.
    allowRequest: (req, callback) => callback(null, isSameOriginUpgrade(req)),
  });

  const cluster = options.redis
    ? await attachRedis(io, options.redis)
    : options.postgresUrl
      ? await attachPostgres(io, options.postgresUrl)
      : undefined;
  if (cluster) io.on("relay", (message) => receiveRelayed(io, message));
  // Relay only while another node is there to hear it (the adapter's heartbeats tell): alone, each
  // relayed message would be one more message for nobody. Until the first count, assume company.
  setClustered(cluster !== undefined);
  const countNodes = cluster
    ? setInterval(() => {
        io.of("/")
          .adapter.serverCount()
          .then((nodes) => setClustered(nodes > 1))
          .catch(() => setClustered(true));
      }, 2_000)
    : undefined;
  countNodes?.unref();

  io.use(async (socket, next) => {
    try {
      const token = readCookie(socket.request.headers.cookie, SESSION_COOKIE);
      const session = token ? await validateSessionToken(db(), token) : null;
      socket.data.userId = session?.userId ?? null;
      if (session) void socket.join([`user:${session.userId}`, `session:${session.id}`]);
      next();
    } catch (error) {
      next(error instanceof Error ? error : new Error(String(error)));
    }
  });

  io.on("connection", (socket) => {
    socket.on("room:join", (room, ack) => {
      const allowed = typeof room === "string" && isPublicRoom(room);
      if (allowed) void socket.join(room);
      if (typeof ack === "function") ack(allowed);
    });
    socket.on("room:catch-up", (room, since, ack) => {
      if (typeof ack !== "function") return;
      // Only a room the socket watches: the answer is what it would have heard live.
      if (typeof room !== "string" || !socket.rooms.has(room) || typeof since !== "number") return ack(null);
      missedSince(room, since).then(ack, () => ack(null));
    });
    socket.on("room:leave", (room) => {
      if (typeof room === "string" && isPublicRoom(room)) void socket.leave(room);
    });
  });

  setRealtimeServer(io);
  const stopPulse = startPulse();
  return {
    io,
    async close() {
      stopPulse();
      clearInterval(countNodes);
      setRealtimeServer(undefined);
      setClustered(false);
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await cluster?.close().catch(() => {});
    },
  };
}

async function attachPostgres(io: RealtimeServer, postgresUrl: string): Promise<Cluster> {
  // Loaded only for several nodes on a server database: the embedded default starts without them (restart time).
  const [{ createAdapter }, { default: pg }] = await Promise.all([import("@socket.io/postgres-adapter"), import("pg")]);
  // The adapter needs a node-postgres Pool; postgres.js fails silently (stack-notes.md).
  const pool: pg.Pool = new pg.Pool({ connectionString: postgresUrl, max: 2 });
  pool.on("error", () => {}); // reconnects by itself; do not crash the process
  io.adapter(createAdapter(pool, { tableName: "socket_io_attachments" }));
  return { close: () => pool.end() };
}

async function attachRedis(io: RealtimeServer, redis: { url: string; prefix: string }): Promise<Cluster> {
  const [{ createAdapter }, { createClient }] = await Promise.all([import("@socket.io/redis-streams-adapter"), import("redis")]);
  let started = false;
  const client = createClient({
    url: redis.url,
    socket: {
      connectTimeout: 5_000,
      // Once running, reconnect for ever (the stream resumes where it stopped); at start, give up after
      // a few tries with a readable line rather than wait in silence.
      reconnectStrategy: (retries: number, cause: Error) => (!started && retries >= 4 ? cause : Math.min(100 * 2 ** retries, 3_000)),
    },
  });
  // node-redis reconnects by itself; an unhandled "error" event would end the process instead.
  client.on("error", () => {});
  await client.connect().catch((error: unknown) => {
    throw new RealtimeUnreachableError(
      `Cannot reach Redis at ${redactRedis(redis.url)} (REALTIME_ADAPTER=redis): ${error instanceof Error ? error.message : String(error)}.`,
    );
  });
  started = true;
  const name = `${redis.prefix}:socket.io`;
  io.adapter(createAdapter(client, { streamName: name, channelPrefix: name }));
  return {
    close: async () => {
      // The adapter's blocking XREAD on its own connection ends with the server (io.close closes the adapter).
      await client.quit().catch(() => client.destroy());
    },
  };
}

function redactRedis(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(an unreadable URL)";
  }
}

function isSameOriginUpgrade(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin) return true; // not a browser: it cannot carry a victim's cookie for us
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}
