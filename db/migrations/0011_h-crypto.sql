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
ALTER TABLE "encrypted_ballots" ADD CONSTRAINT "encrypted_ballots_vote_id_votes_id_fk" FOREIGN KEY ("vote_id") REFERENCES "public"."votes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "teller_shares" ADD CONSTRAINT "teller_shares_vote_id_votes_id_fk" FOREIGN KEY ("vote_id") REFERENCES "public"."votes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vote_keys" ADD CONSTRAINT "vote_keys_vote_id_votes_id_fk" FOREIGN KEY ("vote_id") REFERENCES "public"."votes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vote_tellers" ADD CONSTRAINT "vote_tellers_vote_id_votes_id_fk" FOREIGN KEY ("vote_id") REFERENCES "public"."votes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "vote_tellers" ADD CONSTRAINT "vote_tellers_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "vote_tellers_user_idx" ON "vote_tellers" USING btree ("vote_id","user_id");