import { useEffect, useRef } from "react";
import type { ServerEvent, ServerToClientEvents } from "#realtime/events";
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