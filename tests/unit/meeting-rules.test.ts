import { describe, expect, it } from "vitest";
import type { MeetingStatus, MotionStatus } from "#db/schema/meetings";
import {
  clockOffset,
  channelTotals,
  countsRefusal,
  extensionSeconds,
  formatCountdown,
  mayMotionStep,
  motionResult,
  nextMeetingStatus,
  orderQueue,
  pendingAmendments,
  quorumOf,
  raiseHandRefusal,
  remainingSeconds,
  secondRefusal,
  secondsUsed,
  signInOpen,
  type MeetingStep,
  type MotionStep,
  type QueuedHand,
} from "~/modules/meetings/rules";

let id = 0;
const hand = (userId: number, stance: "for" | "against", raisedAt: number): QueuedHand => ({ id: ++id, userId, stance, raisedAt });
const who = (q: QueuedHand[]) => q.map((h) => `${h.userId}${h.stance === "for" ? "+" : "-"}`).join(" ");

describe("the speaker queue", () => {
  it("alternates for and against where someone of the other stance waits, else first come", () => {
    const hands = [hand(1, "for", 1), hand(2, "for", 2), hand(3, "for", 3), hand(4, "against", 4), hand(5, "against", 5)];
    expect(who(orderQueue(hands, new Map(), null, true))).toBe("1+ 4- 2+ 5- 3+");
    // After an against speech, a for speaker is called first even if an against hand came earlier.
    expect(who(orderQueue([hand(7, "against", 1), hand(8, "for", 2)], new Map(), "against", true))).toBe("8+ 7-");
  });

  it("is first come, first called without alternation", () => {
    const hands = [hand(1, "for", 1), hand(2, "for", 2), hand(4, "against", 4)];
    expect(who(orderQueue(hands, new Map(), null, false))).toBe("1+ 2+ 4-");
  });

  it("calls people who have not yet spoken before those who have, even against the alternation", () => {
    const spoken = new Map([[1, 1]]);
    // Person 1 spoke once already; 2 is new: 2 goes first although 1 raised a hand earlier and alternation would prefer against.
    expect(who(orderQueue([hand(1, "against", 1), hand(2, "for", 2)], spoken, "for", true))).toBe("2+ 1-");
  });

  it("keeps the order of hands raised at the same instant stable (by id)", () => {
    const a = hand(1, "for", 5);
    const b = hand(2, "for", 5);
    expect(orderQueue([b, a], new Map(), null, true).map((h) => h.id)).toEqual([a.id, b.id]);
  });

  it("refuses a second hand, a hand while speaking, and a hand past the times per item", () => {
    expect(raiseHandRefusal({ spoken: 0, waiting: false, speaking: false, timesPerItem: 2 })).toBeNull();
    expect(raiseHandRefusal({ spoken: 1, waiting: false, speaking: false, timesPerItem: 2 })).toBeNull();
    expect(raiseHandRefusal({ spoken: 2, waiting: false, speaking: false, timesPerItem: 2 })).toBe("meeting.error.spokenEnough");
    expect(raiseHandRefusal({ spoken: 0, waiting: true, speaking: false, timesPerItem: 2 })).toBe("meeting.error.alreadyWaiting");
    expect(raiseHandRefusal({ spoken: 0, waiting: false, speaking: true, timesPerItem: 2 })).toBe("meeting.error.speakingNow");
  });
});

