import { describe, expect, it } from "vitest";
import type { AssignmentState } from "#db/schema/whistles";
import { weightsSchema } from "~/modules/whistles/schemas";
import { addFlags, addWorkingDays, assignmentTransitions, canMove, compositeScore, credited, DEFAULT_WEIGHTS, deadlines, emergencyElapsed, emptyCounts, flagDelta, ladderStep, leadPartDone, mayReopen, RATE_BITS, rateFlags, rankUnits, rates, ratesFromCounts, weightsForMonth, overdueBy, whistleSatisfied, type RateAssignment, type RateWhistle } from "~/modules/whistles/rules";

const states: AssignmentState[] = ["dispatched", "signed", "on_site", "resolved", "returned", "confirmed", "not_needed"];
const t0 = new Date("2026-11-23T01:00:00Z"); // Monday 09:00 in Beijing
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

describe("assignment state machine", () => {
  it("allows exactly the listed moves and refuses every other pair", () => {
    const allowed = new Set(["dispatched>signed", "dispatched>returned", "signed>on_site", "signed>returned", "on_site>resolved", "resolved>confirmed", "resolved>dispatched", "confirmed>dispatched", "dispatched>not_needed", "signed>not_needed", "on_site>not_needed"]);
    for (const from of states) for (const to of states) expect({ move: `${from}>${to}`, ok: canMove(from, to) }).toEqual({ move: `${from}>${to}`, ok: allowed.has(`${from}>${to}`) });
    expect(Object.keys(assignmentTransitions).sort()).toEqual([...states].sort());
  });
  it("cannot resolve before signing for it, nor return after arriving", () => {
    expect(canMove("dispatched", "resolved")).toBe(false);
    expect(canMove("on_site", "returned")).toBe(false);
  });
});

describe("deadlines per kind", () => {
  it("emergency: 30 minutes to sign and to arrive, open until confirmed", () => {
    expect(deadlines("emergency", t0)).toEqual({ sign: at(30), onSite: at(30), resolve: null });
  });
  it("enforcement: 2 hours, 24 hours, 7 days", () => {
    expect(deadlines("enforcement", t0)).toEqual({ sign: at(120), onSite: at(1440), resolve: at(7 * 1440) });
  });
  it("key task: 24 hours, 3 days, and the notice's own due date", () => {
    const due = at(20 * 1440);
    expect(deadlines("key_task", t0, undefined, due)).toEqual({ sign: at(1440), onSite: at(3 * 1440), resolve: due });
  });
  it("a resident request from a hall: 24 hours, 3 days, 7 days; configured timers win", () => {
    expect(deadlines("resident_request", t0)).toEqual({ sign: at(1440), onSite: at(3 * 1440), resolve: at(7 * 1440) });
    expect(deadlines("enforcement", t0, { signMinutes: 60, onSiteMinutes: 120, resolveMinutes: 600 })).toEqual({ sign: at(60), onSite: at(120), resolve: at(600) });
  });
});

