import { sql } from "drizzle-orm";
import { boolean, check, date, index, integer, jsonb, pgTable, primaryKey, smallint, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import type { Partial as Decryption, Sealed, Vault } from "../../app/modules/votes/crypto";
import { users } from "./identity";
import { organizations } from "./people";
import type { PledgeCategory } from "./pledges";
import { units } from "./units";
import { criterionKeys, evaluatorRoles, type CriterionKey, type EvaluatorRole } from "./values";
export { criterionKeys, evaluatorRoles, type CriterionKey, type EvaluatorRole };

/**
 * Service projects (购买社会组织服务, 公益创投), shaped like the Open
 * Contracting Data Standard: a call (tender), sealed bids, evaluation, an
 * award with a public notice period, a contract run in milestones, residents'
 * ratings. shared/domain-rules.md "Service projects", docs/projects.md.
 */

export const projectStatuses = ["planning", "open", "evaluating", "awarded", "active", "completed", "cancelled", "unsuccessful"] as const;
export type ProjectStatus = (typeof projectStatuses)[number];

export interface Criterion {
  /** Stable within the call: "price", "plan", … or "custom-1". */
  id: string;
  key: CriterionKey;
  /** Only for `custom`: the label as staff wrote it. */
  label?: string;
  weight: number;
}

export interface Eligibility {
  /** At least this many months since the organisation's verification. */
  minMonthsVerified: number;
  /** Only organisations based in the buyer's area (its unit or below). */
  localOnly: boolean;
}

export const projects = pgTable(
  "projects",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    /** The buyer: a community or a subdistrict. */
    unitId: integer()
      .notNull()
      .references(() => units.id),
    title: text().notNull(),
    scope: text().notNull(),
    category: text().$type<PledgeCategory>().notNull(),
    /** Budget cap in whole yuan (CNY). */
    budgetCap: integer().notNull(),
    periodStart: date({ mode: "string" }).notNull(),
    periodEnd: date({ mode: "string" }).notNull(),
    eligibility: jsonb().$type<Eligibility>().notNull(),
    criteria: jsonb().$type<Criterion[]>().notNull(),
    /** Questions are taken until then; answers stay public. */
    questionsCloseAt: timestamp({ withTimezone: true }).notNull(),
    bidDeadline: timestamp({ withTimezone: true }).notNull(),
    /** 公示: working days after the award during which organisations may object. */
    noticeDays: smallint().notNull().default(5),
    status: text().$type<ProjectStatus>().notNull().default("planning"),
    /** Where it came from: a need on the community's list, or a passed proposal. */
    needId: integer(),
    proposalId: integer(),
    /** Submitted bids (never their contents): the live count on the page. */
    bidCount: integer().notNull().default(0),
    publishedAt: timestamp({ withTimezone: true }),
    /** When the bids were opened (开标): all submitted bids decrypted, bidders and prices public. */
    openedAt: timestamp({ withTimezone: true }),
    awardBidId: integer(),
    awardRationale: text(),
    awardedAt: timestamp({ withTimezone: true }),
    /** The end of the notice period; objections are taken until then, and the award is final once every one is answered. */
    noticeEndsAt: timestamp({ withTimezone: true }),
    finalAt: timestamp({ withTimezone: true }),
    completedAt: timestamp({ withTimezone: true }),
    /** Why it was cancelled or found unsuccessful. */
    endReason: text(),
    createdBy: integer()
      .notNull()
      .references(() => users.id),
    /** The form's one-time key: a retried create finds the project it made. */
    clientKey: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("projects_unit_status_idx").on(t.unitId, t.status, t.id),
    index("projects_status_deadline_idx").on(t.status, t.bidDeadline),
    uniqueIndex("projects_client_key").on(t.createdBy, t.clientKey),
    check("projects_budget_positive", sql`${t.budgetCap} > 0`),
  ],
);

/** The call's documents (terms of reference, forms): public files. */
export const projectDocuments = pgTable(
  "project_documents",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    projectId: integer()
      .notNull()
      .references(() => projects.id),
    /** The stored upload's name (app/lib/uploads.server.ts). */
    file: text().notNull(),
    name: text().notNull(),
    mime: text().notNull(),
    bytes: integer().notNull(),
    uploadedBy: integer()
      .notNull()
      .references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("project_documents_project_idx").on(t.projectId)],
);

/** Every change of a project, public (who acted is shown by role, not by name, to the public). */
export const projectEvents = pgTable(
  "project_events",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    projectId: integer()
      .notNull()
      .references(() => projects.id),
    actorId: integer().references(() => users.id),
    kind: text().notNull(),
    /** What changed, as codes and numbers: {from, to}, {bids, prices}, … */
    detail: jsonb().$type<Record<string, unknown>>(),
    reason: text(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("project_events_project_idx").on(t.projectId, t.id)],
);

