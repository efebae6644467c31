import { useRevalidator } from "@remix-run/react";
import { useEffect, useMemo, useRef, useState } from "react";
import { isRoomMeta, type RoomEvent, type ServerEvent, type ServerToClientEvents } from "#realtime/events";
import { foldHeard, newerThan, RoomCursor } from "./live-room";
import { getSocket } from "./socket.client";

/** Call `handler` for every `event` the server sends this page. */
export function useSocketEvent<E extends ServerEvent>(event: E, handler: ServerToClientEvents[E]): void {
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => {
    const socket = getSocket();
    const listener = ((...args: Parameters<ServerToClientEvents[E]>) =>
      (latest.current as (...a: unknown[]) => void)(...args)) as unknown as ServerToClientEvents[E];
    // socket.io's typed `on` cannot see through the generic event name.
    (socket.on as (e: string, l: unknown) => void)(event, listener);
    return () => {
      (socket.off as (e: string, l: unknown) => void)(event, listener);
    };
  }, [event]);
}

/** After a dropped connection comes back, catch up on whatever was missed (one call per page). */
export function useCatchUp(onReconnect: () => void) {
  const latest = useRef(onReconnect);
  latest.current = onReconnect;
  useEffect(() => {
    const socket = getSocket();
    let dropped = false;
    const down = () => (dropped = true);
    const up = () => {
      if (dropped) latest.current();
      dropped = false;
    };
    socket.on("disconnect", down);
    socket.on("connect", up);
    return () => {
      socket.off("disconnect", down);
      socket.off("connect", up);
    };
  }, []);
}
/** How long a page waits for a room's answer to "what did I miss?" before asking again. */
const CATCH_UP_TIMEOUT_MS = 5_000;

/**
 * Follow public rooms by their numbers (ADR 0046): `rooms` maps each room to
 * its number in the page's data. Each event after it reaches `onEvent` once,
 * in order, whether heard live or fetched: the page asks the room for what it
 * missed when it joins (news said while the page loaded), when a number is
 * skipped, and after a reconnect (to this node or another). When the room
 * cannot say (too far behind), `onReload`.
 */
export function useRoomFeeds(rooms: Record<string, number>, onEvent: (room: string, event: RoomEvent) => void, onReload: () => void): void {
  const latest = useRef({ onEvent, onReload, rooms });
  latest.current = { onEvent, onReload, rooms };
  // One cursor per room while the page follows it; a room left and followed again starts from its data.
  const cursors = useRef(new Map<string, RoomCursor>());
  const cursor = (room: string) => cursors.current.get(room) ?? cursors.current.set(room, new RoomCursor(latest.current.rooms[room] ?? 0)).get(room)!;
  // Set when the page asked for a reload (too far behind): until its data arrives, gaps ask nothing more.
  const reloading = useRef(false);
  const numbers = JSON.stringify(rooms);
  useEffect(() => {
    reloading.current = false;
    for (const [room, seq] of Object.entries(JSON.parse(numbers) as Record<string, number>)) cursor(room).loaded(seq);
  }, [numbers]);

  const key = Object.keys(rooms).sort().join(",");
  useEffect(() => {
    if (!key) return;
    const list = key.split(",");
    const socket = getSocket();
    const followed = cursors.current;
    let cancelled = false;
    const asking = new Set<string>();
    const behind = new Set<string>();
    const reload = () => {
      if (reloading.current) return;
      reloading.current = true;
      latest.current.onReload();
    };
    const catchUp = (room: string) => {
      if (cancelled || reloading.current) return;
      if (asking.has(room)) return void behind.add(room);
      asking.add(room);
      // With a timeout: an answer lost with its connection must not leave the room waiting for ever.
      (socket.timeout(CATCH_UP_TIMEOUT_MS).emit as (e: string, ...a: unknown[]) => void)(
        "room:catch-up",
        room,
        cursor(room).seq,
        (error: Error | null, missed: RoomEvent[] | null) => {
          if (cancelled) return;
          asking.delete(room);
          if (error) return void (socket.connected && catchUp(room)); // unanswered: ask again (a reconnect asks anyway)
          if (missed === null) return reload();
          for (const event of missed) take(room, event);
          // A number skipped while the answer was on its way: ask again from where we are now.
          if (behind.delete(room)) catchUp(room);
        },
      );
    };
    const take = (room: string, event: RoomEvent) => {
      const admission = cursor(room).receive(event);
      if (admission === "next") latest.current.onEvent(room, event);
      else if (admission === "gap") catchUp(room);
    };
    const onAny = (event: string, ...args: unknown[]) => {
      const meta = args[args.length - 1];
      if (!isRoomMeta(meta) || !list.includes(meta.room)) return;
      take(meta.room, { seq: meta.seq, event: event as ServerEvent, args: args.slice(0, -1) } as RoomEvent);
    };
    // Joined first, then asked: what is said after the join arrives live, what was said before comes in the answer.
    const join = () => list.forEach((room) => socket.emit("room:join", room, () => catchUp(room)));
    const dropped = () => {
      asking.clear();
      behind.clear();
    };
    socket.onAny(onAny);
    join();
    socket.on("connect", join); // after a reconnect: rejoin and ask for what was missed
    socket.on("disconnect", dropped);
    return () => {
      cancelled = true;
      socket.offAny(onAny);
      socket.off("connect", join);
      socket.off("disconnect", dropped);
      list.forEach((room) => {
        socket.emit("room:leave", room);
        followed.delete(room);
      });
    };
  }, [key]);
}

