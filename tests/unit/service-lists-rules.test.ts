import { describe, expect, it } from "vitest";
import { claimable, claimDegree, claimError, claimStepError, closable, matches, mayRaiseFrom, needCategoryFor, needProgress, needStatusOf, remaining } from "~/modules/service-lists/rules";

describe("three lists: a need's state and what it still takes", () => {
  it("takes claims until its people or hours are held, never more", () => {
    const need = { status: "claimed" as const, amount: 5, claimed: 3 };
    expect(remaining(need)).toBe(2);
    expect(claimError(need, 2)).toBeNull();
    expect(claimError(need, 3)).toBe("need.error.tooMuch");
    expect(claimError({ ...need, claimed: 5 }, 1)).toBe("need.error.full");
    expect(claimError({ ...need, status: "closed" }, 1)).toBe("need.error.notOpen");
    expect(claimError({ ...need, status: "done" }, 1)).toBe("need.error.notOpen");
    expect([claimable(need), claimable({ ...need, claimed: 5 }), claimable({ ...need, status: "closed" })]).toEqual([true, false, false]);
  });

  it("is open with nothing held, claimed (partly, then fully) while held, done once all it asked is confirmed", () => {
    const need = { status: "open" as const, amount: 4 };
    expect(needStatusOf(need, 0, 0)).toBe("open");
    expect(needStatusOf(need, 2, 2)).toBe("claimed");
    expect(needStatusOf(need, 4, 3)).toBe("claimed");
    expect(needStatusOf(need, 4, 4)).toBe("done");
    expect(needStatusOf({ ...need, status: "claimed" }, 0, 0)).toBe("open");
    expect(needStatusOf({ ...need, status: "closed" }, 4, 4)).toBe("closed");
    expect(needStatusOf({ ...need, status: "done" }, 0, 0)).toBe("done");
    expect([claimDegree({ ...need, claimed: 0 }), claimDegree({ ...need, claimed: 1 }), claimDegree({ ...need, claimed: 4 })]).toEqual([null, "partly", "fully"]);
    expect(needProgress({ amount: 4, claimed: 1 })).toBe(0.25);
    expect([closable("open"), closable("claimed"), closable("done"), closable("closed")]).toEqual([true, true, false, false]);
  });
});

describe("three lists: a claim's steps", () => {
  it("is reported done by its claimer, then confirmed; released with a reason; done and released are final", () => {
    const live = { status: "claimed" as const, reportedDoneAt: null };
    const reported = { status: "claimed" as const, reportedDoneAt: new Date() };
    expect(claimStepError(live, "reportDone")).toBeNull();
    expect(claimStepError(live, "confirm")).toBe("claim.error.notReported");
    expect(claimStepError(live, "release")).toBeNull();
    expect(claimStepError(reported, "reportDone")).toBe("claim.error.reportedAlready");
    expect(claimStepError(reported, "confirm")).toBeNull();
    for (const status of ["done", "released"] as const) {
      for (const step of ["reportDone", "confirm", "release"] as const) expect(claimStepError({ status, reportedDoneAt: null }, step)).toBe("claim.error.final");
    }
  });
});

describe("three lists: raised from proposals, and matching", () => {
  it("raises needs only from passed or self-handled proposals, in the category the proposal's suggests", () => {
    expect(["decided_passed", "self_handled", "open", "voting", "decided_failed", "escalated"].map((s) => mayRaiseFrom(s as never))).toEqual([true, true, false, false, false, false]);
    expect(needCategoryFor("elderly_care")).toBe("serving_people");
    expect(needCategoryFor("sanitation")).toBe("environment");
    expect(needCategoryFor("culture_market")).toBe("education");
  });

  it("matches resources and members of the same community and category only", () => {
    const offers = [
      { id: 1, unitId: 7, category: "environment" as const },
      { id: 2, unitId: 7, category: "education" as const },
      { id: 3, unitId: 8, category: "environment" as const },
    ];
    expect(matches({ unitId: 7, category: "environment" }, offers).map((o) => o.id)).toEqual([1]);
  });
});
