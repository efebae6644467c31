CREATE TABLE "ballot_history" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "ballot_history_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"vote_id" integer NOT NULL,
	"elector_id" integer NOT NULL,
	"choices" smallint[] NOT NULL,
	"cast_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ballots" (
	"vote_id" integer NOT NULL,
	"elector_id" integer NOT NULL,
	"choices" smallint[] NOT NULL,
	"cast_by" integer NOT NULL,
	"channel" text DEFAULT 'online' NOT NULL,
	"recorded_by" integer,
	"meeting" text,
	"cast_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ballots_vote_id_elector_id_pk" PRIMARY KEY("vote_id","elector_id")
);
--> statement-breakpoint
CREATE TABLE "participations" (
	"vote_id" integer NOT NULL,
	"elector_id" integer NOT NULL,
	"channel" text DEFAULT 'online' NOT NULL,
	"recorded_by" integer,
	"meeting" text,
	CONSTRAINT "participations_vote_id_elector_id_pk" PRIMARY KEY("vote_id","elector_id")
);
--> statement-breakpoint
CREATE TABLE "secret_ballots" (
	"vote_id" integer NOT NULL,
	"receipt" text NOT NULL,
	"choices" smallint[] NOT NULL,
	CONSTRAINT "secret_ballots_vote_id_receipt_pk" PRIMARY KEY("vote_id","receipt")
);
--> statement-breakpoint
CREATE TABLE "secret_pool" (
	"vote_id" integer NOT NULL,
	"receipt" text NOT NULL,
	"choices" smallint[] NOT NULL,
	CONSTRAINT "secret_pool_vote_id_receipt_pk" PRIMARY KEY("vote_id","receipt")
);
--> statement-breakpoint
CREATE TABLE "vote_electors" (
	"vote_id" integer NOT NULL,
	"elector_id" integer NOT NULL,
	CONSTRAINT "vote_electors_vote_id_elector_id_pk" PRIMARY KEY("vote_id","elector_id")
);
--> statement-breakpoint
CREATE TABLE "vote_events" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "vote_events_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"vote_id" integer NOT NULL,
	"actor_id" integer,
	"kind" text NOT NULL,
	"reason" text,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "votes" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "votes_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"hall_id" integer NOT NULL,
	"proposal_id" integer,
	"question" text NOT NULL,
	"method" text NOT NULL,
	"options" jsonb NOT NULL,
	"max_choices" integer DEFAULT 1 NOT NULL,
	"electorate" text NOT NULL,
	"opens_at" timestamp with time zone NOT NULL,
	"closes_at" timestamp with time zone NOT NULL,
	"quorum_percent" integer NOT NULL,
	"threshold" text NOT NULL,
	"abstentions_count_for_quorum" boolean DEFAULT true NOT NULL,
	"secret" boolean DEFAULT false NOT NULL,
	"live_results" boolean DEFAULT false NOT NULL,
	"state" text NOT NULL,
	"electorate_size" integer,
	"result" jsonb,
	"reminded" boolean DEFAULT false NOT NULL,
	"cancel_reason" text,
	"created_by" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "ballots" ADD CONSTRAINT "ballots_vote_id_votes_id_fk" FOREIGN KEY ("vote_id") REFERENCES "public"."votes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ballots" ADD CONSTRAINT "ballots_cast_by_users_id_fk" FOREIGN KEY ("cast_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ballots" ADD CONSTRAINT "ballots_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "participations" ADD CONSTRAINT "participations_vote_id_votes_id_fk" FOREIGN KEY ("vote_id") REFERENCES "public"."votes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "participations" ADD CONSTRAINT "participations_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "secret_ballots" ADD CONSTRAINT "secret_ballots_vote_id_votes_id_fk" FOREIGN KEY ("vote_id") REFERENCES "public"."votes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vote_electors" ADD CONSTRAINT "vote_electors_vote_id_votes_id_fk" FOREIGN KEY ("vote_id") REFERENCES "public"."votes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vote_events" ADD CONSTRAINT "vote_events_vote_id_votes_id_fk" FOREIGN KEY ("vote_id") REFERENCES "public"."votes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vote_events" ADD CONSTRAINT "vote_events_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "votes" ADD CONSTRAINT "votes_hall_id_halls_id_fk" FOREIGN KEY ("hall_id") REFERENCES "public"."halls"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "votes" ADD CONSTRAINT "votes_proposal_id_proposals_id_fk" FOREIGN KEY ("proposal_id") REFERENCES "public"."proposals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "votes" ADD CONSTRAINT "votes_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ballot_history_vote_idx" ON "ballot_history" USING btree ("vote_id","elector_id");--> statement-breakpoint
CREATE INDEX "vote_events_vote_idx" ON "vote_events" USING btree ("vote_id");--> statement-breakpoint
CREATE INDEX "votes_due_idx" ON "votes" USING btree ("state","closes_at");--> statement-breakpoint
CREATE INDEX "votes_proposal_idx" ON "votes" USING btree ("proposal_id");