describe("the countdown", () => {
  const start = Date.parse("2026-05-01T10:00:00Z");
  it("counts down from the stored start and allotted seconds, past zero when over time", () => {
    expect(remainingSeconds({ startedAt: start, allottedSeconds: 120 }, start)).toBe(120);
    expect(remainingSeconds({ startedAt: start, allottedSeconds: 120 }, start + 30_500)).toBe(90);
    expect(remainingSeconds({ startedAt: start, allottedSeconds: 120 }, start + 120_000)).toBe(0);
    expect(remainingSeconds({ startedAt: start, allottedSeconds: 120 }, start + 135_000)).toBe(-15);
  });
  it("gives the same figure to a phone whose clock is wrong, once it knows the offset", () => {
    const serverNow = start + 60_000;
    const phoneNow = serverNow - 7_000; // the phone is 7 s slow
    const offset = clockOffset(serverNow, phoneNow - 100, phoneNow + 100); // 200 ms round trip
    expect(remainingSeconds({ startedAt: start, allottedSeconds: 120 }, phoneNow + 100 + offset)).toBe(60);
  });
  it("extends once by half the speaking time, at least 30 s", () => {
    expect(extensionSeconds({ speakingSeconds: 120 })).toBe(60);
    expect(extensionSeconds({ speakingSeconds: 40 })).toBe(30);
  });
  it("shows minutes and seconds, with a minus sign over time", () => {
    expect([formatCountdown(125), formatCountdown(9), formatCountdown(0), formatCountdown(-12)]).toEqual(["2:05", "0:09", "0:00", "−0:12"]);
  });
  it("measures the time a speech used, to now while it runs", () => {
    const s = new Date(start);
    expect(secondsUsed({ startedAt: s, endedAt: new Date(start + 95_000) }, new Date(start + 500_000))).toBe(95);
    expect(secondsUsed({ startedAt: s, endedAt: null }, new Date(start + 10_000))).toBe(10);
    expect(secondsUsed({ startedAt: null, endedAt: null }, new Date(start))).toBe(0);
  });
});

describe("quorum and sign-in", () => {
  it("is met at the quorum, with how many are missing below it", () => {
    expect(quorumOf(3, 5)).toEqual({ present: 3, quorum: 5, met: false, missing: 2 });
    expect(quorumOf(5, 5)).toEqual({ present: 5, quorum: 5, met: true, missing: 0 });
  });
  it("opens sign-in an hour before the start, while open, never after", () => {
    const startsAt = new Date("2026-05-01T10:00:00Z");
    expect(signInOpen({ status: "scheduled", startsAt }, new Date("2026-05-01T08:59:00Z"))).toBe(false);
    expect(signInOpen({ status: "scheduled", startsAt }, new Date("2026-05-01T09:00:00Z"))).toBe(true);
    expect(signInOpen({ status: "open", startsAt }, new Date("2026-05-02T09:00:00Z"))).toBe(true);
    expect(signInOpen({ status: "closed", startsAt }, new Date("2026-05-01T10:00:00Z"))).toBe(false);
  });
  it("moves a meeting only along its steps", () => {
    const statuses: MeetingStatus[] = ["scheduled", "open", "closed", "cancelled"];
    const steps: MeetingStep[] = ["open", "close", "cancel"];
    const table = Object.fromEntries(steps.map((s) => [s, Object.fromEntries(statuses.flatMap((f) => (nextMeetingStatus(f, s) ? [[f, nextMeetingStatus(f, s)]] : [])))]));
    expect(table).toEqual({ open: { scheduled: "open" }, close: { open: "closed" }, cancel: { scheduled: "cancelled" } });
  });
});

