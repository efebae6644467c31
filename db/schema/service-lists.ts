import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { proposals } from "./halls";
import { users } from "./identity";
import { organizations } from "./people";
import type { PledgeCategory } from "./pledges";
import { units } from "./units";
import { resourceKinds, type ResourceKind } from "./values";
export { resourceKinds, type ResourceKind };

/**
 * The three lists of a community (三张清单): its needs (需求清单), the
 * resources members and unit Party organisations offer (资源清单), and its
 * activities (项目清单, the `activities` table). A need is claimed (认领) by a
 * member or a unit organisation, and each claim is tracked to done.
 */

export const needStatuses = ["open", "claimed", "done", "closed"] as const;
export type NeedStatus = (typeof needStatuses)[number];
/** What a need counts: people to come, or hours of service. */
export type NeedUnit = "people" | "hours";

export const needs = pgTable(
  "needs",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    /** The community whose list it is on. */
    unitId: integer()
      .notNull()
      .references(() => units.id),
    category: text().$type<PledgeCategory>().notNull(),
    title: text().notNull(),
    description: text().notNull().default(""),
    /** When, in words ("每周六上午", "12月20日前"). */
    whenText: text().notNull(),
    unit: text().$type<NeedUnit>().notNull(),
    amount: integer().notNull(),
    /** People or hours held by claims not released (claimed or done); never above `amount`. */
    claimed: integer().notNull().default(0),
    status: text().$type<NeedStatus>().notNull().default("open"),
    /** The passed proposal it was raised from (转为需求), if any. */
    proposalId: integer().references(() => proposals.id),
    closeReason: text(),
    createdBy: integer()
      .notNull()
      .references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    check("needs_claimed_within", sql`${t.claimed} >= 0 and ${t.claimed} <= ${t.amount}`),
    index("needs_unit_status_idx").on(t.unitId, t.status, t.id),
    index("needs_proposal_idx").on(t.proposalId),
  ],
);

export const claimStatuses = ["claimed", "done", "released"] as const;
export type NeedClaimStatus = (typeof claimStatuses)[number];

/** A member's or a unit organisation's claim on a need: so many people or hours, tracked to done or released. */
export const needClaims = pgTable(
  "need_claims",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    needId: integer()
      .notNull()
      .references(() => needs.id),
    /** The member who claims (null for an organisation's claim). */
    userId: integer().references(() => users.id),
    /** The unit Party organisation that claims (null for a member's claim). */
    organizationId: integer().references(() => organizations.id),
    amount: integer().notNull(),
    status: text().$type<NeedClaimStatus>().notNull().default("claimed"),
    /** The claimer says it is done; staff then confirm (status `done`). */
    reportedDoneAt: timestamp({ withTimezone: true }),
    confirmedBy: integer().references(() => users.id),
    releaseReason: text(),
    createdBy: integer()
      .notNull()
      .references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    check("need_claims_one_claimer", sql`(${t.userId} is null) <> (${t.organizationId} is null)`),
    check("need_claims_amount_positive", sql`${t.amount} > 0`),
    index("need_claims_need_idx").on(t.needId, t.id),
    // One live claim per claimer and need: a double click finds the same claim.
    uniqueIndex("need_claims_one_live_person").on(t.needId, t.userId).where(sql`${t.status} = 'claimed' and ${t.userId} is not null`),
    uniqueIndex("need_claims_one_live_org").on(t.needId, t.organizationId).where(sql`${t.status} = 'claimed' and ${t.organizationId} is not null`),
  ],
);


/** What a unit Party organisation or a member offers a community (资源清单), with when it is available. */
export const resources = pgTable(
  "resources",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    unitId: integer()
      .notNull()
      .references(() => units.id),
    userId: integer().references(() => users.id),
    organizationId: integer().references(() => organizations.id),
    kind: text().$type<ResourceKind>().notNull(),
    category: text().$type<PledgeCategory>().notNull(),
    description: text().notNull(),
    availability: text().notNull(),
    createdBy: integer()
      .notNull()
      .references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    withdrawnAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    check("resources_one_offerer", sql`(${t.userId} is null) <> (${t.organizationId} is null)`),
    index("resources_unit_idx").on(t.unitId, t.category).where(sql`${t.withdrawnAt} is null`),
  ],
);
