ALTER TABLE "whistles" ADD COLUMN "search_vector" "tsvector";--> statement-breakpoint
CREATE INDEX "whistles_search_idx" ON "whistles" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "whistles_unindexed_idx" ON "whistles" USING btree ("id") WHERE "whistles"."search_vector" is null;