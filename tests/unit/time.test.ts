import { describe, expect, it } from "vitest";
import { dayStart, localDate, localMonth, localToInstant, monthKey, monthOfKey, monthStart } from "~/lib/time";
import { moveOutAt } from "~/modules/roll/rules";
import { monthKeyOf } from "~/modules/whistles/rules";

const at = (iso: string) => new Date(iso);

describe("calendar time in the configured zone (one place, issue 13 §5)", () => {
  it("reads dates and months of an instant in any zone", () => {
    expect(localDate(at("2026-11-30T16:30:00Z"), "Asia/Shanghai")).toBe("2026-12-01");
    expect(localMonth(at("2026-11-30T16:30:00Z"), "Asia/Shanghai")).toBe("2026-12");
    expect(localMonth(at("2026-11-30T16:30:00Z"), "Europe/London")).toBe("2026-11");
    // The whistle counts' month follows the zone too.
    expect(monthKeyOf(at("2026-11-30T16:30:00Z"), "Asia/Shanghai")).toBe("2026-12");
    expect(monthKeyOf(at("2026-11-30T16:30:00Z"), "America/New_York")).toBe("2026-11");
  });

  it("turns typed local times into instants, refusing dates that do not exist", () => {
    expect(localToInstant("2026-12-05T09:00", "Asia/Shanghai")!.toISOString()).toBe("2026-12-05T01:00:00.000Z");
    expect(localToInstant("2026-07-05T09:00", "Europe/Berlin")!.toISOString()).toBe("2026-07-05T07:00:00.000Z");
    expect(localToInstant("2026-01-05T09:00", "Europe/Berlin")!.toISOString()).toBe("2026-01-05T08:00:00.000Z");
    expect(localToInstant("2026-02-30T09:00", "Asia/Shanghai")).toBeNull();
    expect(localToInstant("2026-12-05T24:00", "Asia/Shanghai")).toBeNull();
    expect(localToInstant("2026-12-05 09:00", "Asia/Shanghai")).toBeNull();
    expect(dayStart("2026-12-04", "Asia/Shanghai")!.toISOString()).toBe("2026-12-03T16:00:00.000Z");
  });

  it("finds where months begin, across the year's end and in other zones", () => {
    expect(monthStart(2026, 11, "Asia/Shanghai").toISOString()).toBe("2026-11-30T16:00:00.000Z");
    expect(monthStart(2026, 12, "Asia/Shanghai").toISOString()).toBe("2026-12-31T16:00:00.000Z");
    expect(monthStart(2026, 6, "Europe/Berlin").toISOString()).toBe("2026-06-30T22:00:00.000Z");
    expect(monthKey(2027, -1)).toBe("2026-12");
    expect(monthKey(2026, 12)).toBe("2027-01");
    expect(monthOfKey("2026-12").toISOString()).toBe("2026-12-01T00:00:00.000Z");
  });

  it("a move-out dated today takes effect now, an earlier day at its start, in the district's zone", () => {
    const now = at("2026-12-04T20:00:00Z"); // 04:00 on 12-05 in Beijing, still 12-04 in London
    expect(moveOutAt("2026-12-05", now, "Asia/Shanghai")).toEqual(now);
    expect(moveOutAt("2026-12-05", now, "Europe/London")).toBeNull(); // tomorrow there
    expect(moveOutAt("2026-12-04", now, "Europe/London")).toEqual(now);
    expect(moveOutAt("2026-12-01", now, "Asia/Shanghai")!.toISOString()).toBe("2026-11-30T16:00:00.000Z");
    expect(moveOutAt("2026-12-32", now, "Asia/Shanghai")).toBeNull();
  });
});
