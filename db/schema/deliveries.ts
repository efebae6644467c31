import { sql } from "drizzle-orm";
import { bigint, boolean, check, index, integer, jsonb, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { users } from "./identity";
import type { Audience } from "../../app/modules/notifications/audiences";
import { deliveryChannels, deliveryStates, type DeliveryChannel, type DeliveryState } from "./values";
export { deliveryChannels, deliveryStates, type DeliveryChannel, type DeliveryState };



/**
 * The outbox of messages that leave the site (ADR 0022): one row per
 * recipient × channel, written in the transaction of the event that causes
 * it, sent by the scheduler. Self-contained: the text is rendered at send
 * time from the kind and parameters, in the recipient's language.
 */
export const deliveries = pgTable(
  "deliveries",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    channel: text().$type<DeliveryChannel>().notNull(),
    /** The verified address when it was queued (an email address or mainland mobile number). Never shown to anyone else. */
    address: text().notNull(),
    /** A notification message key (`notification.assignment`), `message.digest` or `message.verifyCode`. */
    kind: text().notNull(),
    params: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    link: text(),
    locale: text().$type<"zh-CN" | "en">().notNull().default("zh-CN"),
    /** Emergencies and deadlines: not held back by quiet hours or the digest. */
    urgent: boolean().notNull().default(false),
    state: text().$type<DeliveryState>().notNull().default("pending"),
    attempts: smallint().notNull().default(0),
    /** When it is due (pending, held) or when a sender's claim runs out (sending). */
    nextAttemptAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /**
     * Raised when an administrator retries a dead letter. The idempotency key
     * sent to the provider with every attempt is `gz-<id>-<round>`: the same
     * across retries and a crashed sender's takeover, new for a deliberate retry.
     */
    round: smallint().notNull().default(0),
    lastError: text(),
    providerId: text(),
    /** SMS segments billed (70 characters of Chinese each). */
    segments: smallint(),
    /** The deferred fan-out it was expanded from (delivery_fanouts), if any: one delivery per fan-out × person × channel. */
    fanoutId: bigint({ mode: "number" }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    // A fan-out expanded twice (a lost cursor, a stale worker) cannot queue a second copy.
    uniqueIndex("deliveries_fanout_idx")
      .on(t.fanoutId, t.userId, t.channel)
      .where(sql`${t.fanoutId} is not null`),
    // The sender's and the digest's queue: only what is still to do is indexed.
    index("deliveries_due_idx")
      .on(t.nextAttemptAt)
      .where(sql`${t.state} in ('pending', 'sending')`),
    index("deliveries_held_idx")
      .on(t.userId, t.channel, t.nextAttemptAt)
      .where(sql`${t.state} = 'held'`),
    index("deliveries_dead_idx")
      .on(t.createdAt)
      .where(sql`${t.state} = 'dead'`),
    index("deliveries_user_idx").on(t.userId, t.createdAt),
  ],
);

/**
 * A notification to a large audience (a district-wide vote opening), queued
 * as ONE row in the event's transaction instead of one row per person
 * (ADR 0041). The sender expands it in chunks: each chunk's in-app
 * notifications and deliveries are written in one transaction with the
 * advance of `done`, so a crash loses or repeats nothing; the unique keys on
 * (fanout_id, user_id[, channel]) make a repeated chunk a no-op.
 */
export const deliveryFanouts = pgTable(
  "delivery_fanouts",
  {
    id: bigint({ mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    kind: text().notNull(),
    params: jsonb().$type<Record<string, string | number>>().notNull().default({}),
    link: text(),
    /** When the event happened: quiet hours and digests are reckoned from it, as for an immediate delivery. */
    at: timestamp({ withTimezone: true }).notNull(),
    /**
     * Who it is for, as a stored query (ADR 0041, amended): the audience's
     * kinds and parameters (app/modules/notifications/audiences.server.ts),
     * read by the sender when it expands the first chunk, as of the event.
     * Null when the event gave the recipients' ids itself.
     */
    audience: jsonb().$type<Audience>(),
    /**
     * The recipients' accounts, without repeats, in the order they are
     * expanded: given by the event, or read from `audience` by the first
     * chunk and fixed from then on (null until then).
     */
    recipients: integer().array(),
    /** How many recipients (null until a stored audience is read). */
    total: integer(),
    /** When the sender read the stored audience into `recipients` (null for ids given by the event). */
    resolvedAt: timestamp({ withTimezone: true }),
    /** Also the in-app notifications (notifyMany), not only the messages off the site. */
    inApp: boolean().notNull().default(true),
    /** The cursor: how many recipients have been expanded; advanced in the same transaction as each chunk. */
    done: integer().notNull().default(0),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index("delivery_fanouts_open_idx").on(t.id).where(sql`${t.finishedAt} is null`),
    // Ids given, or a query to read them from: never neither.
    check("delivery_fanouts_who", sql`${t.recipients} is not null or ${t.audience} is not null`),
  ],
);

/**
 * A person's email address and mobile number for messages, one of each.
 * Nothing is sent to an address until its code has been entered
 * (verified_at); only a hash of the code is kept.
 */
export const contactPoints = pgTable(
  "contact_points",
  {
    userId: integer()
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    channel: text().$type<DeliveryChannel>().notNull(),
    address: text().notNull(),
    verifiedAt: timestamp({ withTimezone: true }),
    codeHash: text(),
    codeExpiresAt: timestamp({ withTimezone: true }),
    codeAttempts: smallint().notNull().default(0),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.channel] })],
);

/**
 * What a person wants off the site. No row: the defaults (rules.ts). Minutes
 * are minutes after local midnight in the configured time zone.
 */
export const messagePreferences = pgTable("message_preferences", {
  userId: integer()
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  /** Categories (rules.ts) sent by email / by SMS. */
  emailCategories: text().array().notNull(),
  smsCategories: text().array().notNull(),
  /** Quiet hours; start = end means none. */
  quietStart: smallint().notNull().default(22 * 60),
  quietEnd: smallint().notNull().default(7 * 60),
  /** One message a day (at digest_at) instead of one per event; urgent ones still go at once. */
  digest: boolean().notNull().default(false),
  digestAt: smallint().notNull().default(8 * 60),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

/** Server-side secrets made on first use when no environment variable gives one (the unsubscribe-link key). */
export const appSecrets = pgTable("app_secrets", {
  name: text().primaryKey(),
  value: text().notNull(),
});
