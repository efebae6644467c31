import { describe, expect, it } from "vitest";
import type { Criterion } from "#db/schema/projects";
import {
  biddingOpen,
  bidsPublic,
  criteriaProblem,
  ineligibility,
  mayFinalize,
  mayStep,
  monthsBetween,
  noticeEnd,
  objectionsOpen,
  panelScore,
  questionsOpen,
  rankBids,
  sealed,
  sheetComplete,
  stepTo,
  toHundredths,
  weightedTotal,
} from "~/modules/projects/rules";
import { criteriaOf, editorOf } from "~/modules/projects/schemas";

const criteria: Criterion[] = [
  { id: "price", key: "price", weight: 30 },
  { id: "plan", key: "plan", weight: 50 },
  { id: "custom-1", key: "custom", label: "社区口碑", weight: 20 },
];
const t = (s: string) => new Date(s);

describe("project steps", () => {
  it("follows planning → open → evaluating → awarded → active → completed", () => {
    expect(stepTo("planning", "publish")).toBe("open");
    expect(stepTo("open", "close")).toBe("evaluating");
    expect(stepTo("evaluating", "award")).toBe("awarded");
    expect(stepTo("awarded", "finalize")).toBe("active");
    expect(stepTo("active", "complete")).toBe("completed");
  });
  it("reopens an award to evaluation, fails an open or evaluating call, and cancels only before the contract runs", () => {
    expect(stepTo("awarded", "reopen")).toBe("evaluating");
    expect(stepTo("open", "fail")).toBe("unsuccessful");
    expect(stepTo("evaluating", "fail")).toBe("unsuccessful");
    expect(stepTo("awarded", "fail")).toBeNull();
    expect(stepTo("active", "cancel")).toBeNull();
    expect(stepTo("planning", "cancel")).toBe("cancelled");
  });
  it("edits only while planning, and edit keeps the state", () => {
    expect(stepTo("planning", "edit")).toBe("planning");
    expect(mayStep("open", "edit")).toBe(false);
    expect(stepTo("open", "publish")).toBeNull();
  });
});

describe("windows", () => {
  const p = { status: "open" as const, questionsCloseAt: t("2026-12-05T00:00:00Z"), bidDeadline: t("2026-12-09T00:00:00Z") };
  it("takes questions while open and before their closing time, not at it", () => {
    expect(questionsOpen(p, t("2026-12-04T23:59:59Z"))).toBe(true);
    expect(questionsOpen(p, t("2026-12-05T00:00:00Z"))).toBe(false);
    expect(questionsOpen({ ...p, status: "planning" }, t("2026-12-01T00:00:00Z"))).toBe(false);
  });
  it("takes bids up to, not at, the deadline", () => {
    expect(biddingOpen(p, t("2026-12-08T23:59:59Z"))).toBe(true);
    expect(biddingOpen(p, t("2026-12-09T00:00:00Z"))).toBe(false);
  });
  it("keeps bids sealed until opened, and makes them public only once the award is final", () => {
    expect(sealed({ openedAt: null })).toBe(true);
    expect(sealed({ openedAt: t("2026-12-09T00:00:00Z") })).toBe(false);
    expect(bidsPublic("awarded")).toBe(false);
    expect(bidsPublic("active")).toBe(true);
    expect(bidsPublic("completed")).toBe(true);
  });
  it("ends the notice period after working days (a Friday award with 5 days ends the next Friday)", () => {
    const friday = t("2026-12-04T02:00:00Z");
    expect(noticeEnd(friday, 5).toISOString()).toBe("2026-12-11T02:00:00.000Z");
  });
  it("takes objections during the notice period, and finalizes after it only with every objection answered", () => {
    const a = { status: "awarded" as const, noticeEndsAt: t("2026-12-11T02:00:00Z") };
    expect(objectionsOpen(a, t("2026-12-11T01:59:59Z"))).toBe(true);
    expect(objectionsOpen(a, t("2026-12-11T02:00:00Z"))).toBe(false);
    expect(mayFinalize(a, 0, t("2026-12-11T01:59:59Z"))).toBe(false);
    expect(mayFinalize(a, 1, t("2026-12-12T00:00:00Z"))).toBe(false);
    expect(mayFinalize(a, 0, t("2026-12-11T02:00:00Z"))).toBe(true);
    expect(mayFinalize({ ...a, status: "evaluating" }, 0, t("2026-12-12T00:00:00Z"))).toBe(false);
  });
});

