import { describe, expect, it } from "vitest";
import {
  codeAction,
  hoursToNextStar,
  nextToPromote,
  reminderDue,
  placeFor,
  placeSignups,
  pledgePeriodError,
  pledgeProgress,
  pledgeStatusAt,
  serviceMinutes,
  signupOpen,
  starLevel,
  starLevelsError,
  venueCode,
  venueCodeValid,
  verificationError,
} from "~/modules/pledges/rules";
import { localDate, localToInstant } from "~/lib/time";

const at = (iso: string) => new Date(iso);

describe("pledges", () => {
  const hours = { status: "active" as const, unit: "hours" as const, amount: 10, achieved: 0, endsOn: "2026-12-31" };

  it("measures progress as verified service over the pledge, capped at 1", () => {
    expect(pledgeProgress({ ...hours, achieved: 300 })).toBe(0.5);
    expect(pledgeProgress({ ...hours, achieved: 900 })).toBe(1);
    expect(pledgeProgress({ unit: "times", amount: 4, achieved: 1 })).toBe(0.25);
  });

  it("is fulfilled when service reaches it, lapses after its last day, and final states stay", () => {
    expect(pledgeStatusAt({ ...hours, achieved: 599 }, "2026-12-31")).toBe("active");
    expect(pledgeStatusAt({ ...hours, achieved: 600 }, "2026-12-31")).toBe("fulfilled");
    expect(pledgeStatusAt(hours, "2027-01-01")).toBe("lapsed");
    expect(pledgeStatusAt({ ...hours, achieved: 600 }, "2027-01-01")).toBe("fulfilled");
    expect(pledgeStatusAt({ ...hours, status: "withdrawn", achieved: 600 }, "2026-12-01")).toBe("withdrawn");
  });

  it("checks the period", () => {
    expect(pledgePeriodError("2026-12-01", "2026-11-30", "2026-11-01")).toBe("pledge.error.endsBeforeStart");
    expect(pledgePeriodError("2026-01-01", "2026-06-30", "2026-07-01")).toBe("pledge.error.endsInPast");
    expect(pledgePeriodError("2026-01-01", "2027-06-30", "2026-01-01")).toBe("pledge.error.tooLong");
    expect(pledgePeriodError("2026-01-01", "2026-12-31", "2026-03-01")).toBeNull();
  });
});

describe("dates in the configured zone", () => {
  it("reads local dates and times in any zone, not a fixed offset", () => {
    expect(localDate(at("2026-12-02T16:30:00Z"), "Asia/Shanghai")).toBe("2026-12-03");
    expect(localDate(at("2026-12-02T16:30:00Z"), "Europe/London")).toBe("2026-12-02");
    expect(localToInstant("2026-12-05T09:00", "Asia/Shanghai")!.toISOString()).toBe("2026-12-05T01:00:00.000Z");
    expect(localToInstant("2026-07-05T09:00", "Europe/Berlin")!.toISOString()).toBe("2026-07-05T07:00:00.000Z");
    expect(localToInstant("2026-12-05 09:00", "Asia/Shanghai")).toBeNull();
  });
});