describe("escalation ladder", () => {
  const base = { state: "dispatched" as AssignmentState, dueSignAt: at(120), dueOnSiteAt: at(1440), dueResolveAt: at(7 * 1440), remindedStep: null, overdueSince: null, autoSupervisedAt: null, publicOverdueAt: null };
  it("reminds 24 hours before a deadline (30 minutes for emergencies), flags overdue at it", () => {
    expect(ladderStep(base, "enforcement", at(0))).toBe("remind");
    expect(ladderStep({ ...base, remindedStep: "sign" }, "enforcement", at(60))).toBeNull();
    expect(ladderStep({ ...base, remindedStep: "sign" }, "enforcement", at(120))).toBe("overdue");
    expect(ladderStep({ ...base, dueSignAt: at(100) }, "emergency", at(60))).toBeNull();
    expect(ladderStep({ ...base, dueSignAt: at(100) }, "emergency", at(70))).toBe("remind");
    expect(overdueBy(base, at(180))).toBe(60 * 60_000);
  });
  it("supervises one day overdue and lists publicly after five working days", () => {
    const overdue = { ...base, remindedStep: "sign", overdueSince: at(120) };
    expect(ladderStep(overdue, "enforcement", at(120 + 1439))).toBeNull();
    expect(ladderStep(overdue, "enforcement", at(120 + 1440))).toBe("supervise");
    const supervised = { ...overdue, autoSupervisedAt: at(120 + 1440) };
    // Monday 11:00 + 5 working days = next Monday 11:00 (the weekend does not count).
    expect(ladderStep(supervised, "enforcement", at(120 + 6 * 1440))).toBeNull();
    expect(ladderStep(supervised, "enforcement", at(120 + 7 * 1440))).toBe("public");
  });
  it("counts working days across a weekend", () => {
    const friday = new Date("2026-11-27T02:00:00Z");
    expect(addWorkingDays(friday, 1).toISOString()).toBe("2026-11-30T02:00:00.000Z");
  });
  it("reopens only on 'not solved' or 'dissatisfied'", () => {
    expect(mayReopen({ solved: false, satisfaction: "satisfied" })).toBe(true);
    expect(mayReopen({ solved: true, satisfaction: "dissatisfied" })).toBe(true);
    expect(mayReopen({ solved: true, satisfaction: "basically_satisfied" })).toBe(false);
  });
});

