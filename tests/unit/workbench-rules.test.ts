import { describe, expect, it } from "vitest";
import type { PositionKind } from "#db/schema/people";
import { visitor, type Actor } from "~/modules/identity/actor";
import { hasWorkbench, sectionsFor, servesSubdistrict } from "~/modules/workbench/rules";

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
    expect(servesSubdistrict({ level: "district", servesUnitId: null }, 17)).toBe(true);
    expect(servesSubdistrict({ level: "station", servesUnitId: 17 }, 17)).toBe(true);
    expect(servesSubdistrict({ level: "subdistrict", servesUnitId: 17 }, 17)).toBe(true);
    expect(servesSubdistrict({ level: "station", servesUnitId: 18 }, 17)).toBe(false);
    expect(servesSubdistrict({ level: "subdistrict", servesUnitId: 18 }, 17)).toBe(false);
  });
});
