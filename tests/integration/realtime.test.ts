import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { io as connect, type Socket } from "socket.io-client";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ClientToServerEvents, NotificationPayload, ServerToClientEvents } from "#realtime/events";
import { attachRealtime } from "#realtime/server";
import { disconnectSessions, onNews, publish, setClustered, setRealtimeServer } from "#realtime/publish.server";
import { runCommand } from "~/lib/command.server";
import { notify } from "~/modules/notifications/commands.server";
import { createSession } from "~/modules/identity/sessions.server";
import { db } from "#db/client.server";
import { createUserWithSession } from "../support/factories";
import { testDatabase } from "../support/test-db";
import { startRealtimeNode } from "../support/realtime-node";

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let node: Awaited<ReturnType<typeof startRealtimeNode>>;
let realtime: typeof node.realtime;
let url: string;
const sockets: ClientSocket[] = [];

beforeAll(async () => {
  node = await startRealtimeNode();
  ({ realtime, url } = node);
});

afterEach(() => {
  for (const s of sockets.splice(0)) s.disconnect();
});

afterAll(() => node.close());

async function open(token?: string, origin?: string): Promise<ClientSocket> {
  const headers: Record<string, string> = {};
  if (token) headers.cookie = `gz_session=${token}`;
  if (origin) headers.origin = origin;
  const socket: ClientSocket = connect(url, { transports: ["websocket"], extraHeaders: headers, reconnection: false, forceNew: true });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", reject);
  });
  return socket;
}

function nextNotification(socket: ClientSocket, timeoutMs = 2000): Promise<NotificationPayload | "timeout"> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve("timeout"), timeoutMs);
    socket.once("notification:new", (n) => {
      clearTimeout(timer);
      resolve(n);
    });
  });
}

describe("live notifications over socket.io", () => {
  it("reach every open tab of the recipient, and nobody else, after the transaction commits", async () => {
    const alice = await createUserWithSession();
    const bob = await createUserWithSession();
    const aliceTab1 = await open(alice.token);
    const aliceTab2 = await open(alice.token);
    const bobTab = await open(bob.token);
    const anonymous = await open();

    const received = Promise.all([nextNotification(aliceTab1), nextNotification(aliceTab2), nextNotification(bobTab, 500), nextNotification(anonymous, 500)]);
    await runCommand((tx, outbox) => notify(tx, outbox, { userId: alice.user.id, kind: "notification.welcome", params: { name: "Alice" } }));
    const [t1, t2, b, a] = await received;
    expect(t1).toMatchObject({ kind: "notification.welcome", params: { name: "Alice" } });
    expect(t2).toMatchObject({ kind: "notification.welcome" });
    expect(b).toBe("timeout");
    expect(a).toBe("timeout");
  });

  it("sends nothing when the transaction rolls back", async () => {
    const alice = await createUserWithSession();
    const tab = await open(alice.token);
    const received = nextNotification(tab, 500);
    await expect(
      runCommand(async (tx, outbox) => {
        await notify(tx, outbox, { userId: alice.user.id, kind: "notification.welcome", params: { name: "x" } });
        throw new Error("something failed after the insert");
      }),
    ).rejects.toThrow("something failed");
    expect(await received).toBe("timeout");
  });

  it("lets anyone watch a public room but nobody ask for a private one", async () => {
    const alice = await createUserWithSession();
    const stranger = await open();
    const ask = (room: string) => new Promise<boolean>((resolve) => stranger.emit("room:join", room, resolve));
    expect(await ask("proposal:12")).toBe(true);
    expect(await ask(`user:${alice.user.id}`)).toBe(false);
    expect(await ask("session:abc")).toBe(false);
    expect(await ask("proposal:12; drop")).toBe(false);
    const received = nextNotification(stranger, 500);
    await runCommand((tx, outbox) => notify(tx, outbox, { userId: alice.user.id, kind: "notification.welcome", params: { name: "A" } }));
    expect(await received).toBe("timeout");
  });

  it("treats a tampered cookie as anonymous", async () => {
    const alice = await createUserWithSession();
    const forged = alice.token.slice(0, -1) + (alice.token.endsWith("a") ? "b" : "a");
    const socket = await open(forged);
    const received = nextNotification(socket, 500);
    await runCommand((tx, outbox) => notify(tx, outbox, { userId: alice.user.id, kind: "notification.welcome", params: { name: "A" } }));
    expect(await received).toBe("timeout");
  });

  it("refuses a connection from another site's page", async () => {
    const alice = await createUserWithSession();
    await expect(open(alice.token, "https://evil.example")).rejects.toBeDefined();
  });

  it("closes the sockets of a session that logged out", async () => {
    const alice = await createUserWithSession();
    const other = await createSession(db(), alice.user.id);
    const ended = await open(alice.token);
    const kept = await open(other.token);
    const closed = new Promise<string>((resolve) => ended.once("disconnect", (reason) => resolve(reason)));
    disconnectSessions([alice.id]);
    expect(await closed).toBe("io server disconnect");
    expect(kept.connected).toBe(true);
  });
});

