import { existsSync, mkdtempSync, readdirSync, utimesSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { and, asc, eq } from "drizzle-orm";
import sharp from "sharp";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { auditEvents, notifications, projectEvents, projectMilestones, projectRatings, projects } from "#db/schema";
import { CommandError } from "~/lib/command.server";
import { sweepOrphanUploads, uploadsDir } from "~/lib/uploads.server";
import {
  adjustMilestones,
  contractPage,
  createContract,
  judgeMilestone,
  organizationRecord,
  payMilestone,
  rateProject,
  reportMilestone,
} from "~/modules/projects/contract.server";
import { visitor } from "~/modules/identity/actor";
import * as contractRoute from "~/routes/projects.$id_.contract";
import { pngBytes } from "../support/images";
import { replyOf } from "../support/replies";
import { actorOf, buildContractWorld, contextFor, NOW, projectIn, proposal, type ContractWorld } from "../support/contract-world";

beforeAll(() => {
  delete process.env.BASE_URL;
  process.env.DATA_DIR ??= mkdtempSync(path.join(os.tmpdir(), "gongzhi-contract-"));
});

const milestonesOf = (projectId: number) =>
  db().select().from(projectMilestones).where(eq(projectMilestones.projectId, projectId)).orderBy(asc(projectMilestones.ordinal));
const kindsFor = async (userId: number) =>
  (await db().select({ kind: notifications.kind }).from(notifications).where(eq(notifications.userId, userId))).map((n) => n.kind);
const files = () => new Set(existsSync(uploadsDir()) ? readdirSync(uploadsDir()) : []);

function multipart(
  projectId: number,
  fields: Record<string, string>,
  evidence: { bytes: Uint8Array<ArrayBuffer>; name: string; type: string }[],
) {
  const body = new FormData();
  for (const [k, v] of Object.entries(fields)) body.append(k, v);
  for (const f of evidence) body.append("evidence", new File([f.bytes], f.name, { type: f.type }));
  return new Request(`http://localhost/projects/${projectId}/contract`, { method: "POST", body });
}
const post = (projectId: number, fields: Record<string, string>) =>
  new Request(`http://localhost/projects/${projectId}/contract`, {
    method: "POST",
    body: new URLSearchParams(fields),
    headers: { "content-type": "application/x-www-form-urlencoded" },
  });

async function report(w: ContractWorld, projectId: number, milestoneId: number) {
  return reportMilestone(
    await actorOf(w.people.orgAdmin.id),
    projectId,
    { milestoneId, text: "完成了入户调查，建档42户。", attendance: 42 },
    NOW,
  );
}

describe("the contract (issue 16 §5)", () => {
  it("is made from the winning bid's proposed milestones, once, and a proposal that does not add up becomes one milestone", async () => {
    const w = await buildContractWorld();
    const p = await projectIn(w);
    const rows = await milestonesOf(p.id);
    expect(rows.map((m) => [m.ordinal, m.title, m.dueOn, m.paymentShare, m.status])).toEqual([
      [1, "需求调查与建档", "2026-08-31", 30, "scheduled"],
      [2, "上门服务过半", "2026-11-30", 40, "scheduled"],
      [3, "总结评估", "2027-02-28", 30, "scheduled"],
    ]);
    // A retried finalize makes nothing more.
    await db().transaction((tx) => createContract(tx, { id: p.id, awardBidId: p.awardBidId }));
    expect(await milestonesOf(p.id)).toHaveLength(3);

    const odd = await projectIn(w, {
      contents: proposal({
        milestones: [
          { title: "一半", due: "2026-09-01", share: 50 },
          { title: "又一半", due: "2026-12-01", share: 40 },
        ],
      }),
    });
    expect((await milestonesOf(odd.id)).map((m) => [m.title, m.dueOn, m.paymentShare])).toEqual([["独居老人关爱服务", "2027-02-28", 100]]);
  });

  it("report → judge → pay → complete → rate, with notifications to the organisation and staff", async () => {
    const w = await buildContractWorld();
    const p = await projectIn(w);
    const [m1, m2, m3] = await milestonesOf(p.id);
    const staff = await actorOf(w.people.communityWorker.id);
    const org = await actorOf(w.people.orgAdmin.id);

    const r = await reportMilestone(org, p.id, { milestoneId: m1!.id, text: "完成了入户调查，建档42户。", attendance: 42 }, NOW);
    expect(r.created).toBe(true);
    expect(await kindsFor(w.people.communityWorker.id)).toContain("notification.milestoneReported");
    await expect(judgeMilestone(staff, p.id, { milestoneId: m2!.id, verdict: "met", note: "好" }, NOW)).rejects.toMatchObject({
      messageKey: "contract.error.notReported",
    });

    await judgeMilestone(staff, p.id, { milestoneId: m1!.id, verdict: "met", note: "材料齐全。" }, NOW);
    expect(await kindsFor(w.people.orgAdmin.id)).toContain("notification.milestoneJudged");
    expect(await kindsFor(w.orgMember.id)).toContain("notification.milestoneJudged");
    // Judging again the same way is a retry; another verdict is refused.
    await judgeMilestone(staff, p.id, { milestoneId: m1!.id, verdict: "met", note: "材料齐全。" }, NOW);
    await expect(judgeMilestone(staff, p.id, { milestoneId: m1!.id, verdict: "not_met", note: "改主意" }, NOW)).rejects.toMatchObject({
      messageKey: "contract.error.alreadyJudged",
    });

    // Met pays its share of the contract's amount (80 000 × 30%).
    const paid = await payMilestone(staff, p.id, { milestoneId: m1!.id, paidOn: "2026-06-10" }, NOW);
    expect(paid.paidAmount).toBe(24_000);
    expect(await kindsFor(w.people.orgAdmin.id)).toContain("notification.milestonePaid");
    // Paying again changes nothing.
    expect((await payMilestone(staff, p.id, { milestoneId: m1!.id, paidOn: "2026-06-11", amount: 1 }, NOW)).paidAmount).toBe(24_000);
    await expect(payMilestone(staff, p.id, { milestoneId: m2!.id, paidOn: "2026-06-10" }, NOW)).rejects.toMatchObject({
      messageKey: "contract.error.judgeFirst",
    });

    // Partly met: staff set the amount, at most the share (80 000 × 40% = 32 000).
    await report(w, p.id, m2!.id);
    await judgeMilestone(staff, p.id, { milestoneId: m2!.id, verdict: "partially_met", note: "探访次数不足。" }, NOW);
    await expect(payMilestone(staff, p.id, { milestoneId: m2!.id, paidOn: "2026-06-10" }, NOW)).rejects.toMatchObject({ field: "amount" });
    await expect(payMilestone(staff, p.id, { milestoneId: m2!.id, paidOn: "2026-06-10", amount: 32_001 }, NOW)).rejects.toMatchObject({
      messageKey: "contract.error.amountOverShare",
      field: "amount",
    });
    await expect(payMilestone(staff, p.id, { milestoneId: m2!.id, paidOn: "2026-06-16", amount: 20_000 }, NOW)).rejects.toMatchObject({
      messageKey: "contract.error.futureDate",
    });
    expect((await payMilestone(staff, p.id, { milestoneId: m2!.id, paidOn: "2026-06-12", amount: 20_000 }, NOW)).paidAmount).toBe(20_000);

    // Not yet completed: nobody rates.
    const resident = await actorOf(w.people.resident.id);
    await expect(rateProject(resident, p.id, { stars: 5, comment: "" }, NOW)).rejects.toMatchObject({
      messageKey: "contract.error.notCompleted",
    });

    // Not met pays nothing; judging the last milestone completes the project.
    await report(w, p.id, m3!.id);
    const last = await judgeMilestone(staff, p.id, { milestoneId: m3!.id, verdict: "not_met", note: "未提交评估报告。" }, NOW);
    expect(last.completed).toBe(true);
    await expect(payMilestone(staff, p.id, { milestoneId: m3!.id, paidOn: "2026-06-12" }, NOW)).rejects.toMatchObject({
      messageKey: "contract.error.nothingToPay",
    });
    const [done] = await db().select().from(projects).where(eq(projects.id, p.id));
    expect(done).toMatchObject({ status: "completed", completedAt: NOW });
    expect(await kindsFor(w.people.orgAdmin.id)).toContain("notification.projectCompleted");
    expect(await kindsFor(w.people.communityWorker.id)).toContain("notification.projectCompleted");
    const events = await db()
      .select({ kind: projectEvents.kind, detail: projectEvents.detail })
      .from(projectEvents)
      .where(eq(projectEvents.projectId, p.id));
    expect(events.map((e) => e.kind)).toEqual([
      "milestoneReported",
      "milestoneJudged",
      "milestonePaid",
      "milestoneReported",
      "milestoneJudged",
      "milestonePaid",
      "milestoneReported",
      "milestoneJudged",
      "completed",
    ]);
    expect(events.at(-1)!.detail).toEqual({ from: "active", to: "completed" });
    expect((await db().select().from(auditEvents).where(eq(auditEvents.action, "project.complete"))).length).toBe(1);

    // Residents rate once each; a second rating leaves the first.
    expect((await rateProject(resident, p.id, { stars: 4, comment: "老人们很满意" }, NOW)).created).toBe(true);
    expect((await rateProject(resident, p.id, { stars: 1, comment: "" }, NOW)).created).toBe(false);
    await rateProject(await actorOf(w.people.partyMember.id), p.id, { stars: 5, comment: "" }, NOW);
    const ratings = await db().select().from(projectRatings).where(eq(projectRatings.projectId, p.id));
    expect(ratings.map((r) => r.stars).sort()).toEqual([4, 5]);

    // The page: numbers, ratings without names, and the evidence hidden from the public.
    const page = await contractPage(db(), visitor, p.id);
    expect(page).toMatchObject({ amount: 80_000, paid: 44_000, ratings: { count: 2, mean: 4.5 } });
    expect(page.milestones.map((m) => m.status)).toEqual(["met", "partially_met", "not_met"]);
    expect(JSON.stringify(page.ratings)).not.toContain(w.people.resident.displayName);
    const record = await organizationRecord(db(), w.org.id);
    expect(record).toMatchObject({ awards: 1, bids: 1, ratingMean: 4.5, ratingCount: 2 });
  });

  it("a double report is one: the second finds the first and stores nothing", async () => {
    const w = await buildContractWorld();
    const p = await projectIn(w);
    const [m1] = await milestonesOf(p.id);
    const org = await actorOf(w.people.orgAdmin.id);
    const evidence = [{ bytes: pngBytes(), mime: "image/png", ext: "png" }];
    const before = files();
    const results = await Promise.all([
      reportMilestone(org, p.id, { milestoneId: m1!.id, text: "第一次", evidence }, NOW),
      reportMilestone(org, p.id, { milestoneId: m1!.id, text: "第一次", evidence }, NOW),
    ]);
    expect(results.map((r) => r.created).sort()).toEqual([false, true]);
    const [row] = await milestonesOf(p.id);
    expect(row!.evidence).toHaveLength(1);
    expect([...files()].filter((f) => !before.has(f))).toEqual([row!.evidence![0]!.file]);
    const staffNotes = (await kindsFor(w.people.communityWorker.id)).filter((k) => k === "notification.milestoneReported");
    expect(staffNotes).toHaveLength(1);
    const events = await db()
      .select()
      .from(projectEvents)
      .where(and(eq(projectEvents.projectId, p.id), eq(projectEvents.kind, "milestoneReported")));
    expect(events).toHaveLength(1);
  });

  it("evidence: photos and PDFs by their first bytes, EXIF stripped, anything else refused beside the field", async () => {
    const w = await buildContractWorld();
    const p = await projectIn(w);
    const [m1, m2] = await milestonesOf(p.id);
    const context = contextFor(w.people.orgAdmin);
    const params = { id: String(p.id) };

    // A text file named like a photo: refused, nothing stored.
    const before = files();
    const fake = await contractRoute.action({
      request: multipart(p.id, { intent: "report", milestoneId: String(m1!.id), text: "照片" }, [
        { bytes: new Uint8Array(new TextEncoder().encode("not really a photo at all")), name: "photo.jpg", type: "image/jpeg" },
      ]),
      params,
      context,
    });
    expect(replyOf(fake)).toMatchObject({ ok: false, field: "evidence", error: "upload.error.evidenceType" });
    expect([...files()].filter((f) => !before.has(f))).toEqual([]);
    expect((await milestonesOf(p.id))[0]!.status).toBe("scheduled");

    // A JPEG with EXIF and a PDF: both kept, the JPEG re-encoded without its metadata.
    const jpeg = new Uint8Array(
      await sharp({ create: { width: 8, height: 8, channels: 3, background: "#c00" } })
        .jpeg()
        .withExif({ IFD0: { Copyright: "secret-exif-marker" } })
        .toBuffer(),
    );
    expect((await sharp(jpeg).metadata()).exif).toBeDefined();
    const pdf = new Uint8Array(new TextEncoder().encode("%PDF-1.4\n% attendance sheet\n%%EOF\n"));
    const ok = await contractRoute.action({
      request: multipart(p.id, { intent: "report", milestoneId: String(m1!.id), text: "完成了入户调查。", attendance: "42" }, [
        { bytes: jpeg, name: "site.jpg", type: "image/jpeg" },
        { bytes: pdf, name: "sign-in.pdf", type: "application/pdf" },
      ]),
      params,
      context,
    });
    expect(replyOf(ok)).toMatchObject({ ok: true });
    const [row] = await milestonesOf(p.id);
    expect(row).toMatchObject({ status: "reported", attendance: 42 });
    expect(row!.evidence!.map((e) => e.mime)).toEqual(["image/jpeg", "application/pdf"]);
    const stored = row!.evidence![0]!.file;
    expect((await sharp(path.join(uploadsDir(), stored)).metadata()).exif).toBeUndefined();

    // The sweep of orphan uploads keeps evidence that a milestone refers to.
    const old = new Date(Date.now() - 3 * 3600_000);
    for (const e of row!.evidence!) utimesSync(path.join(uploadsDir(), e.file), old, old);
    await sweepOrphanUploads();
    expect(row!.evidence!.every((e) => existsSync(path.join(uploadsDir(), e.file)))).toBe(true);

    // A negative attendance is refused beside its field; a missing text beside its own.
    const bad = await contractRoute.action({
      request: post(p.id, { intent: "report", milestoneId: String(m2!.id), text: "x", attendance: "-3" }),
      params,
      context,
    });
    expect(replyOf(bad)).toMatchObject({ ok: false, field: "attendance", error: "contract.error.attendance" });
    const empty = await contractRoute.action({ request: post(p.id, { intent: "report", milestoneId: String(m2!.id) }), params, context });
    expect(replyOf(empty)).toMatchObject({ ok: false, field: "text" });

    // The public page shows how much evidence there is, not the files; the buyer's staff see them.
    expect((await contractPage(db(), visitor, p.id)).milestones[0]).toMatchObject({ evidenceCount: 2, evidence: [] });
    expect((await contractPage(db(), await actorOf(w.people.communityWorker.id), p.id)).milestones[0]!.evidence).toHaveLength(2);
  });

  it("staff adjust dates and shares before the first report; the shares must sum to 100", async () => {
    const w = await buildContractWorld();
    const p = await projectIn(w);
    const [m1, m2, m3] = await milestonesOf(p.id);
    const staff = await actorOf(w.people.communityWorker.id);
    const input = (a: number, b: number, c: number) => ({
      milestones: [
        { id: m1!.id, dueOn: "2026-09-15", share: a },
        { id: m2!.id, dueOn: "2026-12-15", share: b },
        { id: m3!.id, dueOn: "2027-02-28", share: c },
      ],
    });
    await expect(adjustMilestones(staff, p.id, input(30, 40, 40), NOW)).rejects.toMatchObject({ messageKey: "contract.error.sharesSum" });
    await adjustMilestones(staff, p.id, input(20, 50, 30), NOW);
    expect((await milestonesOf(p.id)).map((m) => [m.dueOn, m.paymentShare])).toEqual([
      ["2026-09-15", 20],
      ["2026-12-15", 50],
      ["2027-02-28", 30],
    ]);
    expect(await kindsFor(w.people.orgAdmin.id)).toContain("notification.milestonesAdjusted");
    await expect(
      adjustMilestones(staff, p.id, { milestones: [{ id: m1!.id, dueOn: "2026-09-15", share: 100 }] }, NOW),
    ).rejects.toMatchObject({ messageKey: "contract.error.milestonesChanged" });
    await report(w, p.id, m1!.id);
    await expect(adjustMilestones(staff, p.id, input(30, 40, 30), NOW)).rejects.toBeInstanceOf(CommandError);
    // Through the page: a share over 100 is refused beside its field.
    const reply = await contractRoute.action({
      request: post(p.id, {
        intent: "adjust",
        "milestones[0].id": String(m1!.id),
        "milestones[0].dueOn": "2026-09-15",
        "milestones[0].share": "120",
      }),
      params: { id: String(p.id) },
      context: contextFor(w.people.communityWorker),
    });
    expect(replyOf(reply)).toMatchObject({ ok: false, field: "milestones[0].share", error: "contract.error.share" });
  });

  it("a contract exists only once the award is final: before, the page is a 404", async () => {
    const w = await buildContractWorld();
    const p = await projectIn(w, { status: "awarded" });
    await expect(contractPage(db(), visitor, p.id)).rejects.toMatchObject({ what: "contract" });
    expect(await milestonesOf(p.id)).toEqual([]);
  });
});
