import type { AddressInfo } from "node:net";
import { createServer, type Server } from "node:http";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { activities, activityRoles, ballots, comments, encryptedBallots, meetingBallots, meetingMotions, participations, residencyClaims, signups, voteKeys } from "#db/schema";
import { apiHandler } from "~/api/router.server";
import { loadActor } from "~/modules/identity/actor.server";
import { createSession } from "~/modules/identity/sessions.server";
import { createProposal, openDebate, secondProposal } from "~/modules/proposals/commands.server";
import { createVote } from "~/modules/votes/commands.server";
import { ballotReceipt, encryptBallot } from "~/modules/votes/crypto";
import { buildHallWorld, type HallWorld } from "../support/hall-world";
import { runKeyCeremony } from "../support/tellers";
import { createUser } from "../support/factories";
import { activityIn, buildPledgeWorld, type PledgeWorld } from "../support/pledge-world";
import { buildMeetingWorld, NOW, withMotion } from "../support/meeting-world";
import { putMotion, secondMotion } from "~/modules/meetings/commands.server";

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

describe("JSON write API: activity sign-up and cancel", () => {
  /** An activity of the pledge world, moved to start a day from the real clock (the API asks the server's clock). */
  async function upcoming(w: PledgeWorld, opts: Parameters<typeof activityIn>[1] = {}) {
    const activity = await activityIn(w, opts);
    const startsAt = new Date(Date.now() + 24 * 3_600_000);
    await db()
      .update(activities)
      .set({ startsAt, endsAt: new Date(startsAt.getTime() + 2 * 3_600_000) })
      .where(eq(activities.id, activity.id));
    const [role] = await db().select().from(activityRoles).where(eq(activityRoles.activityId, activity.id));
    return { activity, role: role! };
  }
  async function residents(w: PledgeWorld, n: number) {
    const people = [];
    for (let i = 0; i < n; i++) {
      const u = await createUser();
      await db().insert(residencyClaims).values({ userId: u.id, communityId: w.c.id, address: `史家胡同${i}号`, status: "verified" });
      people.push({ id: u.id, cookie: await cookieOf(u.id) });
    }
    return people;
  }

  it("hands out places exactly as the form does: N signed up, the rest waitlisted in arrival order, a second post the same record", async () => {
    const w = await buildPledgeWorld();
    const { activity, role } = await upcoming(w, { slots: 3 });
    const people = await residents(w, 12);
    const answers = await Promise.all([...people, ...people.slice(0, 4)].map((p) => post(`/activities/${activity.id}/signup`, p.cookie, { roleId: String(role.id) })));
    expect(answers.every((a) => a.status === 200 && a.body.ok === true)).toBe(true);
    const rows = await db().select().from(signups).where(eq(signups.activityId, activity.id)).orderBy(signups.seq);
    expect(rows).toHaveLength(12);
    expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(rows.map((r) => r.status)).toEqual([...Array<string>(3).fill("signed_up"), ...Array<string>(9).fill("waitlisted")]);
    // Each person's answer says where they stand; the repeated posts name the same place.
    for (const [i, a] of answers.entries()) {
      const row = rows.find((r) => r.userId === [...people, ...people.slice(0, 4)][i]!.id)!;
      expect(a.body.signup).toEqual({ roleId: role.id, status: row.status, seq: row.seq });
    }

    // Cancelling a place moves the earliest waiting person up, as the form's cancel does.
    const leaving = rows[1]!;
    const cancelled = await post(`/activities/${activity.id}/cancel`, people.find((p) => p.id === leaving.userId)!.cookie, {});
    expect(cancelled).toMatchObject({ status: 200, body: { ok: true, promoted: true } });
    const [moved] = await db().select().from(signups).where(eq(signups.id, rows[3]!.id));
    expect(moved!.status).toBe("signed_up");
    expect(await post(`/activities/${activity.id}/cancel`, people.find((p) => p.id === leaving.userId)!.cookie, {})).toMatchObject({
      status: 422,
      body: { ok: false, error: "activity.error.notSignedUp" },
    });
  });

  it("authorises on the server like the form: 401 to visitors, 403 to residents for members only, 404, and messages beside the field", async () => {
    const w = await buildPledgeWorld();
    const { activity, role } = await upcoming(w, { eligibility: "members" });
    const [resident] = await residents(w, 1);
    const url = `/activities/${activity.id}/signup`;
    expect(await post(url, null, { roleId: String(role.id) })).toMatchObject({ status: 401, body: { ok: false, error: "error.401" } });
    expect(await post(url, resident!.cookie, { roleId: String(role.id) })).toMatchObject({ status: 403, body: { ok: false, error: "error.403" } });
    expect(await post(`/activities/${activity.id}/cancel`, null, {})).toMatchObject({ status: 401 });
    const member = await cookieOf(w.people.partyMember.id);
    expect(await post(`/activities/99999999/signup`, member, { roleId: String(role.id) })).toMatchObject({ status: 404 });
    expect(await post(url, member, { roleId: "" })).toMatchObject({ status: 422, body: { ok: false, error: "validation.required", field: "roleId" } });
    expect(await post(url, member, { roleId: "99999999" })).toMatchObject({ status: 422, body: { ok: false, error: "validation.choose", field: "roleId" } });
    // Another site's form cannot sign anyone up (the CSRF origin check, before anything runs).
    const res = await fetch(`${base}${url}`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: member, Origin: "https://evil.example" }, body: `roleId=${role.id}` });
    expect(res.status).toBe(403);
    expect(await db().select().from(signups).where(eq(signups.activityId, activity.id))).toHaveLength(0);
    // Once it has started, sign-up is closed, in words.
    await db().update(activities).set({ startsAt: new Date(Date.now() - 60_000) }).where(eq(activities.id, activity.id));
    expect(await post(url, member, { roleId: String(role.id) })).toMatchObject({ status: 422, body: { ok: false, error: "activity.error.closed" } });
  });
});

