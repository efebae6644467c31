import { sql } from "drizzle-orm";
import { type AnyPgColumn, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { users } from "./identity";

export const unitKinds = ["city", "district", "subdistrict", "community", "courtyard"] as const;
export type UnitKind = (typeof unitKinds)[number];

/**
 * The governance tree: city › district › subdistrict › community › courtyard.
 * `path` is the materialised chain of ids ("/1/4/17/"), so "is X under Y" is a
 * prefix test in code and an indexed LIKE in SQL.
 */
export const units = pgTable(
  "units",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    parentId: integer().references((): AnyPgColumn => units.id),
    kind: text().$type<UnitKind>().notNull(),
    name: text().notNull(),
    path: text().notNull(),
    address: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("units_parent_idx").on(t.parentId),
    index("units_path_idx").on(t.path.op("text_pattern_ops")),
    check("units_kind_check", sql`${t.kind} in ('city','district','subdistrict','community','courtyard')`),
  ],
);

export const departmentLevels = ["district", "subdistrict", "station"] as const;
export type DepartmentLevel = (typeof departmentLevels)[number];

/**
 * A district's functional departments (职能部门) and their local branches
 * (科站队所), which serve one subdistrict. `kind` is a code of the duty list
 * (enforcement, police, fire …).
 */
export const departments = pgTable(
  "departments",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    districtId: integer()
      .notNull()
      .references(() => units.id),
    parentId: integer().references((): AnyPgColumn => departments.id),
    /** The subdistrict a station or subdistrict-level team serves. */
    servesUnitId: integer().references(() => units.id),
    kind: text().notNull(),
    level: text().$type<DepartmentLevel>().notNull(),
    name: text().notNull(),
    phone: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("departments_district_idx").on(t.districtId), index("departments_serves_idx").on(t.servesUnitId)],
);

/** Matter categories (违法建设, 群租房 …) with the whistle kind they usually take. */
export const categories = pgTable("categories", {
  code: text().primaryKey(),
  nameZh: text().notNull(),
  nameEn: text().notNull(),
  whistleKind: text().notNull(),
  sortOrder: integer().notNull().default(0),
});

/** The duty list (职责清单): per district, which department kinds lead or co-operate on a category. */
export const dutyAssignments = pgTable(
  "duty_assignments",
  {
    districtId: integer()
      .notNull()
      .references(() => units.id),
    categoryCode: text()
      .notNull()
      .references(() => categories.code),
    departmentKind: text().notNull(),
    role: text().$type<"lead" | "cooperate">().notNull(),
  },
  (t) => [primaryKey({ columns: [t.districtId, t.categoryCode, t.departmentKind] })],
);

export type RosterPerson = { name: string; phone?: string };

/** The 1+5+N roster of a subdistrict: 1 lead team, stationed departments with people on site, on-call departments. */
export const rosterEntries = pgTable(
  "roster_entries",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    subdistrictId: integer()
      .notNull()
      .references(() => units.id),
    departmentId: integer()
      .notNull()
      .references(() => departments.id),
    role: text().$type<"lead" | "stationed" | "on_call">().notNull(),
    people: jsonb().$type<RosterPerson[]>().notNull().default([]),
  },
  (t) => [uniqueIndex("roster_entries_unique").on(t.subdistrictId, t.departmentId)],
);

/** Streets and alleys (街巷) of a subdistrict, each with a publicly listed chief (街巷长). */
export const alleys = pgTable(
  "alleys",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    subdistrictId: integer()
      .notNull()
      .references(() => units.id),
    name: text().notNull(),
    chiefUserId: integer().references(() => users.id),
    /** The chief's public contact, shown to everyone (the seed requires it). */
    chiefContact: text(),
    description: text(),
  },
  (t) => [index("alleys_subdistrict_idx").on(t.subdistrictId)],
);
