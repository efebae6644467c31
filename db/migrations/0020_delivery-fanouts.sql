CREATE TABLE "delivery_fanouts" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "delivery_fanouts_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"kind" text NOT NULL,
	"params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"link" text,
	"at" timestamp with time zone NOT NULL,
	"recipients" integer[] NOT NULL,
	"total" integer NOT NULL,
	"in_app" boolean DEFAULT true NOT NULL,
	"done" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "notifications" ADD COLUMN "fanout_id" bigint;--> statement-breakpoint
ALTER TABLE "deliveries" ADD COLUMN "fanout_id" bigint;--> statement-breakpoint
CREATE INDEX "delivery_fanouts_open_idx" ON "delivery_fanouts" USING btree ("id") WHERE "delivery_fanouts"."finished_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "notifications_fanout_idx" ON "notifications" USING btree ("fanout_id","user_id") WHERE "notifications"."fanout_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "deliveries_fanout_idx" ON "deliveries" USING btree ("fanout_id","user_id","channel") WHERE "deliveries"."fanout_id" is not null;