-- Issue 12 §7 (ADR 0017): rows written through a transaction on the PostgreSQL server held a JSON
-- *string* (the JSON text encoded twice) instead of the value. Every jsonb column of the schema holds
-- an object or an array, so a string whose text is an object or an array is such a row: store the
-- value it encodes. Idempotent (a fixed row is no longer a string) and a no-op on PGlite's rows.
UPDATE "votes" SET "options" = ("options" #>> '{}')::jsonb WHERE jsonb_typeof("options") = 'string' AND left("options" #>> '{}', 1) IN ('{', '[');--> statement-breakpoint
UPDATE "votes" SET "result" = ("result" #>> '{}')::jsonb WHERE jsonb_typeof("result") = 'string' AND left("result" #>> '{}', 1) IN ('{', '[');--> statement-breakpoint
UPDATE "notifications" SET "params" = ("params" #>> '{}')::jsonb WHERE jsonb_typeof("params") = 'string' AND left("params" #>> '{}', 1) IN ('{', '[');--> statement-breakpoint
UPDATE "halls" SET "member_kinds" = ("member_kinds" #>> '{}')::jsonb WHERE jsonb_typeof("member_kinds") = 'string' AND left("member_kinds" #>> '{}', 1) IN ('{', '[');--> statement-breakpoint
UPDATE "halls" SET "seconding_rule" = ("seconding_rule" #>> '{}')::jsonb WHERE jsonb_typeof("seconding_rule") = 'string' AND left("seconding_rule" #>> '{}', 1) IN ('{', '[');--> statement-breakpoint
UPDATE "proposal_events" SET "data" = ("data" #>> '{}')::jsonb WHERE jsonb_typeof("data") = 'string' AND left("data" #>> '{}', 1) IN ('{', '[');--> statement-breakpoint
UPDATE "whistle_events" SET "data" = ("data" #>> '{}')::jsonb WHERE jsonb_typeof("data") = 'string' AND left("data" #>> '{}', 1) IN ('{', '[');--> statement-breakpoint
UPDATE "audit_events" SET "data" = ("data" #>> '{}')::jsonb WHERE jsonb_typeof("data") = 'string' AND left("data" #>> '{}', 1) IN ('{', '[');--> statement-breakpoint
UPDATE "roster_entries" SET "people" = ("people" #>> '{}')::jsonb WHERE jsonb_typeof("people") = 'string' AND left("people" #>> '{}', 1) IN ('{', '[');
