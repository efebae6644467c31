import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgTable, primaryKey, smallint, text, timestamp } from "drizzle-orm/pg-core";
import { halls, proposals } from "./halls";
import { users } from "./identity";

export type VoteMethod = "yes_no" | "single" | "approval";
export type Electorate = "members" | "residents" | "households";
export type Threshold = "simple_majority" | "majority_of_participants" | "two_thirds_cast" | "two_thirds_electorate";
export type VoteState = "scheduled" | "open" | "closed" | "cancelled";

/**
 * A closed vote's result, frozen with the rule that produced it (jsonb). The
 * fields marked "since ADR 0019" are absent from results stored before then:
 * read stored results with `readResult` (app/modules/votes/rules.ts), which
 * tolerates both shapes.
 */
export interface VoteResult {
  outcome: "passed" | "failed_quorum" | "failed_threshold";
  counts: number[];
  ballots: number;
  abstentions: number;
  electorateSize: number;
  turnout: number;
  /** The first adopted option (yes/no: 0 when passed), or null. Kept for older readers: prefer `adopted`. */
  winner: number | null;
  rule: { threshold: Threshold; quorumPercent: number; abstentionsCountForQuorum: boolean; method?: VoteMethod; maxChoices?: number };
  /** Since ADR 0019: the adopted options in rank order (yes/no: [0] when passed). */
  adopted?: number[];
  /** Since ADR 0019: options tied for the lead (single) or at the k-th place (approval), which left places undecided. */
  tied?: number[];
  /** Since ADR 0019: how many places the tie left undecided (single: 1 when tied for the lead). */
  undecidedPlaces?: number;
}

/**
 * A decision put to an electorate (表决). Everything that decides the result
 * is frozen when it opens; changing it means cancelling with a reason.
 */
export const votes = pgTable(
  "votes",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    hallId: integer()
      .notNull()
      .references(() => halls.id),
    proposalId: integer().references(() => proposals.id),
    question: text().notNull(),
    method: text().$type<VoteMethod>().notNull(),
    options: jsonb().$type<string[]>().notNull(),
    maxChoices: integer().notNull().default(1),
    electorate: text().$type<Electorate>().notNull(),
    opensAt: timestamp({ withTimezone: true }).notNull(),
    closesAt: timestamp({ withTimezone: true }).notNull(),
    quorumPercent: integer().notNull(),
    threshold: text().$type<Threshold>().notNull(),
    abstentionsCountForQuorum: boolean().notNull().default(true),
    secret: boolean().notNull().default(false),
    liveResults: boolean().notNull().default(false),
    state: text().$type<VoteState>().notNull(),
    electorateSize: integer(),
    result: jsonb().$type<VoteResult>(),
    reminded: boolean().notNull().default(false),
    cancelReason: text(),
    createdBy: integer()
      .notNull()
      .references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index("votes_due_idx").on(t.state, t.closesAt),
    index("votes_proposal_idx").on(t.proposalId),
  ],
);

/**
 * The electorate, frozen at opening (ADR 0020). `electorId` is a hall
 * member's account id in a members' vote, a roll entry (`roll_residents.id`)
 * in a residents' vote, and a roll household (`households.id`) in a
 * households' vote (one ballot per 户).
 */
export const voteElectors = pgTable(
  "vote_electors",
  {
    voteId: integer()
      .notNull()
      .references(() => votes.id),
    electorId: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.voteId, t.electorId] })],
);

/**
 * Open ballots: one row per elector, guaranteed by the primary key under any
 * concurrency. Changing one's mind updates it and keeps the old choice in history.
 */
export const ballots = pgTable(
  "ballots",
  {
    voteId: integer()
      .notNull()
      .references(() => votes.id),
    electorId: integer().notNull(),
    choices: smallint().array().notNull(),
    /** The choices as bits (option k = 1 << k; null past option 30): what the tally groups by (migration 0010). */
    choiceMask: integer().generatedAlwaysAs(sql`choice_mask(choices)`),
    /** The account that cast it online, or the roll entry's account if it has one (null for a paper ballot of someone without). */
    castBy: integer().references(() => users.id),
    /** The roll entry (居民名册) who cast it, for residents' and households' votes (ADR 0020). */
    residentId: integer(),
    channel: text().$type<"online" | "paper">().notNull().default("online"),
    recordedBy: integer().references(() => users.id),
    meeting: text(),
    castAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.voteId, t.electorId] })],
);

export const ballotHistory = pgTable(
  "ballot_history",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    voteId: integer().notNull(),
    electorId: integer().notNull(),
    choices: smallint().array().notNull(),
    castAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [index("ballot_history_vote_idx").on(t.voteId, t.electorId)],
);

/**
 * Secret ballots, part one: who took part. No choice, no time, nothing that
 * points at the ballot (ADR 0009).
 */
export const participations = pgTable(
  "participations",
  {
    voteId: integer()
      .notNull()
      .references(() => votes.id),
    electorId: integer().notNull(),
    channel: text().$type<"online" | "paper">().notNull().default("online"),
    recordedBy: integer().references(() => users.id),
    meeting: text(),
  },
  (t) => [primaryKey({ columns: [t.voteId, t.electorId] })],
);

/**
 * Secret ballots, part two: the choices under random receipts, in a pool
 * that a mixer empties in random order into `secret_ballots`, so neither
 * insertion order nor transaction ids tie a choice to a participation.
 */
export const secretPool = pgTable(
  "secret_pool",
  {
    voteId: integer().notNull(),
    receipt: text().notNull(),
    choices: smallint().array().notNull(),
    /** The choices as bits (option k = 1 << k; null past option 30): what the tally groups by (migration 0010). */
    choiceMask: integer().generatedAlwaysAs(sql`choice_mask(choices)`),
  },
  (t) => [primaryKey({ columns: [t.voteId, t.receipt] })],
);

export const secretBallots = pgTable(
  "secret_ballots",
  {
    voteId: integer()
      .notNull()
      .references(() => votes.id),
    receipt: text().notNull(),
    choices: smallint().array().notNull(),
    /** The choices as bits (option k = 1 << k; null past option 30): what the tally groups by (migration 0010). */
    choiceMask: integer().generatedAlwaysAs(sql`choice_mask(choices)`),
  },
  (t) => [primaryKey({ columns: [t.voteId, t.receipt] })],
);

export const voteEvents = pgTable(
  "vote_events",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    voteId: integer()
      .notNull()
      .references(() => votes.id),
    actorId: integer().references(() => users.id),
    kind: text().notNull(),
    reason: text(),
    at: timestamp({ withTimezone: true }).notNull().default(sql`now()`),
  },
  (t) => [index("vote_events_vote_idx").on(t.voteId)],
);
