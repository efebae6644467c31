import type { AddressInfo } from "node:net";
import { createServer, type Server } from "node:http";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, rowsOf } from "#db/client.server";
import { comments, hallMembers, residencyClaims } from "#db/schema";
import { apiHandler } from "~/api/router.server";
import { batcher } from "~/lib/batch.server";
import { loadActor } from "~/modules/identity/actor.server";
import { createSession } from "~/modules/identity/sessions.server";
import { createProposal, openDebate, postComment, secondProposal } from "~/modules/proposals/commands.server";
import { createUser } from "../support/factories";
import { buildHallWorld } from "../support/hall-world";

/**
 * One person's bad request never fails another's (issue 12 §2): twelve
 * neighbours post at the same moment, one with a proposal id beyond int4, one
 * with a NUL byte, one with a parentId beyond int4; the other nine get their comments. Runs on PGlite, and
 * on the PostgreSQL server when DATABASE_URL is set.
 */
let server: Server;
let base = "";
beforeAll(async () => {
  const api = apiHandler();
  server = createServer((req, res) => {
    if (!api(req, res)) res.writeHead(418).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const actor = (id: number) => loadActor(db(), id);

async function post(path: string, cookie: string, body: Record<string, string>) {
  const res = await fetch(base + path, {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: new URL(base).origin, Cookie: cookie },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe("a poisoned batch (issue 12 §2)", () => {
  it("twelve comments at once, three of them malformed: the nine genuine ones are stored, the three get 4xx", async () => {
    const w = await buildHallWorld();
    const p = await createProposal(await actor(w.author.id), { hallId: w.hall.id, title: "楼道堆物清理", body: "楼道里堆满杂物，消防隐患很大。", categoryCode: "parking", publish: true, clientKey: "poison-proposal" });
    for (const m of w.members.slice(0, 3)) await secondProposal(await actor(m.id), p.id);
    await openDebate(await actor(w.convener.id), p.id);
    const neighbours = [];
    for (let i = 0; i < 12; i++) {
      const u = await createUser({ displayName: `邻居${i}`, username: `neighbour${i}` });
      await db().insert(residencyClaims).values({ userId: u.id, communityId: w.c.id, address: "史家胡同7号", status: "verified" });
      await db().insert(hallMembers).values({ hallId: w.hall.id, userId: u.id, status: "active" });
      neighbours.push({ user: u, cookie: `gz_session=${(await createSession(db(), u.id)).token}` });
    }
    const answers = await Promise.all(
      neighbours.map(({ cookie }, i) =>
        post(i === 3 ? "/proposals/2147483648/comments" : `/proposals/${p.id}/comments`, cookie, {
          stance: "support",
          body: i === 7 ? "支持\u0000支持" : `支持，第${i}位邻居`,
          clientKey: `poison-key-${String(i).padStart(4, "0")}`,
          ...(i === 9 ? { parentId: "99999999999" } : {}),
        }),
      ),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses[3]).toBe(404);
    expect(statuses[7]).toBe(400);
    expect(statuses[9]).toBe(422);
    expect(statuses.filter((s, i) => ![3, 7, 9].includes(i))).toEqual(Array(9).fill(200));
    expect(statuses.every((s) => s < 500)).toBe(true);
    const stored = await db().select().from(comments).where(eq(comments.proposalId, p.id));
    expect(stored).toHaveLength(9);

    // Called directly (not through the API), the command refuses before batching too.
    await expect(postComment(await actor(neighbours[0]!.user.id), { proposalId: 2_147_483_648, stance: "support", body: "x", clientKey: "poison-key-direct" })).rejects.toMatchObject({ what: "proposal" });
  });

  it("a statement that fails for one member of the batch: each member gets its own answer from the database", async () => {
    // The same kind of shared statement group commit sends (jsonb_to_recordset into an int column).
    const call = batcher(async (items: string[]) => {
      const input = JSON.stringify(items.map((n, k) => ({ k, n })));
      const rows = rowsOf<{ k: number; v: number }>(await db().execute(sql`select k, (n::int * 2) as v from jsonb_to_recordset(${input}::jsonb) as i(k int, n text) order by k`));
      return rows.map((r) => Number(r.v));
    });
    const settled = await Promise.allSettled(["1", "2", "2147483648", "4", "5"].map((n) => call(n)));
    expect(settled.map((s) => (s.status === "fulfilled" ? s.value : "refused"))).toEqual([2, 4, "refused", 8, 10]);
    expect(call.stats).toMatchObject({ batches: 1, items: 5, retried: 5 });
  });
});
