ALTER TABLE "whistles" ADD COLUMN "community_id" integer;--> statement-breakpoint
ALTER TABLE "whistles" ADD COLUMN "client_key" text;--> statement-breakpoint
ALTER TABLE "whistles" ADD CONSTRAINT "whistles_community_id_units_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "whistles_client_key" ON "whistles" USING btree ("created_by","client_key") WHERE "whistles"."client_key" is not null;