import { sql } from "drizzle-orm";
import { boolean, index, integer, jsonb, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import type { Ballot, Ciphertext, Partial, Sealed, Vault } from "../../app/modules/votes/crypto";
import { halls, proposals } from "./halls";
import { users } from "./identity";

export type VoteMethod = "yes_no" | "single" | "approval";
export type Electorate = "members" | "residents" | "households";
export type Threshold = "simple_majority" | "majority_of_participants" | "two_thirds_cast" | "two_thirds_electorate";
/** A secret vote is "scheduled" until its tellers have made its key, and "tallying" from closing until t tellers unlock. */
export type VoteState = "scheduled" | "open" | "tallying" | "closed" | "cancelled";

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
 * Secret ballots, part one: who took part (one per elector). No choice and
 * no time; the encrypted ballot is written in the same transaction (ADR 0016).
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
 * A secret ballot (ADR 0016): one ciphertext per option with its proofs,
 * under its receipt (SHA-256 of the canonical ballot). It is written with
 * its participation, but holds no choice in plain form: only t tellers
 * together can decrypt, and they decrypt only sums.
 */
export const encryptedBallots = pgTable(
  "encrypted_ballots",
  {
    voteId: integer()
      .notNull()
      .references(() => votes.id),
    receipt: text().notNull(),
    ballot: jsonb().$type<Ballot>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.voteId, t.receipt] })],
);

/** A secret vote's split key and tally: t of n, the election key, the sums and why it was not tallied. */
export const voteKeys = pgTable("vote_keys", {
  voteId: integer()
    .primaryKey()
    .references(() => votes.id),
  threshold: smallint().notNull(),
  electionKey: text(),
  sums: jsonb().$type<Ciphertext[]>(),
  ballotCount: integer(),
  /** When tellers must have unlocked by; past it with fewer than t, the vote is recorded as not tallied. */
  tallyDeadline: timestamp({ withTimezone: true }),
  notTallied: text(),
});

/**
 * A secret vote's tellers and what each published in the key ceremony. The
 * vaults are locked under the teller's passphrase in their browser; the
 * server never holds a usable share (ADR 0016).
 */
export const voteTellers = pgTable(
  "vote_tellers",
  {
    voteId: integer()
      .notNull()
      .references(() => votes.id),
    index: smallint().notNull(),
    userId: integer()
      .notNull()
      .references(() => users.id),
    transportKey: text(),
    commitments: jsonb().$type<string[]>(),
    setupVault: jsonb().$type<Vault>(),
    dealt: boolean().notNull().default(false),
    shareVault: jsonb().$type<Vault>(),
    verificationKey: text(),
    complaint: text(),
    partial: jsonb().$type<Partial>(),
  },
  (t) => [primaryKey({ columns: [t.voteId, t.index] }), uniqueIndex("vote_tellers_user_idx").on(t.voteId, t.userId)],
);

/** Shares of the key ceremony in transit: f_from(to), sealed to the receiving teller's transport key. */
export const tellerShares = pgTable(
  "teller_shares",
  {
    voteId: integer()
      .notNull()
      .references(() => votes.id),
    from: smallint().notNull(),
    to: smallint().notNull(),
    sealed: jsonb().$type<Sealed>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.voteId, t.from, t.to] })],
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
