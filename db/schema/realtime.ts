import { bigserial, pgTable, timestamp } from "drizzle-orm/pg-core";
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
