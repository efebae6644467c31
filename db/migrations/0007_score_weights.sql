CREATE TABLE "score_weights" (
	"district_id" integer NOT NULL,
	"valid_from" text NOT NULL,
	"response" integer NOT NULL,
	"resolution" integer NOT NULL,
	"satisfaction" integer NOT NULL,
	"set_by" integer,
	"set_at" timestamp with time zone NOT NULL,
	CONSTRAINT "score_weights_district_id_valid_from_pk" PRIMARY KEY("district_id","valid_from"),
	CONSTRAINT "score_weights_sum" CHECK ("score_weights"."response" + "score_weights"."resolution" + "score_weights"."satisfaction" = 100 and least("score_weights"."response", "score_weights"."resolution", "score_weights"."satisfaction") >= 0),
	CONSTRAINT "score_weights_month" CHECK ("score_weights"."valid_from" ~ '^[0-9]{4}-(0[1-9]|1[0-2])$')
);
--> statement-breakpoint
ALTER TABLE "score_weights" ADD CONSTRAINT "score_weights_district_id_units_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "score_weights" ADD CONSTRAINT "score_weights_set_by_users_id_fk" FOREIGN KEY ("set_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;