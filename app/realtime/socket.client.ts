import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "#realtime/events";

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let socket: ClientSocket | undefined;

/** The page's one socket, opened on first use; it carries the session cookie. */
export function getSocket(): ClientSocket {
  socket ??= io({ transports: ["websocket"], withCredentials: true });
  return socket;
}

/** Reconnect so the server sees the new session (after logging in or out). */
export function reconnectSocket(): void {
  if (!socket) return;
  socket.disconnect();
  socket.connect();
}
