import { useCallback, useEffect, useRef, useState } from "react";
import type { MeetingLive, ServerToClientEvents } from "#realtime/events";
import { clockOffset } from "~/modules/meetings/rules";
import { useCatchUp, useRoomFeeds } from "~/realtime/hooks";

/**
 * A meeting's live state on a page: the loaded state, replaced by every newer
 * one the room `meeting:<id>` sends; and the offset of the server's clock,
 * measured against `/meetings/<id>/live.json` when the page opens, every
 * minute, and after a dropped connection (which also catches up on what was
 * missed). Countdowns are computed from the server's stored instants and this
 * offset, so a phone that reconnects shows the same second as the wall.
 */
export function useMeetingLive(initial: MeetingLive) {
  const id = initial.meetingId;
  const [live, setLive] = useState(initial);
  const [offset, setOffset] = useState<number | null>(null);
  // Phones' ballots move only a motion's counts: the latest reading of each motion's counts, by `asOf`.
  const tallies = useRef(new Map<number, { asOf: number; phones: MeetingLive["motions"][number]["phones"] }>());
  const take = useCallback(
    (next: MeetingLive) =>
      setLive((l) => {
        if (next.meetingId !== l.meetingId || next.rev < l.rev) return l;
        // A state read before the latest counts keeps those counts: a phone never goes back in time.
        const newer = next.motions.map((m) => {
          const t = tallies.current.get(m.id);
          return t && t.asOf > next.asOf ? { ...m, phones: t.phones } : m;
        });
        return { ...next, motions: newer };
      }),
    [],
  );
  useEffect(() => take(initial), [initial, take]);
  const tally = (p: Parameters<ServerToClientEvents["meeting:tally"]>[0]) => {
    if (p.meetingId !== id || (tallies.current.get(p.motionId)?.asOf ?? 0) > p.asOf) return;
    tallies.current.set(p.motionId, { asOf: p.asOf, phones: p.phones });
    setLive((l) => (p.asOf < l.asOf && l.motions.some((m) => m.id === p.motionId) ? l : { ...l, motions: l.motions.map((m) => (m.id === p.motionId ? { ...m, phones: p.phones } : m)) }));
  };
  const sync = useCallback(async () => {
    const sentAt = Date.now();
    const response = await fetch(`/meetings/${id}/live.json`, { headers: { Accept: "application/json" } }).catch(() => null);
    if (!response?.ok) return;
    const state = (await response.json()) as MeetingLive;
    const receivedAt = Date.now();
    setOffset(clockOffset(Date.parse(state.serverNow), sentAt, receivedAt));
    take(state);
  }, [id, take]);
  useEffect(() => {
    void sync();
    const timer = setInterval(() => void sync(), 60_000);
    return () => clearInterval(timer);
  }, [sync]);
  // The room by its numbers (ADR 0046): what was missed while away comes in order; too far behind, the whole state.
  useRoomFeeds(
    { [`meeting:${id}`]: initial.seq },
    (_room, event) => {
      if (event.event === "meeting:changed") take(event.args[0]);
      else if (event.event === "meeting:tally") tally(event.args[0]);
    },
    () => void sync(),
  );
  useCatchUp(() => void sync()); // the clock's offset, measured again after a dropped connection
  return { live, offset };
}

/** The server's time now, by this browser's clock and the measured offset; ticks every quarter second. */
export function useServerNow(offset: number | null, fallback: string): number {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    if (offset === null) return;
    const tick = () => setNow(Date.now() + offset);
    tick();
    const timer = setInterval(tick, 250);
    return () => clearInterval(timer);
  }, [offset]);
  return now ?? Date.parse(fallback);
}
