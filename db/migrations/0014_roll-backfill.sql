-- The roll of residents (居民名册, ADR 0020), filled from what was known before it existed:
-- every verified resident becomes a roll entry of their household, linked to their account;
-- residents' votes that were already frozen keep their electorates, re-keyed from account ids
-- to the roll entries of those accounts. Households' votes need nothing: their electors were
-- household ids already, and households are the roll's households. Members' votes keep account ids.
-- Runs once: every step is guarded by the marker the last statement writes (and the re-keying
-- by the sign of the ids it moves), so running it again changes nothing.

-- 1. A roll entry for each verified resident.
INSERT INTO "roll_residents" ("community_id", "household_id", "name", "user_id", "created_by", "created_at")
SELECT rc."community_id", rc."household_id", u."display_name", rc."user_id", rc."decided_by", coalesce(rc."decided_at", rc."created_at")
FROM "residency_claims" rc JOIN "users" u ON u."id" = rc."user_id"
WHERE rc."status" = 'verified' AND rc."household_id" IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM "roll_residents" rr WHERE rr."user_id" = rc."user_id")
  AND NOT EXISTS (SELECT 1 FROM "audit_events" WHERE "action" = 'migration:roll-backfill');
--> statement-breakpoint
-- 2. Electors of residents' votes who are no longer verified: a moved-out entry in their last household, so past electorates stay whole.
INSERT INTO "roll_residents" ("community_id", "household_id", "name", "user_id", "created_at", "moved_out_at")
SELECT DISTINCT ON (e."elector_id") rc."community_id", rc."household_id", u."display_name", e."elector_id", rc."created_at", now()
FROM "vote_electors" e
JOIN "votes" v ON v."id" = e."vote_id" AND v."electorate" = 'residents'
JOIN "users" u ON u."id" = e."elector_id"
JOIN "residency_claims" rc ON rc."user_id" = e."elector_id" AND rc."household_id" IS NOT NULL
WHERE NOT EXISTS (SELECT 1 FROM "roll_residents" rr WHERE rr."user_id" = e."elector_id")
  AND NOT EXISTS (SELECT 1 FROM "audit_events" WHERE "action" = 'migration:roll-backfill')
ORDER BY e."elector_id", rc."id" DESC;
--> statement-breakpoint
-- 3. Re-key residents' votes: first to negative account ids (no primary-key clash mid-statement), then to roll entries.
UPDATE "vote_electors" e SET "elector_id" = -e."elector_id" FROM "votes" v
WHERE v."id" = e."vote_id" AND v."electorate" = 'residents' AND e."elector_id" > 0
  AND NOT EXISTS (SELECT 1 FROM "audit_events" WHERE "action" = 'migration:roll-backfill');
--> statement-breakpoint
UPDATE "ballots" b SET "elector_id" = -b."elector_id" FROM "votes" v
WHERE v."id" = b."vote_id" AND v."electorate" = 'residents' AND b."elector_id" > 0
  AND NOT EXISTS (SELECT 1 FROM "audit_events" WHERE "action" = 'migration:roll-backfill');
--> statement-breakpoint
UPDATE "ballot_history" b SET "elector_id" = -b."elector_id" FROM "votes" v
WHERE v."id" = b."vote_id" AND v."electorate" = 'residents' AND b."elector_id" > 0
  AND NOT EXISTS (SELECT 1 FROM "audit_events" WHERE "action" = 'migration:roll-backfill');
--> statement-breakpoint
UPDATE "participations" p SET "elector_id" = -p."elector_id" FROM "votes" v
WHERE v."id" = p."vote_id" AND v."electorate" = 'residents' AND p."elector_id" > 0
  AND NOT EXISTS (SELECT 1 FROM "audit_events" WHERE "action" = 'migration:roll-backfill');
--> statement-breakpoint
UPDATE "vote_electors" e SET "elector_id" = m."id"
FROM (SELECT DISTINCT ON ("user_id") "user_id", "id" FROM "roll_residents" WHERE "user_id" IS NOT NULL ORDER BY "user_id", ("moved_out_at" IS NULL) DESC, "id") m
WHERE e."elector_id" < 0 AND m."user_id" = -e."elector_id";
--> statement-breakpoint
UPDATE "ballots" b SET "elector_id" = m."id", "resident_id" = m."id"
FROM (SELECT DISTINCT ON ("user_id") "user_id", "id" FROM "roll_residents" WHERE "user_id" IS NOT NULL ORDER BY "user_id", ("moved_out_at" IS NULL) DESC, "id") m
WHERE b."elector_id" < 0 AND m."user_id" = -b."elector_id";
--> statement-breakpoint
UPDATE "ballot_history" b SET "elector_id" = m."id"
FROM (SELECT DISTINCT ON ("user_id") "user_id", "id" FROM "roll_residents" WHERE "user_id" IS NOT NULL ORDER BY "user_id", ("moved_out_at" IS NULL) DESC, "id") m
WHERE b."elector_id" < 0 AND m."user_id" = -b."elector_id";
--> statement-breakpoint
UPDATE "participations" p SET "elector_id" = m."id"
FROM (SELECT DISTINCT ON ("user_id") "user_id", "id" FROM "roll_residents" WHERE "user_id" IS NOT NULL ORDER BY "user_id", ("moved_out_at" IS NULL) DESC, "id") m
WHERE p."elector_id" < 0 AND m."user_id" = -p."elector_id";
--> statement-breakpoint
-- 4. Households' ballots name the roll entry of the member who cast them.
UPDATE "ballots" b SET "resident_id" = rr."id"
FROM "votes" v, "roll_residents" rr
WHERE v."id" = b."vote_id" AND v."electorate" = 'households' AND b."resident_id" IS NULL
  AND rr."user_id" = b."cast_by" AND rr."household_id" = b."elector_id";
--> statement-breakpoint
INSERT INTO "audit_events" ("action", "subject_type", "subject_id", "data")
SELECT 'migration:roll-backfill', 'migration', '0012_h-roll-backfill', '{"what":"roll entries for verified residents; residents votes re-keyed to roll entries"}'::jsonb
WHERE NOT EXISTS (SELECT 1 FROM "audit_events" WHERE "action" = 'migration:roll-backfill');
