CREATE TABLE "bid_files" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "bid_files_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"bid_id" integer NOT NULL,
	"revision" integer NOT NULL,
	"ordinal" smallint NOT NULL,
	"sealed_file" text NOT NULL,
	"bytes" integer NOT NULL,
	"opened_file" text,
	"mime" text
);
--> statement-breakpoint
CREATE TABLE "bid_receipts" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "bid_receipts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"bid_id" integer NOT NULL,
	"revision" integer NOT NULL,
	"kind" text NOT NULL,
	"receipt" text NOT NULL,
	"by" integer NOT NULL,
	"client_key" text,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "bid_scores" (
	"project_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"bid_id" integer NOT NULL,
	"criterion" text NOT NULL,
	"score" smallint NOT NULL,
	CONSTRAINT "bid_scores_project_id_user_id_bid_id_criterion_pk" PRIMARY KEY("project_id","user_id","bid_id","criterion"),
	CONSTRAINT "bid_scores_range" CHECK ("bid_scores"."score" between 0 and 100)
);
--> statement-breakpoint
CREATE TABLE "bids" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "bids_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"project_id" integer NOT NULL,
	"organization_id" integer NOT NULL,
	"status" text DEFAULT 'submitted' NOT NULL,
	"revision" integer DEFAULT 1 NOT NULL,
	"sealed" jsonb,
	"receipt" text NOT NULL,
	"submitted_by" integer NOT NULL,
	"submitted_at" timestamp with time zone NOT NULL,
	"contents" jsonb,
	"price" integer,
	"disqualified_reason" text,
	"disqualified_by" integer,
	"score" integer
);
--> statement-breakpoint
CREATE TABLE "conflict_declarations" (
	"project_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"bid_id" integer NOT NULL,
	"conflict" boolean NOT NULL,
	"note" text,
	CONSTRAINT "conflict_declarations_project_id_user_id_bid_id_pk" PRIMARY KEY("project_id","user_id","bid_id")
);
--> statement-breakpoint
CREATE TABLE "opener_shares" (
	"project_id" integer NOT NULL,
	"from" smallint NOT NULL,
	"to" smallint NOT NULL,
	"sealed" jsonb NOT NULL,
	CONSTRAINT "opener_shares_project_id_from_to_pk" PRIMARY KEY("project_id","from","to")
);
--> statement-breakpoint
CREATE TABLE "project_documents" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "project_documents_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"project_id" integer NOT NULL,
	"file" text NOT NULL,
	"name" text NOT NULL,
	"mime" text NOT NULL,
	"bytes" integer NOT NULL,
	"uploaded_by" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "project_evaluators" (
	"project_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"role" text NOT NULL,
	"invited_by" integer NOT NULL,
	"declared_at" timestamp with time zone,
	"submitted_at" timestamp with time zone,
	CONSTRAINT "project_evaluators_project_id_user_id_pk" PRIMARY KEY("project_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "project_events" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "project_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"project_id" integer NOT NULL,
	"actor_id" integer,
	"kind" text NOT NULL,
	"detail" jsonb,
	"reason" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "project_keys" (
	"project_id" integer PRIMARY KEY NOT NULL,
	"threshold" smallint NOT NULL,
	"opening_key" text
);
--> statement-breakpoint
CREATE TABLE "project_milestones" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "project_milestones_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"project_id" integer NOT NULL,
	"ordinal" smallint NOT NULL,
	"title" text NOT NULL,
	"due_on" date NOT NULL,
	"payment_share" smallint NOT NULL,
	"status" text DEFAULT 'scheduled' NOT NULL,
	"report" text,
	"evidence" jsonb,
	"attendance" integer,
	"reported_by" integer,
	"reported_at" timestamp with time zone,
	"judgement" text,
	"judged_by" integer,
	"judged_at" timestamp with time zone,
	"paid_amount" integer,
	"paid_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "project_objections" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "project_objections_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"project_id" integer NOT NULL,
	"organization_id" integer NOT NULL,
	"raised_by" integer NOT NULL,
	"text" text NOT NULL,
	"answer" text,
	"upheld" boolean,
	"answered_by" integer,
	"raised_at" timestamp with time zone DEFAULT now() NOT NULL,
	"answered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "project_openers" (
	"project_id" integer NOT NULL,
	"index" smallint NOT NULL,
	"user_id" integer NOT NULL,
	"transport_key" text,
	"commitments" jsonb,
	"setup_vault" jsonb,
	"dealt" boolean DEFAULT false NOT NULL,
	"share_vault" jsonb,
	"verification_key" text,
	"complaint" text,
	"partials" jsonb,
	CONSTRAINT "project_openers_project_id_index_pk" PRIMARY KEY("project_id","index")
);
--> statement-breakpoint
CREATE TABLE "project_questions" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "project_questions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"project_id" integer NOT NULL,
	"organization_id" integer NOT NULL,
	"asked_by" integer NOT NULL,
	"question" text NOT NULL,
	"answer" text,
	"answered_by" integer,
	"asked_at" timestamp with time zone DEFAULT now() NOT NULL,
	"answered_at" timestamp with time zone,
	"client_key" text
);
--> statement-breakpoint
CREATE TABLE "project_ratings" (
	"project_id" integer NOT NULL,
	"user_id" integer NOT NULL,
	"stars" smallint NOT NULL,
	"comment" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "project_ratings_project_id_user_id_pk" PRIMARY KEY("project_id","user_id"),
	CONSTRAINT "project_ratings_stars" CHECK ("project_ratings"."stars" between 1 and 5)
);
--> statement-breakpoint
CREATE TABLE "projects" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "projects_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"unit_id" integer NOT NULL,
	"title" text NOT NULL,
	"scope" text NOT NULL,
	"category" text NOT NULL,
	"budget_cap" integer NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"eligibility" jsonb NOT NULL,
	"criteria" jsonb NOT NULL,
	"questions_close_at" timestamp with time zone NOT NULL,
	"bid_deadline" timestamp with time zone NOT NULL,
	"notice_days" smallint DEFAULT 5 NOT NULL,
	"status" text DEFAULT 'planning' NOT NULL,
	"need_id" integer,
	"proposal_id" integer,
	"bid_count" integer DEFAULT 0 NOT NULL,
	"published_at" timestamp with time zone,
	"opened_at" timestamp with time zone,
	"award_bid_id" integer,
	"award_rationale" text,
	"awarded_at" timestamp with time zone,
	"notice_ends_at" timestamp with time zone,
	"final_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"end_reason" text,
	"created_by" integer NOT NULL,
	"client_key" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "projects_budget_positive" CHECK ("projects"."budget_cap" > 0)
);
--> statement-breakpoint
ALTER TABLE "bid_files" ADD CONSTRAINT "bid_files_bid_id_bids_id_fk" FOREIGN KEY ("bid_id") REFERENCES "public"."bids"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bid_receipts" ADD CONSTRAINT "bid_receipts_bid_id_bids_id_fk" FOREIGN KEY ("bid_id") REFERENCES "public"."bids"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bid_receipts" ADD CONSTRAINT "bid_receipts_by_users_id_fk" FOREIGN KEY ("by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bid_scores" ADD CONSTRAINT "bid_scores_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bid_scores" ADD CONSTRAINT "bid_scores_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bid_scores" ADD CONSTRAINT "bid_scores_bid_id_bids_id_fk" FOREIGN KEY ("bid_id") REFERENCES "public"."bids"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bids" ADD CONSTRAINT "bids_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bids" ADD CONSTRAINT "bids_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bids" ADD CONSTRAINT "bids_submitted_by_users_id_fk" FOREIGN KEY ("submitted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bids" ADD CONSTRAINT "bids_disqualified_by_users_id_fk" FOREIGN KEY ("disqualified_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conflict_declarations" ADD CONSTRAINT "conflict_declarations_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conflict_declarations" ADD CONSTRAINT "conflict_declarations_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conflict_declarations" ADD CONSTRAINT "conflict_declarations_bid_id_bids_id_fk" FOREIGN KEY ("bid_id") REFERENCES "public"."bids"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "opener_shares" ADD CONSTRAINT "opener_shares_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_documents" ADD CONSTRAINT "project_documents_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_documents" ADD CONSTRAINT "project_documents_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_evaluators" ADD CONSTRAINT "project_evaluators_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_evaluators" ADD CONSTRAINT "project_evaluators_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_evaluators" ADD CONSTRAINT "project_evaluators_invited_by_users_id_fk" FOREIGN KEY ("invited_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_events" ADD CONSTRAINT "project_events_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_events" ADD CONSTRAINT "project_events_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_keys" ADD CONSTRAINT "project_keys_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_milestones" ADD CONSTRAINT "project_milestones_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_milestones" ADD CONSTRAINT "project_milestones_reported_by_users_id_fk" FOREIGN KEY ("reported_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_milestones" ADD CONSTRAINT "project_milestones_judged_by_users_id_fk" FOREIGN KEY ("judged_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_objections" ADD CONSTRAINT "project_objections_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_objections" ADD CONSTRAINT "project_objections_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_objections" ADD CONSTRAINT "project_objections_raised_by_users_id_fk" FOREIGN KEY ("raised_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_objections" ADD CONSTRAINT "project_objections_answered_by_users_id_fk" FOREIGN KEY ("answered_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_openers" ADD CONSTRAINT "project_openers_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_openers" ADD CONSTRAINT "project_openers_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_questions" ADD CONSTRAINT "project_questions_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_questions" ADD CONSTRAINT "project_questions_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_questions" ADD CONSTRAINT "project_questions_asked_by_users_id_fk" FOREIGN KEY ("asked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_questions" ADD CONSTRAINT "project_questions_answered_by_users_id_fk" FOREIGN KEY ("answered_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_ratings" ADD CONSTRAINT "project_ratings_project_id_projects_id_fk" FOREIGN KEY ("project_id") REFERENCES "public"."projects"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "project_ratings" ADD CONSTRAINT "project_ratings_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projects" ADD CONSTRAINT "projects_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "projects" ADD CONSTRAINT "projects_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "bid_files_key" ON "bid_files" USING btree ("bid_id","revision","ordinal");--> statement-breakpoint
CREATE INDEX "bid_receipts_bid_idx" ON "bid_receipts" USING btree ("bid_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "bid_receipts_client_key" ON "bid_receipts" USING btree ("bid_id","client_key");--> statement-breakpoint
CREATE UNIQUE INDEX "bids_project_org" ON "bids" USING btree ("project_id","organization_id");--> statement-breakpoint
CREATE INDEX "bids_project_status_idx" ON "bids" USING btree ("project_id","status");--> statement-breakpoint
CREATE INDEX "project_documents_project_idx" ON "project_documents" USING btree ("project_id");--> statement-breakpoint
CREATE INDEX "project_events_project_idx" ON "project_events" USING btree ("project_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "project_milestones_key" ON "project_milestones" USING btree ("project_id","ordinal");--> statement-breakpoint
CREATE INDEX "project_objections_project_idx" ON "project_objections" USING btree ("project_id");--> statement-breakpoint
CREATE UNIQUE INDEX "project_openers_user_idx" ON "project_openers" USING btree ("project_id","user_id");--> statement-breakpoint
CREATE INDEX "project_questions_project_idx" ON "project_questions" USING btree ("project_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "project_questions_client_key" ON "project_questions" USING btree ("asked_by","client_key");--> statement-breakpoint
CREATE INDEX "projects_unit_status_idx" ON "projects" USING btree ("unit_id","status","id");--> statement-breakpoint
CREATE INDEX "projects_status_deadline_idx" ON "projects" USING btree ("status","bid_deadline");--> statement-breakpoint
CREATE UNIQUE INDEX "projects_client_key" ON "projects" USING btree ("created_by","client_key");