describe("activities", () => {
  const a = { status: "open", startsAt: at("2026-12-05T01:00:00Z"), endsAt: at("2026-12-05T03:00:00Z") };

  it("takes sign-ups until the start, into slots then the waitlist", () => {
    expect(signupOpen(a, at("2026-12-05T00:59:59Z"))).toBe(true);
    expect(signupOpen(a, at("2026-12-05T01:00:00Z"))).toBe(false);
    expect(signupOpen({ ...a, status: "cancelled" }, at("2026-12-01T00:00:00Z"))).toBe(false);
    expect(placeFor(3, 2)).toBe("signed_up");
    expect(placeFor(3, 3)).toBe("waitlisted");
  });

  it("places a batch in arrival order: slots, then the waitlist; a held place or a double click is the same record; refusals in order", () => {
    const open = at("2026-12-01T00:00:00Z");
    const may = { members: false, residents: true };
    const board = {
      activity: { ...a, eligibility: "residents" as const },
      roles: [{ id: 10, slots: 2, taken: 1, waiting: 0 }],
      places: new Map([
        [1, { roleId: 10, status: "signed_up" as const, seq: 1 }],
        [2, { roleId: 10, status: "cancelled" as const, seq: 2 }],
      ]),
      lastSeq: 2,
    };
    const { outcomes, roles } = placeSignups(board, [
      { userId: 3, roleId: 10, at: open, may },
      { userId: 1, roleId: 10, at: open, may },
      { userId: 2, roleId: 10, at: open, may },
      { userId: 3, roleId: 10, at: open, may },
      { userId: 4, roleId: 99, at: open, may },
      { userId: 5, roleId: 10, at: at("2026-12-05T01:00:00Z"), may },
      { userId: null, roleId: 10, at: open, may: { members: true, residents: true } },
      { userId: 6, roleId: 10, at: open, may: { members: true, residents: false } },
    ]);
    expect(outcomes).toEqual([
      { outcome: "placed", userId: 3, place: { roleId: 10, status: "signed_up", seq: 3 } },
      { outcome: "kept", userId: 1, place: { roleId: 10, status: "signed_up", seq: 1 } },
      { outcome: "placed", userId: 2, place: { roleId: 10, status: "waitlisted", seq: 4 } },
      { outcome: "kept", userId: 3, place: { roleId: 10, status: "signed_up", seq: 3 } },
      { outcome: "no_role" },
      { outcome: "closed" },
      { outcome: "forbidden" },
      { outcome: "forbidden" },
    ]);
    expect(roles).toEqual([{ roleId: 10, signedUp: 2, waitlisted: 1 }]);
  });

  it("promotes the earliest arrival on the waitlist", () => {
    const queue = [
      { id: 1, status: "waitlisted" as const, seq: 9 },
      { id: 2, status: "cancelled" as const, seq: 4 },
      { id: 3, status: "waitlisted" as const, seq: 7 },
    ];
    expect(nextToPromote(queue)?.id).toBe(3);
    expect(nextToPromote([])).toBeNull();
  });

  it("counts service within the activity's hours only", () => {
    expect(serviceMinutes(a, at("2026-12-05T00:40:00Z"), at("2026-12-05T02:30:00Z"))).toBe(90);
    expect(serviceMinutes(a, at("2026-12-05T01:10:00Z"), at("2026-12-05T04:00:00Z"))).toBe(110);
    expect(serviceMinutes(a, at("2026-12-05T01:10:00Z"), null)).toBe(0);
  });

  it("needs a reason to correct the proposed time, and never more than the activity lasted", () => {
    expect(verificationError(90, 90, undefined, 120)).toBeNull();
    expect(verificationError(90, 60, " ", 120)).toBe("activity.error.correctionReason");
    expect(verificationError(90, 60, "提前离开", 120)).toBeNull();
    expect(verificationError(90, 150, "多算", 120)).toBe("activity.error.minutesTooMany");
  });

  it("uses the venue code to check in, then out (not twice in a row)", () => {
    const now = at("2026-12-05T01:00:00Z");
    expect(codeAction({ checkedInAt: null, checkedOutAt: null }, now)).toBe("in");
    expect(codeAction({ checkedInAt: at("2026-12-05T00:58:00Z"), checkedOutAt: null }, now)).toBe("already_in");
    expect(codeAction({ checkedInAt: at("2026-12-05T00:50:00Z"), checkedOutAt: null }, now)).toBe("out");
    expect(codeAction({ checkedInAt: at("2026-12-05T00:50:00Z"), checkedOutAt: now }, now)).toBe("done");
  });
});

describe("the venue's changing code", () => {
  const secret = "a1b2c3";
  const t0 = at("2026-12-05T01:00:00Z");

  it("is six digits, changes every five minutes, and accepts the one before", () => {
    const code = venueCode(secret, t0);
    expect(code).toMatch(/^\d{6}$/);
    expect(venueCode(secret, new Date(t0.getTime() + 60_000))).toBe(code);
    const next = venueCode(secret, new Date(t0.getTime() + 5 * 60_000));
    expect(next).not.toBe(code);
    expect(venueCodeValid(secret, code, new Date(t0.getTime() + 5 * 60_000))).toBe(true);
    expect(venueCodeValid(secret, code, new Date(t0.getTime() + 10 * 60_000))).toBe(false);
    expect(venueCode("another", t0)).not.toBe(code);
  });
});

