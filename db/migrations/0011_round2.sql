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
CREATE TABLE "encrypted_ballots" (
	"vote_id" integer NOT NULL,
	"receipt" text NOT NULL,
	"ballot" jsonb NOT NULL,
	CONSTRAINT "encrypted_ballots_vote_id_receipt_pk" PRIMARY KEY("vote_id","receipt")
);
--> statement-breakpoint
CREATE TABLE "teller_shares" (
	"vote_id" integer NOT NULL,
	"from" smallint NOT NULL,
	"to" smallint NOT NULL,
	"sealed" jsonb NOT NULL,
	CONSTRAINT "teller_shares_vote_id_from_to_pk" PRIMARY KEY("vote_id","from","to")
);
--> statement-breakpoint
CREATE TABLE "vote_keys" (
	"vote_id" integer PRIMARY KEY NOT NULL,
	"threshold" smallint NOT NULL,
	"election_key" text,
	"sums" jsonb,
	"ballot_count" integer,
	"tally_deadline" timestamp with time zone,
	"not_tallied" text
);
--> statement-breakpoint
CREATE TABLE "vote_tellers" (
	"vote_id" integer NOT NULL,
	"index" smallint NOT NULL,
	"user_id" integer NOT NULL,
	"transport_key" text,
	"commitments" jsonb,
	"setup_vault" jsonb,
	"dealt" boolean DEFAULT false NOT NULL,
	"share_vault" jsonb,
	"verification_key" text,
	"complaint" text,
	"partial" jsonb,
	CONSTRAINT "vote_tellers_vote_id_index_pk" PRIMARY KEY("vote_id","index")
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
CREATE TABLE "activities" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "activities_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"unit_id" integer NOT NULL,
	"organization_id" integer,
	"created_by" integer NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"category" text NOT NULL,
	"place" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"eligibility" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"code_secret" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "activity_roles" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "activity_roles_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"activity_id" integer NOT NULL,
	"name" text NOT NULL,
	"slots" integer NOT NULL,
	"sort_order" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "pledges" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "pledges_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"user_id" integer,
	"organization_id" integer,
	"unit_id" integer NOT NULL,
	"category" text NOT NULL,
	"text" text NOT NULL,
	"unit" text NOT NULL,
	"amount" integer NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"achieved" integer DEFAULT 0 NOT NULL,
	"withdraw_reason" text,
	"created_by" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	CONSTRAINT "pledges_one_pledger" CHECK (("pledges"."user_id" is null) <> ("pledges"."organization_id" is null))
);
--> statement-breakpoint
CREATE TABLE "activity_signups" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "activity_signups_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"activity_id" integer NOT NULL,
	"role_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"status" text NOT NULL,
	"seq" integer NOT NULL,
	"checked_in_at" timestamp with time zone,
	"checked_out_at" timestamp with time zone,
	"attendance" text DEFAULT 'pending' NOT NULL,
	"minutes" integer,
	"correction_reason" text,
	"correction_request" text,
	"correction_answer" text,
	"verified_by" integer,
	"verified_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"cancelled_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "app_secrets" (
	"name" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "contact_points" (
	"user_id" integer NOT NULL,
	"channel" text NOT NULL,
	"address" text NOT NULL,
	"verified_at" timestamp with time zone,
	"code_hash" text,
	"code_expires_at" timestamp with time zone,
	"code_attempts" smallint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "contact_points_user_id_channel_pk" PRIMARY KEY("user_id","channel")
);
--> statement-breakpoint
CREATE TABLE "deliveries" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "deliveries_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"user_id" integer NOT NULL,
	"channel" text NOT NULL,
	"address" text NOT NULL,
	"kind" text NOT NULL,
	"params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"link" text,
	"locale" text DEFAULT 'zh-CN' NOT NULL,
	"urgent" boolean DEFAULT false NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"attempts" smallint DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"round" smallint DEFAULT 0 NOT NULL,
	"last_error" text,
	"provider_id" text,
	"segments" smallint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "message_preferences" (
	"user_id" integer PRIMARY KEY NOT NULL,
	"email_categories" text[] NOT NULL,
	"sms_categories" text[] NOT NULL,
	"quiet_start" smallint DEFAULT 1320 NOT NULL,
	"quiet_end" smallint DEFAULT 420 NOT NULL,
	"digest" boolean DEFAULT false NOT NULL,
	"digest_at" smallint DEFAULT 480 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
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
ALTER TABLE "encrypted_ballots" ADD CONSTRAINT "encrypted_ballots_vote_id_votes_id_fk" FOREIGN KEY ("vote_id") REFERENCES "public"."votes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "teller_shares" ADD CONSTRAINT "teller_shares_vote_id_votes_id_fk" FOREIGN KEY ("vote_id") REFERENCES "public"."votes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vote_keys" ADD CONSTRAINT "vote_keys_vote_id_votes_id_fk" FOREIGN KEY ("vote_id") REFERENCES "public"."votes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vote_tellers" ADD CONSTRAINT "vote_tellers_vote_id_votes_id_fk" FOREIGN KEY ("vote_id") REFERENCES "public"."votes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vote_tellers" ADD CONSTRAINT "vote_tellers_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "whistle_rate_counts" ADD CONSTRAINT "whistle_rate_counts_subdistrict_id_units_id_fk" FOREIGN KEY ("subdistrict_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "whistle_rate_counts" ADD CONSTRAINT "whistle_rate_counts_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activities" ADD CONSTRAINT "activities_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_roles" ADD CONSTRAINT "activity_roles_activity_id_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."activities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pledges" ADD CONSTRAINT "pledges_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pledges" ADD CONSTRAINT "pledges_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pledges" ADD CONSTRAINT "pledges_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pledges" ADD CONSTRAINT "pledges_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_signups" ADD CONSTRAINT "activity_signups_activity_id_activities_id_fk" FOREIGN KEY ("activity_id") REFERENCES "public"."activities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_signups" ADD CONSTRAINT "activity_signups_role_id_activity_roles_id_fk" FOREIGN KEY ("role_id") REFERENCES "public"."activity_roles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_signups" ADD CONSTRAINT "activity_signups_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "activity_signups" ADD CONSTRAINT "activity_signups_verified_by_users_id_fk" FOREIGN KEY ("verified_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_points" ADD CONSTRAINT "contact_points_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "deliveries" ADD CONSTRAINT "deliveries_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_preferences" ADD CONSTRAINT "message_preferences_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "roll_residents_community_idx" ON "roll_residents" USING btree ("community_id") WHERE "roll_residents"."moved_out_at" is null;--> statement-breakpoint
CREATE INDEX "roll_residents_household_idx" ON "roll_residents" USING btree ("household_id");--> statement-breakpoint
CREATE UNIQUE INDEX "roll_residents_one_account" ON "roll_residents" USING btree ("user_id") WHERE "roll_residents"."user_id" is not null and "roll_residents"."moved_out_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "vote_tellers_user_idx" ON "vote_tellers" USING btree ("vote_id","user_id");--> statement-breakpoint
CREATE INDEX "activities_unit_starts_idx" ON "activities" USING btree ("unit_id","starts_at");--> statement-breakpoint
CREATE INDEX "activities_starts_idx" ON "activities" USING btree ("starts_at");--> statement-breakpoint
CREATE INDEX "activity_roles_activity_idx" ON "activity_roles" USING btree ("activity_id");--> statement-breakpoint
CREATE INDEX "pledges_unit_status_idx" ON "pledges" USING btree ("unit_id","status","id");--> statement-breakpoint
CREATE INDEX "pledges_user_idx" ON "pledges" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "pledges_org_idx" ON "pledges" USING btree ("organization_id");--> statement-breakpoint
CREATE INDEX "pledges_active_ends_idx" ON "pledges" USING btree ("ends_on") WHERE "pledges"."status" = 'active';--> statement-breakpoint
CREATE UNIQUE INDEX "activity_signups_person_key" ON "activity_signups" USING btree ("activity_id","user_id");--> statement-breakpoint
CREATE INDEX "activity_signups_queue_idx" ON "activity_signups" USING btree ("activity_id","role_id","status","seq");--> statement-breakpoint
CREATE INDEX "activity_signups_user_verified_idx" ON "activity_signups" USING btree ("user_id","verified_at") WHERE "activity_signups"."attendance" = 'verified';--> statement-breakpoint
CREATE INDEX "deliveries_due_idx" ON "deliveries" USING btree ("next_attempt_at") WHERE "deliveries"."state" in ('pending', 'sending');--> statement-breakpoint
CREATE INDEX "deliveries_held_idx" ON "deliveries" USING btree ("user_id","channel","next_attempt_at") WHERE "deliveries"."state" = 'held';--> statement-breakpoint
CREATE INDEX "deliveries_dead_idx" ON "deliveries" USING btree ("created_at") WHERE "deliveries"."state" = 'dead';--> statement-breakpoint
CREATE INDEX "deliveries_user_idx" ON "deliveries" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "assignments_uncounted_idx" ON "assignments" USING btree ("id") WHERE "assignments"."rate_flags" = 0;