/**
 * Two nodes in this process: a message published on B reaches a watcher on A, and A's news
 * listeners (the page cache's) hear it as relayed news, so A drops its stale copies too.
 */
async function relayBetweenTwoNodes(options: Parameters<typeof attachRealtime>[1]) {
  // Node A: the watcher's. Node B: attached last, so this process publishes from B.
  const httpA = createServer();
  const nodeA = await attachRealtime(httpA, options);
  await new Promise<void>((resolve) => httpA.listen(0, "127.0.0.1", resolve));
  const httpB = createServer();
  const nodeB = await attachRealtime(httpB, options);
  const news: string[] = [];
  const stopNews = onNews((room) => news.push(room));
  try {
    const watcher: ClientSocket = connect(`http://127.0.0.1:${(httpA.address() as AddressInfo).port}`, { transports: ["websocket"], reconnection: false, forceNew: true });
    sockets.push(watcher);
    await new Promise<void>((resolve) => watcher.once("connect", () => resolve()));
    expect(await watcher.emitWithAck("room:join", "hall:77")).toBe(true);
    const heard = new Promise<unknown>((resolve) => watcher.once("hall:changed", resolve));
    // The adapters need a moment to see each other (heartbeat); publish until the news gets through.
    const deadline = Date.now() + 10_000;
    let got: unknown;
    let published = 0;
    while (got === undefined && Date.now() < deadline) {
      publish({ room: "hall:77", event: "hall:changed", args: [{ hallId: 77 }] });
      published++;
      got = await Promise.race([heard, new Promise((resolve) => setTimeout(resolve, 300))]);
    }
    expect(got).toEqual({ hallId: 77 });
    // Each publish is heard once here as this node's own; what the watcher got came back relayed, and was heard too.
    expect(news.filter((room) => room === "hall:77").length).toBeGreaterThan(published);
  } finally {
    stopNews();
    await nodeB.close();
    await nodeA.close();
    httpB.close();
    httpA.close();
    // The suite's own node publishes again from here on.
    setRealtimeServer(realtime.io);
    setClustered(Boolean(process.env.DATABASE_URL)); // as the suite attached it: through PostgreSQL on a server, alone on PGlite
  }
}

// Two nodes need a PostgreSQL server: PGlite lives inside one process and has no NOTIFY between processes.
describe.skipIf(!process.env.DATABASE_URL)("several nodes on one database", () => {
  it("delivers a message published on one node to a watcher connected to another, through PostgreSQL", async () => {
    const handle = await testDatabase();
    await relayBetweenTwoNodes({ postgresUrl: handle.url });
  });
});

describe("the Redis adapter at start", () => {
  it("gives up on an unreachable Redis with a readable error instead of waiting in silence", async () => {
    const http = createServer();
    await expect(attachRealtime(http, { redis: { url: "redis://127.0.0.1:1", prefix: "gongzhi-unreachable" } })).rejects.toThrow(
      /Cannot reach Redis at redis:\/\/127\.0\.0\.1:1/,
    );
  });
});

// The Redis adapter needs a Redis server: REDIS_URL names it (.ci/run starts one and sets it).
describe.skipIf(!process.env.REDIS_URL)("several nodes through Redis", () => {
  it("delivers a message published on one node to a watcher connected to another, through a Redis stream", async () => {
    await relayBetweenTwoNodes({ redis: { url: process.env.REDIS_URL!, prefix: `gongzhi-test-${process.pid}-${Date.now()}` } });
  });
});
