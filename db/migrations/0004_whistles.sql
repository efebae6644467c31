CREATE TABLE "assignments" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "assignments_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"whistle_id" integer NOT NULL,
	"department_id" integer NOT NULL,
	"role" text NOT NULL,
	"round" integer DEFAULT 0 NOT NULL,
	"state" text NOT NULL,
	"dispatched_at" timestamp with time zone NOT NULL,
	"due_sign_at" timestamp with time zone NOT NULL,
	"due_on_site_at" timestamp with time zone NOT NULL,
	"due_resolve_at" timestamp with time zone,
	"signed_at" timestamp with time zone,
	"on_site_at" timestamp with time zone,
	"resolved_at" timestamp with time zone,
	"returned_at" timestamp with time zone,
	"result_text" text,
	"reminded_step" text,
	"overdue_since" timestamp with time zone,
	"auto_supervised_at" timestamp with time zone,
	"public_overdue_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "extension_requests" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "extension_requests_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"assignment_id" integer NOT NULL,
	"requested_by" integer NOT NULL,
	"new_due_at" timestamp with time zone NOT NULL,
	"reason" text NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"decided_by" integer,
	"decided_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "ratings" (
	"whistle_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"round" integer NOT NULL,
	"solved" boolean NOT NULL,
	"satisfaction" text NOT NULL,
	"comment" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ratings_whistle_id_user_id_round_pk" PRIMARY KEY("whistle_id","user_id","round")
);
--> statement-breakpoint
CREATE TABLE "whistle_events" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "whistle_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"whistle_id" integer NOT NULL,
	"assignment_id" integer,
	"actor_id" integer,
	"kind" text NOT NULL,
	"from_state" text,
	"to_state" text,
	"reason" text,
	"public_text" text,
	"data" jsonb,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "whistle_timers" (
	"district_id" integer NOT NULL,
	"kind" text NOT NULL,
	"sign_minutes" integer NOT NULL,
	"on_site_minutes" integer NOT NULL,
	"resolve_minutes" integer,
	CONSTRAINT "whistle_timers_district_id_kind_pk" PRIMARY KEY("district_id","kind")
);
--> statement-breakpoint
CREATE TABLE "whistles" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "whistles_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"subdistrict_id" integer NOT NULL,
	"source" text NOT NULL,
	"proposal_id" integer,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"description" text NOT NULL,
	"category_code" text NOT NULL,
	"address" text,
	"instructions" text,
	"key_task_due_at" timestamp with time zone,
	"state" text NOT NULL,
	"round" integer DEFAULT 0 NOT NULL,
	"resolved_at" timestamp with time zone,
	"rating_closes_at" timestamp with time zone,
	"closure" text,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"dispatched_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_whistle_id_whistles_id_fk" FOREIGN KEY ("whistle_id") REFERENCES "public"."whistles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assignments" ADD CONSTRAINT "assignments_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "extension_requests" ADD CONSTRAINT "extension_requests_assignment_id_assignments_id_fk" FOREIGN KEY ("assignment_id") REFERENCES "public"."assignments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "extension_requests" ADD CONSTRAINT "extension_requests_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "extension_requests" ADD CONSTRAINT "extension_requests_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ratings" ADD CONSTRAINT "ratings_whistle_id_whistles_id_fk" FOREIGN KEY ("whistle_id") REFERENCES "public"."whistles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ratings" ADD CONSTRAINT "ratings_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "whistle_events" ADD CONSTRAINT "whistle_events_whistle_id_whistles_id_fk" FOREIGN KEY ("whistle_id") REFERENCES "public"."whistles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "whistle_events" ADD CONSTRAINT "whistle_events_assignment_id_assignments_id_fk" FOREIGN KEY ("assignment_id") REFERENCES "public"."assignments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "whistle_events" ADD CONSTRAINT "whistle_events_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "whistle_timers" ADD CONSTRAINT "whistle_timers_district_id_units_id_fk" FOREIGN KEY ("district_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "whistles" ADD CONSTRAINT "whistles_subdistrict_id_units_id_fk" FOREIGN KEY ("subdistrict_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "whistles" ADD CONSTRAINT "whistles_proposal_id_proposals_id_fk" FOREIGN KEY ("proposal_id") REFERENCES "public"."proposals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "whistles" ADD CONSTRAINT "whistles_category_code_categories_code_fk" FOREIGN KEY ("category_code") REFERENCES "public"."categories"("code") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "whistles" ADD CONSTRAINT "whistles_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "assignments_department_idx" ON "assignments" USING btree ("department_id","state");--> statement-breakpoint
CREATE INDEX "assignments_whistle_idx" ON "assignments" USING btree ("whistle_id");--> statement-breakpoint
CREATE INDEX "assignments_open_idx" ON "assignments" USING btree ("state") WHERE "assignments"."state" in ('dispatched','signed','on_site');--> statement-breakpoint
CREATE INDEX "whistle_events_whistle_idx" ON "whistle_events" USING btree ("whistle_id","id");--> statement-breakpoint
CREATE INDEX "whistles_subdistrict_idx" ON "whistles" USING btree ("subdistrict_id","created_at");--> statement-breakpoint
CREATE INDEX "whistles_proposal_idx" ON "whistles" USING btree ("proposal_id");