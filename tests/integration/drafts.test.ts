import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { auditEvents, follows, proposalEvents, proposalPhotos, proposals } from "#db/schema";
import { ForbiddenError } from "~/lib/command.server";
import { loadActor } from "~/modules/identity/actor.server";
import { leaveHall } from "~/modules/halls/commands.server";
import { listProposals } from "~/modules/halls/queries.server";
import { createProposal, deleteDraft, publishDraft, secondProposal, updateDraft, withdrawProposal } from "~/modules/proposals/commands.server";
import { listMyDrafts } from "~/modules/proposals/queries.server";
import { search } from "~/modules/search/queries.server";
import { queryText } from "~/modules/search/bigrams";
import { buildHallWorld, type HallWorld } from "../support/hall-world";
import { checkedPng } from "../support/images";

const actor = (id: number) => loadActor(db(), id);
let keys = 0;
const key = () => `draft-${++keys}-${Math.random().toString(36).slice(2)}`;

async function draft(w: HallWorld, title = "楼道里的自行车太多了") {
  return createProposal(await actor(w.author.id), { hallId: w.hall.id, title, body: "楼道里停满了自行车，老人上下楼很不方便。", categoryCode: "parking", publish: false, clientKey: key() });
}

describe("drafts", () => {
  it("are listed for their author alone, in the hall and everywhere, and found by nobody's search", async () => {
    const w = await buildHallWorld();
    const d = await draft(w, "只有作者能看到的草稿标题");
    expect(d).toMatchObject({ state: "draft", openedAt: null, secondingDeadline: null });
    expect((await listMyDrafts(db(), w.author.id, w.hall.id)).map((x) => x.id)).toEqual([d.id]);
    expect((await listMyDrafts(db(), w.author.id)).map((x) => x.id)).toContain(d.id);
    expect(await listMyDrafts(db(), w.members[0]!.id)).toEqual([]);
    const rows = await listProposals(db(), w.hall.id, { sort: "newest", viewerId: w.members[0]!.id });
    expect(rows.map((r) => r.id)).not.toContain(d.id);
    const found = await search(db(), queryText("只有作者")!);
    expect(JSON.stringify(found)).not.toContain("只有作者能看到");
  });

  it("can be edited by the author with the same checks as a new proposal, and searched by the new words once published", async () => {
    const w = await buildHallWorld();
    const d = await draft(w);
    const author = await actor(w.author.id);
    await expect(updateDraft(author, d.id, { title: "改", body: "太短", categoryCode: "parking" })).resolves.toBeDefined(); // length is the form's job
    await expect(updateDraft(author, d.id, { title: "新标题新标题", body: "新的内容新的内容新的内容", categoryCode: "no-such" })).rejects.toMatchObject({ messageKey: "proposal.error.category", field: "categoryCode" });
    const edited = await updateDraft(author, d.id, { title: "电动车充电桩选址", body: "小区里需要一个安全的电动车充电桩。", categoryCode: "parking", address: "3号楼北侧" });
    expect(edited).toMatchObject({ title: "电动车充电桩选址", address: "3号楼北侧", state: "draft" });
    await publishDraft(author, d.id);
    const found = await search(db(), queryText("充电桩")!);
    expect(JSON.stringify(found)).toContain("电动车充电桩选址");
  });

  it("publish: seconding starts at that moment under the hall's rule, the history shows it, and it can be seconded", async () => {
    const w = await buildHallWorld();
    const d = await draft(w);
    const now = new Date("2026-03-01T02:00:00Z");
    const published = await publishDraft(await actor(w.author.id), d.id, now);
    expect(published.state).toBe("open");
    const [row] = await db().select().from(proposals).where(eq(proposals.id, d.id));
    expect(row!.openedAt?.toISOString()).toBe(now.toISOString());
    expect(row!.secondingDeadline!.getTime() - now.getTime()).toBe(w.hall.secondingDays * 86_400_000);
    const events = await db().select().from(proposalEvents).where(eq(proposalEvents.proposalId, d.id)).orderBy(proposalEvents.id);
    expect(events.map((e) => [e.fromState, e.toState])).toEqual([
      [null, "draft"],
      ["draft", "open"],
    ]);
    await secondProposal(await actor(w.members[0]!.id), d.id);
    // Publishing twice is harmless; a published proposal is no longer a draft to edit or delete.
    await expect(publishDraft(await actor(w.author.id), d.id)).resolves.toMatchObject({ state: "open" });
    await expect(updateDraft(await actor(w.author.id), d.id, { title: "再改一次标题", body: "发布之后不能再改草稿了。", categoryCode: "parking" })).rejects.toBeInstanceOf(ForbiddenError);
    await expect(deleteDraft(await actor(w.author.id), d.id)).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("cannot be published by an author who left the hall, but can still be edited or deleted", async () => {
    const w = await buildHallWorld();
    const d = await draft(w);
    const author = await actor(w.author.id);
    await leaveHall(author, w.hall.id);
    const gone = await actor(w.author.id);
    await expect(publishDraft(gone, d.id)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(updateDraft(gone, d.id, { title: "离开之后改的标题", body: "离开议事厅之后也能改自己的草稿。", categoryCode: "parking" })).resolves.toMatchObject({ state: "draft" });
    await expect(deleteDraft(gone, d.id)).resolves.toMatchObject({ id: d.id });
  });

  it("delete: the draft and its rows are gone, the audit keeps a line, and the photos' files are named for removal", async () => {
    const w = await buildHallWorld();
    const d = await createProposal(await actor(w.author.id), {
      hallId: w.hall.id,
      title: "带照片的草稿",
      body: "带两张照片的草稿，删掉时照片也要删掉。",
      categoryCode: "parking",
      publish: false,
      clientKey: key(),
      photos: [checkedPng()],
    });
    const gone = await deleteDraft(await actor(w.author.id), d.id);
    expect(gone).toMatchObject({ id: d.id, hallId: w.hall.id });
    expect(gone.photoFiles).toHaveLength(1);
    expect(await db().select().from(proposals).where(eq(proposals.id, d.id))).toEqual([]);
    expect(await db().select().from(proposalPhotos).where(eq(proposalPhotos.proposalId, d.id))).toEqual([]);
    expect(await db().select().from(follows).where(eq(follows.proposalId, d.id))).toEqual([]);
    const audit = await db().select().from(auditEvents).where(eq(auditEvents.subjectId, String(d.id)));
    expect(audit.map((a) => a.action)).toContain("proposal.deleteDraft");
  });

  it("a draft can still be withdrawn by the old route, but an open proposal cannot be deleted", async () => {
    const w = await buildHallWorld();
    const author = await actor(w.author.id);
    const open = await createProposal(author, { hallId: w.hall.id, title: "已经发布的议题", body: "已经发布的议题不能被删除，只能撤回。", categoryCode: "parking", publish: true, clientKey: key() });
    await expect(deleteDraft(author, open.id)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(withdrawProposal(author, open.id)).resolves.toMatchObject({ state: "withdrawn" });
  });
});
