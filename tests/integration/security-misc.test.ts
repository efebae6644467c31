import type { AddressInfo } from "node:net";
import { createServer, type Server } from "node:http";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, rowsOf } from "#db/client.server";
import { ballots, follows, halls, notifications, votes } from "#db/schema";
import { apiHandler } from "~/api/router.server";
import { runCommand } from "~/lib/command.server";
import { loadActor } from "~/modules/identity/actor.server";
import { createSession } from "~/modules/identity/sessions.server";
import { notify } from "~/modules/notifications/commands.server";
import { createProposal, openDebate, secondProposal, setFollow } from "~/modules/proposals/commands.server";
import { createVote } from "~/modules/votes/commands.server";
import { parseChoices } from "~/modules/votes/schemas";
import * as voteRoute from "~/routes/votes.$id";
import { replyOf } from "../support/replies";
import { buildHallWorld, type HallWorld } from "../support/hall-world";
import { contextFor } from "../support/whistle-world";

/** Issue 12 §7: drafts stay private, ballot choices parse strictly, jsonb holds real JSON. */
const actor = (id: number) => loadActor(db(), id);

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

async function openVote(w: HallWorld) {
  const p = await createProposal(await actor(w.author.id), { hallId: w.hall.id, title: "楼道堆物清理", body: "楼道里堆满杂物，消防隐患很大。", categoryCode: "parking", publish: true, clientKey: `k-${Math.random()}` });
  for (const m of w.members.slice(0, 3)) await secondProposal(await actor(m.id), p.id);
  await openDebate(await actor(w.convener.id), p.id);
  return createVote(await actor(w.convener.id), {
    hallId: w.hall.id, proposalId: p.id, question: "是否清理？", method: "single", options: ["周五", "周六", "周日"], maxChoices: 1, electorate: "members",
    opensAt: new Date(), closesAt: new Date(Date.now() + 3_600_000), quorumPercent: 0, threshold: "simple_majority", abstentionsCountForQuorum: true, secret: false, liveResults: true,
  });
}

describe("drafts stay private", () => {
  it("following someone else's draft is 'not found'; the author may; a missing proposal is 'not found', never a 500", async () => {
    const w = await buildHallWorld();
    const draft = await createProposal(await actor(w.author.id), { hallId: w.hall.id, title: "还没想好的提案", body: "草稿内容草稿内容草稿内容。", categoryCode: "parking", publish: false, clientKey: "draft-key-1" });
    await expect(setFollow(await actor(w.members[0]!.id), draft.id, true)).rejects.toMatchObject({ what: "proposal" });
    expect(await db().select().from(follows).where(eq(follows.proposalId, draft.id))).toHaveLength(1); // the author's own
    await expect(setFollow(await actor(w.members[0]!.id), 999_999, true)).rejects.toMatchObject({ what: "proposal" });
    await setFollow(await actor(w.author.id), draft.id, true);
  });
});

