import { sql } from "drizzle-orm";
import { check, date, index, integer, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { users } from "./identity";
import { organizations } from "./people";
import { units } from "./units";
import { pledgeCategoryCodes, type PledgeCategory } from "./values";
export { pledgeCategoryCodes, type PledgeCategory };

export type PledgeStatus = "active" | "fulfilled" | "lapsed" | "withdrawn";
export type PledgeUnit = "hours" | "times";

/**
 * A public pledge (公开承诺) by an in-service Party member or a unit Party
 * organisation: so many hours or times of service in a category within a
 * period. `achieved` is derived from verified service (minutes for an hours
 * pledge, activities for a times pledge) and kept here so the wall reads one row.
 */
export const pledges = pgTable(
  "pledges",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    /** The member who pledges (null for an organisation's pledge). */
    userId: integer().references(() => users.id),
    /** The unit Party organisation that pledges (null for a member's pledge). */
    organizationId: integer().references(() => organizations.id),
    /** Where it shows on the wall: the member's reported community, or the organisation's unit. */
    unitId: integer()
      .notNull()
      .references(() => units.id),
    category: text().$type<PledgeCategory>().notNull(),
    text: text().notNull(),
    unit: text().$type<PledgeUnit>().notNull(),
    amount: integer().notNull(),
    startsOn: date({ mode: "string" }).notNull(),
    endsOn: date({ mode: "string" }).notNull(),
    status: text().$type<PledgeStatus>().notNull().default("active"),
    /** Minutes (hours pledge) or verified activities (times pledge). */
    achieved: integer().notNull().default(0),
    withdrawReason: text(),
    createdBy: integer()
      .notNull()
      .references(() => users.id),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    check("pledges_one_pledger", sql`(${t.userId} is null) <> (${t.organizationId} is null)`),
    index("pledges_unit_status_idx").on(t.unitId, t.status, t.id),
    index("pledges_user_idx").on(t.userId),
    index("pledges_org_idx").on(t.organizationId),
    index("pledges_active_ends_idx").on(t.endsOn).where(sql`${t.status} = 'active'`),
  ],
);

export type ActivityEligibility = "members" | "residents";
export type ActivityStatus = "open" | "cancelled";

/**
 * A volunteer activity (志愿服务活动), organised by community staff, a unit
 * Party organisation or a verified civil-society organisation.
 * `codeSecret` makes the venue's changing 6-digit check-in code.
 */
export const activities = pgTable(
  "activities",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    unitId: integer()
      .notNull()
      .references(() => units.id),
    organizationId: integer().references(() => organizations.id),
    createdBy: integer()
      .notNull()
      .references(() => users.id),
    title: text().notNull(),
    description: text().notNull().default(""),
    category: text().$type<PledgeCategory>().notNull(),
    place: text().notNull(),
    startsAt: timestamp({ withTimezone: true }).notNull(),
    endsAt: timestamp({ withTimezone: true }).notNull(),
    eligibility: text().$type<ActivityEligibility>().notNull(),
    status: text().$type<ActivityStatus>().notNull().default("open"),
    codeSecret: text().notNull(),
    /** When the volunteers were reminded the day before, and an hour before (the scheduler; restart-safe). */
    remindedDayAt: timestamp({ withTimezone: true }),
    remindedHourAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("activities_unit_starts_idx").on(t.unitId, t.startsAt), index("activities_starts_idx").on(t.startsAt)],
);

/** A role of an activity with its slots (e.g. 引导员 × 4). */
export const activityRoles = pgTable(
  "activity_roles",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    activityId: integer()
      .notNull()
      .references(() => activities.id),
    name: text().notNull(),
    slots: integer().notNull(),
    sortOrder: integer().notNull().default(0),
  },
  (t) => [index("activity_roles_activity_idx").on(t.activityId)],
);

export type SignupStatus = "signed_up" | "waitlisted" | "cancelled";
export type Attendance = "pending" | "verified" | "no_show";

/**
 * One person's place in an activity: one row per person and activity (a
 * second sign-up finds it). `seq` is the arrival order within the activity,
 * which the waitlist follows. Times and minutes are the service record.
 */
export const signups = pgTable(
  "activity_signups",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    activityId: integer()
      .notNull()
      .references(() => activities.id),
    roleId: integer()
      .notNull()
      .references(() => activityRoles.id),
    userId: integer()
      .notNull()
      .references(() => users.id),
    status: text().$type<SignupStatus>().notNull(),
    seq: integer().notNull(),
    checkedInAt: timestamp({ withTimezone: true }),
    checkedOutAt: timestamp({ withTimezone: true }),
    attendance: text().$type<Attendance>().notNull().default("pending"),
    /** Verified service minutes (credited to the record and pledges). */
    minutes: integer(),
    correctionReason: text(),
    /** The volunteer's request to correct the verified minutes, and the organiser's answer. */
    correctionRequest: text(),
    correctionAnswer: text(),
    verifiedBy: integer().references(() => users.id),
    verifiedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    cancelledAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    uniqueIndex("activity_signups_person_key").on(t.activityId, t.userId),
    index("activity_signups_queue_idx").on(t.activityId, t.roleId, t.status, t.seq),
    index("activity_signups_user_verified_idx").on(t.userId, t.verifiedAt).where(sql`${t.attendance} = 'verified'`),
  ],
);

/**
 * A district's star levels (星级志愿者): the cumulative verified hours for
 * each of the five stars, strictly ascending. No row: the default
 * 100 / 300 / 600 / 1 000 / 1 500 h (`DEFAULT_STAR_HOURS`).
 */
export const starLevels = pgTable(
  "star_levels",
  {
    districtId: integer()
      .primaryKey()
      .references(() => units.id),
    hours: integer().array().notNull(),
    setBy: integer().references(() => users.id),
    setAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [
    check(
      "star_levels_ascending",
      sql`cardinality(${t.hours}) = 5 and ${t.hours}[1] > 0 and ${t.hours}[1] < ${t.hours}[2] and ${t.hours}[2] < ${t.hours}[3] and ${t.hours}[3] < ${t.hours}[4] and ${t.hours}[4] < ${t.hours}[5]`,
    ),
  ],
);
