import type { AddressInfo } from "node:net";
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { db } from "#db/client.server";
import { bids, projects } from "#db/schema";
import { apiHandler } from "~/api/router.server";
import { createSession } from "~/modules/identity/sessions.server";
import { encodeContents } from "~/modules/projects/bid-schemas";
import { sealBid } from "~/modules/projects/seal";
import { buildBidWorld, clientKey, publishCall, runOpeningCeremony, sampleContents } from "../support/committee";

/** The bids' JSON write API (ADR 0013) on a real HTTP server, as a script or the bid race calls it. */
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

async function postJson(path: string, userId: number | null, body: object) {
  const cookie = userId ? `gz_session=${(await createSession(db(), userId)).token}` : "";
  const res = await fetch(base + path, { method: "POST", headers: { "Content-Type": "application/json", Origin: new URL(base).origin, ...(cookie ? { Cookie: cookie } : {}) }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe("JSON write API: sealed bids", () => {
  it("takes a sealed bid once per key, refuses others' and malformed ones, and withdraws", async () => {
    const w = await buildBidWorld();
    const key = await runOpeningCeremony(w.project.id, w.openers);
    await publishCall(w.project.id);
    const s = await sealBid(w.project.id, w.org.id, key, encodeContents(sampleContents()));
    const body = { organizationId: w.org.id, sealed: s.sealed, clientKey: clientKey() };
    const first = await postJson(`/projects/${w.project.id}/bids`, w.people.orgAdmin.id, body);
    expect(first).toMatchObject({ status: 200, body: { ok: true, kind: "submit", revision: 1, receipt: s.receipt, bidCount: 1 } });
    const again = await postJson(`/projects/${w.project.id}/bids`, w.people.orgAdmin.id, body);
    expect(again.body).toMatchObject({ ok: true, revision: 1, receipt: s.receipt });
    expect(await postJson(`/projects/${w.project.id}/bids`, null, body)).toMatchObject({ status: 401 });
    expect(await postJson(`/projects/${w.project.id}/bids`, w.otherAdmin.id, { ...body, clientKey: clientKey() })).toMatchObject({ status: 403 });
    expect(await postJson(`/projects/${w.project.id}/bids`, w.people.orgAdmin.id, { ...body, clientKey: clientKey(), sealed: { ...s.sealed, plan: "明文" } })).toMatchObject({ status: 422 });
    expect(await postJson(`/projects/${w.project.id}/bids`, w.people.orgAdmin.id, { ...body, clientKey: clientKey(), sealed: { ...s.sealed, R: "11".repeat(32) } })).toMatchObject({
      status: 422,
      body: { ok: false, error: "bids.error.sealed", field: "sealed" },
    });
    const gone = await postJson(`/projects/${w.project.id}/bids`, w.people.orgAdmin.id, { intent: "withdraw", organizationId: w.org.id, clientKey: clientKey() });
    expect(gone.body).toMatchObject({ ok: true, kind: "withdraw", bidCount: 0 });
    const [p] = await db().select().from(projects).where(eq(projects.id, w.project.id));
    expect(p!.bidCount).toBe(0);
    expect(await db().select().from(bids).where(eq(bids.projectId, w.project.id))).toHaveLength(1);
  });
});