/**
 * A page whose data is reloaded on news in its rooms: each event reloads it;
 * a reload that comes back older than the news that asked for it (it raced)
 * is done again.
 */
export function useRoomReload(rooms: Record<string, number>, wants: (room: string, event: RoomEvent) => boolean = () => true): void {
  const revalidator = useRevalidator();
  const asked = useRef(new Map<string, number>());
  const retries = useRef(0);
  const numbers = JSON.stringify(rooms);
  useEffect(() => {
    const loaded = JSON.parse(numbers) as Record<string, number>;
    const stale = Object.entries(loaded).some(([room, seq]) => seq < (asked.current.get(room) ?? 0));
    if (stale && retries.current < 3) {
      retries.current++;
      revalidator.revalidate();
    } else retries.current = 0;
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when new data arrives
  }, [numbers]);
  useRoomFeeds(
    rooms,
    (room, event) => {
      if (!wants(room, event)) return;
      asked.current.set(room, Math.max(asked.current.get(room) ?? 0, event.seq));
      revalidator.revalidate();
    },
    () => revalidator.revalidate(),
  );
}

/**
 * A page that keeps live state: its data (`base`, read at `seq`) with the
 * room's events after `seq` applied by the pure `apply`, in order. A reload
 * that raced newer events keeps them: they are applied again onto it.
 * `onEvent` is for what is not state (a highlight, a reload of the rest).
 */
export function useLiveState<S>(room: string, seq: number, base: S, apply: (state: S, event: RoomEvent) => S, onEvent?: (event: RoomEvent) => void): S {
  const revalidator = useRevalidator();
  // What was heard, and in which room: another room's news never folds onto this one's data.
  const [heard, setHeard] = useState<{ room: string; events: RoomEvent[] }>({ room, events: [] });
  const baseSeq = useRef(seq);
  baseSeq.current = seq;
  useRoomFeeds(
    { [room]: seq },
    (from, event) => {
      setHeard((h) => ({ room: from, events: newerThan(h.room === from ? [...h.events, event] : [event], baseSeq.current) }));
      onEvent?.(event);
    },
    () => revalidator.revalidate(),
  );
  const events = heard.room === room ? heard.events : NOTHING_HEARD;
  // `apply` is a module's pure function (the same one every render), so it never refolds by itself.
  return useMemo(() => foldHeard(base, seq, events, apply), [base, seq, events, apply]);
}

const NOTHING_HEARD: RoomEvent[] = [];
