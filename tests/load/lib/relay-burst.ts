/**
 * How many messages a second the realtime adapter carries from one node to
 * another (`npm run bench -- nodes`, second part): two socket.io servers in
 * this process (`attachRealtime`, as server.ts attaches it), a watcher on A,
 * a burst of messages published on B as fast as the loop allows; the time
 * until the watcher has them all. Both ends share this process's one core,
 * so it is a floor, not the adapter's ceiling.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { io } from "socket.io-client";
import { publish, setClustered } from "#realtime/publish.server";
import { attachRealtime, type RealtimeOptions } from "#realtime/server";

export interface BurstResult {
  sent: number;
  received: number;
  ms: number;
  perSecond: number;
}

export async function relayBurst(options: RealtimeOptions, count: number, timeoutMs = 60_000): Promise<BurstResult> {
  const httpA = createServer();
  const nodeA = await attachRealtime(httpA, options);
  await new Promise<void>((resolve) => httpA.listen(0, "127.0.0.1", resolve));
  const httpB = createServer();
  const nodeB = await attachRealtime(httpB, options); // attached last: publish() sends from B
  const url = `http://127.0.0.1:${(httpA.address() as AddressInfo).port}`;
  const watcher = io(url, { transports: ["websocket"], forceNew: true, reconnection: false });
  try {
    await new Promise<void>((resolve, reject) => {
      watcher.once("connect", () => resolve());
      watcher.once("connect_error", reject);
    });
    if (!(await watcher.timeout(5_000).emitWithAck("room:join", "hall:999999"))) throw new Error("room:join refused");
    let received = 0;
    let warm = false;
    watcher.on("hall:changed", (payload: { hallId: number; seq?: number }) => {
      if (payload.seq === undefined) warm = true;
      else received++;
    });
    // The adapters find each other by heartbeat: publish until the first message gets through.
    setClustered(true);
    for (let i = 0; i < 50 && !warm; i++) {
      publish({ room: "hall:999999", event: "hall:changed", args: [{ hallId: 999999 }] } as never);
      await sleep(200);
    }
    if (!warm) throw new Error("The two nodes never heard each other.");
    const started = performance.now();
    for (let i = 0; i < count; i++) {
      publish({ room: "hall:999999", event: "hall:changed", args: [{ hallId: 999999, seq: i }] } as never);
      if (i % 100 === 99) await new Promise((resolve) => setImmediate(resolve));
    }
    while (received < count && performance.now() - started < timeoutMs) await sleep(5);
    const ms = performance.now() - started;
    return { sent: count, received, ms, perSecond: (received / ms) * 1000 };
  } finally {
    watcher.disconnect();
    await nodeB.close();
    await nodeA.close();
    httpB.close();
    httpA.close();
  }
}
