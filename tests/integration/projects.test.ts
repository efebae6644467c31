import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { auditEvents, bids, projectEvents, projectMilestones, projects } from "#db/schema";
import { CommandError, ForbiddenError } from "~/lib/command.server";
import { stat } from "node:fs/promises";
import path from "node:path";
import { sweepOrphanUploads, uploadsDir } from "~/lib/uploads.server";
import { checkedPng } from "../support/images";
import {
  addDocuments,
  answerObjection,
  answerQuestion,
  askQuestion,
  cancelProject,
  createProject,
  editProject,
  objectToAward,
  publishProject,
  runProjectClock,
} from "~/modules/projects/commands.server";
import { awardProject, declareConflicts, disqualifyBid, scoreBids } from "~/modules/projects/evaluation.server";
import { evaluatePage, projectPage } from "~/modules/projects/queries.server";
import { noticeEnd } from "~/modules/projects/rules";
import { disqualifySchema, projectSchema } from "~/modules/projects/schemas";
import { actorOf, at, bidFor, buildProjectWorld, DAY, evaluating, keyReady, NOW, planned, published, terms, type ProjectWorld } from "../support/project-world";

const row = async (id: number) => (await db().select().from(projects).where(eq(projects.id, id)))[0]!;
const refusal = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    if (e instanceof CommandError) return { key: e.messageKey, field: e.field };
    throw e;
  }
  throw new Error("expected a refusal");
};
const sheet = (price: number, plan: number, experience: number) => ({ price, plan, experience });

/** Every panel member declares no conflict, then submits the given sheets (by bid order). */
async function panelScores(w: ProjectWorld, projectId: number, bidIds: readonly number[], sheets: Record<string, number>[][], panel = w.evaluators) {
  for (const [i, e] of panel.entries()) {
    if (!sheets[i]) continue;
    const a = await actorOf(e.id);
    await declareConflicts(a, { projectId, declarations: bidIds.map((bidId) => ({ bidId, conflict: false })) }, at(9 * DAY));
    await scoreBids(a, { projectId, sheets: bidIds.map((bidId, k) => ({ bidId, scores: sheets[i]![k]! })), submit: true }, at(9 * DAY));
  }
}

describe("service projects: the call", () => {
  it("a double create is one project", async () => {
    const w = await buildProjectWorld();
    const worker = await actorOf(w.people.communityWorker.id);
    const input = { ...terms(w), clientKey: "key-0123456789" };
    const [a, b] = await Promise.all([createProject(worker, input, NOW), createProject(worker, input, NOW)]);
    expect(a.id).toBe(b.id);
    expect(await db().select().from(projects)).toHaveLength(1);
  });

  it("refuses criteria whose weights do not sum to 100, beside the criteria editor, in the form and on the server", async () => {
    const w = await buildProjectWorld();
    const worker = await actorOf(w.people.communityWorker.id);
    const bad = terms(w, { criteria: [{ id: "price", key: "price", weight: 30 }, { id: "plan", key: "plan", weight: 60 }] });
    expect(await refusal(createProject(worker, { ...bad, clientKey: "key-abcdefgh" }, NOW))).toEqual({ key: "project.error.criteria.sum", field: "weights" });
    const form = projectSchema.safeParse({
      unitId: "1", title: "助餐服务项目", scope: "为社区独居老人提供每周五天午餐配送和健康随访服务。", category: "serving_people", budgetCap: "1000",
      periodStart: "2027-01-01", periodEnd: "2027-12-31", weights: { price: "30", plan: "60" }, questionsCloseAt: "2026-12-05T12:00", bidDeadline: "2026-12-09T12:00", clientKey: "key-abcdefgh",
    });
    expect(form.success).toBe(false);
    expect(form.error!.issues.find((i) => i.path[0] === "weights")?.message).toBe("project.error.criteria.sum");
  });

  it("edits only while planning, and publishes only once the committee's key exists; each change a public event and an audit row", async () => {
    const w = await buildProjectWorld();
    const worker = await actorOf(w.people.communityWorker.id);
    const p = await planned(w);
    await editProject(worker, { ...terms(w, { budgetCap: 180_000 }), projectId: p.id }, NOW);
    expect((await row(p.id)).budgetCap).toBe(180_000);
    expect(await refusal(publishProject(worker, { projectId: p.id }, NOW))).toEqual({ key: "project.error.noOpeningKey", field: undefined });
    await keyReady(w, p.id);
    await publishProject(worker, { projectId: p.id }, NOW);
    expect((await row(p.id)).status).toBe("open");
    expect(await refusal(editProject(worker, { ...terms(w), projectId: p.id }, NOW))).toMatchObject({ key: "project.error.notNow.edit" });
    const events = await db().select().from(projectEvents).where(eq(projectEvents.projectId, p.id));
    expect(events.map((e) => e.kind)).toEqual(["created", "edited", "committee", "published"]);
    const audits = await db().select().from(auditEvents).where(and(eq(auditEvents.subjectType, "project"), eq(auditEvents.subjectId, String(p.id))));
    expect(audits.map((a) => a.action)).toEqual(["project.create", "project.edit", "project.committee", "project.publish"]);
  });

  it("keeps the call's documents as public files, and they survive the orphan sweep", async () => {
    const w = await buildProjectWorld();
    const p = await planned(w);
    await addDocuments(await actorOf(w.people.communityWorker.id), { projectId: p.id, files: [{ ...checkedPng(), name: "采购需求书.png" }] }, NOW);
    const page = await projectPage(await actorOf(w.people.communityWorker.id), p.id, NOW);
    expect(page.documents).toMatchObject([{ name: "采购需求书.png", mime: "image/png" }]);
    await sweepOrphanUploads(new Date(Date.now() + 3 * 3_600_000), 0);
    await expect(stat(path.join(uploadsDir(), page.documents[0]!.file))).resolves.toBeTruthy();
  });

  it("cancels with a reason, publicly", async () => {
    const w = await buildProjectWorld();
    const p = await published(w);
    await cancelProject(await actorOf(w.people.subdistrictOfficer.id), { projectId: p.id, reason: "预算调整，明年再招" }, NOW);
    const page = await projectPage(await actorOf(w.people.resident.id), p.id, NOW);
    expect(page.project).toMatchObject({ status: "cancelled", endReason: "预算调整，明年再招" });
    expect(page.events.at(-1)).toMatchObject({ kind: "cancelled", reason: "预算调整，明年再招" });
  });
});