/** 答疑: an organisation's question and staff's public answer; the public never learns who asked. */
export const projectQuestions = pgTable(
  "project_questions",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    projectId: integer()
      .notNull()
      .references(() => projects.id),
    organizationId: integer()
      .notNull()
      .references(() => organizations.id),
    askedBy: integer()
      .notNull()
      .references(() => users.id),
    question: text().notNull(),
    answer: text(),
    answeredBy: integer().references(() => users.id),
    askedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    answeredAt: timestamp({ withTimezone: true }),
    clientKey: text(),
  },
  (t) => [index("project_questions_project_idx").on(t.projectId, t.id), uniqueIndex("project_questions_client_key").on(t.askedBy, t.clientKey)],
);

/**
 * The call's split key (shared/crypto.md §5): t of n opening-committee
 * members; `openingKey` is X, fixed when every member has confirmed. The
 * call cannot be published before.
 */
export const projectKeys = pgTable("project_keys", {
  projectId: integer()
    .primaryKey()
    .references(() => projects.id),
  threshold: smallint().notNull(),
  openingKey: text(),
});

/** The opening committee (开标小组) and what each published in the key ceremony and at the opening. */
export const projectOpeners = pgTable(
  "project_openers",
  {
    projectId: integer()
      .notNull()
      .references(() => projects.id),
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
    /** At the opening: x_j·R for every submitted bid, with proofs, by bid id. */
    partials: jsonb().$type<Record<string, Decryption>>(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.index] }), uniqueIndex("project_openers_user_idx").on(t.projectId, t.userId)],
);

/** Shares of the committee's key ceremony in transit, sealed to the receiving member's transport key. */
export const openerShares = pgTable(
  "opener_shares",
  {
    projectId: integer()
      .notNull()
      .references(() => projects.id),
    from: smallint().notNull(),
    to: smallint().notNull(),
    sealed: jsonb().$type<Sealed>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.from, t.to] })],
);

export const bidStatuses = ["submitted", "withdrawn", "valid", "disqualified"] as const;
export type BidStatus = (typeof bidStatuses)[number];

/** A bid's contents, sealed in the bidder's browser (threshold ECIES): R = e·G, AES-GCM under HKDF(e·X). */
export interface SealedBid {
  R: string;
  iv: string;
  /** The ciphertext, hex or base64 as the sealing module writes it. */
  data: string;
}

/** What a bid says once opened. Milestones are the bidder's proposal; the contract's are in `project_milestones`. */
export interface BidContents {
  price: number;
  plan: string;
  team: string;
  experience?: string;
  milestones: { title: string; due: string; share: number }[];
  /** Attachments: their names, types, sizes and hashes; the files are sealed beside the bid. */
  attachments: { name: string; mime: string; bytes: number; sha256: string }[];
}

/**
 * One bid per organisation per call, holding its last submitted revision
 * only: a revision replaces the sealed contents (the receipts keep the
 * history). Contents are readable by nobody but the bidder until the opening.
 */
export const bids = pgTable(
  "bids",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    projectId: integer()
      .notNull()
      .references(() => projects.id),
    organizationId: integer()
      .notNull()
      .references(() => organizations.id),
    status: text().$type<BidStatus>().notNull().default("submitted"),
    revision: integer().notNull().default(1),
    sealed: jsonb().$type<SealedBid>(),
    /** SHA-256 of the canonical sealed bid: what the bidder's receipt shows. */
    receipt: text().notNull(),
    submittedBy: integer()
      .notNull()
      .references(() => users.id),
    submittedAt: timestamp({ withTimezone: true }).notNull(),
    /** After the opening: the decrypted contents, and the price on its own for sorting. */
    contents: jsonb().$type<BidContents>(),
    price: integer(),
    /** Why the bid was found invalid at the opening or disqualified in evaluation. */
    disqualifiedReason: text(),
    disqualifiedBy: integer().references(() => users.id),
    /** The weighted score once every evaluator has submitted. */
    score: integer(),
  },
  (t) => [uniqueIndex("bids_project_org").on(t.projectId, t.organizationId), index("bids_project_status_idx").on(t.projectId, t.status)],
);

/** Every submission, revision and withdrawal, with its receipt: what the bidder was given. */
export const bidReceipts = pgTable(
  "bid_receipts",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    bidId: integer()
      .notNull()
      .references(() => bids.id),
    revision: integer().notNull(),
    kind: text().$type<"submit" | "revise" | "withdraw">().notNull(),
    receipt: text().notNull(),
    by: integer()
      .notNull()
      .references(() => users.id),
    /** The form's one-time key: a double submit is one submission. */
    clientKey: text(),
    at: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [index("bid_receipts_bid_idx").on(t.bidId, t.id), uniqueIndex("bid_receipts_client_key").on(t.bidId, t.clientKey)],
);

