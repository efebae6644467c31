DROP TABLE "secret_ballots" CASCADE;--> statement-breakpoint
DROP TABLE "secret_pool" CASCADE;