import { sql } from "drizzle-orm";
import { index, integer, pgTable, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { users } from "./identity";
import { organizations } from "./people";
import type { PledgeCategory } from "./pledges";
import { units } from "./units";
import { wishHonorifics, type WishHonorific } from "./values";
export { wishHonorifics, type WishHonorific };

export type WishStatus = "posted" | "claimed" | "fulfilled" | "confirmed" | "withdrawn";
export type WishClaimStatus = "active" | "released" | "cancelled";

/**
 * A micro-wish (微心愿) of an elderly or disabled resident, posted by
 * community staff with the person's consent. This row is public: it names the
 * person only by surname and honorific. Who they are (full name, address,
 * phone) and who consented are in `wish_people`, which only staff read.
 */
export const wishes = pgTable(
  "wishes",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    /** The community whose wall shows it. */
    unitId: integer()
      .notNull()
      .references(() => units.id),
    category: text().$type<PledgeCategory>().notNull(),
    text: text().notNull(),
    /** The surname alone (王, 欧阳): with the honorific, all the public learns of the person. */
    surname: text().notNull(),
    honorific: text().$type<WishHonorific>().notNull(),
    status: text().$type<WishStatus>().notNull().default("posted"),
    postedBy: integer()
      .notNull()
      .references(() => users.id),
    /** The form's one-time key: a double-clicked or retried post finds the wish it made. */
    clientKey: text(),
    /** What the claimer did, when they marked it fulfilled. */
    fulfilmentNote: text(),
    fulfilledAt: timestamp({ withTimezone: true }),
    confirmedBy: integer().references(() => users.id),
    confirmedAt: timestamp({ withTimezone: true }),
    /** Why staff sent a fulfilment back, or withdrew the wish. */
    staffNote: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    closedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index("wishes_unit_status_idx").on(t.unitId, t.status, t.id),
    index("wishes_status_idx").on(t.status, t.id),
    uniqueIndex("wishes_client_key").on(t.postedBy, t.clientKey),
  ],
);

/** Who the wish is for and their consent: staff only, never on a public page. */
export const wishPeople = pgTable("wish_people", {
  wishId: integer()
    .primaryKey()
    .references(() => wishes.id),
  fullName: text().notNull(),
  address: text().notNull(),
  phone: text().notNull().default(""),
  /** Who gave the consent to post it: "本人", "女儿 李梅 (监护人)" … */
  consentBy: text().notNull(),
  consentRecordedBy: integer()
    .notNull()
    .references(() => users.id),
  consentAt: timestamp({ withTimezone: true }).notNull(),
});

/**
 * A claim (认领) of a wish by a Party member, or by a unit Party organisation
 * through its admin. At most one active claim per wish (the unique index): two
 * members racing for it make one claim; a released claim stays as history.
 */
export const wishClaims = pgTable(
  "wish_claims",
  {
    id: integer().primaryKey().generatedAlwaysAsIdentity(),
    wishId: integer()
      .notNull()
      .references(() => wishes.id),
    /** The member who claimed (for an organisation's claim, its admin who did). */
    userId: integer()
      .notNull()
      .references(() => users.id),
    organizationId: integer().references(() => organizations.id),
    status: text().$type<WishClaimStatus>().notNull().default("active"),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    releasedAt: timestamp({ withTimezone: true }),
    releaseReason: text(),
  },
  (t) => [
    uniqueIndex("wish_claims_one_active").on(t.wishId).where(sql`${t.status} = 'active'`),
    index("wish_claims_user_idx").on(t.userId),
    index("wish_claims_org_idx").on(t.organizationId),
  ],
);
