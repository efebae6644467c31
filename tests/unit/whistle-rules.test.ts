import { describe, expect, it } from "vitest";
import type { AssignmentState } from "#db/schema/whistles";
import { weightsSchema } from "~/modules/whistles/schemas";
import { addWorkingDays, assignmentTransitions, canMove, compositeScore, DEFAULT_WEIGHTS, deadlines, emergencyElapsed, ladderStep, leadPartDone, mayReopen, weightsForMonth, overdueBy, rates, type AssignmentFact, type WhistleOutcome } from "~/modules/whistles/rules";

const states: AssignmentState[] = ["dispatched", "signed", "on_site", "resolved", "returned", "confirmed"];
const t0 = new Date("2026-11-23T01:00:00Z"); // Monday 09:00 in Beijing
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

describe("assignment state machine", () => {
  it("allows exactly the listed moves and refuses every other pair", () => {
    const allowed = new Set(["dispatched>signed", "dispatched>returned", "signed>on_site", "signed>returned", "on_site>resolved", "resolved>confirmed", "resolved>dispatched", "confirmed>dispatched"]);
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

describe("the three rates on a hand-computed fixture", () => {
  const fact = (o: Partial<AssignmentFact>): AssignmentFact => ({ departmentId: 1, dispatchedAt: at(0), dueSignAt: at(120), signedAt: at(60), resolvedAt: at(600), dueResolveAt: at(1000), returned: false, whistleId: 1, redone: false, ...o });
  const facts = [
    fact({ whistleId: 1 }), // signed in time, on time
    fact({ whistleId: 2, signedAt: at(180), resolvedAt: at(2000) }), // late sign, late resolve
    fact({ whistleId: 3, signedAt: null, resolvedAt: null, returned: true }), // returned
    fact({ whistleId: 4, signedAt: at(30), resolvedAt: at(300) }),
    fact({ whistleId: 5, signedAt: at(90), resolvedAt: at(900), redone: true }),
  ];
  const outcomes: WhistleOutcome[] = [
    { whistleId: 1, solved: true, satisfaction: "satisfied", unreasonable: false },
    { whistleId: 2, solved: false, satisfaction: "dissatisfied", unreasonable: false },
    { whistleId: 3, solved: null, satisfaction: null, unreasonable: false },
    { whistleId: 4, solved: true, satisfaction: "basically_satisfied", unreasonable: false },
    { whistleId: 5, solved: false, satisfaction: "satisfied", unreasonable: true }, // excluded
  ];
  const r = rates(facts, outcomes);
  it("response = signed within the deadline ÷ dispatched", () => {
    expect([r.signedInTime, r.dispatched, r.responseRate]).toEqual([3, 5, 0.6]);
  });
  it("resolution = solved ÷ answered, unreasonable closures excluded", () => {
    expect([r.solved, r.answered, r.resolutionRate]).toEqual([2, 3, 2 / 3]);
    expect(r.unreasonable).toBe(1);
  });
  it("satisfaction = (satisfied + basically) ÷ rated", () => {
    expect([r.satisfied, r.rated, r.satisfactionRate]).toEqual([2, 3, 2 / 3]);
  });
  it("on-time, return and redo rates and medians", () => {
    expect([r.resolvedOnTime, r.resolvedWithDeadline, r.onTimeRate]).toEqual([3, 4, 0.75]);
    expect([r.returned, r.returnRate]).toEqual([1, 0.2]);
    expect([r.redone, r.redoRate]).toEqual([1, 0.2]);
    expect(r.medianSignMinutes).toBe(75); // 30, 60, 90, 180
    expect(r.medianResolveMinutes).toBe(750); // 300, 600, 900, 2000
  });
  it("no rated whistles: rates are absent, not zero; the composite uses what exists", () => {
    const none = rates([fact({ whistleId: 9 })], []);
    expect([none.resolutionRate, none.satisfactionRate]).toEqual([null, null]);
    expect(compositeScore(none)).toBe(1);
    expect(compositeScore({ responseRate: null, resolutionRate: null, satisfactionRate: null })).toBeNull();
    expect(compositeScore({ responseRate: 0.6, resolutionRate: 0.5, satisfactionRate: 1 })).toBeCloseTo(0.3 * 0.6 + 0.3 * 0.5 + 0.4 * 1);
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
    expect(weightsForMonth(periods, "2026-02")).toEqual({ weights: DEFAULT_WEIGHTS, validFrom: null });
    expect(weightsForMonth(periods, "2026-03")).toEqual({ weights: { response: 0.2, resolution: 0.3, satisfaction: 0.5 }, validFrom: "2026-03" });
    expect(weightsForMonth(periods, "2026-08").validFrom).toBe("2026-03");
    expect(weightsForMonth([...periods].reverse(), "2027-01").validFrom).toBe("2026-09");
    expect(weightsForMonth([], "2026-08")).toEqual({ weights: DEFAULT_WEIGHTS, validFrom: null });
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
