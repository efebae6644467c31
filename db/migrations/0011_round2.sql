CREATE TABLE "roll_residents" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "roll_residents_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"community_id" integer NOT NULL,
	"household_id" integer NOT NULL,
	"name" text NOT NULL,
	"birth_year" integer,
	"phone" text,
	"is_head" boolean DEFAULT false NOT NULL,
	"note" text,
	"user_id" integer,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"moved_out_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "speech_counts" (
	"proposal_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "speech_counts_proposal_id_user_id_pk" PRIMARY KEY("proposal_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "whistle_rate_counts" (
	"month" text NOT NULL,
	"subdistrict_id" integer NOT NULL,
	"department_id" integer NOT NULL,
	"dispatched" integer DEFAULT 0 NOT NULL,
	"signed_in_time" integer DEFAULT 0 NOT NULL,
	"due" integer DEFAULT 0 NOT NULL,
	"resolved" integer DEFAULT 0 NOT NULL,
	"rated" integer DEFAULT 0 NOT NULL,
	"satisfied" integer DEFAULT 0 NOT NULL,
	"resolved_with_deadline" integer DEFAULT 0 NOT NULL,
	"resolved_on_time" integer DEFAULT 0 NOT NULL,
	"returned" integer DEFAULT 0 NOT NULL,
	"redone" integer DEFAULT 0 NOT NULL,
	"unreasonable" integer DEFAULT 0 NOT NULL,
	"not_needed" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "whistle_rate_counts_month_subdistrict_id_department_id_pk" PRIMARY KEY("month","subdistrict_id","department_id")
);
--> statement-breakpoint
ALTER TABLE "ballots" ALTER COLUMN "cast_by" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "households" ADD COLUMN "note" text;--> statement-breakpoint
ALTER TABLE "households" ADD COLUMN "ended_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "ballots" ADD COLUMN "resident_id" integer;--> statement-breakpoint
ALTER TABLE "assignments" ADD COLUMN "rate_flags" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "score_weights" ADD COLUMN "min_cases" integer DEFAULT 3 NOT NULL;--> statement-breakpoint
ALTER TABLE "roll_residents" ADD CONSTRAINT "roll_residents_community_id_units_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "roll_residents" ADD CONSTRAINT "roll_residents_household_id_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "roll_residents" ADD CONSTRAINT "roll_residents_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "roll_residents" ADD CONSTRAINT "roll_residents_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "speech_counts" ADD CONSTRAINT "speech_counts_proposal_id_proposals_id_fk" FOREIGN KEY ("proposal_id") REFERENCES "public"."proposals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "speech_counts" ADD CONSTRAINT "speech_counts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "whistle_rate_counts" ADD CONSTRAINT "whistle_rate_counts_subdistrict_id_units_id_fk" FOREIGN KEY ("subdistrict_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "whistle_rate_counts" ADD CONSTRAINT "whistle_rate_counts_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "roll_residents_community_idx" ON "roll_residents" USING btree ("community_id") WHERE "roll_residents"."moved_out_at" is null;--> statement-breakpoint
CREATE INDEX "roll_residents_household_idx" ON "roll_residents" USING btree ("household_id");--> statement-breakpoint
CREATE UNIQUE INDEX "roll_residents_one_account" ON "roll_residents" USING btree ("user_id") WHERE "roll_residents"."user_id" is not null and "roll_residents"."moved_out_at" is null;--> statement-breakpoint
CREATE INDEX "assignments_uncounted_idx" ON "assignments" USING btree ("id") WHERE "assignments"."rate_flags" = 0;