describe("star levels", () => {
  it("follows the default 100/300/600/1000/1500 hours", () => {
    expect(starLevel(99 * 60)).toBe(0);
    expect(starLevel(100 * 60)).toBe(1);
    expect(starLevel(1499 * 60)).toBe(4);
    expect(starLevel(1500 * 60)).toBe(5);
    expect(hoursToNextStar(250 * 60)).toBe(50);
    expect(hoursToNextStar(1600 * 60)).toBeNull();
    expect(starLevel(60 * 60, [50, 100])).toBe(1);
  });
});

describe("iCalendar", () => {
  it("escapes text, folds long lines and marks cancelled events", async () => {
    const { activitiesCalendar, foldLine } = await import("~/modules/pledges/ical");
    const ics = activitiesCalendar(
      [{ id: 7, title: "清洁, 日; 一", description: "第一行\n第二行", place: "胡同口", unitName: "史家社区", startsAt: at("2026-12-05T01:00:00Z"), endsAt: at("2026-12-05T03:00:00Z"), status: "cancelled", createdAt: at("2026-12-01T00:00:00Z") }],
      { origin: "https://gz.example", host: "gz.example", name: "史家社区" },
    );
    expect(ics).toContain("SUMMARY:清洁\\, 日\\; 一\r\n");
    expect(ics).toContain("DTSTART:20261205T010000Z\r\n");
    expect(ics).toContain("DESCRIPTION:第一行\\n第二行\r\n");
    expect(ics).toContain("STATUS:CANCELLED");
    expect(ics).toContain("UID:activity-7@gz.example");
    const folded = foldLine("DESCRIPTION:" + "长".repeat(60));
    expect(folded.split("\r\n ").every((l) => new TextEncoder().encode(l).length <= 75)).toBe(true);
    expect(folded.replace(/\r\n /g, "")).toBe("DESCRIPTION:" + "长".repeat(60));
  });
});

describe("reminderDue", () => {
  const start = new Date("2026-12-07T01:00:00Z");
  const at = (hoursBefore: number) => new Date(start.getTime() - hoursBefore * 3_600_000);
  const a = (over: Partial<{ status: string; remindedDayAt: Date | null; remindedHourAt: Date | null }> = {}) => ({ status: "open", startsAt: start, remindedDayAt: null, remindedHourAt: null, ...over });
  it("owes the day's reminder within 24 hours, the hour's within the last hour, each once, none after the start or when cancelled", () => {
    expect(reminderDue(a(), at(25))).toBeNull();
    expect(reminderDue(a(), at(24))).toBe("day");
    expect(reminderDue(a({ remindedDayAt: at(23) }), at(2))).toBeNull();
    expect(reminderDue(a({ remindedDayAt: at(23) }), at(1))).toBe("hour");
    expect(reminderDue(a(), at(0.5))).toBe("hour");
    expect(reminderDue(a({ remindedHourAt: at(0.5) }), at(0.2))).toBeNull();
    expect(reminderDue(a(), at(0))).toBeNull();
    expect(reminderDue(a({ status: "cancelled" }), at(3))).toBeNull();
  });
});

describe("a district's star levels", () => {
  it("take five whole hours, the first at least one, each above the one before", () => {
    expect(starLevelsError([100, 300, 600, 1000, 1500])).toBeNull();
    expect(starLevelsError([1, 2, 3, 4, 5])).toBeNull();
    expect(starLevelsError([100, 300, 300, 1000, 1500])).toEqual({ index: 2, message: "stars.error.ascending" });
    expect(starLevelsError([100, 50, 600, 1000, 1500])).toEqual({ index: 1, message: "stars.error.ascending" });
    expect(starLevelsError([0, 300, 600, 1000, 1500])).toEqual({ index: 0, message: "stars.error.range" });
    expect(starLevelsError([100, 300, 600.5, 1000, 1500])).toEqual({ index: 2, message: "stars.error.range" });
    expect(starLevelsError([100, 300, 600, 1000, 100_001])).toEqual({ index: 4, message: "stars.error.range" });
    expect(starLevelsError([100, 300])).toMatchObject({ message: "stars.error.count" });
  });
});