describe("the three rates on a hand-computed fixture: each department's own assignments", () => {
  const part = (o: Partial<RateAssignment>): RateAssignment => ({ role: "lead", state: "resolved", round: 0, dueSignAt: at(120), signedAt: at(60), resolvedAt: at(600), dueResolveAt: at(1000), ...o });
  const whistle = (o: Partial<RateWhistle>): RateWhistle => ({ kind: "enforcement", state: "resolved", round: 0, closure: "resolved", satisfied: true, ...o });
  const parts = [
    { a: part({}), w: whistle({}) }, // signed in time, resolved on time, credited, rated satisfied
    { a: part({ signedAt: at(180), resolvedAt: at(2000) }), w: whistle({ satisfied: false }) }, // late sign, late resolve, credited, dissatisfied
    { a: part({ state: "returned", signedAt: null, resolvedAt: null }), w: whistle({ state: "dispatched", closure: null, satisfied: null }) }, // returned: not due
    { a: part({ signedAt: at(30), resolvedAt: at(300) }), w: whistle({ state: "dispatched", closure: null, satisfied: null }) }, // lead done, whistle not yet resolved: due, not credited
    { a: part({ signedAt: at(90), resolvedAt: at(900) }), w: whistle({ state: "closed", closure: "unreasonable" }) }, // unreasonable: out of the denominators
  ];
  const r = rates(parts);
  it("response = signed within the deadline ÷ dispatched", () => {
    expect([r.signedInTime, r.dispatched, r.responseRate]).toEqual([3, 5, 0.6]);
  });
  it("resolution = credited ÷ due; returned parts and unreasonable closures are not due", () => {
    expect([r.resolved, r.due, r.resolutionRate]).toEqual([2, 3, 2 / 3]);
    expect([r.unreasonable, r.returned]).toEqual([1, 1]);
  });
  it("satisfaction = (satisfied + basically) ÷ rated, only where it was credited", () => {
    expect([r.satisfied, r.rated, r.satisfactionRate]).toEqual([1, 2, 0.5]);
  });
  it("on-time and return rates", () => {
    expect([r.resolvedOnTime, r.resolvedWithDeadline, r.onTimeRate]).toEqual([3, 4, 0.75]);
    expect(r.returnRate).toBe(0.2);
  });
  it("a co-operating department is credited only for its own part, reported done and accepted", () => {
    const w = whistle({});
    expect(credited(part({ role: "cooperate", state: "confirmed" }), w)).toBe(true);
    expect(credited(part({ role: "cooperate", state: "resolved" }), w)).toBe(false); // reported, not yet accepted
    expect(credited(part({ role: "cooperate", state: "not_needed", signedAt: null, resolvedAt: null }), w)).toBe(false);
    const never = rates([{ a: part({ role: "cooperate", state: "not_needed", signedAt: null, resolvedAt: null }), w }]);
    // Never signed, closed as not needed when the lead resolved it: due and not resolved, never "—" and never credited.
    expect([never.responseRate, never.resolutionRate, never.satisfactionRate, never.notNeeded]).toEqual([0, 0, null, 1]);
  });
  it("the lead of a reopened whistle's first round is not credited; the redo's lead is, once resolved again", () => {
    const reopened = whistle({ state: "dispatched", round: 1, closure: null });
    expect(credited(part({ round: 0 }), reopened)).toBe(false);
    expect(credited(part({ round: 1 }), whistle({ round: 1 }))).toBe(true);
    expect(rateFlags(part({ round: 1 }), whistle({ round: 1 })) & RATE_BITS.redone).toBeTruthy();
  });
  it("an emergency's lead part counts only once confirmed", () => {
    expect(credited(part({}), whistle({ kind: "emergency" }))).toBe(false);
    expect(credited(part({ state: "confirmed" }), whistle({ kind: "emergency" }))).toBe(true);
  });
  it("moves counts by the difference of bits; a round trip leaves nothing", () => {
    const before = rateFlags(part({ state: "on_site", resolvedAt: null }), whistle({ state: "dispatched", closure: null, satisfied: null }));
    const after = rateFlags(part({}), whistle({}));
    expect(flagDelta(before, after)).toEqual({ resolved: 1, rated: 1, satisfied: 1, resolvedWithDeadline: 1, resolvedOnTime: 1 });
    const c = addFlags(addFlags(emptyCounts(), before), before, -1);
    expect(Object.values(c).every((v) => v === 0)).toBe(true);
  });
  it("the residents' answer is satisfied when at least half are satisfied or basically satisfied", () => {
    expect(whistleSatisfied([])).toBeNull();
    expect(whistleSatisfied([{ satisfaction: "basically_satisfied" }, { satisfaction: "dissatisfied" }])).toBe(true);
    expect(whistleSatisfied([{ satisfaction: "dissatisfied" }, { satisfaction: "dissatisfied" }, { satisfaction: "satisfied" }])).toBe(false);
  });
  it("0/0 is no figure; the composite needs a response and a resolution figure, never counting a gap as perfect", () => {
    const none = ratesFromCounts(emptyCounts());
    expect([none.responseRate, none.resolutionRate, none.satisfactionRate]).toEqual([null, null, null]);
    expect(compositeScore({ responseRate: 1, resolutionRate: null, satisfactionRate: null })).toBeNull();
    expect(compositeScore({ responseRate: 0.5, resolutionRate: 1, satisfactionRate: null })).toBeCloseTo((0.3 * 0.5 + 0.3 * 1) / 0.6);
    expect(compositeScore({ responseRate: 0.6, resolutionRate: 0.5, satisfactionRate: 1 })).toBeCloseTo(0.3 * 0.6 + 0.3 * 0.5 + 0.4 * 1);
  });
  it("ranks units with enough cases and a score; lists the rest with the reason", () => {
    const rows = [
      { name: "甲", dispatched: 5, score: 0.5 },
      { name: "乙", dispatched: 2, score: 1 },
      { name: "丙", dispatched: 9, score: null },
      { name: "丁", dispatched: 4, score: 0.9 },
    ];
    const { ranked, unranked } = rankUnits(rows, 3);
    expect(ranked.map((r) => r.name)).toEqual(["丁", "甲"]);
    expect(unranked.map((r) => [r.name, r.why])).toEqual([
      ["乙", "fewCases"],
      ["丙", "noRates"],
    ]);
  });
});