describe("JSON write API: a phone's ballot in a hall meeting", () => {
  it("takes the ballot of a member present, a second tap changing it; 401, 403, 404 and a message beside the field like the page's form", async () => {
    const w = await buildMeetingWorld();
    const [m1, m2, m3] = w.members.map((u) => u.id);
    const m = await withMotion(w, m1!, [m2!]);
    const [motion] = await db().select().from(meetingMotions).where(eq(meetingMotions.meetingId, m.id));
    const chair = await actor(w.convener.id);
    await secondMotion(await actor(m2!), { meetingId: m.id, motionId: motion!.id }, NOW);
    const path = `/meetings/${m.id}/ballots`;
    const present = await cookieOf(m1!);
    // Not being voted yet: refused beside the choice.
    expect(await post(path, present, { motionId: String(motion!.id), choice: "for" })).toEqual({ status: 422, body: { ok: false, error: "meeting.error.notVoting", field: "choice" } });
    await putMotion(chair, { meetingId: m.id, motionId: motion!.id }, NOW);
    expect(await post(path, present, { motionId: String(motion!.id), choice: "against" })).toEqual({ status: 200, body: { ok: true, motionId: motion!.id, choice: "against" } });
    expect((await post(path, present, { motionId: String(motion!.id), choice: "for" })).status).toBe(200);
    expect((await post(path, present, { motionId: String(motion!.id), choice: "maybe" })).body).toMatchObject({ ok: false, field: "choice" });
    expect((await post(path, null, { motionId: String(motion!.id), choice: "for" })).status).toBe(401);
    // Invited but not signed in: 403; a motion of nowhere: 404.
    expect((await post(path, await cookieOf(m3!), { motionId: String(motion!.id), choice: "for" })).status).toBe(403);
    expect((await post(path, present, { motionId: "999999", choice: "for" })).status).toBe(404);
    const stored = await db().select().from(meetingBallots).where(eq(meetingBallots.motionId, motion!.id));
    expect(stored.map((b) => [b.userId, b.choice])).toEqual([[m1, "for"]]);
  });
});
