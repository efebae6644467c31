CREATE TABLE "need_claims" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "need_claims_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"need_id" integer NOT NULL,
	"user_id" integer,
	"organization_id" integer,
	"amount" integer NOT NULL,
	"status" text DEFAULT 'claimed' NOT NULL,
	"reported_done_at" timestamp with time zone,
	"confirmed_by" integer,
	"release_reason" text,
	"created_by" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	CONSTRAINT "need_claims_one_claimer" CHECK (("need_claims"."user_id" is null) <> ("need_claims"."organization_id" is null)),
	CONSTRAINT "need_claims_amount_positive" CHECK ("need_claims"."amount" > 0)
);
--> statement-breakpoint
CREATE TABLE "needs" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "needs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"unit_id" integer NOT NULL,
	"category" text NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"when_text" text NOT NULL,
	"unit" text NOT NULL,
	"amount" integer NOT NULL,
	"claimed" integer DEFAULT 0 NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"proposal_id" integer,
	"close_reason" text,
	"created_by" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	CONSTRAINT "needs_claimed_within" CHECK ("needs"."claimed" >= 0 and "needs"."claimed" <= "needs"."amount")
);
--> statement-breakpoint
CREATE TABLE "resources" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "resources_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"unit_id" integer NOT NULL,
	"user_id" integer,
	"organization_id" integer,
	"kind" text NOT NULL,
	"category" text NOT NULL,
	"description" text NOT NULL,
	"availability" text NOT NULL,
	"created_by" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"withdrawn_at" timestamp with time zone,
	CONSTRAINT "resources_one_offerer" CHECK (("resources"."user_id" is null) <> ("resources"."organization_id" is null))
);
--> statement-breakpoint
ALTER TABLE "need_claims" ADD CONSTRAINT "need_claims_need_id_needs_id_fk" FOREIGN KEY ("need_id") REFERENCES "public"."needs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "need_claims" ADD CONSTRAINT "need_claims_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "need_claims" ADD CONSTRAINT "need_claims_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "need_claims" ADD CONSTRAINT "need_claims_confirmed_by_users_id_fk" FOREIGN KEY ("confirmed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "need_claims" ADD CONSTRAINT "need_claims_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "needs" ADD CONSTRAINT "needs_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "needs" ADD CONSTRAINT "needs_proposal_id_proposals_id_fk" FOREIGN KEY ("proposal_id") REFERENCES "public"."proposals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "needs" ADD CONSTRAINT "needs_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resources" ADD CONSTRAINT "resources_unit_id_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resources" ADD CONSTRAINT "resources_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resources" ADD CONSTRAINT "resources_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "resources" ADD CONSTRAINT "resources_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "need_claims_need_idx" ON "need_claims" USING btree ("need_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "need_claims_one_live_person" ON "need_claims" USING btree ("need_id","user_id") WHERE "need_claims"."status" = 'claimed' and "need_claims"."user_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "need_claims_one_live_org" ON "need_claims" USING btree ("need_id","organization_id") WHERE "need_claims"."status" = 'claimed' and "need_claims"."organization_id" is not null;--> statement-breakpoint
CREATE INDEX "needs_unit_status_idx" ON "needs" USING btree ("unit_id","status","id");--> statement-breakpoint
CREATE INDEX "needs_proposal_idx" ON "needs" USING btree ("proposal_id");--> statement-breakpoint
CREATE INDEX "resources_unit_idx" ON "resources" USING btree ("unit_id","category") WHERE "resources"."withdrawn_at" is null;