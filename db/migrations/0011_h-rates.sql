CREATE TABLE "whistle_rate_counts" (
	"month" text NOT NULL,
	"subdistrict_id" integer NOT NULL,
	"department_id" integer NOT NULL,
	"dispatched" integer DEFAULT 0 NOT NULL,
	"signed_in_time" integer DEFAULT 0 NOT NULL,
	"due" integer DEFAULT 0 NOT NULL,
	"resolved" integer DEFAULT 0 NOT NULL,
	"rated" integer DEFAULT 0 NOT NULL,
	"satisfied" integer DEFAULT 0 NOT NULL,
	"resolved_with_deadline" integer DEFAULT 0 NOT NULL,
	"resolved_on_time" integer DEFAULT 0 NOT NULL,
	"returned" integer DEFAULT 0 NOT NULL,
	"redone" integer DEFAULT 0 NOT NULL,
	"unreasonable" integer DEFAULT 0 NOT NULL,
	"not_needed" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "whistle_rate_counts_month_subdistrict_id_department_id_pk" PRIMARY KEY("month","subdistrict_id","department_id")
);
--> statement-breakpoint
ALTER TABLE "assignments" ADD COLUMN "rate_flags" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "score_weights" ADD COLUMN "min_cases" integer DEFAULT 3 NOT NULL;--> statement-breakpoint
ALTER TABLE "whistle_rate_counts" ADD CONSTRAINT "whistle_rate_counts_subdistrict_id_units_id_fk" FOREIGN KEY ("subdistrict_id") REFERENCES "public"."units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "whistle_rate_counts" ADD CONSTRAINT "whistle_rate_counts_department_id_departments_id_fk" FOREIGN KEY ("department_id") REFERENCES "public"."departments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "assignments_uncounted_idx" ON "assignments" USING btree ("id") WHERE "assignments"."rate_flags" = 0;