import type { RoomEvent } from "#realtime/events";

/**
 * The pure rules of a live page (ADR 0046). A page's data carries its rooms'
 * numbers as its loader read them (before its data), so the data holds every
 * event up to them. Events carry their room's number. A page:
 * - applies an event only if it is the next number after the last it has;
 * - asks the room for what it missed when a number is skipped, and after a
 *   reconnect;
 * - shows its data with the events heard after the data's number applied
 *   in order, so a reload that raced newer events does not take them back.
 */

export type Admission = "stale" | "next" | "gap";

/** Where an event stands against the last number the page has. */
export function admit(last: number, seq: number): Admission {
  if (seq <= last) return "stale";
  return seq === last + 1 ? "next" : "gap";
}

/** The page's state: its data with the events heard after the data's number, in order. */
export function foldHeard<S>(base: S, baseSeq: number, heard: readonly RoomEvent[], apply: (state: S, event: RoomEvent) => S): S {
  let state = base;
  for (const event of heard) if (event.seq > baseSeq) state = apply(state, event);
  return state;
}

/** Most events a page keeps for folding onto a reload; a page further behind reloads anyway. */
export const HEARD_KEEP = 500;

/** The heard events still newer than the data (the data holds the rest). */
export function newerThan(heard: readonly RoomEvent[], baseSeq: number): RoomEvent[] {
  const kept = heard.filter((e) => e.seq > baseSeq);
  return kept.length > HEARD_KEEP ? kept.slice(-HEARD_KEEP) : kept;
}

/**
 * One room as a page follows it: the last number it has, and what to do with
 * each event that arrives (live or from a catch-up), in any order.
 */
export class RoomCursor {
  private last: number;
  constructor(seq: number) {
    this.last = seq;
  }
  get seq(): number {
    return this.last;
  }
  /** New data arrived with its number: events up to it are in the data. */
  loaded(seq: number): void {
    if (seq > this.last) this.last = seq;
  }
  /** An event arrived: "next" means apply it now (the cursor moves); "gap" means ask for what was missed. */
  receive(event: Pick<RoomEvent, "seq">): Admission {
    const admission = admit(this.last, event.seq);
    if (admission === "next") this.last = event.seq;
    return admission;
  }
}
