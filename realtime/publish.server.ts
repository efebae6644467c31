import type { Server } from "socket.io";
import type { ClientToServerEvents, InterServerEvents, OutboxMessage, RoomMeta, ServerEvent, ServerToClientEvents, SocketData } from "./events";

export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

// Shared between the server entry and the Remix bundle through globalThis.
const holder = globalThis as unknown as {
  __gongzhiIo?: RealtimeServer;
  __gongzhiCluster?: boolean;
  __gongzhiPublishListeners?: Set<(room: string, message: OutboxMessage) => void>;
  __gongzhiRelayListeners?: Set<(room: string, message: OutboxMessage) => void>;
};

/**
 * Be told the room of every message published in this process (the page
 * cache drops what the news made stale). Returns the unsubscribe function.
 */
export function onPublish(listener: (room: string, message: OutboxMessage) => void): () => void {
  const listeners = (holder.__gongzhiPublishListeners ??= new Set());
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * Be told the room of every message sent to this node's sockets: published
 * here or relayed from another node (the page cache must forget a page
 * whichever node made the news). Returns the unsubscribe function.
 */
export function onNews(listener: (room: string, message: OutboxMessage) => void): () => void {
  const relayed = (holder.__gongzhiRelayListeners ??= new Set());
  relayed.add(listener);
  const stop = onPublish(listener);
  return () => {
    stop();
    relayed.delete(listener);
  };
}

/** A message relayed from another node: deliver it to this node's sockets and tell `onNews` listeners. */
export function receiveRelayed(io: RealtimeServer, message: OutboxMessage): void {
  holder.__gongzhiRelayListeners?.forEach((listener) => listener(message.room, message));
  deliverLocally(io, message);
}

export function setRealtimeServer(io: RealtimeServer | undefined) {
  holder.__gongzhiIo = io;
}

export function realtimeServer(): RealtimeServer | undefined {
  return holder.__gongzhiIo;
}

/**
 * Send committed news to a room. Call it only after the transaction that made
 * the news has committed — `runCommand` does that for you, and numbers it
 * first (ADR 0046). News to a public room sent from outside a command goes
 * through `publishNumbered`, so that it has its number in the room.
 */
export function publish<E extends ServerEvent>(message: OutboxMessage<E>): void {
  holder.__gongzhiPublishListeners?.forEach((listener) => listener(message.room, message as OutboxMessage));
  const io = holder.__gongzhiIo;
  if (!io) return; // no realtime server in this process (a script or a unit test)
  // Other nodes hear it through the adapter. Not `io.to(room).emit`: the cluster adapter sends
  // to the other nodes first and delivers here only once that is done, so a burst of NOTIFYs would
  // hold up this node's own sockets for seconds (ADR 0006). The relay is handed over first (it only
  // queues the message), so the other nodes' sockets do not also wait for this node's (ADR 0047).
  if (holder.__gongzhiCluster) io.serverSideEmit("relay", message as OutboxMessage);
  deliverLocally(io, message);
}

/** Send a message to this node's sockets in its room, with its room and number after its arguments when it has one. */
export function deliverLocally(io: RealtimeServer, message: OutboxMessage): void {
  const args: unknown[] = message.seq === undefined ? message.args : [...message.args, { room: message.room, seq: message.seq } satisfies RoomMeta];
  // socket.io's typed emit cannot see through the generic event here.
  (io.local.to(message.room).emit as (event: string, ...args: unknown[]) => boolean)(message.event, ...args);
}

/** Whether other nodes share this one's sockets' news (a cluster adapter is attached). */
export function setClustered(clustered: boolean) {
  holder.__gongzhiCluster = clustered;
}

/** Close the sockets of ended sessions (log out) on every node. */
export function disconnectSessions(sessionIds: string[]): void {
  const io = holder.__gongzhiIo;
  if (!io || sessionIds.length === 0) return;
  io.in(sessionIds.map((id) => `session:${id}`)).disconnectSockets(true);
}

/** Close every socket of a person (log out everywhere) on every node. */
export function disconnectUser(userId: number): void {
  holder.__gongzhiIo?.in(`user:${userId}`).disconnectSockets(true);
}
