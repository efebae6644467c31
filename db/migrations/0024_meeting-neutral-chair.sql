ALTER TABLE "meeting_procedures" ADD COLUMN "neutral_chair" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "meetings" ADD COLUMN "neutral_chair" boolean DEFAULT true NOT NULL;