describe("service projects: questions (答疑)", () => {
  it("answers are public to all, without the asker's name or organisation anywhere", async () => {
    const w = await buildProjectWorld();
    const p = await published(w);
    const member = await actorOf(w.orgMember.id);
    const q = await askQuestion(member, { projectId: p.id, organizationId: w.org.id, question: "配送是否包括周末？", clientKey: "q-0123456789" }, at(DAY));
    const again = await askQuestion(member, { projectId: p.id, organizationId: w.org.id, question: "配送是否包括周末？", clientKey: "q-0123456789" }, at(DAY));
    expect(again.id).toBe(q.id);
    // Unanswered: the asker sees theirs, the public does not yet.
    expect((await projectPage(await actorOf(w.people.resident.id), p.id, at(DAY))).questions).toEqual([]);
    expect((await projectPage(member, p.id, at(DAY))).questions).toMatchObject([{ mine: true, answer: null }]);
    await answerQuestion(await actorOf(w.people.communityWorker.id), { questionId: q.id, answer: "不包括周末，仅周一至周五。" }, at(2 * DAY));
    const page = await projectPage(await actorOf(w.people.resident.id), p.id, at(2 * DAY));
    expect(page.questions).toMatchObject([{ question: "配送是否包括周末？", answer: "不包括周末，仅周一至周五。", mine: false }]);
    const text = JSON.stringify(page);
    expect(text).not.toContain(w.org.name);
    expect(text).not.toContain(w.orgMember.displayName);
    expect(text).not.toContain(`"organizationId":${w.org.id}`);
  });

  it("late questions refused", async () => {
    const w = await buildProjectWorld();
    const p = await published(w);
    const late = askQuestion(await actorOf(w.orgMember.id), { projectId: p.id, organizationId: w.org.id, question: "还能提问吗？请说明。", clientKey: "q-late-0001" }, at(5 * DAY));
    expect(await refusal(late)).toEqual({ key: "project.error.questionsClosed", field: "question" });
  });
});

describe("service projects: the clock", () => {
  it("at the deadline an open call moves to evaluation with bids, or is unsuccessful without; a second run changes nothing", async () => {
    const w = await buildProjectWorld();
    const withBids = await published(w);
    const without = await published(w, { title: "胡同绿化养护" });
    await bidFor(withBids.id, w.org.id, w.people.orgAdmin.id, 100_000);
    expect(await runProjectClock(at(7 * DAY - 1000))).toBe(0);
    expect(await runProjectClock(at(7 * DAY))).toBe(2);
    expect(await runProjectClock(at(7 * DAY + 5000))).toBe(0);
    expect((await row(withBids.id)).status).toBe("evaluating");
    expect(await row(without.id)).toMatchObject({ status: "unsuccessful", endReason: "noBids" });
  });
});

