import { describe, expect, it } from "vitest";
import type { PositionKind } from "#db/schema/people";
import { visitor, type Actor } from "~/modules/identity/actor";
import { hasWorkbench, sectionsFor } from "~/modules/workbench/rules";
import { mayDispatchTo, mayRate, maySupervise } from "~/modules/whistles/rules";

const holding = (...kinds: PositionKind[]): Actor => ({
  ...visitor,
  userId: 1,
  positions: kinds.map((kind, i) => ({ id: i, kind, unitId: 7, unitPath: "/1/2/7/", departmentId: null, alleyId: null })),
});

describe("workbench sections by role", () => {
  it("gives each staff role its own sections and residents none", () => {
    expect(sectionsFor(holding("community_worker"))).toEqual(["dispatches", "verifications"]);
    expect(sectionsFor(holding("subdistrict_officer"))).toEqual(["dispatches", "verifications", "overdue", "extensions"]);
    expect(sectionsFor(holding("subdistrict_leader"))).toEqual(["dispatches", "verifications", "overdue", "extensions", "closures"]);
    expect(sectionsFor(holding("station_officer"))).toEqual(["assignments", "overdue"]);
    expect(sectionsFor(holding("district_admin"))).toEqual(["dispatches", "overdue", "extensions"]);
    expect(sectionsFor(holding("alley_chief"))).toEqual([]);
    expect(hasWorkbench(visitor)).toBe(false);
    expect(hasWorkbench(holding("department_head"))).toBe(true);
  });

  it("joins the sections of several positions in one order", () => {
    expect(sectionsFor(holding("department_officer", "community_worker"))).toEqual(["dispatches", "verifications", "assignments", "overdue"]);
  });
});

describe("departments a subdistrict may whistle to", () => {
  it("keeps the district's departments and this subdistrict's stations and teams, not another subdistrict's", () => {
    expect(mayDispatchTo({ level: "district", servesUnitId: null }, { subdistrictId: 17, communityId: null })).toBe(true);
    expect(mayDispatchTo({ level: "station", servesUnitId: 17 }, { subdistrictId: 17, communityId: null })).toBe(true);
    expect(mayDispatchTo({ level: "subdistrict", servesUnitId: 17 }, { subdistrictId: 17, communityId: null })).toBe(true);
    expect(mayDispatchTo({ level: "station", servesUnitId: 18 }, { subdistrictId: 17, communityId: null })).toBe(false);
    expect(mayDispatchTo({ level: "subdistrict", servesUnitId: 18 }, { subdistrictId: 17, communityId: null })).toBe(false);
  });

  it("lets a community whistle only to the stations serving its subdistrict", () => {
    const community = { subdistrictId: 17, communityId: 40 };
    expect(mayDispatchTo({ level: "station", servesUnitId: 17 }, community)).toBe(true);
    expect(mayDispatchTo({ level: "district", servesUnitId: null }, community)).toBe(false);
    expect(mayDispatchTo({ level: "subdistrict", servesUnitId: 17 }, community)).toBe(false);
    expect(mayDispatchTo({ level: "station", servesUnitId: 18 }, community)).toBe(false);
  });
});

describe("supervision and rating windows (whistles/rules)", () => {
  it("supervises only a whistle still being worked, and rates only a resolved one inside its window", () => {
    expect(["requested", "dispatched", "reopened", "resolved", "closed"].filter(maySupervise)).toEqual(["dispatched", "reopened"]);
    const now = new Date("2026-12-06T00:00:00Z");
    const later = new Date("2026-12-07T00:00:00Z");
    expect(mayRate({ state: "resolved", ratingClosesAt: later }, now)).toBe(true);
    expect(mayRate({ state: "resolved", ratingClosesAt: now }, now)).toBe(false);
    expect(mayRate({ state: "resolved", ratingClosesAt: null }, now)).toBe(false);
    expect(mayRate({ state: "closed", ratingClosesAt: later }, now)).toBe(false);
  });
});
