import type { AppLoadContext } from "@remix-run/node";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { onPublish } from "#realtime/publish.server";
import { commentRevisions, comments, notifications, proposalEvents, proposalSeconds, proposals, rateLimits } from "#db/schema";
import { loadActor } from "~/modules/identity/actor.server";
import { joinHall } from "~/modules/halls/commands.server";
import { listProposals } from "~/modules/halls/queries.server";
import {
  createProposal,
  declineProposal,
  editComment,
  expireDueProposals,
  moderateComment,
  openDebate,
  postComment,
  reportComment,
  secondProposal,
  withdrawProposal,
  withdrawSecond,
  writeMinutes,
} from "~/modules/proposals/commands.server";
import { debatePage, getProposalPage, proposalPage, THREADS_PER_PAGE } from "~/modules/proposals/queries.server";
import { search } from "~/modules/search/queries.server";
import { proposalIntents } from "~/modules/proposals/intents.server";
import { performIntent } from "~/lib/intents.server";
import type { ProposalChange } from "#realtime/events";
import { replyOf } from "../support/replies";
import { COMMENT_LIMIT, EDIT_WINDOW_MS } from "~/modules/proposals/rules";
import * as moreComments from "~/routes/proposals.$id_.comments";
import { queryText } from "~/modules/search/bigrams";
import { buildHallWorld, type HallWorld } from "../support/hall-world";

const actor = (id: number) => loadActor(db(), id);
let keys = 0;
const key = () => `key-${++keys}-${Math.random().toString(36).slice(2)}`;

async function raise(w: HallWorld, title = "胡同口夜间乱停车，消防通道被堵", authorId = w.author.id) {
  return createProposal(await actor(authorId), { hallId: w.hall.id, title, body: "每天晚上八点以后车停满了胡同口，救护车进不来。", categoryCode: "parking", publish: true, clientKey: key() });
}