describe("eligibility", () => {
  const org = { kind: "social_org", status: "confirmed" as const, decidedAt: t("2026-01-15T00:00:00Z"), unitPath: "/1/2/3/" };
  const e = { minMonthsVerified: 6, localOnly: true };
  const now = t("2026-12-02T00:00:00Z");
  it("admits a verified local civil-society organisation verified long enough", () => {
    expect(ineligibility(org, e, "/1/2/", now)).toBeNull();
  });
  it("says why not", () => {
    expect(ineligibility({ ...org, kind: "unit_party_org" }, e, "/1/2/", now)).toBe("notSocialOrg");
    expect(ineligibility({ ...org, status: "pending" }, e, "/1/2/", now)).toBe("notVerified");
    expect(ineligibility({ ...org, decidedAt: t("2026-07-01T00:00:00Z") }, e, "/1/2/", now)).toBe("tooNew");
    expect(ineligibility(org, e, "/1/9/", now)).toBe("notLocal");
    expect(ineligibility(org, { ...e, localOnly: false }, "/1/9/", now)).toBeNull();
  });
  it("counts whole months: a day short is not a month", () => {
    expect(monthsBetween(t("2026-01-15T00:00:00Z"), t("2026-02-14T00:00:00Z"))).toBe(0);
    expect(monthsBetween(t("2026-01-15T00:00:00Z"), t("2026-02-15T00:00:00Z"))).toBe(1);
  });
});

describe("criteria", () => {
  it("accepts weights 1–100 that sum to exactly 100", () => {
    expect(criteriaProblem(criteria)).toBeNull();
  });
  it("names the problem", () => {
    expect(criteriaProblem([])).toBe("empty");
    expect(criteriaProblem([{ id: "price", key: "price", weight: 0 }, { id: "plan", key: "plan", weight: 100 }])).toBe("weightRange");
    expect(criteriaProblem([{ id: "price", key: "price", weight: 50 }, { id: "price", key: "price", weight: 50 }])).toBe("duplicate");
    expect(criteriaProblem([{ id: "price", key: "price", weight: 50 }, { id: "custom-1", key: "custom", label: " ", weight: 50 }])).toBe("customLabel");
    expect(criteriaProblem([{ id: "price", key: "price", weight: 50 }, { id: "plan", key: "plan", weight: 49 }])).toBe("sum");
  });
  it("the editor's fields become criteria and back: unused standard criteria (weight 0) drop out", () => {
    const made = criteriaOf({ price: 30, plan: 50, team: 0 }, [{ label: "社区口碑", weight: 20 }, { label: "", weight: 0 }]);
    expect(made).toEqual(criteria);
    expect(editorOf(made)).toEqual({ weights: { price: "30", plan: "50" }, custom: [{ label: "社区口碑", weight: "20" }] });
  });
});

describe("the panel's score", () => {
  const sheet = (price: number, plan: number, own: number) => ({ price, plan, "custom-1": own });
  it("weighs a sheet: Σ score × weight / 100", () => {
    expect(weightedTotal(criteria, sheet(80, 90, 50))).toBe(79);
  });
  it("is the mean of the evaluators' totals with fewer than five", () => {
    expect(panelScore(criteria, [sheet(80, 90, 50), sheet(60, 70, 100)])).toBe((79 + 73) / 2);
  });
  it("drops the highest and the lowest with five or more", () => {
    const sheets = [100, 80, 70, 60, 0].map((s) => sheet(s, s, s));
    expect(panelScore(criteria, sheets)).toBe(70);
    expect(panelScore(criteria, sheets.slice(0, 4))).toBe((100 + 80 + 70 + 60) / 4);
  });
  it("is null when nobody scored the bid (every evaluator conflicted)", () => {
    expect(panelScore(criteria, [])).toBeNull();
  });
  it("is stored in hundredths", () => {
    expect(toHundredths(87.345)).toBe(8735);
    expect(toHundredths(70)).toBe(7000);
  });
  it("a sheet is complete with a whole 0–100 score for every criterion and nothing else", () => {
    expect(sheetComplete(criteria, sheet(0, 100, 50))).toBe(true);
    expect(sheetComplete(criteria, { price: 80, plan: 90 })).toBe(false);
    expect(sheetComplete(criteria, { ...sheet(1, 2, 3), team: 4 })).toBe(false);
    expect(sheetComplete(criteria, sheet(80.5, 90, 50))).toBe(false);
    expect(sheetComplete(criteria, sheet(101, 90, 50))).toBe(false);
  });
  it("ranks by score, then the lower price, then the earlier submission; unscored bids are left out", () => {
    const at = (s: string) => new Date(s);
    const ranked = rankBids([
      { id: 1, score: 8000, price: 150, submittedAt: at("2026-12-03T00:00:00Z") },
      { id: 2, score: 8500, price: 200, submittedAt: at("2026-12-03T00:00:00Z") },
      { id: 3, score: 8000, price: 120, submittedAt: at("2026-12-04T00:00:00Z") },
      { id: 4, score: 8000, price: 120, submittedAt: at("2026-12-02T00:00:00Z") },
      { id: 5, score: null, price: 100, submittedAt: at("2026-12-01T00:00:00Z") },
    ]);
    expect(ranked.map((b) => b.id)).toEqual([2, 4, 3, 1]);
  });
});
