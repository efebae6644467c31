ALTER TABLE "delivery_fanouts" ALTER COLUMN "recipients" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "delivery_fanouts" ALTER COLUMN "total" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "delivery_fanouts" ADD COLUMN "audience" jsonb;--> statement-breakpoint
ALTER TABLE "delivery_fanouts" ADD COLUMN "resolved_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "delivery_fanouts" ADD CONSTRAINT "delivery_fanouts_who" CHECK ("delivery_fanouts"."recipients" is not null or "delivery_fanouts"."audience" is not null);