describe("service projects: evaluation (评审)", () => {
  it("scores are hidden from other evaluators until all submitted", async () => {
    const w = await buildProjectWorld();
    const { project, bids: [b1, b2] } = await evaluating(w, 2);
    const [e1, e2] = [await actorOf(w.evaluators[0]!.id), await actorOf(w.evaluators[1]!.id)];
    for (const e of [e1, e2]) await declareConflicts(e, { projectId: project.id, declarations: [b1, b2].map((b) => ({ bidId: b.id, conflict: false })) }, at(9 * DAY));
    await scoreBids(e1, { projectId: project.id, sheets: [{ bidId: b1.id, scores: sheet(80, 70, 60) }, { bidId: b2.id, scores: sheet(50, 50, 50) }], submit: true }, at(9 * DAY));
    const before = await evaluatePage(e2, project.id);
    expect(before.sheets).toEqual([]);
    expect(before.bids.every((b) => b.score === null && Object.keys(b.scores).length === 0)).toBe(true);
    expect(JSON.stringify(before)).not.toContain('"score":80');
    expect((await row(project.id)).status).toBe("evaluating");
    await scoreBids(e2, { projectId: project.id, sheets: [{ bidId: b1.id, scores: sheet(90, 90, 90) }, { bidId: b2.id, scores: sheet(40, 40, 40) }], submit: true }, at(9 * DAY));
    const after = await evaluatePage(e2, project.id);
    expect(after.sheets).toHaveLength(2);
    expect(after.sheets.find((s) => !s.mine)!.scores).toContainEqual({ bidId: b1.id, criterion: "price", score: 80 });
    // (80·30+70·40+60·30)/100 = 70, and 90: the mean is 80.00.
    expect((await db().select().from(bids).where(eq(bids.id, b1.id)))[0]!.score).toBe(8000);
  });

  it("a conflict bars scoring", async () => {
    const w = await buildProjectWorld();
    const { project, bids: [b1, b2] } = await evaluating(w, 2);
    const e1 = await actorOf(w.evaluators[0]!.id);
    expect(await refusal(scoreBids(e1, { projectId: project.id, sheets: [], submit: false }, at(9 * DAY)))).toMatchObject({ key: "project.error.declareFirst" });
    await declareConflicts(e1, { projectId: project.id, declarations: [{ bidId: b1.id, conflict: true, note: "曾在该机构任职" }, { bidId: b2.id, conflict: false }] }, at(9 * DAY));
    expect(await refusal(scoreBids(e1, { projectId: project.id, sheets: [{ bidId: b1.id, scores: sheet(90, 90, 90) }], submit: false }, at(9 * DAY)))).toMatchObject({ key: "project.error.conflictBars" });
    // Submitting without the barred bid is complete.
    await scoreBids(e1, { projectId: project.id, sheets: [{ bidId: b2.id, scores: sheet(60, 60, 60) }], submit: true }, at(9 * DAY));
    const e2 = await actorOf(w.evaluators[1]!.id);
    await declareConflicts(e2, { projectId: project.id, declarations: [b1, b2].map((b) => ({ bidId: b.id, conflict: false })) }, at(9 * DAY));
    await scoreBids(e2, { projectId: project.id, sheets: [{ bidId: b1.id, scores: sheet(50, 50, 50) }, { bidId: b2.id, scores: sheet(80, 80, 80) }], submit: true }, at(9 * DAY));
    const scores = await db().select({ id: bids.id, score: bids.score }).from(bids).where(eq(bids.projectId, project.id));
    // Bid 1 only by evaluator 2 (50); bid 2 by both (60, 80 → 70).
    expect(Object.fromEntries(scores.map((s) => [s.id, s.score]))).toEqual({ [b1.id]: 5000, [b2.id]: 7000 });
  });

  it("a member of a bidding organisation cannot declare no conflict on its bid", async () => {
    const w = await buildProjectWorld();
    const { project, bids: [b1, b2] } = await evaluating(w, 2);
    const worker = await actorOf(w.people.communityWorker.id);
    const { addEvaluator } = await import("~/modules/projects/commands.server");
    await addEvaluator(worker, { projectId: project.id, username: w.orgMember.username!, role: "resident" }, at(8 * DAY));
    const member = await actorOf(w.orgMember.id);
    const r = await refusal(declareConflicts(member, { projectId: project.id, declarations: [b1, b2].map((b) => ({ bidId: b.id, conflict: false })) }, at(9 * DAY)));
    expect(r.key).toBe("project.error.ownOrganization");
  });

  it("dropping highest/lowest with five evaluators", async () => {
    const w = await buildProjectWorld();
    const { project, bids: [b1, b2] } = await evaluating(w, 5);
    // Weighted totals of bid 1: 100, 80, 70, 60, 0 → drop 100 and 0 → mean of 80, 70, 60 = 70.
    const totals = [100, 80, 70, 60, 0];
    await panelScores(w, project.id, [b1.id, b2.id], totals.map((t) => [sheet(t, t, t), sheet(50, 50, 50)]));
    const [s1] = await db().select().from(bids).where(eq(bids.id, b1.id));
    expect(s1!.score).toBe(7000);
    const [s2] = await db().select().from(bids).where(eq(bids.id, b2.id));
    expect(s2!.score).toBe(5000);
  });

  it("disqualification needs a reason; with no valid bid left the call is unsuccessful", async () => {
    const w = await buildProjectWorld();
    const { project, bids: [b1, b2] } = await evaluating(w, 1);
    expect(disqualifySchema.safeParse({ bidId: String(b1.id), reason: "" }).success).toBe(false);
    const worker = await actorOf(w.people.communityWorker.id);
    await disqualifyBid(worker, { bidId: b1.id, reason: "资质证明过期" }, at(9 * DAY));
    expect((await row(project.id)).status).toBe("evaluating");
    await disqualifyBid(worker, { bidId: b2.id, reason: "报价超过预算上限" }, at(9 * DAY));
    expect(await row(project.id)).toMatchObject({ status: "unsuccessful", endReason: "noValidBid" });
  });

  it("award with a rationale starts the notice period; an upheld objection reopens; one not upheld lets the award become final, and then every bid and score is public", async () => {
    const w = await buildProjectWorld();
    const { project, bids: [b1, b2] } = await evaluating(w, 3);
    await panelScores(w, project.id, [b1.id, b2.id], [[sheet(90, 90, 90), sheet(60, 60, 60)], [sheet(80, 80, 80), sheet(70, 70, 70)], [sheet(85, 85, 85), sheet(65, 65, 65)]]);
    const worker = await actorOf(w.people.communityWorker.id);
    const awardedAt = at(10 * DAY);
    await awardProject(worker, { projectId: project.id, bidId: b1.id, rationale: "综合得分第一，方案最完整。" }, awardedAt);
    expect(await row(project.id)).toMatchObject({ status: "awarded", awardBidId: b1.id, noticeEndsAt: noticeEnd(awardedAt, 5) });

    // The losing bidder objects; upheld: the award is withdrawn and the panel looks again.
    const loser = await actorOf(w.org2Admin.id);
    const o1 = await objectToAward(loser, { projectId: project.id, organizationId: w.org2.id, text: "中标方的资质证明已过期，请核实。" }, at(11 * DAY));
    await expect(objectToAward(await actorOf(w.orgMember.id), { projectId: project.id, organizationId: w.org.id, text: "成员不是负责人，不能质疑。" }, at(11 * DAY))).rejects.toBeInstanceOf(ForbiddenError);
    await answerObjection(worker, { objectionId: o1.id, answer: "经核实属实，撤回中标结果并重新评审。", upheld: true }, at(11 * DAY));
    expect(await row(project.id)).toMatchObject({ status: "evaluating", awardBidId: null, noticeEndsAt: null });
    expect((await db().select().from(bids).where(eq(bids.id, b1.id)))[0]!.score).toBeNull();
    // The panel submits again (their sheets were kept), staff award again.
    for (const e of w.evaluators.slice(0, 3)) await scoreBids(await actorOf(e.id), { projectId: project.id, sheets: [], submit: true }, at(12 * DAY));
    await awardProject(worker, { projectId: project.id, bidId: b1.id, rationale: "重新核实资质后，综合得分仍居第一。" }, at(12 * DAY));
    const o2 = await objectToAward(loser, { projectId: project.id, organizationId: w.org2.id, text: "我们认为价格分计算有误，请复核。" }, at(13 * DAY));
    const ends = (await row(project.id)).noticeEndsAt!;
    // Unanswered at the end of the notice period: not final.
    await runProjectClock(new Date(ends.getTime() + 1000));
    expect((await row(project.id)).status).toBe("awarded");
    const before = await projectPage(await actorOf(w.people.resident.id), project.id, new Date(ends.getTime() + 1000));
    expect(before.opening.every((b) => b.contents === null && b.score === null)).toBe(true);
    expect(before.sheets).toEqual([]);
    await answerObjection(worker, { objectionId: o2.id, answer: "经复核，价格分计算无误，维持原结果。", upheld: false }, new Date(ends.getTime() + 2000));
    await runProjectClock(new Date(ends.getTime() + 3000));
    expect((await row(project.id)).status).toBe("active");
    expect(await db().select().from(projectMilestones).where(eq(projectMilestones.projectId, project.id))).toHaveLength(3);
    const page = await projectPage(await actorOf(w.people.resident.id), project.id, new Date(ends.getTime() + 4000));
    expect(page.award).toMatchObject({ bidId: b1.id, rationale: "重新核实资质后，综合得分仍居第一。" });
    expect(page.opening.find((b) => b.id === b1.id)).toMatchObject({ score: 8500, contents: { plan: expect.any(String) } });
    expect(JSON.stringify(page.opening)).not.toContain("张三");
    expect(page.sheets).toHaveLength(3);
    expect(page.objections.map((o) => o.upheld)).toEqual([true, false]);
  });
});
