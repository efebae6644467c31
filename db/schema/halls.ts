import { sql } from "drizzle-orm";
import { boolean, customType, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { users } from "./identity";
import { organizations } from "./people";
import { alleys, categories, units } from "./units";
import { reportReasons, systemReasons, type ReportReason, type SystemReason } from "./values";
export { reportReasons, systemReasons, type ReportReason, type SystemReason };

/** A tsvector of CJK bigrams and words (ADR 0008): Chinese search on PGlite and the server alike. */
export const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

export type MemberKind = "resident" | "party_member" | "organization";
export type SecondingRule = { kind: "count"; n: number } | { kind: "percent"; p: number };

/** A discussion hall (议事厅) of one unit, with its rules of procedure (议事规则). */
export const halls = pgTable(
  "halls",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    unitId: integer()
      .notNull()
      .references(() => units.id),
    name: text().notNull(),
    description: text().notNull().default(""),
    rules: text().notNull().default(""),
    membershipPolicy: text().$type<"open" | "application" | "invitation">().notNull().default("open"),
    memberKinds: jsonb().$type<MemberKind[]>().notNull().default(["resident", "party_member"]),
    secondingRule: jsonb().$type<SecondingRule>().notNull().default({ kind: "count", n: 5 }),
    secondingDays: integer().notNull().default(14),
    commentMaxLength: integer().notNull().default(1000),
    /** Robert's rules as adapted: at most N speeches per person per motion (null: no limit). */
    commentsPerPerson: integer(),
    stanceRequired: boolean().notNull().default(true),
    createdBy: integer().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("halls_unit_idx").on(t.unitId)],
);

export const hallConveners = pgTable(
  "hall_conveners",
  {
    hallId: integer()
      .notNull()
      .references(() => halls.id),
    userId: integer()
      .notNull()
      .references(() => users.id),
  },
  (t) => [primaryKey({ columns: [t.hallId, t.userId] })],
);

/** People and organisations in a hall. An application waits as `pending`. */
export const hallMembers = pgTable(
  "hall_members",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    hallId: integer()
      .notNull()
      .references(() => halls.id),
    userId: integer().references(() => users.id),
    organizationId: integer().references(() => organizations.id),
    status: text().$type<"active" | "pending" | "left" | "refused">().notNull(),
    reason: text(),
    joinedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("hall_members_person").on(t.hallId, t.userId).where(sql`${t.userId} is not null`),
    uniqueIndex("hall_members_org").on(t.hallId, t.organizationId).where(sql`${t.organizationId} is not null`),
    index("hall_members_user_idx").on(t.userId),
  ],
);

export const proposalStates = [
  "draft",
  "open",
  "on_agenda",
  "in_debate",
  "voting",
  "decided_passed",
  "decided_failed",
  "self_handled",
  "escalated",
  "closed",
  "withdrawn",
  "declined",
  "expired",
] as const;
export type ProposalState = (typeof proposalStates)[number];

/** An issue raised in a hall (议题). Its state changes only through events (proposal_events). */
export const proposals = pgTable(
  "proposals",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    hallId: integer()
      .notNull()
      .references(() => halls.id),
    authorId: integer()
      .notNull()
      .references(() => users.id),
    organizationId: integer().references(() => organizations.id),
    title: text().notNull(),
    body: text().notNull(),
    categoryCode: text()
      .notNull()
      .references(() => categories.code),
    address: text(),
    alleyId: integer().references(() => alleys.id),
    state: text().$type<ProposalState>().notNull(),
    /** The seconds needed, frozen when it opens. */
    secondsRequired: integer().notNull(),
    secondingDeadline: timestamp({ withTimezone: true }),
    mergedIntoId: integer(),
    declineReason: text(),
    declineText: text(),
    /** The client's idempotency key: a retried submit finds the proposal it made. */
    clientKey: text().notNull(),
    searchVector: tsvector(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    openedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index("proposals_hall_state_idx").on(t.hallId, t.state, t.createdAt),
    index("proposals_deadline_idx").on(t.secondingDeadline).where(sql`${t.state} = 'open'`),
    uniqueIndex("proposals_client_key").on(t.authorId, t.clientKey),
    index("proposals_search_idx").using("gin", t.searchVector),
  ],
);

/** What a proposal's history records (`event.<kind>` in the catalogues; `second` is counted, not listed). */
export const proposalEventKinds = ["state", "second", "unsecond", "merged", "minutes", "comment_hidden", "comment_restored"] as const;
export type ProposalEventKind = (typeof proposalEventKinds)[number];