/** A bid's attachments, sealed like the bid (the key of the bid's revision), stored as files; opened with it. */
export const bidFiles = pgTable(
  "bid_files",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    bidId: integer()
      .notNull()
      .references(() => bids.id),
    revision: integer().notNull(),
    ordinal: smallint().notNull(),
    /** The sealed file's stored name. */
    sealedFile: text().notNull(),
    bytes: integer().notNull(),
    /** After the opening: the plain file (its type checked by its first bytes, like photos). */
    openedFile: text(),
    mime: text(),
  },
  (t) => [uniqueIndex("bid_files_key").on(t.bidId, t.revision, t.ordinal)],
);


/** The evaluation panel (评审小组): invited by account; each declares conflicts of interest, then scores. */
export const projectEvaluators = pgTable(
  "project_evaluators",
  {
    projectId: integer()
      .notNull()
      .references(() => projects.id),
    userId: integer()
      .notNull()
      .references(() => users.id),
    role: text().$type<EvaluatorRole>().notNull(),
    invitedBy: integer()
      .notNull()
      .references(() => users.id),
    /** When they declared (for every bid) whether they have a conflict of interest: scoring opens after. */
    declaredAt: timestamp({ withTimezone: true }),
    /** When they submitted their scores; scores are seen by others only once all have. */
    submittedAt: timestamp({ withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.userId] })],
);

/** An evaluator's declaration about one bid: a conflict bars them from scoring it. */
export const conflictDeclarations = pgTable(
  "conflict_declarations",
  {
    projectId: integer()
      .notNull()
      .references(() => projects.id),
    userId: integer()
      .notNull()
      .references(() => users.id),
    bidId: integer()
      .notNull()
      .references(() => bids.id),
    conflict: boolean().notNull(),
    note: text(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.userId, t.bidId] })],
);

/** One evaluator's score of one bid on one criterion, 0–100. */
export const bidScores = pgTable(
  "bid_scores",
  {
    projectId: integer()
      .notNull()
      .references(() => projects.id),
    userId: integer()
      .notNull()
      .references(() => users.id),
    bidId: integer()
      .notNull()
      .references(() => bids.id),
    criterion: text().notNull(),
    score: smallint().notNull(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.userId, t.bidId, t.criterion] }), check("bid_scores_range", sql`${t.score} between 0 and 100`)],
);

/** 质疑: an organisation's objection to the award during the notice period, and staff's public answer. */
export const projectObjections = pgTable(
  "project_objections",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    projectId: integer()
      .notNull()
      .references(() => projects.id),
    organizationId: integer()
      .notNull()
      .references(() => organizations.id),
    raisedBy: integer()
      .notNull()
      .references(() => users.id),
    text: text().notNull(),
    answer: text(),
    /** Whether staff upheld it (the award is then withdrawn and the evaluation reopened). */
    upheld: boolean(),
    answeredBy: integer().references(() => users.id),
    raisedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    answeredAt: timestamp({ withTimezone: true }),
  },
  (t) => [index("project_objections_project_idx").on(t.projectId)],
);

export const milestoneStatuses = ["scheduled", "reported", "met", "partially_met", "not_met"] as const;
export type MilestoneStatus = (typeof milestoneStatuses)[number];

/** The contract's milestones, with their payment shares; the organisation reports with evidence, staff judge, payment follows. */
export const projectMilestones = pgTable(
  "project_milestones",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    projectId: integer()
      .notNull()
      .references(() => projects.id),
    ordinal: smallint().notNull(),
    title: text().notNull(),
    dueOn: date({ mode: "string" }).notNull(),
    /** Percent of the contract's amount paid when met (partly met: staff set the amount). */
    paymentShare: smallint().notNull(),
    status: text().$type<MilestoneStatus>().notNull().default("scheduled"),
    report: text(),
    /** Evidence: stored upload names (photos, attendance sheets, documents). */
    evidence: jsonb().$type<{ file: string; name: string; mime: string }[]>(),
    /** People who took part, as the organisation counted them (an attendance figure). */
    attendance: integer(),
    reportedBy: integer().references(() => users.id),
    reportedAt: timestamp({ withTimezone: true }),
    judgement: text(),
    judgedBy: integer().references(() => users.id),
    judgedAt: timestamp({ withTimezone: true }),
    /** Paid in whole yuan, and when. */
    paidAmount: integer(),
    paidAt: timestamp({ withTimezone: true }),
  },
  (t) => [uniqueIndex("project_milestones_key").on(t.projectId, t.ordinal)],
);

/** A resident's rating of the service at the end (1–5), one each. */
export const projectRatings = pgTable(
  "project_ratings",
  {
    projectId: integer()
      .notNull()
      .references(() => projects.id),
    userId: integer()
      .notNull()
      .references(() => users.id),
    stars: smallint().notNull(),
    comment: text(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.userId] }), check("project_ratings_stars", sql`${t.stars} between 1 and 5`)],
);
