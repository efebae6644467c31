import type { AddressInfo } from "node:net";
import { createServer, type Server } from "node:http";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { ballots, comments, encryptedBallots, participations, voteKeys } from "#db/schema";
import { apiHandler } from "~/api/router.server";
import { loadActor } from "~/modules/identity/actor.server";
import { createSession } from "~/modules/identity/sessions.server";
import { createProposal, openDebate, secondProposal } from "~/modules/proposals/commands.server";
import { createVote } from "~/modules/votes/commands.server";
import { ballotReceipt, encryptBallot } from "~/modules/votes/crypto";
import { buildHallWorld, type HallWorld } from "../support/hall-world";
import { runKeyCeremony } from "../support/tellers";

/** The JSON write API on a real HTTP server, called as the pages' scripts call it. */
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

async function cookieOf(userId: number) {
  const { token } = await createSession(db(), userId);
  return `gz_session=${token}`;
}

async function postJson(path: string, cookie: string, body: object) {
  const res = await fetch(base + path, { method: "POST", headers: { "Content-Type": "application/json", Origin: new URL(base).origin, Cookie: cookie }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function post(path: string, cookie: string | null, body: Record<string, string | string[]>) {
  const form = new URLSearchParams();
  for (const [k, v] of Object.entries(body)) for (const value of [v].flat()) form.append(k, value);
  const res = await fetch(base + path, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: new URL(base).origin, ...(cookie ? { Cookie: cookie } : {}) },
    body: form,
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function debating(w: HallWorld) {
  const p = await createProposal(await actor(w.author.id), { hallId: w.hall.id, title: "楼道堆物清理", body: "楼道里堆满杂物，消防隐患很大。", categoryCode: "parking", publish: true, clientKey: `k-${Math.random()}` });
  for (const m of w.members.slice(0, 3)) await secondProposal(await actor(m.id), p.id);
  await openDebate(await actor(w.convener.id), p.id);
  return p;
}

describe("JSON write API: comments", () => {
  it("posts a comment once per key, and answers refusals with a message key beside the field", async () => {
    const w = await buildHallWorld();
    const p = await debating(w);
    const cookie = await cookieOf(w.members[0]!.id);
    const body = { intent: "comment", stance: "oppose", body: "堆物要先通知住户", clientKey: "api-key-0001", organizationId: "" };
    const first = await post(`/proposals/${p.id}/comments`, cookie, body);
    expect(first).toMatchObject({ status: 200, body: { ok: true, comment: { stance: "oppose", body: "堆物要先通知住户", authorId: w.members[0]!.id } } });
    const again = await post(`/proposals/${p.id}/comments`, cookie, body);
    expect(again.body.commentId).toBe(first.body.commentId);
    expect(await db().select().from(comments).where(eq(comments.proposalId, p.id))).toHaveLength(1);

    expect(await post(`/proposals/${p.id}/comments`, cookie, { ...body, clientKey: "api-key-0002", stance: "" })).toMatchObject({
      status: 422,
      body: { ok: false, error: "comment.error.stance", field: "stance" },
    });
    expect(await post(`/proposals/${p.id}/comments`, cookie, { ...body, clientKey: "api-key-0003", body: "字".repeat(201) })).toMatchObject({
      status: 422,
      body: { ok: false, error: 'validation.tooLong|{"max":200}', field: "body" },
    });
  });

  it("says 401 to visitors, 403 to non-members and 404 for what does not exist", async () => {
    const w = await buildHallWorld();
    const p = await debating(w);
    const body = { stance: "support", body: "支持", clientKey: "api-key-0100" };
    expect(await post(`/proposals/${p.id}/comments`, null, body)).toMatchObject({ status: 401, body: { ok: false } });
    expect(await post(`/proposals/${p.id}/comments`, "gz_session=forged.forged", body)).toMatchObject({ status: 401 });
    expect(await post(`/proposals/${p.id}/comments`, await cookieOf(w.outsider.id), body)).toMatchObject({ status: 403, body: { error: "error.403" } });
    expect(await post(`/proposals/999999/comments`, await cookieOf(w.members[0]!.id), body)).toMatchObject({ status: 404 });
  });

  it("guards like the rest of the site: same origin only, POST only, security headers, a body limit; JSON bodies too", async () => {
    const w = await buildHallWorld();
    const p = await debating(w);
    const cookie = await cookieOf(w.members[0]!.id);
    const url = `${base}/proposals/${p.id}/comments`;
    const form = "stance=support&body=%E6%94%AF%E6%8C%81&clientKey=api-key-0200";
    const headers = { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie };
    // A form on another site, or a request that says nothing of where it comes from: refused before anything runs.
    const origins: Record<string, string>[] = [{ Origin: "https://evil.example" }, {}, { "Sec-Fetch-Site": "cross-site", Origin: new URL(base).origin }];
    for (const extra of origins) {
      const res = await fetch(url, { method: "POST", headers: { ...headers, ...extra }, body: form });
      expect(res.status).toBe(403);
      expect(res.headers.get("x-frame-options")).toBe("DENY");
    }
    expect(await db().select().from(comments).where(eq(comments.proposalId, p.id))).toHaveLength(0);
    expect((await fetch(url, { headers: { Cookie: cookie } })).status).toBe(405);
    expect((await fetch(`${base}/nothing/here`, { method: "POST", headers: { ...headers, Origin: new URL(base).origin } })).status).toBe(404);
    const huge = await fetch(url, { method: "POST", headers: { ...headers, Origin: new URL(base).origin }, body: `body=${"x".repeat(70_000)}` });
    expect(huge.status).toBe(413);
    // Not the API's: left to the rest of the server (here the test's 418).
    expect((await fetch(base.replace(/\/api$/, "/apiary"))).status).toBe(418);
    const json = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", Cookie: cookie, Origin: new URL(base).origin },
      body: JSON.stringify({ stance: "oppose", body: "反对", clientKey: "api-key-0201" }),
    });
    expect(json.status).toBe(200);
    expect(await json.json()).toMatchObject({ ok: true, comment: { stance: "oppose", body: "反对" } });
  });
});

describe("JSON write API: ballots", () => {
  async function openVote(w: HallWorld, secret: boolean) {
    const p = await debating(w);
    return createVote(await actor(w.convener.id), {
      hallId: w.hall.id,
      proposalId: p.id,
      question: "是否清理？",
      method: "yes_no",
      options: [],
      maxChoices: 1,
      electorate: "members",
      opensAt: new Date(),
      closesAt: new Date(Date.now() + 3_600_000),
      quorumPercent: 0,
      threshold: "simple_majority",
      abstentionsCountForQuorum: true,
      secret,
      liveResults: false,
      tellers: secret ? [w.convener.id, w.author.id] : undefined,
    }).then(async (vote) => {
      if (secret) await runKeyCeremony(vote.id, [w.convener.id, w.author.id]);
      return vote;
    });
  }

  it("casts an open ballot and lets the voter change it", async () => {
    const w = await buildHallWorld();
    const vote = await openVote(w, false);
    const cookie = await cookieOf(w.members[1]!.id);
    expect(await post(`/votes/${vote.id}/ballots`, cookie, { choice: "0" })).toMatchObject({ status: 200, body: { ok: true, receipt: null, changed: false } });
    expect(await post(`/votes/${vote.id}/ballots`, cookie, { choice: "1" })).toMatchObject({ status: 200, body: { ok: true, changed: true } });
    const stored = await db().select().from(ballots).where(eq(ballots.voteId, vote.id));
    expect(stored.map((b) => b.choices)).toEqual([[1]]);
    expect(await post(`/votes/${vote.id}/ballots`, cookie, { choice: "7" })).toMatchObject({ status: 422, body: { error: "vote.error.notAnOption", field: "choices" } });
    expect(await post(`/votes/${vote.id}/ballots`, await cookieOf(w.outsider.id), { choice: "0" })).toMatchObject({ status: 422, body: { error: "vote.error.notEligible" } });
  });

  it("gives a secret voter a receipt once and refuses a second ballot", async () => {
    const w = await buildHallWorld();
    const vote = await openVote(w, true);
    const cookie = await cookieOf(w.members[2]!.id);
    const first = await post(`/votes/${vote.id}/ballots`, cookie, { choice: "2" });
    expect(first).toMatchObject({ status: 200, body: { ok: true } });
    expect(String(first.body.receipt)).toMatch(/\S{6,}/);
    expect(await post(`/votes/${vote.id}/ballots`, cookie, { choice: "0" })).toMatchObject({ status: 422, body: { error: "vote.error.alreadyVotedSecret" } });
    expect(await db().select().from(participations).where(eq(participations.voteId, vote.id))).toHaveLength(1);
    expect(await db().select().from(encryptedBallots).where(eq(encryptedBallots.voteId, vote.id))).toHaveLength(1);
  }, 60_000);

  it("takes a ballot encrypted in the browser, checks its proofs, and refuses a forged one", async () => {
    const w = await buildHallWorld();
    const vote = await openVote(w, true);
    const [keys] = await db().select().from(voteKeys).where(eq(voteKeys.voteId, vote.id));
    const shape = { method: "yes_no" as const, optionCount: 3, maxChoices: 1 };
    const ballot = encryptBallot(vote.id, keys!.electionKey!, shape, [1]);
    const forged = structuredClone(ballot);
    forged.sumProof[0]!.c = forged.proofs[0]![0]!.c;
    const cookie = await cookieOf(w.members[1]!.id);
    expect(await postJson(`/votes/${vote.id}/ballots`, cookie, { ballot: forged })).toMatchObject({ status: 422, body: { error: "vote.error.badBallot" } });
    expect(await postJson(`/votes/${vote.id}/ballots`, cookie, { ballot: { ciphertexts: "x" } })).toMatchObject({ status: 422 });
    const ok = await postJson(`/votes/${vote.id}/ballots`, cookie, { ballot });
    expect(ok).toMatchObject({ status: 200, body: { ok: true, receipt: ballotReceipt(ballot) } });
  });
});
