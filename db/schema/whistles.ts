import { sql } from "drizzle-orm";
import { boolean, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { proposals, tsvector } from "./halls";
import { users } from "./identity";
import { categories, departments, units } from "./units";

export type WhistleKind = "enforcement" | "key_task" | "emergency" | "resident_request";
export type WhistleState = "requested" | "dispatched" | "resolved" | "closed" | "reopened";
/** `not_needed`: a co-operating part still open when the whistle was resolved or closed; closed by the system with its reason on the timeline (ADR 0018). */
export type AssignmentState = "dispatched" | "signed" | "on_site" | "resolved" | "returned" | "confirmed" | "not_needed";
export type Satisfaction = "satisfied" | "basically_satisfied" | "dissatisfied";
/** What a whistle's timeline records; each has its words in the catalogues (`whistle.event.<kind>`, a test checks). */
export const whistleEventKinds = [
  "requested",
  "whistle",
  "dispatched",
  "sign",
  "on_site",
  "progress",
  "resolve",
  "return",
  "redispatched",
  "extension_requested",
  "extension_approved",
  "extension_denied",
  "supervised",
  "auto_supervised",
  "overdue",
  "public_overdue",
  "resolved",
  "rated",
  "reopened",
  "closed",
  "confirmed",
  "accepted",
  "not_needed",
  "unreasonable_requested",
  "unreasonable_approved",
  "unreasonable_refused",
] as const;
export type WhistleEventKind = (typeof whistleEventKinds)[number];

/** Deadlines per whistle kind, in minutes, configurable per district (domain-rules.md, Timers). */
export const whistleTimers = pgTable(
  "whistle_timers",
  {
    districtId: integer()
      .notNull()
      .references(() => units.id),
    kind: text().$type<WhistleKind>().notNull(),
    signMinutes: integer().notNull(),
    onSiteMinutes: integer().notNull(),
    /** Null: open until the whistling unit confirms ("stay until it is done"). */
    resolveMinutes: integer(),
  },
  (t) => [primaryKey({ columns: [t.districtId, t.kind] })],
);

/**
 * One matter escalated to departments (吹哨). Its state columns are a
 * projection of its events, written in the same transaction; the timeline can
 * be rebuilt from `whistle_events` alone.
 */
export const whistles = pgTable(
  "whistles",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    subdistrictId: integer()
      .notNull()
      .references(() => units.id),
    /** Set when a community whistled directly to the stations serving its subdistrict (社区吹哨、科站队所报到): the community is then the whistling unit. */
    communityId: integer().references(() => units.id),
    source: text().$type<"proposal" | "patrol" | "emergency" | "direct">().notNull(),
    proposalId: integer().references(() => proposals.id),
    kind: text().$type<WhistleKind>().notNull(),
    title: text().notNull(),
    description: text().notNull(),
    categoryCode: text()
      .notNull()
      .references(() => categories.code),
    address: text(),
    instructions: text(),
    keyTaskDueAt: timestamp({ withTimezone: true }),
    state: text().$type<WhistleState>().notNull(),
    round: integer().notNull().default(0),
    resolvedAt: timestamp({ withTimezone: true }),
    ratingClosesAt: timestamp({ withTimezone: true }),
    /** Approved "unreasonable" closures are excluded from the rate denominators. */
    closure: text().$type<"resolved" | "no_action" | "duplicate" | "unreasonable">(),
    createdBy: integer().references(() => users.id),
    /** The form's one-time key: a direct whistle sent twice (a double click, a retry) is made once. */
    clientKey: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    dispatchedAt: timestamp({ withTimezone: true }),
    /** Title, description and address as CJK bigrams (ADR 0008), for /search; filled on creation, and at start-up for older rows. */
    searchVector: tsvector(),
  },
  (t) => [
    index("whistles_subdistrict_idx").on(t.subdistrictId, t.createdAt),
    index("whistles_proposal_idx").on(t.proposalId),
    uniqueIndex("whistles_client_key").on(t.createdBy, t.clientKey).where(sql`${t.clientKey} is not null`),
    index("whistles_search_idx").using("gin", t.searchVector),
    index("whistles_unindexed_idx").on(t.id).where(sql`${t.searchVector} is null`),
  ],
);

