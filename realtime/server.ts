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
}

/**
 * socket.io on the same HTTP server as the site, authenticated by the same
 * session cookie. Signed-in sockets join `user:<id>` and `session:<id>`;
 * anyone may watch public rooms; nobody can ask to join a private one.
 */
export async function attachRealtime(httpServer: HttpServer, options: RealtimeOptions = {}) {
  const io: RealtimeServer = new Server(httpServer, {
    serveClient: false,
    // Cross-site WebSocket hijacking: only pages of this site may connect.
    allowRequest: (req, callback) => callback(null, isSameOriginUpgrade(req)),
  });

  let pool: pg.Pool | undefined;
  if (options.postgresUrl) {
    // Loaded only for several nodes on a server database: the embedded default starts without them (restart time).
    const [{ createAdapter }, { default: pg }] = await Promise.all([import("@socket.io/postgres-adapter"), import("pg")]);
    // The adapter needs a node-postgres Pool; postgres.js fails silently (stack-notes.md).
    pool = new pg.Pool({ connectionString: options.postgresUrl, max: 2 });
    pool.on("error", () => {}); // reconnects by itself; do not crash the process
    io.adapter(createAdapter(pool, { tableName: "socket_io_attachments" }));
    io.on("relay", (message) => receiveRelayed(io, message));
  }
  // Relay only while another node is there to hear it (the adapter's heartbeats tell): alone, each
  // relayed message would be one more NOTIFY for nobody. Until the first count, assume company.
  setClustered(pool !== undefined);
  const countNodes = pool
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
      await pool?.end().catch(() => {});
    },
  };
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