export const proposalEvents = pgTable(
  "proposal_events",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    proposalId: integer()
      .notNull()
      .references(() => proposals.id),
    actorId: integer().references(() => users.id),
    kind: text().$type<ProposalEventKind>().notNull(),
    fromState: text().$type<ProposalState>(),
    toState: text().$type<ProposalState>(),
    reason: text(),
    data: jsonb().$type<Record<string, unknown>>(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("proposal_events_proposal_idx").on(t.proposalId, t.id)],
);

export const proposalSeconds = pgTable(
  "proposal_seconds",
  {
    proposalId: integer()
      .notNull()
      .references(() => proposals.id),
    userId: integer()
      .notNull()
      .references(() => users.id),
    /** Carried over from a merged duplicate. */
    fromProposalId: integer(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.proposalId, t.userId] })],
);

export const proposalPhotos = pgTable(
  "proposal_photos",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    proposalId: integer()
      .notNull()
      .references(() => proposals.id),
    fileName: text().notNull(),
    mime: text().notNull(),
    size: integer().notNull(),
  },
  (t) => [index("proposal_photos_proposal_idx").on(t.proposalId)],
);

export const stances = ["support", "oppose", "neutral"] as const;
export type Stance = (typeof stances)[number];

export const comments = pgTable(
  "comments",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    proposalId: integer()
      .notNull()
      .references(() => proposals.id),
    authorId: integer()
      .notNull()
      .references(() => users.id),
    /** Speaking as an organisation the author belongs to. */
    organizationId: integer().references(() => organizations.id),
    parentId: integer(),
    depth: integer().notNull().default(0),
    stance: text().$type<Stance>().notNull(),
    body: text().notNull(),
    clientKey: text().notNull(),
    searchVector: tsvector(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    editedAt: timestamp({ withTimezone: true }),
    hiddenAt: timestamp({ withTimezone: true }),
    hiddenBy: integer().references(() => users.id),
    hiddenReason: text(),
  },
  (t) => [
    index("comments_proposal_idx").on(t.proposalId, t.id),
    index("comments_author_idx").on(t.authorId, t.createdAt),
    uniqueIndex("comments_client_key").on(t.authorId, t.clientKey),
    index("comments_search_idx").using("gin", t.searchVector),
  ],
);

export const commentRevisions = pgTable("comment_revisions", {
  id: integer().primaryKey().generatedAlwaysAsIdentity(),
  commentId: integer()
    .notNull()
    .references(() => comments.id),
  body: text().notNull(),
  stance: text().$type<Stance>().notNull(),
  replacedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});


export const commentReports = pgTable(
  "comment_reports",
  {
    commentId: integer()
      .notNull()
      .references(() => comments.id),
    reporterId: integer()
      .notNull()
      .references(() => users.id),
    reason: text().$type<ReportReason>().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    /** Set when the convener reviewed the reports (restored or confirmed the hiding). */
    reviewedAt: timestamp({ withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.commentId, t.reporterId] })],
);

/** The convener's minutes (议事纪要) of a proposal; every version is kept. */
export const minutes = pgTable(
  "minutes",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    proposalId: integer()
      .notNull()
      .references(() => proposals.id),
    version: integer().notNull(),
    agreed: text().notNull(),
    open: text().notNull().default(""),
    nextStep: text().notNull().default(""),
    authorId: integer()
      .notNull()
      .references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("minutes_version_key").on(t.proposalId, t.version)],
);

export const follows = pgTable(
  "follows",
  {
    proposalId: integer()
      .notNull()
      .references(() => proposals.id),
    userId: integer()
      .notNull()
      .references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.proposalId, t.userId] }), index("follows_user_idx").on(t.userId)],
);

/**
 * How many times each person has spoken on each proposal (every comment,
 * replies included), kept so that a hall's limit (`halls.commentsPerPerson`,
 * 每人每个议题最多发言 N 次) holds when comments arrive at once: a comment
 * takes its turn by an upsert that refuses past the limit, which concurrent
 * statements cannot both pass (ADR 0019). Rows are written only in halls with
 * a limit, starting from the comments already made.
 */
export const speechCounts = pgTable(
  "speech_counts",
  {
    proposalId: integer()
      .notNull()
      .references(() => proposals.id),
    userId: integer()
      .notNull()
      .references(() => users.id),
    count: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.proposalId, t.userId] })],
);