/** One department's part of a whistle (派单), with its own deadlines and state. */
export const assignments = pgTable(
  "assignments",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    whistleId: integer()
      .notNull()
      .references(() => whistles.id),
    departmentId: integer()
      .notNull()
      .references(() => departments.id),
    role: text().$type<"lead" | "cooperate">().notNull(),
    /** 0 first time; 1 after the residents reopened it (重办). */
    round: integer().notNull().default(0),
    state: text().$type<AssignmentState>().notNull(),
    dispatchedAt: timestamp({ withTimezone: true }).notNull(),
    dueSignAt: timestamp({ withTimezone: true }).notNull(),
    dueOnSiteAt: timestamp({ withTimezone: true }).notNull(),
    dueResolveAt: timestamp({ withTimezone: true }),
    signedAt: timestamp({ withTimezone: true }),
    onSiteAt: timestamp({ withTimezone: true }),
    resolvedAt: timestamp({ withTimezone: true }),
    returnedAt: timestamp({ withTimezone: true }),
    resultText: text(),
    /** The escalation ladder, each step taken once (reminder → overdue → supervision → public list). */
    remindedStep: text(),
    overdueSince: timestamp({ withTimezone: true }),
    autoSupervisedAt: timestamp({ withTimezone: true }),
    publicOverdueAt: timestamp({ withTimezone: true }),
    /** What this assignment adds to its month's rate counts (a bit set, `RATE_BITS` in rules.ts; 0: not counted yet). Kept with `whistle_rate_counts` in the same transaction (ADR 0018). */
    rateFlags: integer().notNull().default(0),
  },
  (t) => [
    index("assignments_department_idx").on(t.departmentId, t.state),
    index("assignments_whistle_idx").on(t.whistleId),
    // The monthly rates and the six-month trend select one period's dispatches out of years of them.
    index("assignments_dispatched_idx").on(t.dispatchedAt),
    // Assignments not yet counted into the rates (start-up finds them at once; normally empty).
    index("assignments_uncounted_idx").on(t.id).where(sql`${t.rateFlags} = 0`),
    index("assignments_open_idx").on(t.state).where(sql`${t.state} in ('dispatched','signed','on_site')`),
  ],
);

export const whistleEvents = pgTable(
  "whistle_events",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    whistleId: integer()
      .notNull()
      .references(() => whistles.id),
    assignmentId: integer().references(() => assignments.id),
    actorId: integer().references(() => users.id),
    kind: text().$type<WhistleEventKind>().notNull(),
    fromState: text(),
    toState: text(),
    reason: text(),
    /** What residents may read on the public timeline. */
    publicText: text(),
    data: jsonb().$type<Record<string, unknown>>(),
    at: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [index("whistle_events_whistle_idx").on(t.whistleId, t.id)],
);

export const extensionRequests = pgTable("extension_requests", {
  id: integer().primaryKey().generatedAlwaysAsIdentity(),
  assignmentId: integer()
    .notNull()
    .references(() => assignments.id),
  requestedBy: integer()
    .notNull()
    .references(() => users.id),
  newDueAt: timestamp({ withTimezone: true }).notNull(),
  reason: text().notNull(),
  state: text().$type<"pending" | "approved" | "denied">().notNull().default("pending"),
  decidedBy: integer().references(() => users.id),
  decidedAt: timestamp({ withTimezone: true }),
});

/** The residents' answer: solved or not, and how satisfied. One per person per round (a reopened whistle is rated again). */
export const ratings = pgTable(
  "ratings",
  {
    whistleId: integer()
      .notNull()
      .references(() => whistles.id),
    userId: integer()
      .notNull()
      .references(() => users.id),
    round: integer().notNull(),
    solved: boolean().notNull(),
    satisfaction: text().$type<Satisfaction>().notNull(),
    comment: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.whistleId, t.userId, t.round] })],
);

