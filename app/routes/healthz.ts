import { sql } from "drizzle-orm";
import { databaseHandle, statementsSent } from "#db/client.server";

/**
 * For load balancers and people: 200 when the database answers, 503 when it does not.
 * `statements`: how many this process has sent since it started (the benchmarks' queries per page).
 */
export async function loader() {
  const started = performance.now();
  try {
    const handle = databaseHandle();
    await handle.db.execute(sql`select 1`);
    return Response.json(
      { status: "ok", database: { kind: handle.kind, reachable: true, ms: Math.round(performance.now() - started), statements: statementsSent() } },
      { headers: { "Cache-Control": "no-store" } },
    );
  } catch {
    return Response.json({ status: "unavailable", database: { reachable: false } }, { status: 503, headers: { "Cache-Control": "no-store" } });
  }
}
