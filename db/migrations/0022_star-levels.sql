CREATE TABLE "star_levels" (
	"district_id" integer PRIMARY KEY NOT NULL,
	"hours" integer[] NOT NULL,
	"set_by" integer,
	"set_at" timestamp with time zone NOT NULL,
	CONSTRAINT "star_levels_ascending" CHECK (cardinality("star_levels"."hours") = 5 and "star_levels"."hours"[1] > 0 and "star_levels"."hours"[1] < "star_levels"."hours"[2] and "star_levels"."hours"[2] < "star_levels"."hours"[3] and "star_levels"."hours"[3] < "star_levels"."hours"[4] and "star_levels"."hours"[4] < "star_levels"."hours"[5])
);
--> statement-breakpoint
ALTER TABLE "star_levels" ADD CONSTRAINT "star_levels_district_id_units_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "star_levels" ADD CONSTRAINT "star_levels_set_by_users_id_fk" FOREIGN KEY ("set_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;