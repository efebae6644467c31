-- The tally groups ballots by an integer instead of hashing 100 000 arrays (ADR 0015):
-- bit k is option k; null when a choice lies outside bits 0-30 or repeats (the tally then groups those by their array).
CREATE FUNCTION choice_mask(c smallint[]) RETURNS integer LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT CASE WHEN coalesce(max(x), 0) <= 30 AND coalesce(min(x), 0) >= 0 AND count(*) = count(DISTINCT x) THEN coalesce(bit_or(1 << x), 0) END FROM unnest(c) x $$;--> statement-breakpoint
ALTER TABLE "ballots" ADD COLUMN "choice_mask" integer GENERATED ALWAYS AS (choice_mask(choices)) STORED;--> statement-breakpoint
ALTER TABLE "secret_ballots" ADD COLUMN "choice_mask" integer GENERATED ALWAYS AS (choice_mask(choices)) STORED;--> statement-breakpoint
ALTER TABLE "secret_pool" ADD COLUMN "choice_mask" integer GENERATED ALWAYS AS (choice_mask(choices)) STORED;