describe("resident raises a proposal and neighbours second it", () => {
  it("opens with the hall's rule frozen, reaches the agenda on the third second, and records every step", async () => {
    const w = await buildHallWorld();
    const p = await raise(w);
    expect(p).toMatchObject({ state: "open", secondsRequired: 3 });
    await secondProposal(await actor(w.members[0]!.id), p.id);
    await secondProposal(await actor(w.members[1]!.id), p.id);
    const after = await secondProposal(await actor(w.members[2]!.id), p.id);
    expect(after.state).toBe("on_agenda");
    const events = await db().select().from(proposalEvents).where(eq(proposalEvents.proposalId, p.id)).orderBy(proposalEvents.id);
    expect(events.filter((e) => e.kind === "state").map((e) => e.toState)).toEqual(["open", "on_agenda"]);
    expect(events.filter((e) => e.kind === "second")).toHaveLength(3);
    // Followers (the author among them) hear that it moved on.
    const authorNotes = await db().select().from(notifications).where(eq(notifications.userId, w.author.id));
    expect(authorNotes.map((n) => n.kind)).toContain("notification.proposalState");
  });

  it("refuses seconding twice, seconding one's own proposal, and seconding by a non-member", async () => {
    const w = await buildHallWorld();
    const p = await raise(w);
    const m = await actor(w.members[0]!.id);
    await secondProposal(m, p.id);
    await expect(secondProposal(m, p.id)).rejects.toMatchObject({ messageKey: "proposal.error.alreadySeconded" });
    await expect(secondProposal(await actor(w.author.id), p.id)).rejects.toMatchObject({ messageKey: "proposal.error.ownSecond" });
    await expect(secondProposal(await actor(w.outsider.id), p.id)).rejects.toMatchObject({ action: "proposal:second" });
    expect(await db().select().from(proposalSeconds).where(eq(proposalSeconds.proposalId, p.id))).toHaveLength(1);
  });

  it("lets a member take their second back while it collects seconds: the count drops live, the page offers seconding again", async () => {
    const w = await buildHallWorld({ secondingRule: { kind: "count", n: 3 } });
    const p = await raise(w);
    const m0 = await actor(w.members[0]!.id);
    await secondProposal(m0, p.id);
    await secondProposal(await actor(w.members[1]!.id), p.id);
    const before = await proposalPage(m0, p.id);
    expect(before).toMatchObject({ seconds: 2, secondedByMe: true, can: { second: false, unsecond: true } });

    const heard: ProposalChange[] = [];
    const stop = onPublish((room, message) => {
      if (room === `proposal:${p.id}` && message.event === "proposal:changed") heard.push(message.args[0] as ProposalChange);
    });
    try {
      // Through the page's form, as the button sends it.
      const form = new FormData();
      form.set("intent", "unsecond");
      expect(replyOf(await performIntent(form, proposalIntents, { actor: m0, proposalId: p.id })).ok).toBe(true);
    } finally {
      stop();
    }
    // Open pages hear the lower count, with a rev newer than what they loaded (so live.ts keeps it).
    expect(heard).toHaveLength(1);
    expect(heard[0]).toMatchObject({ state: "open", seconds: 1 });
    expect(heard[0]!.rev).toBeGreaterThan(before.rev);

    const after = await proposalPage(m0, p.id);
    expect(after).toMatchObject({ seconds: 1, rev: heard[0]!.rev, secondedByMe: false, can: { second: true, unsecond: false } });
    // Recorded, but not on the public history (neither is a second).
    const kinds = (await db().select().from(proposalEvents).where(eq(proposalEvents.proposalId, p.id))).map((e) => e.kind);
    expect(kinds.filter((k) => k === "unsecond")).toHaveLength(1);
    expect(after.events.map((e) => e.kind)).not.toContain("unsecond");
    // Nothing left to take back; and seconding again counts once more.
    await expect(withdrawSecond(m0, p.id)).rejects.toMatchObject({ messageKey: "proposal.error.notSeconded" });
    expect((await secondProposal(m0, p.id)).state).toBe("open");
    // The rule's third second still puts it on the agenda; from then on the seconds stand.
    expect((await secondProposal(await actor(w.members[2]!.id), p.id)).state).toBe("on_agenda");
    await expect(withdrawSecond(m0, p.id)).rejects.toMatchObject({ messageKey: "proposal.error.secondStands" });
    expect(await db().select().from(proposalSeconds).where(eq(proposalSeconds.proposalId, p.id))).toHaveLength(3);
    expect((await proposalPage(m0, p.id)).can.unsecond).toBe(false);
  });

  it("counts 20 concurrent seconds (4 members × 5 clicks) exactly: the rule's third puts it on the agenda, later ones are refused", async () => {
    const w = await buildHallWorld({ secondingRule: { kind: "count", n: 3 } });
    const p = await raise(w);
    const results = await Promise.allSettled(w.members.flatMap((m) => Array.from({ length: 5 }, async () => secondProposal(await actor(m.id), p.id))));
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(3);
    expect(await db().select().from(proposalSeconds).where(eq(proposalSeconds.proposalId, p.id))).toHaveLength(3);
    const moves = await db().select().from(proposalEvents).where(and(eq(proposalEvents.proposalId, p.id), eq(proposalEvents.toState, "on_agenda")));
    expect(moves).toHaveLength(1);
  });

  it("makes one proposal of a retried submit with the same key", async () => {
    const w = await buildHallWorld();
    const a = await actor(w.author.id);
    const input = { hallId: w.hall.id, title: "重复提交的议题", body: "同一个表单提交了两次，只应该有一个议题。", categoryCode: "parking", publish: true, clientKey: "same-key-123" };
    const [one, two] = await Promise.all([createProposal(a, input), createProposal(a, input)]);
    expect(one.id).toBe(two.id);
    expect(await db().select().from(proposals)).toHaveLength(1);
  });

  it("refuses a proposal from a non-member and an unknown category, and limits five a day", async () => {
    const w = await buildHallWorld();
    await expect(createProposal(await actor(w.outsider.id), { hallId: w.hall.id, title: "外人的议题", body: "不是成员不能提议题。。。。。", categoryCode: "parking", publish: true, clientKey: key() })).rejects.toMatchObject({ action: "proposal:create" });
    const a = await actor(w.author.id);
    await expect(createProposal(a, { hallId: w.hall.id, title: "类别不存在", body: "类别不存在的议题。。。。。", categoryCode: "nope", publish: true, clientKey: key() })).rejects.toMatchObject({ field: "categoryCode" });
    // A refused command rolls back its rate-limit hit too: only the five that were made count.
    for (let i = 0; i < 5; i++) await raise(w, `第${i}个议题标题`);
    await expect(raise(w, "第六个议题")).rejects.toMatchObject({ messageKey: "proposal.error.rateLimited" });
  });

  it("lets an eligible resident join an open hall but not a resident of another community", async () => {
    const w = await buildHallWorld();
    expect(await joinHall(await actor(w.eligible.id), w.hall.id)).toBe("active");
    await expect(joinHall(await actor(w.outsider.id), w.hall.id)).rejects.toMatchObject({ action: "hall:join" });
  });

  it("expires an open proposal whose window passed, whatever the clock says at start-up", async () => {
    const w = await buildHallWorld();
    const p = await raise(w);
    expect(await expireDueProposals(new Date())).toBe(0);
    expect(await expireDueProposals(new Date(Date.now() + 15 * 86_400_000))).toBe(1);
    const [row] = await db().select().from(proposals).where(eq(proposals.id, p.id));
    expect(row!.state).toBe("expired");
  });
});