describe("ballot choices parse strictly", () => {
  it("only plain decimal whole numbers name an option", () => {
    expect(parseChoices(["0", "2", "10"])).toEqual([0, 2, 10]);
    for (const bad of ["", " 1", "1 ", "0x1", "1e0", "+1", "01", "1.0", "-0", "１", "NaN", "Infinity"]) expect(parseChoices([bad]), JSON.stringify(bad)).toEqual([-1]);
  });

  it("the API and the form refuse \"\" and \"0x1\" instead of storing option 0 or 1", async () => {
    const w = await buildHallWorld();
    const vote = await openVote(w);
    const cookie = `gz_session=${(await createSession(db(), w.members[0]!.id)).token}`;
    const post = async (body: unknown) => {
      const res = await fetch(`${base}/votes/${vote.id}/ballots`, { method: "POST", headers: { "Content-Type": "application/json", Origin: new URL(base).origin, Cookie: cookie }, body: JSON.stringify(body) });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    expect(await post({ choice: "" })).toMatchObject({ status: 422, body: { error: "vote.error.notAnOption" } });
    expect(await post({ choice: "0x1" })).toMatchObject({ status: 422, body: { error: "vote.error.notAnOption" } });
    expect(await db().select().from(ballots).where(eq(ballots.voteId, vote.id))).toHaveLength(0);

    const form = (choice: string) =>
      voteRoute.action({ request: new Request(`http://localhost/votes/${vote.id}`, { method: "POST", body: new URLSearchParams({ intent: "cast", choice }) }), params: { id: String(vote.id) }, context: contextFor(w.members[1]!) });
    expect(replyOf(await form(""))).toMatchObject({ ok: false, error: "vote.error.notAnOption" });
    expect(replyOf(await form("0x1"))).toMatchObject({ ok: false, error: "vote.error.notAnOption" });
    expect(await db().select().from(ballots).where(eq(ballots.voteId, vote.id))).toHaveLength(0);
    expect(replyOf(await form("1"))).toMatchObject({ ok: true });
    expect((await db().select().from(ballots).where(eq(ballots.voteId, vote.id))).map((b) => b.choices)).toEqual([[1]]);
  });
});

describe("jsonb holds real JSON on both databases", () => {
  it("notifications.params, halls.member_kinds and votes.result written through drizzle (inside and outside transactions) answer ->>", async () => {
    const w = await buildHallWorld();
    // Inside a transaction (the path commands take) and as a single statement.
    await runCommand((tx, outbox) => notify(tx, outbox, { userId: w.members[0]!.id, kind: "notification.welcome", params: { name: "王秀兰" } }));
    await db().insert(notifications).values({ userId: w.members[1]!.id, kind: "notification.welcome", params: { name: "李娟" } });
    const names = rowsOf<{ name: string | null; type: string }>(
      await db().execute(sql`select params->>'name' as name, jsonb_typeof(params) as type from ${notifications} where kind = 'notification.welcome' order by id`),
    );
    expect(names).toEqual([{ name: "王秀兰", type: "object" }, { name: "李娟", type: "object" }]);

    await runCommand((tx) => tx.update(halls).set({ memberKinds: ["resident", "organization"] }).where(eq(halls.id, w.hall.id)));
    const [kinds] = rowsOf<{ first: string; type: string }>(await db().execute(sql`select member_kinds->>0 as first, jsonb_typeof(member_kinds) as type from ${halls} where id = ${w.hall.id}`));
    expect(kinds).toEqual({ first: "resident", type: "array" });

    const vote = await openVote(w);
    await runCommand((tx) => tx.update(votes).set({ result: { outcome: "passed" } as never }).where(eq(votes.id, vote.id)));
    const [result] = rowsOf<{ outcome: string | null }>(await db().execute(sql`select result->>'outcome' as outcome from ${votes} where id = ${vote.id}`));
    expect(result).toEqual({ outcome: "passed" });
    // And drizzle reads them back as values, as before.
    const [n] = await db().select().from(notifications).where(eq(notifications.userId, w.members[0]!.id));
    expect(n!.params).toEqual({ name: "王秀兰" });
  });
});

describe("the custom migration that turns jsonb strings into values", () => {
  it("turns JSON strings written before the fix into the values they encode, and changes nothing else", async () => {
    const w = await buildHallWorld();
    // A row as a transaction on the server wrote it before the fix, and a good one.
    await db().execute(sql`insert into ${notifications} (user_id, kind, params) values (${w.members[0]!.id}, 'notification.welcome', to_jsonb(${'{"name":"王秀兰"}'}::text))`);
    await db().execute(sql`insert into ${notifications} (user_id, kind, params) values (${w.members[1]!.id}, 'notification.welcome', ${'{"name":"李娟"}'}::jsonb)`);
    await db().execute(sql`update ${halls} set member_kinds = to_jsonb(${'["resident"]'}::text) where id = ${w.hall.id}`);
    const { readdirSync, readFileSync } = await import("node:fs");
    const statements = readFileSync(`db/migrations/${readdirSync("db/migrations").find((name) => name.endsWith("_jsonb-strings.sql"))!}`, "utf8").split("--> statement-breakpoint");
    for (let run = 0; run < 2; run++) for (const s of statements) await db().execute(sql.raw(s)); // twice: idempotent
    const rows = rowsOf<{ name: string; type: string }>(await db().execute(sql`select params->>'name' as name, jsonb_typeof(params) as type from ${notifications} order by id`));
    expect(rows).toEqual([{ name: "王秀兰", type: "object" }, { name: "李娟", type: "object" }]);
    const [hall] = rowsOf<{ first: string }>(await db().execute(sql`select member_kinds->>0 as first from ${halls} where id = ${w.hall.id}`));
    expect(hall).toEqual({ first: "resident" });
  });
});

describe("a whistle from a unit id beyond int4", () => {
  it("/whistles/new?unit=subdistrict:9999999999 is refused, as a page and as a form, never a 500", async () => {
    const { buildWhistleWorld } = await import("../support/whistle-world");
    const newWhistle = await import("~/routes/whistles.new");
    const w = await buildWhistleWorld();
    const officer = contextFor(w.people.subdistrictOfficer);
    const status = await Promise.resolve(newWhistle.loader({ request: new Request("http://localhost/whistles/new?unit=subdistrict:9999999999"), params: {}, context: officer })).then(
      () => 200,
      (e: unknown) => (e instanceof Response ? e.status : 500),
    );
    expect(status).toBe(403);
    const body = new URLSearchParams({ unit: "subdistrict:9999999999", clientKey: crypto.randomUUID(), title: "燃气泄漏", description: "胡同口闻到燃气味", categoryCode: "parking", kind: "emergency", lead: String(w.team.id) });
    const reply = await newWhistle.action({ request: new Request("http://localhost/whistles/new", { method: "POST", body }), params: {}, context: officer });
    expect(JSON.stringify(reply)).toContain("unit");
  });
});
