CREATE TABLE "whistle_photos" (
	"id" integer PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "whistle_photos_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1),
	"whistle_id" integer NOT NULL,
	"event_id" integer NOT NULL,
	"assignment_id" integer NOT NULL,
	"file_name" text NOT NULL,
	"mime" text NOT NULL,
	"size" integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE "whistle_photos" ADD CONSTRAINT "whistle_photos_whistle_id_whistles_id_fk" FOREIGN KEY ("whistle_id") REFERENCES "public"."whistles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "whistle_photos" ADD CONSTRAINT "whistle_photos_event_id_whistle_events_id_fk" FOREIGN KEY ("event_id") REFERENCES "public"."whistle_events"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "whistle_photos" ADD CONSTRAINT "whistle_photos_assignment_id_assignments_id_fk" FOREIGN KEY ("assignment_id") REFERENCES "public"."assignments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "whistle_photos_whistle_idx" ON "whistle_photos" USING btree ("whistle_id");--> statement-breakpoint
CREATE INDEX "whistle_photos_assignment_idx" ON "whistle_photos" USING btree ("assignment_id");