import { asc, eq } from "drizzle-orm";
import { replyOf } from "../support/replies";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "#db/client.server";
import { assignments, proposals, whistleEvents, whistleRateCounts, whistles } from "#db/schema";
import { createProposal, secondProposal } from "~/modules/proposals/commands.server";
import {
  blowWhistle,
  escalateProposal,
  rateWhistle,
  reopenWhistle,
  setScoreWeights,
  sweepWhistles,
  workAssignment,
} from "~/modules/whistles/commands.server";
import { rebuildRateCounts, rebuildRateCountsIfStale, recountRates } from "~/modules/whistles/rate-counts.server";
import { monthlyRates } from "~/modules/whistles/queries.server";
import { monthKeyOf, rates, whistleSatisfied } from "~/modules/whistles/rules";
import * as dashboard from "~/routes/dashboards.units.$id";
import * as cases from "~/routes/dashboards.units.$id_.cases";
import * as whistlePage from "~/routes/whistles.$id";
import { actorOf, buildWhistleWorld, contextFor, directWhistle, type WhistleWorld } from "../support/whistle-world";

beforeAll(() => {
  delete process.env.BASE_URL;
});

/** A proposal raised by the author and seconded by two members, marked passed (the vote itself is tested in whistles.test.ts). */
async function passedProposal(w: WhistleWorld) {
  const p = await createProposal(await actorOf(w.author.id), {
    hallId: w.hall.id,
    title: "胡同口乱停车堵住消防通道",
    body: "夜间胡同口停满车，消防车进不来。",
    categoryCode: "parking",
    publish: true,
    clientKey: `k${Math.random()}`,
  });
  for (const m of w.members.slice(0, 2)) await secondProposal(await actorOf(m.id), p.id);
  await db().update(proposals).set({ state: "decided_passed" }).where(eq(proposals.id, p.id));
  return p;
}

const counts = async () =>
  (
    await db()
      .select()
      .from(whistleRateCounts)
      .orderBy(asc(whistleRateCounts.month), asc(whistleRateCounts.subdistrictId), asc(whistleRateCounts.departmentId))
  )
    .map((r) => ({ ...r }))
    .filter((r) => Object.entries(r).some(([k, v]) => !["month", "subdistrictId", "departmentId"].includes(k) && v !== 0));
const key = (r: { month: string; subdistrictId: number; departmentId: number }) => `${r.month}:${r.subdistrictId}:${r.departmentId}`;

/** After every step: the running counts equal a full recount, and no assignment's stored bits are stale. */
async function checkCounts(step: string) {
  const { rows, stale } = await recountRates(db());
  const running = await counts();
  expect({ step, counts: running }).toEqual({
    step,
    counts: [...rows].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0)).filter((r) => r.dispatched > 0),
  });
  expect({ step, stale: [...stale.values()].flat() }).toEqual({ step, stale: [] });
}

/**
 * The issue's scenario: whistle 5 went to 城管执法局 (lead) with two
 * co-operating departments; only the lead signed and resolved it. Another
 * unit signed for its part and returned it (nothing due: 0/0).
 */
async function issueScenario(check: (step: string) => Promise<void> = async () => {}) {
  const w = await buildWhistleWorld();
  const p = await passedProposal(w);
  const convener = await actorOf(w.convener.id);
  await expect(escalateProposal(convener, p.id, new Date(), "subdistrict", "  ")).rejects.toMatchObject({
    messageKey: "whistle.error.escalateMessage",
    field: "message",
  });
  const requested = await escalateProposal(convener, p.id, new Date(), "subdistrict", "请街道协调城管和交通部门夜间联合整治");
  const officer = await actorOf(w.people.subdistrictOfficer.id);
  await blowWhistle(officer, {
    whistleId: requested.id,
    kind: "resident_request",
    leadIds: [w.enforcement.id],
    cooperateIds: [w.police.id, w.traffic.id],
  });
  await check("blow");
  const parts = await db().select().from(assignments).where(eq(assignments.whistleId, requested.id)).orderBy(asc(assignments.id));
  const lead = parts.find((a) => a.departmentId === w.enforcement.id)!;
  const head = await actorOf(w.head.id);
  await workAssignment(head, { assignmentId: lead.id, action: "sign" });
  await check("sign");
  await workAssignment(head, { assignmentId: lead.id, action: "on_site", people: 2, note: "两人到胡同口核对" });
  await workAssignment(head, {
    assignmentId: lead.id,
    action: "resolve",
    resultText: "设置夜间限停标志",
    noEvidenceReason: "夜间拍照不清，标志位置见附图说明",
  });
  await check("resolve");
  await rateWhistle(await actorOf(w.author.id), { whistleId: requested.id, solved: true, satisfaction: "satisfied" });
  await check("rate");
  await rateWhistle(await actorOf(w.members[0]!.id), { whistleId: requested.id, solved: true, satisfaction: "basically_satisfied" });

  // The 0/0 unit: the team signs for a direct whistle and returns it; nothing is due from it.
  const direct = await directWhistle(w);
  const [teamPart] = await db().select().from(assignments).where(eq(assignments.whistleId, direct.id));
  const team = await actorOf(w.teamOfficer.id);
  await workAssignment(team, { assignmentId: teamPart!.id, action: "sign" });
  await workAssignment(team, { assignmentId: teamPart!.id, action: "return", reason: "不属于本队职责" });
  await check("return");
  return { w, whistleId: requested.id, month: monthKeyOf(new Date(), "Asia/Shanghai") };
}

