import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { bytea } from "./types";

export const users = pgTable(
  "users",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    displayName: text().notNull(),
    /** Lower-cased login name; null when the person registered with a phone number. */
    username: text(),
    /** Mainland mobile number, digits only; never shown to other people. */
    phone: text(),
    passwordHash: text().notNull(),
    locale: text().$type<"zh-CN" | "en">(),
    largeText: boolean().notNull().default(false),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("users_username_key").on(t.username), uniqueIndex("users_phone_key").on(t.phone)],
);

/** Lucia-guide sessions: the cookie holds `id.secret`; only SHA-256(secret) is stored. */
export const sessions = pgTable(
  "sessions",
  {
    id: text().primaryKey(),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    secretHash: bytea().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastVerifiedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("sessions_user_id_idx").on(t.userId)],
);

/**
 * Fixed-window counters for rate limits (failed logins, posts per hour …).
 * In the database, not in memory, so the limit holds across several nodes.
 */
export const rateLimits = pgTable("rate_limits", {
  key: text().primaryKey(),
  windowStart: timestamp({ withTimezone: true }).notNull(),
  count: integer().notNull(),
});

/** An append-only record of who did what, for every audited change. */
export const auditEvents = pgTable(
  "audit_events",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    actorId: integer().references(() => users.id, { onDelete: "set null" }),
    action: text().notNull(),
    subjectType: text().notNull(),
    subjectId: text().notNull(),
    data: jsonb().$type<Record<string, unknown>>(),
    at: timestamp({ withTimezone: true }).notNull().default(sql`now()`),
  },
  (t) => [index("audit_events_subject_idx").on(t.subjectType, t.subjectId)],
);
