import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { attachRealtime } from "#realtime/server";
import { testDatabase } from "./test-db";

/**
 * One realtime node on a free port, on the tests' database: on a server database it goes through the Postgres
 * adapter, as several nodes would. Its `url` is for socket.io clients; `close` stops it.
 */
export async function startRealtimeNode() {
  const http = createServer();
  const handle = await testDatabase();
  const realtime = await attachRealtime(http, { postgresUrl: handle.url });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  return {
    realtime,
    url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
    async close() {
      await realtime.close();
      await new Promise((resolve) => http.close(resolve));
    },
  };
}
