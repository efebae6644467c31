import { bigint, bigserial, index, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";
import { bytea } from "./types";

/**
 * Used by @socket.io/postgres-adapter for payloads too large for NOTIFY.
 * Declared here so drizzle-kit owns it (stack-notes.md).
 */
export const socketIoAttachments = pgTable("socket_io_attachments", {
  id: bigserial({ mode: "bigint" }).unique(),
  createdAt: timestamp("created_at", { withTimezone: true }).defaultNow(),
  payload: bytea(),
});

/**
 * Every live room's sequence number (ADR 0046): the number of the last event
 * sent to the room. Bumped in the transaction that makes the news, so the
 * room's events are numbered in commit order (the row lock orders them), and
 * a page that reads the number before its data knows its data holds every
 * event up to it.
 */
export const roomSeqs = pgTable("room_seqs", {
  room: text().primaryKey(),
  seq: bigint({ mode: "number" }).notNull(),
});

/**
 * The recent events of every live room, kept for an hour: a client that
 * reconnects (to this node or another) asks for what it missed since its
 * last number and gets exactly those, in order. Older than the log, it
 * reloads the page.
 */
export const roomEvents = pgTable(
  "room_events",
  {
    room: text().notNull(),
    seq: bigint({ mode: "number" }).notNull(),
    event: text().notNull(),
    args: jsonb().$type<unknown[]>().notNull(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.room, t.seq] }), index("room_events_at_idx").on(t.at)],
);