describe("the three rates count each department's own assignments (issue 11 §1)", () => {
  it("gives every department of the scenario its own rates, settles the co-operating parts, and ranks without counting 0/0 as perfect", async () => {
    const { w, whistleId, month } = await issueScenario();

    // The whistle is resolved; the parts never signed for are closed as not needed, with the reason on the timeline.
    const [whistle] = await db().select().from(whistles).where(eq(whistles.id, whistleId));
    expect(whistle!.state).toBe("resolved");
    const parts = await db().select().from(assignments).where(eq(assignments.whistleId, whistleId)).orderBy(asc(assignments.id));
    expect(parts.map((a) => [a.departmentId, a.state])).toEqual([
      [w.enforcement.id, "resolved"],
      [w.police.id, "not_needed"],
      [w.traffic.id, "not_needed"],
    ]);
    const events = await db().select().from(whistleEvents).where(eq(whistleEvents.whistleId, whistleId)).orderBy(asc(whistleEvents.id));
    expect(events.filter((e) => e.kind === "not_needed").map((e) => [e.assignmentId, e.reason])).toEqual([
      [parts[1]!.id, "lead_resolved"],
      [parts[2]!.id, "lead_resolved"],
    ]);
    expect(events.find((e) => e.kind === "requested")!.publicText).toContain("请街道协调城管和交通部门夜间联合整治");
    expect(events.find((e) => e.kind === "resolve")!.data).toEqual({ noEvidenceReason: "夜间拍照不清，标志位置见附图说明" });

    // Their deadlines stop: a month later nothing is overdue.
    expect(await sweepWhistles(new Date(Date.now() + 30 * 86_400_000))).toMatchObject({ overdue: 0 });
    expect((await db().select().from(assignments).where(eq(assignments.whistleId, whistleId))).every((a) => a.overdueSince === null)).toBe(
      true,
    );

    // Every department's three rates, with raw counts.
    const rows = await monthlyRates(db(), w.districtA.path, new Date(Date.now() + 8 * 3_600_000));
    const of = (id: number) => {
      const r = rows.find((x) => x.departmentId === id)!;
      return {
        response: [r.signedInTime, r.dispatched, r.responseRate],
        resolution: [r.resolved, r.due, r.resolutionRate],
        satisfaction: [r.satisfied, r.rated, r.satisfactionRate],
      };
    };
    expect(of(w.enforcement.id)).toEqual({ response: [1, 1, 1], resolution: [1, 1, 1], satisfaction: [1, 1, 1] });
    expect(of(w.police.id)).toEqual({ response: [0, 1, 0], resolution: [0, 1, 0], satisfaction: [0, 0, null] });
    expect(of(w.traffic.id)).toEqual({ response: [0, 1, 0], resolution: [0, 1, 0], satisfaction: [0, 0, null] });
    expect(of(w.team.id)).toEqual({ response: [1, 1, 1], resolution: [0, 0, null], satisfaction: [0, 0, null] });

    // The ranking: with a minimum of one case, the 0/0 unit is listed with its reason, not ranked at 100 %.
    await setScoreWeights(await actorOf(w.people.districtAdmin.id), {
      districtId: w.districtA.id,
      validFrom: month,
      response: 30,
      resolution: 30,
      satisfaction: 40,
      minCases: 1,
    });
    const dash = () =>
      dashboard.loader({
        request: new Request(`http://localhost/dashboards/units/${w.districtA.id}?month=${month}`),
        params: { id: String(w.districtA.id) },
        context: contextFor(null),
      });
    const page = await dash();
    expect(page.ranked.map((r) => [r.name, r.score])).toEqual([
      ["东城区城管执法局", 1],
      ...[
        ["交通大队", 0],
        ["朝阳门派出所", 0],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]), "zh-CN")),
    ]);
    expect(page.unranked.map((r) => [r.name, r.why])).toEqual([["朝阳门街道综合执法队", "noRates"]]);
    // With the default minimum (3 cases), nobody here is ranked, and the page says why.
    await setScoreWeights(await actorOf(w.people.districtAdmin.id), {
      districtId: w.districtA.id,
      validFrom: month,
      response: 30,
      resolution: 30,
      satisfaction: 40,
      minCases: 3,
    });
    const strict = await dash();
    expect(strict.ranked).toEqual([]);
    expect(strict.unranked.map((r) => r.why)).toEqual(["fewCases", "fewCases", "fewCases", "fewCases"]);

    // Every figure opens the cases behind it.
    const open = (dept: number, rate: string) =>
      cases.loader({
        request: new Request(`http://localhost/dashboards/units/${w.districtA.id}/cases?dept=${dept}&rate=${rate}&month=${month}`),
        params: { id: String(w.districtA.id) },
        context: contextFor(null),
      });
    expect((await open(w.police.id, "resolution")).cases.map((c) => [c.whistleId, c.counted])).toEqual([[whistleId, false]]);
    expect((await open(w.enforcement.id, "satisfaction")).cases.map((c) => [c.whistleId, c.counted])).toEqual([[whistleId, true]]);
    expect(await open(w.team.id, "resolution")).toMatchObject({ cases: [], counted: 0 });
    await expect(
      cases.loader({
        request: new Request(`http://localhost/dashboards/units/${w.districtA.id}/cases?rate=nope&month=${month}`),
        params: { id: String(w.districtA.id) },
        context: contextFor(null),
      }),
    ).rejects.toMatchObject({ status: 400 });

    // The residents' ratings are public in aggregate, without names.
    const wp = await whistlePage.loader({
      request: new Request(`http://localhost/whistles/${whistleId}`),
      params: { id: String(whistleId) },
      context: contextFor(null),
    });
    expect(wp.ratings.tally).toEqual({ satisfied: 1, basically: 1, dissatisfied: 0, solved: 2, notSolved: 0 });
    expect(JSON.stringify(wp.events)).not.toContain("author");
  });

  it("keeps the monthly counts equal to a full recount through every step (reopen, redo, rating)", async () => {
    const { w, whistleId } = await issueScenario(checkCounts);
    // A resident is dissatisfied and reopens it: the first round's lead loses the credit; the redo is counted on its own.
    await rateWhistle(await actorOf(w.members[1]!.id), { whistleId, solved: false, satisfaction: "dissatisfied" });
    await checkCounts("dissatisfied");
    await reopenWhistle(await actorOf(w.members[1]!.id), whistleId);
    await checkCounts("reopen");
    // The redo's lead signs late (a month on), resolves; the window closes.
    const [redo] = await db().select().from(assignments).where(eq(assignments.round, 1));
    const head = await actorOf(w.head.id);
    const later = new Date(Date.now() + 30 * 86_400_000);
    await workAssignment(head, { assignmentId: redo!.id, action: "sign" }, later);
    await workAssignment(head, { assignmentId: redo!.id, action: "on_site", people: 1, note: "复查" }, later);
    await workAssignment(
      head,
      { assignmentId: redo!.id, action: "resolve", resultText: "加装隔离桩", noEvidenceReason: "照片由街道留存" },
      later,
    );
    await checkCounts("redo resolved");
    await sweepWhistles(new Date(later.getTime() + 8 * 86_400_000));
    await checkCounts("closed");
    // A part written around the commands (an import) is counted at start-up, by its whistle alone.
    const [redoRow] = await db().select().from(assignments).where(eq(assignments.id, redo!.id));
    await db()
      .insert(assignments)
      .values({
        whistleId,
        departmentId: w.traffic.id,
        role: "cooperate",
        round: 1,
        state: "dispatched",
        dispatchedAt: redoRow!.dispatchedAt,
        dueSignAt: redoRow!.dueSignAt,
        dueOnSiteAt: redoRow!.dueOnSiteAt,
      });
    expect(await rebuildRateCountsIfStale(db())).toBe("refreshed");
    await checkCounts("imported part");
    expect(await rebuildRateCountsIfStale(db())).toBe("none");
    // A rebuild (as after a bulk import) lands on the same counts.
    const kept = await counts();
    await rebuildRateCounts(db());
    expect(await counts()).toEqual(kept);

    // And the counts agree with the pure rates over the raw rows (an independent sum, per department).
    const all = await db()
      .select({ a: assignments, w: whistles })
      .from(assignments)
      .innerJoin(whistles, eq(whistles.id, assignments.whistleId));
    const ratingRows = await db().query.ratings.findMany();
    const rows = await monthlyRates(db(), w.districtA.path, new Date(Date.now() + 8 * 3_600_000));
    for (const r of rows) {
      const mine = all.filter((x) => x.a.departmentId === r.departmentId);
      const recount = rates(
        mine.map(({ a, w: wh }) => ({
          a,
          w: { ...wh, satisfied: whistleSatisfied(ratingRows.filter((x) => x.whistleId === wh.id && x.round === wh.round)) },
        })),
      );
      expect({ id: r.departmentId, ...r }).toEqual({ id: r.departmentId, name: r.name, departmentId: r.departmentId, ...recount });
    }
    const lead = rows.find((r) => r.departmentId === w.enforcement.id)!;
    // This month: the first round only (the redo was dispatched now too: both are this month's), first round uncredited, redo credited.
    expect([lead.dispatched, lead.due, lead.resolved, lead.redone]).toEqual([2, 2, 1, 1]);
  });
});

