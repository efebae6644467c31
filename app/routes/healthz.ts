import { sql } from "drizzle-orm";
import { databaseHandle } from "#db/client.server";

/** For load balancers and people: 200 when the database answers, 503 when it does not. */
export async function loader() {
  const started = performance.now();
  try {
    const handle = databaseHandle();
    await handle.db.execute(sql`select 1`);
    return Response.json(
      { status: "ok", database: { kind: handle.kind, reachable: true, ms: Math.round(performance.now() - started) } },
      { headers: { "Cache-Control": "no-store" } },
    );
  } catch {
    return Response.json({ status: "unavailable", database: { reachable: false } }, { status: 503, headers: { "Cache-Control": "no-store" } });
  }
}
