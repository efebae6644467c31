import { sql } from "drizzle-orm";
import { bigint, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { users } from "./identity";

/**
 * In-app notifications. The text is rendered at read time from a message key
 * and its parameters, so each recipient reads it in their own language.
 */
export const notifications = pgTable(
  "notifications",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text().notNull(),
    params: jsonb().$type<Record<string, string | number>>().notNull().default({}),
    link: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    readAt: timestamp({ withTimezone: true }),
    /** The deferred fan-out it was expanded from (delivery_fanouts, ADR 0041), if any: one per fan-out × person. */
    fanoutId: bigint({ mode: "number" }),
  },
  (t) => [
    index("notifications_user_created_idx").on(t.userId, t.createdAt),
    uniqueIndex("notifications_fanout_idx")
      .on(t.fanoutId, t.userId)
      .where(sql`${t.fanoutId} is not null`),
  ],
);