describe("when a lead part is done", () => {
  it("an emergency needs the whistling unit's confirmation; other kinds are done when resolved", () => {
    expect(leadPartDone("emergency", { state: "resolved", replaced: false })).toBe(false);
    expect(leadPartDone("emergency", { state: "confirmed", replaced: false })).toBe(true);
    expect(leadPartDone("enforcement", { state: "resolved", replaced: false })).toBe(true);
    expect(leadPartDone("key_task", { state: "confirmed", replaced: false })).toBe(true);
    expect(leadPartDone("resident_request", { state: "on_site", replaced: false })).toBe(false);
  });
  it("a returned part is done only once re-dispatched, whatever the kind", () => {
    expect(leadPartDone("enforcement", { state: "returned", replaced: false })).toBe(false);
    expect(leadPartDone("emergency", { state: "returned", replaced: true })).toBe(true);
  });
  it("an open emergency shows the time since dispatch; nothing else does", () => {
    const open = { kind: "emergency" as const, state: "dispatched", dispatchedAt: t0 };
    expect(emergencyElapsed(open, at(95))).toBe(95 * 60_000);
    expect(emergencyElapsed({ ...open, state: "resolved" }, at(95))).toBeNull();
    expect(emergencyElapsed({ ...open, kind: "enforcement" }, at(95))).toBeNull();
    expect(emergencyElapsed({ ...open, dispatchedAt: null }, at(95))).toBeNull();
  });
});

describe("composite-score weights by period", () => {
  const periods = [
    { validFrom: "2026-03", response: 20, resolution: 30, satisfaction: 50 },
    { validFrom: "2026-09", response: 40, resolution: 40, satisfaction: 20 },
  ];
  it("uses the period that began latest on or before the month", () => {
    expect(weightsForMonth(periods, "2026-02")).toEqual({ weights: DEFAULT_WEIGHTS, validFrom: null, minCases: 3 });
    expect(weightsForMonth(periods, "2026-03")).toEqual({ weights: { response: 0.2, resolution: 0.3, satisfaction: 0.5 }, validFrom: "2026-03", minCases: 3 });
    expect(weightsForMonth(periods, "2026-08").validFrom).toBe("2026-03");
    expect(weightsForMonth([...periods].reverse(), "2027-01").validFrom).toBe("2026-09");
    expect(weightsForMonth([], "2026-08")).toEqual({ weights: DEFAULT_WEIGHTS, validFrom: null, minCases: 3 });
    expect(weightsForMonth([{ ...periods[0]!, minCases: 10 }], "2026-08").minCases).toBe(10);
  });
  it("changes the composite score with the weights", () => {
    const r = { responseRate: 1, resolutionRate: 0.5, satisfactionRate: 0 };
    expect(compositeScore(r, weightsForMonth(periods, "2026-04").weights)).toBeCloseTo(0.2 + 0.15);
    expect(compositeScore(r, weightsForMonth(periods, "2026-10").weights)).toBeCloseTo(0.4 + 0.2);
  });
  it("the form accepts whole percents summing to 100 and names the field otherwise", () => {
    expect(weightsSchema.safeParse({ districtId: 1, validFrom: "2026-05", response: 30, resolution: 30, satisfaction: 40 }).success).toBe(true);
    const bad = weightsSchema.safeParse({ districtId: 1, validFrom: "2026-13", response: 30, resolution: 30.5, satisfaction: 50 });
    expect(bad.success ? [] : bad.error.issues.map((i) => `${i.path.join(".")}:${i.message}`)).toEqual(["validFrom:weights.error.month", "resolution:weights.error.whole", "satisfaction:weights.error.sum"]);
    const sum = weightsSchema.safeParse({ districtId: 1, validFrom: "2026-05", response: 30, resolution: 30, satisfaction: 30 });
    expect(sum.success ? [] : sum.error.issues.map((i) => `${i.path.join(".")}:${i.message}`)).toEqual(["satisfaction:weights.error.sum"]);
  });
});
