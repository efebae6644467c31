CREATE TABLE "room_events" (
	"room" text NOT NULL,
	"seq" bigint NOT NULL,
	"event" text NOT NULL,
	"args" jsonb NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "room_events_room_seq_pk" PRIMARY KEY("room","seq")
);
--> statement-breakpoint
CREATE TABLE "room_seqs" (
	"room" text PRIMARY KEY NOT NULL,
	"seq" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX "room_events_at_idx" ON "room_events" USING btree ("at");