describe("convener screens proposals", () => {
  it("merges a duplicate into another with its seconds and author", async () => {
    const w = await buildHallWorld();
    const original = await raise(w, "胡同口乱停车");
    const dup = await raise(w, "胡同口停车太乱了", w.members[3]!.id);
    await secondProposal(await actor(w.members[0]!.id), dup.id);
    await secondProposal(await actor(w.members[1]!.id), dup.id);
    const convener = await actor(w.convener.id);
    await declineProposal(convener, { proposalId: dup.id, reason: "duplicate", text: "与先提出的议题重复，合并办理", mergeIntoId: original.id });
    const [target] = await db().select().from(proposals).where(eq(proposals.id, original.id));
    expect(target!.state).toBe("on_agenda"); // m0, m1 and the duplicate's author m3 = 3 seconds
    const [dupRow] = await db().select().from(proposals).where(eq(proposals.id, dup.id));
    expect(dupRow).toMatchObject({ state: "declined", declineReason: "duplicate", mergedIntoId: original.id });
  });

  it("needs a public reason, refuses merging into itself, and only conveners or unit staff may decline", async () => {
    const w = await buildHallWorld();
    const p = await raise(w);
    const convener = await actor(w.convener.id);
    await expect(declineProposal(convener, { proposalId: p.id, reason: "unlawful", text: " " })).rejects.toMatchObject({ messageKey: "validation.reasonRequired" });
    await expect(declineProposal(convener, { proposalId: p.id, reason: "duplicate", text: "重复", mergeIntoId: p.id })).rejects.toMatchObject({ field: "mergeIntoId" });
    await expect(declineProposal(await actor(w.members[0]!.id), { proposalId: p.id, reason: "unlawful", text: "不行" })).rejects.toMatchObject({ action: "proposal:moderate" });
    await expect(declineProposal(await actor(w.staff.id), { proposalId: p.id, reason: "out_of_scope", text: "不属于本厅议事范围" })).resolves.toMatchObject({ state: "declined" });
  });

  it("keeps every version of the minutes", async () => {
    const w = await buildHallWorld();
    const p = await raise(w);
    const convener = await actor(w.convener.id);
    expect(await writeMinutes(convener, { proposalId: p.id, agreed: "第一次共识", open: "", nextStep: "" })).toBe(1);
    expect(await writeMinutes(convener, { proposalId: p.id, agreed: "第二次共识", open: "还有分歧", nextStep: "下周再议" })).toBe(2);
    const page = await getProposalPage(db(), p.id, convener);
    expect(page!.minutes).toMatchObject({ version: 2, agreed: "第二次共识" });
  });

  it("lets the author withdraw before voting, and nobody else", async () => {
    const w = await buildHallWorld();
    const p = await raise(w);
    await expect(withdrawProposal(await actor(w.members[0]!.id), p.id)).rejects.toMatchObject({ action: "proposal:withdraw" });
    await expect(withdrawProposal(await actor(w.author.id), p.id)).resolves.toMatchObject({ state: "withdrawn" });
    await expect(withdrawProposal(await actor(w.author.id), p.id)).rejects.toMatchObject({ messageKey: "proposal.error.wrongState" });
  });
});