describe("report for duty means showing up (issue 11 §5)", () => {
  it("on site needs how many came and a note or a photo; resolving needs a photo or the reason there is none; the page says so beside the field", async () => {
    const w = await buildWhistleWorld();
    const whistle = await directWhistle(w);
    const [a] = await db().select().from(assignments).where(eq(assignments.whistleId, whistle.id));
    const team = await actorOf(w.teamOfficer.id);
    await workAssignment(team, { assignmentId: a!.id, action: "sign" });
    await expect(workAssignment(team, { assignmentId: a!.id, action: "on_site", note: "到了" })).rejects.toMatchObject({
      messageKey: "assignment.error.people",
      field: "people",
    });
    await expect(workAssignment(team, { assignmentId: a!.id, action: "on_site", people: 2 })).rejects.toMatchObject({
      messageKey: "assignment.error.noteOrPhoto",
      field: "note",
    });

    const post = (fields: Record<string, string>) =>
      whistlePage.action({
        request: new Request(`http://localhost/whistles/${whistle.id}`, {
          method: "POST",
          body: new URLSearchParams({ assignmentId: String(a!.id), ...fields }),
        }),
        params: { id: String(whistle.id) },
        context: contextFor(w.teamOfficer),
      });
    expect(replyOf(await post({ intent: "on_site", people: "", note: "到了" }))).toMatchObject({
      ok: false,
      field: "people",
      error: "assignment.error.people",
    });
    expect(replyOf(await post({ intent: "on_site", people: "两个", note: "到了" }))).toMatchObject({
      ok: false,
      field: "people",
      error: "assignment.error.people",
    });
    expect(replyOf(await post({ intent: "on_site", people: "2", note: "" }))).toMatchObject({
      ok: false,
      field: "note",
      error: "assignment.error.noteOrPhoto",
    });
    expect(replyOf(await post({ intent: "on_site", people: "2", note: "两人到场，正在清理" }))).toMatchObject({ ok: true });

    expect(replyOf(await post({ intent: "resolve", resultText: "" }))).toMatchObject({
      ok: false,
      field: "resultText",
      error: "validation.required",
    });
    expect(replyOf(await post({ intent: "resolve", resultText: "已清理" }))).toMatchObject({
      ok: false,
      field: "photos",
      error: "assignment.error.evidence",
    });
    await expect(workAssignment(team, { assignmentId: a!.id, action: "resolve", resultText: "已清理" })).rejects.toMatchObject({
      messageKey: "assignment.error.evidence",
    });
    expect(replyOf(await post({ intent: "resolve", resultText: "已清理", noEvidenceReason: "现场手机没电" }))).toMatchObject({ ok: true });

    const page = await whistlePage.loader({
      request: new Request(`http://localhost/whistles/${whistle.id}`),
      params: { id: String(whistle.id) },
      context: contextFor(null),
    });
    expect(page.events.find((e) => e.kind === "on_site")).toMatchObject({ people: 2, publicText: "两人到场，正在清理" });
    expect(page.events.find((e) => e.kind === "resolve")).toMatchObject({ noEvidenceReason: "现场手机没电", publicText: "已清理" });
  });
});