/**
 * Evidence photos an officer attached when reporting on site (到场) or
 * resolving (办结), linked to that event. Files live under DATA_DIR/uploads
 * (app/lib/uploads.server.ts), served by /uploads/<fileName>.
 */
export const whistlePhotos = pgTable(
  "whistle_photos",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    whistleId: integer()
      .notNull()
      .references(() => whistles.id),
    eventId: integer()
      .notNull()
      .references(() => whistleEvents.id),
    assignmentId: integer()
      .notNull()
      .references(() => assignments.id),
    fileName: text().notNull(),
    mime: text().notNull(),
    size: integer().notNull(),
  },
  (t) => [index("whistle_photos_whistle_idx").on(t.whistleId), index("whistle_photos_assignment_idx").on(t.assignmentId)],
);

/**
 * A request to close a whistle as an unreasonable demand (不合理诉求), made by
 * the subdistrict's staff or a department working it, decided by a
 * subdistrict leader. Only an approved one closes the whistle with closure
 * "unreasonable" (excluded from the rate denominators). One pending request
 * per whistle.
 */
export const closureRequests = pgTable(
  "closure_requests",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    whistleId: integer()
      .notNull()
      .references(() => whistles.id),
    requestedBy: integer()
      .notNull()
      .references(() => users.id),
    reason: text().notNull(),
    state: text().$type<"pending" | "approved" | "refused">().notNull().default("pending"),
    decidedBy: integer().references(() => users.id),
    decidedAt: timestamp({ withTimezone: true }),
    decisionNote: text(),
    createdAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex("closure_requests_one_pending").on(t.whistleId).where(sql`${t.state} = 'pending'`)],
);

/**
 * The three rates' raw counts per Beijing month of dispatch, subdistrict and
 * department: the sum of the `rate_flags` of the assignments dispatched that
 * month. Every command that changes an assignment, its whistle or its ratings
 * updates both in its transaction (`refreshRateCounts`); a test checks them
 * against a full recount (ADR 0018).
 */
export const whistleRateCounts = pgTable(
  "whistle_rate_counts",
  {
    /** "YYYY-MM", Beijing time, of the assignment's dispatch. */
    month: text().notNull(),
    subdistrictId: integer()
      .notNull()
      .references(() => units.id),
    departmentId: integer()
      .notNull()
      .references(() => departments.id),
    dispatched: integer().notNull().default(0),
    signedInTime: integer().notNull().default(0),
    due: integer().notNull().default(0),
    resolved: integer().notNull().default(0),
    rated: integer().notNull().default(0),
    satisfied: integer().notNull().default(0),
    resolvedWithDeadline: integer().notNull().default(0),
    resolvedOnTime: integer().notNull().default(0),
    returned: integer().notNull().default(0),
    redone: integer().notNull().default(0),
    unreasonable: integer().notNull().default(0),
    notNeeded: integer().notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.month, t.subdistrictId, t.departmentId] })],
);

/**
 * Composite-score weights (w1 response, w2 resolution, w3 satisfaction, in
 * percent, summing to 100) per district, each valid from the first day of a
 * month until a later row takes over (docs/decisions/0011-score-weights-by-period.md).
 * No row: the defaults of domain-rules.md.
 */
export const scoreWeights = pgTable(
  "score_weights",
  {
    districtId: integer()
      .notNull()
      .references(() => units.id),
    /** "YYYY-MM": the first month (Beijing time) these weights apply to. */
    validFrom: text().notNull(),
    response: integer().notNull(),
    resolution: integer().notNull(),
    satisfaction: integer().notNull(),
    /** A unit with fewer assignments dispatched in the month is listed but not ranked. */
    minCases: integer().notNull().default(3),
    setBy: integer().references(() => users.id),
    setAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.districtId, t.validFrom] }),
    check("score_weights_sum", sql`${t.response} + ${t.resolution} + ${t.satisfaction} = 100 and least(${t.response}, ${t.resolution}, ${t.satisfaction}) >= 0`),
    check("score_weights_month", sql`${t.validFrom} ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'`),
  ],
);
