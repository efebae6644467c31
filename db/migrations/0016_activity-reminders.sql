ALTER TABLE "activities" ADD COLUMN "reminded_day_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "activities" ADD COLUMN "reminded_hour_at" timestamp with time zone;