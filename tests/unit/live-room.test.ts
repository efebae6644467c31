import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { RoomEvent } from "#realtime/events";
import { admit, foldHeard, newerThan, RoomCursor } from "~/realtime/live-room";
import { applyVoteEvent, type LiveVote } from "~/components/votes/page-data";

/** A room's events 1..n as a page would fold them: here each adds its number to a list. */
const event = (seq: number): RoomEvent => ({ seq, event: "hall:changed", args: [{ hallId: seq }] });
const append = (state: number[], e: RoomEvent) => [...state, e.seq];

/**
 * Play a page against a room: events arrive in any order, some twice, some
 * lost in transit; a gap makes the page ask the room (which answers with
 * everything after the page's number); loads arrive with their numbers.
 */
function play(n: number, arrivals: number[], loads: number[]) {
  const cursor = new RoomCursor(0);
  const applied: number[] = [];
  const take = (seq: number) => {
    const a = cursor.receive({ seq });
    if (a === "next") applied.push(seq);
    else if (a === "gap") for (let s = cursor.seq + 1; s <= n; s++) take(s); // the catch-up's answer, in order
  };
  arrivals.forEach((seq, i) => {
    if (loads[i] !== undefined) cursor.loaded(loads[i]!);
    take(seq);
  });
  // Back from being away: the page asks from its number.
  for (let s = cursor.seq + 1; s <= n; s++) take(s);
  return { applied, last: cursor.seq };
}

describe("a live page's numbers (ADR 0046)", () => {
  it("admits the next number, drops what it has, and sees a gap", () => {
    expect(admit(4, 5)).toBe("next");
    expect(admit(4, 4)).toBe("stale");
    expect(admit(4, 2)).toBe("stale");
    expect(admit(4, 7)).toBe("gap");
  });

  it("applies each event once and in order, whatever the order, doubles and losses of arrival", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 30 }).chain((n) => fc.tuple(fc.constant(n), fc.array(fc.integer({ min: 1, max: n }), { maxLength: 60 }))), ([n, arrivals]) => {
        const { applied, last } = play(n, arrivals, []);
        expect(applied).toEqual(Array.from({ length: n }, (_, i) => i + 1));
        expect(last).toBe(n);
      }),
    );
  });

  it("never applies what a load already holds, and never goes back when a load is older than what it heard", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }).chain((n) =>
          fc.tuple(fc.constant(n), fc.array(fc.integer({ min: 1, max: n }), { minLength: 1, maxLength: 40 }), fc.array(fc.integer({ min: 0, max: n }), { maxLength: 40 })),
        ),
        ([n, arrivals, loads]) => {
          const { applied, last } = play(n, arrivals, loads);
          // Strictly increasing: nothing twice, nothing older after newer.
          for (let i = 1; i < applied.length; i++) expect(applied[i]!).toBeGreaterThan(applied[i - 1]!);
          expect(last).toBe(n);
        },
      ),
    );
  });

  it("shows a reload that raced newer news with that news applied again, and a newer reload as it is", () => {
    const heard = [event(5), event(6), event(7)];
    // The reload read the room at 5: 6 and 7 are applied onto it.
    expect(foldHeard([] as number[], 5, heard, append)).toEqual([6, 7]);
    // It read at 7: it holds all three.
    expect(foldHeard([] as number[], 7, heard, append)).toEqual([]);
    expect(newerThan(heard, 6).map((e) => e.seq)).toEqual([7]);
  });
});

describe("the vote page's live figures", () => {
  const turnout = (seq: number, state: string, ballots: number): RoomEvent => ({ seq, event: "vote:changed", args: [{ voteId: 1, state, ballots, counts: null }] });
  const open: LiveVote = { turnout: 10, paper: 0, counts: null, abstentions: null, state: "open" };

  it("never lowers turnout while the vote is open, and never reopens a closed vote", () => {
    // Two nodes' readings numbered in the other order: 12 then 11.
    expect(foldHeard(open, 0, [turnout(1, "open", 12), turnout(2, "open", 11)], applyVoteEvent)).toMatchObject({ turnout: 12, state: "open" });
    // The closing, then a reading taken just before it and numbered after it.
    const closed = foldHeard(open, 0, [turnout(1, "closed", 13), turnout(2, "open", 12)], applyVoteEvent);
    expect(closed).toMatchObject({ turnout: 13, state: "closed" });
    // A cancelled vote's turnout is what the cancellation says.
    expect(foldHeard(open, 0, [turnout(1, "cancelled", 0)], applyVoteEvent)).toMatchObject({ turnout: 0, state: "cancelled" });
  });
});
