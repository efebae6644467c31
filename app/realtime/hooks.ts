import { useRevalidator } from "@remix-run/react";
import { useEffect, useRef } from "react";
import type { ServerEvent, ServerToClientEvents } from "#realtime/events";
import { getSocket } from "./socket.client";

/** When the page last heard news from the server (performance.now()). */
let lastNewsAt = -Infinity;

/** Call `handler` for every `event` the server sends this page. */
export function useSocketEvent<E extends ServerEvent>(event: E, handler: ServerToClientEvents[E]): void {
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => {
    const socket = getSocket();
    const listener = ((...args: Parameters<ServerToClientEvents[E]>) => {
      lastNewsAt = performance.now();
      (latest.current as (...a: unknown[]) => void)(...args);
    }) as unknown as ServerToClientEvents[E];
    // socket.io's typed `on` cannot see through the generic event name.
    (socket.on as (e: string, l: unknown) => void)(event, listener);
    return () => {
      (socket.off as (e: string, l: unknown) => void)(event, listener);
    };
  }, [event]);
}

/** Watch a public room (`proposal:12`) while the component is on the page. */
export function useRoom(room: string | null): void {
  useRooms(room ? [room] : []);
}

/** Watch several public rooms while the component is on the page. */
export function useRooms(rooms: string[]): void {
  const key = rooms.join(",");
  useEffect(() => {
    if (!key) return;
    const list = key.split(",");
    const socket = getSocket();
    const join = () => list.forEach((room) => socket.emit("room:join", room, () => {}));
    join();
    socket.on("connect", join); // rejoin after a reconnect
    return () => {
      socket.off("connect", join);
      list.forEach((room) => socket.emit("room:leave", room));
    };
  }, [key]);
}

/** Redo a reload that raced news at most this many times in a row (a busy debate must not reload forever). */
const MAX_REDOS = 3;

/**
 * News can race a reload of the page's data. A revalidation under way (after a
 * reconnect, or a notification) may read the database just before some news is
 * committed; its answer then arrives after the news and puts the page back to
 * the older state (a live comment gone, a count going back). Pages hold live
 * state that loader data replaces, so: when a reload that started before the
 * latest news ends, reload once more. Used once, by the app shell.
 */
export function useReloadAfterRacingNews(): void {
  const revalidator = useRevalidator();
  const started = useRef(0);
  const previous = useRef(revalidator.state);
  const redos = useRef(0);
  useEffect(() => {
    const was = previous.current;
    previous.current = revalidator.state;
    // The state is seen a render after the load began: start the window a little earlier.
    if (was === "idle" && revalidator.state === "loading") started.current = performance.now() - 250;
    if (was === "loading" && revalidator.state === "idle") {
      if (lastNewsAt <= started.current) redos.current = 0;
      else if (redos.current < MAX_REDOS) {
        redos.current++;
        revalidator.revalidate();
      }
    }
  }, [revalidator]);
}