describe("motions", () => {
  it("passes with more for than against; a tie fails; abstentions do not count", () => {
    expect(motionResult(5, 4)).toBe("passed");
    expect(motionResult(4, 4)).toBe("failed");
    expect(motionResult(0, 0)).toBe("failed");
  });
  it("refuses more hands than people present", () => {
    expect(countsRefusal({ for: 3, against: 1, abstain: 1 }, 5)).toBeNull();
    expect(countsRefusal({ for: 3, against: 2, abstain: 1 }, 5)).toBe("meeting.error.countsTooMany");
    // The channels add up: phones, hands counted, paper.
    const channels = { phones: { for: 2, against: 1, abstain: 0 }, hands: { for: 1, against: 0, abstain: 1 }, paper: { for: 0, against: 1, abstain: 0 } };
    expect(channelTotals(channels)).toEqual({ for: 3, against: 2, abstain: 1 });
    expect(countsRefusal(channelTotals(channels), 5)).toBe("meeting.error.countsTooMany");
  });
  it("steps a motion: second once moved, put once seconded, decide while voting, withdraw before the vote", () => {
    const statuses: MotionStatus[] = ["moved", "seconded", "voting", "passed", "failed", "withdrawn"];
    const steps: MotionStep[] = ["second", "put", "decide", "withdraw"];
    const table = Object.fromEntries(steps.map((s) => [s, statuses.filter((f) => mayMotionStep(f, s))]));
    expect(table).toEqual({ second: ["moved"], put: ["seconded"], decide: ["voting"], withdraw: ["moved", "seconded"] });
  });
  it("keeps the main motion waiting while an amendment to it is undecided", () => {
    const motions = [
      { id: 1, kind: "main" as const, amendsId: null, status: "seconded" as const },
      { id: 2, kind: "amendment" as const, amendsId: 1, status: "voting" as const },
      { id: 3, kind: "amendment" as const, amendsId: 1, status: "failed" as const },
    ];
    expect(pendingAmendments(motions, 1)).toBe(1);
    expect(pendingAmendments([motions[0]!, { ...motions[1]!, status: "passed" }], 1)).toBe(0);
  });
  it("never lets the mover second their own motion", () => {
    expect(secondRefusal({ movedBy: 4 }, 4)).toBe("meeting.error.ownMotion");
    expect(secondRefusal({ movedBy: 4 }, 5)).toBeNull();
  });
});

describe("the speaker queue, against a plain simulation", () => {
  /** The rule stated step by step: the fewest spoken; of them the opposite stance; then the earliest. */
  function simulate(hands: QueuedHand[], spoken: Map<number, number>, last: "for" | "against" | null, alternate: boolean) {
    const rest = [...hands].sort((a, b) => a.raisedAt - b.raisedAt || a.id - b.id);
    const out: QueuedHand[] = [];
    while (rest.length) {
      const fewest = Math.min(...rest.map((h) => spoken.get(h.userId) ?? 0));
      const c = rest.filter((h) => (spoken.get(h.userId) ?? 0) === fewest);
      const next = (alternate && last ? c.find((h) => h.stance !== last) : undefined) ?? c[0]!;
      out.push(next);
      rest.splice(rest.indexOf(next), 1);
      last = next.stance;
    }
    return out;
  }
  it("gives the same order for many random rooms", () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let room = 0; room < 300; room++) {
      const n = 1 + Math.floor(rnd() * 30);
      const hands = Array.from({ length: n }, (_, i) => ({ id: i + 1, userId: 100 + i, stance: rnd() < 0.6 ? ("for" as const) : ("against" as const), raisedAt: Math.floor(rnd() * 10) }));
      const spoken = new Map(hands.filter(() => rnd() < 0.3).map((h) => [h.userId, 1 + Math.floor(rnd() * 2)]));
      const last = rnd() < 0.3 ? null : rnd() < 0.5 ? ("for" as const) : ("against" as const);
      const alternate = rnd() < 0.8;
      expect(orderQueue(hands, spoken, last, alternate).map((h) => h.id)).toEqual(simulate(hands, spoken, last, alternate).map((h) => h.id));
    }
  });
});

describe("a meeting's calendar file", () => {
  it("is one event from the start for the planned length, with the place, the remote text and the page", async () => {
    const { meetingCalendar } = await import("~/modules/meetings/ical");
    const text = meetingCalendar(
      { id: 7, title: "五月居民议事会", hallName: "老街坊议事厅", place: "社区活动室", remote: "腾讯会议 123", startsAt: new Date("2026-05-01T11:00:00Z"), minutes: 90, status: "scheduled", createdAt: new Date("2026-04-20T00:00:00Z") },
      { origin: "https://gz.example", host: "gz.example" },
    );
    expect(text).toContain("DTSTART:20260501T110000Z\r\nDTEND:20260501T123000Z");
    expect(text).toContain("UID:meeting-7@gz.example");
    expect(text.replace(/\r\n /g, "")).toContain("DESCRIPTION:腾讯会议 123\\nhttps://gz.example/meetings/7");
    expect(text.split("\r\n").every((line) => new TextEncoder().encode(line).length <= 75)).toBe(true);
  });
});