describe("debate", () => {
  async function debating(w: HallWorld) {
    const p = await raise(w);
    for (const m of w.members.slice(0, 3)) await secondProposal(await actor(m.id), p.id);
    await openDebate(await actor(w.convener.id), p.id);
    return p;
  }

  it("several people posting at once, each submitting twice, make one comment each, each announced once", async () => {
    const w = await buildHallWorld();
    const p = await debating(w);
    const people = await Promise.all([w.convener, w.author, ...w.members].map((u) => actor(u.id)));
    const announced: string[] = [];
    const stop = onPublish((room) => announced.push(room));
    try {
      const inputs = people.map((a, n) => ({ a, input: { proposalId: p.id, stance: "support" as const, body: `第${n + 1}位邻居的意见`, clientKey: key() } }));
      // Every submit twice, all at the same moment: they share statements (group commit, ADR 0015).
      const made = await Promise.all(inputs.flatMap(({ a, input }) => [postComment(a, input), postComment(a, input)]));
      for (let n = 0; n < people.length; n++) expect(made[2 * n]!.id).toBe(made[2 * n + 1]!.id);
      const stored = await db().select().from(comments).where(eq(comments.proposalId, p.id));
      expect(stored.map((c) => c.body).sort()).toEqual(inputs.map(({ input }) => input.body).sort());
      expect(announced.filter((room) => room === `proposal:${p.id}`)).toHaveLength(people.length);
    } finally {
      stop();
    }
  });

  it("posts once per key, nests replies three levels and no deeper, and notifies the replied-to", async () => {
    const w = await buildHallWorld();
    const p = await debating(w);
    const m0 = await actor(w.members[0]!.id);
    const m1 = await actor(w.members[1]!.id);
    const k = key();
    const [first, again] = await Promise.all([
      postComment(m0, { proposalId: p.id, stance: "support", body: "我支持，晚上确实进不来车。", clientKey: k }),
      postComment(m0, { proposalId: p.id, stance: "support", body: "我支持，晚上确实进不来车。", clientKey: k }),
    ]);
    expect(first.id).toBe(again.id);
    const r1 = await postComment(m1, { proposalId: p.id, parentId: first.id, stance: "oppose", body: "停车位本来就少。", clientKey: key() });
    const r2 = await postComment(m0, { proposalId: p.id, parentId: r1.id, stance: "support", body: "可以夜间错峰。", clientKey: key() });
    expect([r1.depth, r2.depth]).toEqual([1, 2]);
    await expect(postComment(m1, { proposalId: p.id, parentId: r2.id, stance: "neutral", body: "第四层", clientKey: key() })).rejects.toMatchObject({ messageKey: "comment.error.tooDeep" });
    expect(await db().select().from(notifications).where(and(eq(notifications.userId, w.members[0]!.id), eq(notifications.kind, "notification.reply")))).toHaveLength(1);
  });

  it("refuses over-long text, non-members and closed proposals; keeps script as text", async () => {
    const w = await buildHallWorld();
    const p = await debating(w);
    const m0 = await actor(w.members[0]!.id);
    await expect(postComment(m0, { proposalId: p.id, stance: "support", body: "长".repeat(201), clientKey: key() })).rejects.toMatchObject({ field: "body" });
    await expect(postComment(await actor(w.outsider.id), { proposalId: p.id, stance: "support", body: "外人发言", clientKey: key() })).rejects.toMatchObject({ action: "proposal:comment" });
    const xss = await postComment(m0, { proposalId: p.id, stance: "neutral", body: "<script>alert(1)</script>", clientKey: key() });
    expect(xss.body).toBe("<script>alert(1)</script>"); // stored as typed; React renders it as text
    await withdrawProposal(await actor(w.author.id), p.id);
    await expect(postComment(m0, { proposalId: p.id, stance: "support", body: "晚了", clientKey: key() })).rejects.toMatchObject({ messageKey: "proposal.error.closed" });
  });

  it("allows edits for 15 minutes, keeps the old text and marks the comment edited", async () => {
    const w = await buildHallWorld();
    const p = await debating(w);
    const m0 = await actor(w.members[0]!.id);
    const c = await postComment(m0, { proposalId: p.id, stance: "support", body: "原来的话", clientKey: key() });
    const edited = await editComment(m0, { commentId: c.id, body: "改过的话", stance: "neutral" });
    expect(edited).toMatchObject({ body: "改过的话", stance: "neutral" });
    expect(edited.editedAt).not.toBeNull();
    expect(await db().select().from(commentRevisions).where(eq(commentRevisions.commentId, c.id))).toMatchObject([{ body: "原来的话", stance: "support" }]);
    await expect(editComment(m0, { commentId: c.id, body: "太晚了", stance: "support" }, new Date(Date.now() + EDIT_WINDOW_MS + 1000))).rejects.toMatchObject({ messageKey: "comment.error.editWindow" });
    await expect(editComment(await actor(w.members[1]!.id), { commentId: c.id, body: "别人的", stance: "support" })).rejects.toMatchObject({ action: "comment:edit" });
  });

  it("hides a comment after three reports from different members and the convener restores it with a reason", async () => {
    const w = await buildHallWorld();
    const p = await debating(w);
    const c = await postComment(await actor(w.author.id), { proposalId: p.id, stance: "support", body: "一条被举报的发言", clientKey: key() });
    await reportComment(await actor(w.members[0]!.id), { commentId: c.id, reason: "offensive" });
    await expect(reportComment(await actor(w.members[0]!.id), { commentId: c.id, reason: "spam" })).rejects.toMatchObject({ messageKey: "comment.error.alreadyReported" });
    await reportComment(await actor(w.members[1]!.id), { commentId: c.id, reason: "offensive" });
    let [row] = await db().select().from(comments).where(eq(comments.id, c.id));
    expect(row!.hiddenAt).toBeNull();
    await reportComment(await actor(w.members[2]!.id), { commentId: c.id, reason: "spam" });
    [row] = await db().select().from(comments).where(eq(comments.id, c.id));
    expect(row!.hiddenAt).not.toBeNull();
    const page = await getProposalPage(db(), p.id, await actor(w.members[3]!.id));
    expect(page!.debate.comments.find((x) => x.id === c.id)).toMatchObject({ body: null, hidden: { byReports: true } });
    const restored = await moderateComment(await actor(w.convener.id), { commentId: c.id, hide: false, reason: "内容没有问题" });
    expect(restored).toMatchObject({ body: "一条被举报的发言", hidden: null });
    await expect(moderateComment(await actor(w.members[0]!.id), { commentId: c.id, hide: true, reason: "我不喜欢" })).rejects.toMatchObject({ action: "proposal:moderate" });
  });

  it("pages the debate by whole threads, counts stances over all comments, and never drops a reply", async () => {
    const w = await buildHallWorld();
    const p = await debating(w);
    const speakers = await Promise.all([w.author, ...w.members].map((u) => actor(u.id)));
    const stances = ["support", "oppose", "neutral"] as const;
    // 35 threads, each root with one reply; replies by the next speaker.
    const roots: number[] = [];
    for (let i = 0; i < 35; i++) {
      const root = await postComment(speakers[i % 5]!, { proposalId: p.id, stance: stances[i % 3]!, body: `第${i}条`, clientKey: key() });
      await postComment(speakers[(i + 1) % 5]!, { proposalId: p.id, parentId: root.id, stance: "support", body: `回复${i}`, clientKey: key() });
      roots.push(root.id);
    }
    await moderateComment(await actor(w.convener.id), { commentId: roots[0]!, hide: true, reason: "离题" });

    const page = await getProposalPage(db(), p.id, speakers[1]!);
    const first = page!.debate;
    expect(first.comments.filter((c) => c.parentId === null).map((c) => c.id)).toEqual(roots.slice(0, THREADS_PER_PAGE));
    expect(first.comments).toHaveLength(THREADS_PER_PAGE * 2); // every reply of every thread shown
    expect(first.nextAfter).toBe(roots[THREADS_PER_PAGE - 1]);
    // 35 supporting replies + the roots' stances (12 support, 12 oppose, 11 neutral) − the hidden first root.
    expect(first.totals).toEqual({ all: 70, threads: 35, support: 35 + 12 - 1, oppose: 12, neutral: 11 });

    const rest = await debatePage(db(), p.id, first.nextAfter!);
    expect(rest.comments.filter((c) => c.parentId === null).map((c) => c.id)).toEqual(roots.slice(THREADS_PER_PAGE));
    expect(rest.comments).toHaveLength((35 - THREADS_PER_PAGE) * 2);
    expect(rest.nextAfter).toBeNull();
  });

  it("serves the next page of the debate to whoever may see the proposal, and a 404 to anyone else", async () => {
    const w = await buildHallWorld();
    const p = await debating(w);
    const speaker = await actor(w.author.id);
    for (let i = 0; i < THREADS_PER_PAGE + 2; i++) await postComment(speaker, { proposalId: p.id, stance: "support", body: `第${i}条`, clientKey: key() });
    const context = (user: { id: number; displayName: string } | null) =>
      ({ user: user ? { id: user.id, displayName: user.displayName, locale: null, largeText: false } : null, sessionId: user ? "s" : null, locale: "zh-CN", largeText: false, secure: false, ip: "127.0.0.1" }) as AppLoadContext;
    const first = await getProposalPage(db(), p.id, speaker);
    const call = (user: { id: number; displayName: string } | null, query: string, id = p.id) =>
      moreComments.loader({ context: context(user), params: { id: String(id) }, request: new Request(`http://localhost/proposals/${id}/comments${query}`) });
    const res = (await call(null, `?after=${first!.debate.nextAfter}`)) as Response;
    const page = (await res.json()) as { comments: { body: string }[]; nextAfter: number | null };
    expect(page.comments.map((c) => c.body)).toEqual([`第${THREADS_PER_PAGE}条`, `第${THREADS_PER_PAGE + 1}条`]);
    expect(page.nextAfter).toBeNull();
    await expect(call(null, "?after=-1")).rejects.toMatchObject({ status: 400 });
    await expect(call(null, "", 999_999)).rejects.toMatchObject({ status: 404 });
    // A draft is its author's alone.
    const draft = await createProposal(await actor(w.author.id), { hallId: w.hall.id, title: "还没想好的草稿", body: "草稿的内容，先存着以后再说。", categoryCode: "parking", publish: false, clientKey: key() });
    await expect(call(null, "", draft.id)).rejects.toMatchObject({ status: 404 });
  });

  it("holds each person to the hourly comment limit, counted in the database, and lets them speak again after the hour", async () => {
    const w = await buildHallWorld({ commentMaxLength: 200 });
    const p = await debating(w);
    const m = await actor(w.members[0]!.id);
    const own: number[] = [];
    for (let i = 0; i < COMMENT_LIMIT.max; i++) {
      // Some are replies to one's own words (no one to notify): the same limit.
      const parentId = i % 4 === 3 ? own[own.length - 1] : undefined;
      own.push((await postComment(m, { proposalId: p.id, parentId, stance: "neutral", body: `第${i}句`, clientKey: key() })).id);
    }
    await expect(postComment(m, { proposalId: p.id, stance: "neutral", body: "多了一句", clientKey: key() })).rejects.toMatchObject({ messageKey: "comment.error.rateLimited" });
    expect(await db().select().from(comments).where(eq(comments.authorId, w.members[0]!.id))).toHaveLength(COMMENT_LIMIT.max);
    // Others are not held back; and an hour on, the window starts again.
    await postComment(await actor(w.members[1]!.id), { proposalId: p.id, stance: "support", body: "我还能说", clientKey: key() });
    await db().update(rateLimits).set({ windowStart: new Date(Date.now() - COMMENT_LIMIT.windowSeconds * 1000 - 1000) }).where(eq(rateLimits.key, `comments:${w.members[0]!.id}`));
    await postComment(m, { proposalId: p.id, stance: "neutral", body: "一小时后", clientKey: key() });
  });

  it("limits speeches per person when the hall's rules say so", async () => {
    const w = await buildHallWorld({ commentsPerPerson: 2 });
    const p = await debating(w);
    const m0 = await actor(w.members[0]!.id);
    await postComment(m0, { proposalId: p.id, stance: "support", body: "第一次", clientKey: key() });
    await postComment(m0, { proposalId: p.id, stance: "support", body: "第二次", clientKey: key() });
    await expect(postComment(m0, { proposalId: p.id, stance: "support", body: "第三次", clientKey: key() })).rejects.toMatchObject({ messageKey: expect.stringContaining("comment.error.perPerson") });
  });
});

describe("finding things", () => {
  it("finds Chinese words inside proposals and comments, and lists by most seconded", async () => {
    const w = await buildHallWorld();
    const parking = await raise(w, "胡同口夜间乱停车");
    const lift = await raise(w, "老楼加装电梯请大家商量");
    await secondProposal(await actor(w.members[0]!.id), lift.id);
    const hits = await search(db(), queryText("停车")!);
    expect(hits.proposals.map((p) => p.id)).toEqual([parking.id]);
    expect((await search(db(), queryText("电梯")!)).proposals.map((p) => p.id)).toEqual([lift.id]);
    expect((await search(db(), queryText("游泳池")!)).proposals).toEqual([]);
    const sorted = await listProposals(db(), w.hall.id, { sort: "seconded", viewerId: null });
    expect(sorted.map((p) => p.id)).toEqual([lift.id, parking.id]);
  });
});
