import { sql } from "drizzle-orm";
import { boolean, index, integer, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { users } from "./identity";
import { alleys, departments, units } from "./units";

export const positionKinds = [
  "community_worker",
  "community_secretary",
  "subdistrict_officer",
  "subdistrict_leader",
  "department_officer",
  "department_head",
  "station_officer",
  "district_admin",
  "alley_chief",
  "platform_admin",
] as const;
export type PositionKind = (typeof positionKinds)[number];

/**
 * A staff position held by a person in a unit, a department or an alley.
 * Never deleted: revoking sets `revokedAt`, so history stays.
 */
export const positions = pgTable(
  "positions",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    userId: integer()
      .notNull()
      .references(() => users.id),
    kind: text().$type<PositionKind>().notNull(),
    unitId: integer().references(() => units.id),
    departmentId: integer().references(() => departments.id),
    alleyId: integer().references(() => alleys.id),
    grantedBy: integer().references(() => users.id),
    grantedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    revokedBy: integer().references(() => users.id),
    revokedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index("positions_user_active_idx").on(t.userId).where(sql`${t.revokedAt} is null`),
    uniqueIndex("positions_unique_active")
      .on(t.userId, t.kind, sql`coalesce(${t.unitId}, 0)`, sql`coalesce(${t.departmentId}, 0)`, sql`coalesce(${t.alleyId}, 0)`)
      .where(sql`${t.revokedAt} is null`),
  ],
);

/**
 * A household (户) at one address in one community: a household of the
 * community's roll (居民名册, kept by its staff). Never deleted: a household
 * that leaves gets `endedAt` (and its people a move-out date).
 */
export const households = pgTable(
  "households",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    communityId: integer()
      .notNull()
      .references(() => units.id),
    address: text().notNull(),
    /** Staff's note (e.g. "独居老人，子女在外地"). Personal data: staff of the community only. */
    note: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    endedAt: timestamp({ withTimezone: true }),
  },
  (t) => [uniqueIndex("households_address_key").on(t.communityId, t.address)],
);

/**
 * A person on the community's roll of residents (居民名册), with or without an
 * account. Kept by community staff; every change is an audit event. Never
 * deleted: moving out sets `movedOutAt`. `userId` links the entry to the
 * person's account once they register and staff match them (ADR 0020); the
 * roll entry, not the account, is who votes in a residents' or households' vote.
 */
export const rollResidents = pgTable(
  "roll_residents",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    communityId: integer()
      .notNull()
      .references(() => units.id),
    householdId: integer()
      .notNull()
      .references(() => households.id),
    name: text().notNull(),
    birthYear: integer(),
    phone: text(),
    /** 户主: the household's head. */
    isHead: boolean().notNull().default(false),
    note: text(),
    userId: integer().references(() => users.id),
    createdBy: integer().references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    movedOutAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index("roll_residents_community_idx").on(t.communityId).where(sql`${t.movedOutAt} is null`),
    index("roll_residents_household_idx").on(t.householdId),
    uniqueIndex("roll_residents_one_account").on(t.userId).where(sql`${t.userId} is not null and ${t.movedOutAt} is null`),
  ],
);

export type ClaimStatus = "pending" | "verified" | "rejected" | "withdrawn";

/**
 * A person's claim to live in a community. A verified claim makes them a
 * resident of its household. One open (pending or verified) claim per person.
 */
export const residencyClaims = pgTable(
  "residency_claims",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    userId: integer()
      .notNull()
      .references(() => users.id),
    communityId: integer()
      .notNull()
      .references(() => units.id),
    householdId: integer().references(() => households.id),
    address: text().notNull(),
    status: text().$type<ClaimStatus>().notNull().default("pending"),
    reason: text(),
    decidedBy: integer().references(() => users.id),
    decidedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("residency_claims_one_open").on(t.userId).where(sql`${t.status} in ('pending','verified')`),
    index("residency_claims_community_status_idx").on(t.communityId, t.status),
    index("residency_claims_household_idx").on(t.householdId),
  ],
);

/** An in-service Party member's report (双报到) to the community where they live. */
export const partyReports = pgTable(
  "party_reports",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    userId: integer()
      .notNull()
      .references(() => users.id),
    communityId: integer()
      .notNull()
      .references(() => units.id),
    workUnit: text().notNull(),
    partyOrgName: text().notNull(),
    organizationId: integer().references(() => organizations.id),
    status: text().$type<"pending" | "confirmed" | "rejected" | "withdrawn">().notNull().default("pending"),
    /** 亮身份: show the Party badge on the profile. The member's choice. */
    showBadge: boolean().notNull().default(false),
    reason: text(),
    decidedBy: integer().references(() => users.id),
    decidedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("party_reports_one_open").on(t.userId).where(sql`${t.status} in ('pending','confirmed')`),
    index("party_reports_community_status_idx").on(t.communityId, t.status),
  ],
);

export const organizationKinds = ["unit_party_org", "social_org", "merchant_association"] as const;
export type OrganizationKind = (typeof organizationKinds)[number];

/**
 * Accounts for bodies: unit Party organisations, civil-society organisations,
 * merchant associations. `status` is the staff's answer to its report
 * (unit Party organisations) or verification (civil-society organisations).
 */
export const organizations = pgTable(
  "organizations",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    kind: text().$type<OrganizationKind>().notNull(),
    name: text().notNull(),
    description: text(),
    /** Where it reports: a community or subdistrict. */
    unitId: integer()
      .notNull()
      .references(() => units.id),
    registrationNumber: text(),
    serviceScope: text(),
    status: text().$type<"pending" | "confirmed" | "rejected">().notNull().default("pending"),
    reason: text(),
    decidedBy: integer().references(() => users.id),
    decidedAt: timestamp({ withTimezone: true }),
    createdBy: integer()
      .notNull()
      .references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("organizations_unit_idx").on(t.unitId)],
);

export const organizationMembers = pgTable(
  "organization_members",
  {
    organizationId: integer()
      .notNull()
      .references(() => organizations.id),
    userId: integer()
      .notNull()
      .references(() => users.id),
    role: text().$type<"admin" | "member">().notNull(),
    joinedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("organization_members_key").on(t.organizationId, t.userId), index("organization_members_user_idx").on(t.userId)],
);

export const organizationInvitations = pgTable(
  "organization_invitations",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    organizationId: integer()
      .notNull()
      .references(() => organizations.id),
    userId: integer()
      .notNull()
      .references(() => users.id),
    role: text().$type<"admin" | "member">().notNull(),
    invitedBy: integer()
      .notNull()
      .references(() => users.id),
    status: text().$type<"pending" | "accepted" | "declined">().notNull().default("pending"),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("organization_invitations_open").on(t.organizationId, t.userId).where(sql`${t.status} = 'pending'`)],
);
