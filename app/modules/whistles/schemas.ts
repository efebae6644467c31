import { z } from "zod";
import { parseId } from "~/lib/input";
import { messageWithParams } from "~/i18n/i18n";
import { DEFAULT_MIN_CASES } from "./rules";

/**
 * The whistles' forms, shared by the browser (Conform) and the server. Error
 * messages are translation keys. No server code here: pages import it.
 */
const required = { required_error: "validation.required", invalid_type_error: "validation.required" };
const percent = z.number(required).int("weights.error.whole").min(0, "weights.error.range").max(100, "weights.error.range");

/** Composite-score weights from a month on, in whole percent summing to 100. */
export const weightsSchema = z
  .object({
    districtId: z.number(required).int().positive().max(2_147_483_647),
    validFrom: z.string(required).regex(/^\d{4}-(0[1-9]|1[0-2])$/, "weights.error.month"),
    response: percent,
    resolution: percent,
    satisfaction: percent,
    /** Fewer assignments in the month: listed on the dashboard, not ranked. */
    minCases: z
      .number(required)
      .int("weights.error.whole")
      .min(1, "weights.error.minCases")
      .max(10_000, "weights.error.minCases")
      .default(DEFAULT_MIN_CASES),
  })
  .refine((v) => v.response + v.resolution + v.satisfaction === 100, { message: "weights.error.sum", path: ["satisfaction"] });
export type WeightsInput = z.infer<typeof weightsSchema>;

const tooLong = (max: number) => messageWithParams("validation.tooLong", { max });
const text = (max: number) => z.string(required).trim().min(1, "validation.required").max(max, tooLong(max));
const optionalText = (max: number) => z.string().trim().max(max, tooLong(max)).optional();
const departmentId = z.number(required).int().positive().max(2_147_483_647);

/** "subdistrict:<id>" or "community:<id>": which unit whistles. */
export const WHISTLING_UNIT = /^(subdistrict|community):([1-9]\d{0,9})$/;

/**
 * A whistle blown directly: by the subdistrict (an emergency, an alley
 * chief's finding) or by a community to the stations serving it (社区吹哨).
 */
export const newWhistleSchema = z
  .object({
    unit: z
      .string(required)
      .regex(WHISTLING_UNIT, "validation.required")
      .refine((v) => parseId(v.split(":")[1]) !== null, "validation.required"),
    clientKey: z.string(required).uuid("validation.required"),
    title: text(120),
    description: text(2000),
    categoryCode: z.string(required).min(1, "validation.required"),
    address: optionalText(200),
    kind: z.enum(["emergency", "enforcement", "key_task", "resident_request"], required),
    lead: z.array(departmentId, required).min(1, "whistle.error.needLead"),
    cooperate: z.array(departmentId).default([]),
    instructions: optionalText(1000),
    keyTaskDueAt: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, "vote.error.time")
      .optional(),
  })
  .refine((v) => v.kind !== "key_task" || v.keyTaskDueAt, { message: "whistle.error.keyTaskDue", path: ["keyTaskDueAt"] });
export type NewWhistleInput = z.infer<typeof newWhistleSchema>;

const assignmentId = z.number(required).int().positive().max(2_147_483_647);

/**
 * An officer's step on an assignment (签收, 到场报到, 进展, 办结, 退单). Photos
 * travel beside the form (multipart): whether a step has the evidence it
 * needs is `evidenceProblem`, checked with the photo count (and again by the
 * command).
 */
export const workSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("sign"), assignmentId }),
  z.object({
    intent: z.literal("on_site"),
    assignmentId,
    people: z
      .number({ required_error: "assignment.error.people", invalid_type_error: "assignment.error.people" })
      .int("assignment.error.people")
      .min(1, "assignment.error.people")
      .max(999, "assignment.error.people"),
    note: optionalText(1000),
  }),
  z.object({ intent: z.literal("progress"), assignmentId, note: text(1000) }),
  z.object({ intent: z.literal("resolve"), assignmentId, resultText: text(2000), noEvidenceReason: optionalText(500) }),
  z.object({
    intent: z.literal("return"),
    assignmentId,
    reason: z.string({ required_error: "validation.reasonRequired" }).trim().min(1, "validation.reasonRequired").max(1000, tooLong(1000)),
  }),
]);
export type WorkInput = z.infer<typeof workSchema>;

/** On site: a note or a photo. Resolving: a photo, or the reason there is none. Returns the field and message, or null. */
export function evidenceProblem(input: WorkInput, photoCount: number): { field: string; message: string } | null {
  if (input.intent === "on_site" && !input.note && photoCount === 0) return { field: "note", message: "assignment.error.noteOrPhoto" };
  if (input.intent === "resolve" && !input.noEvidenceReason && photoCount === 0)
    return { field: "photos", message: "assignment.error.evidence" };
  return null;
}

/** A convener escalates a passed proposal with a message to the whistling unit. */
export const escalateSchema = z.object({
  message: z
    .string({ required_error: "whistle.error.escalateMessage", invalid_type_error: "whistle.error.escalateMessage" })
    .trim()
    .min(1, "whistle.error.escalateMessage")
    .max(1000, tooLong(1000)),
});

/* The whistle page's other forms (modules/whistles/intents.server.ts runs each). */
const id = z.number(required).int().positive().max(2_147_483_647);
const optionalNote = (max: number) => z.string().trim().max(max, tooLong(max)).default("");
const localTime = z.string(required).regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, "vote.error.time");

/** The subdistrict dispatches a requested whistle: its kind, lead and co-operating departments. */
export const blowSchema = z.object({
  kind: z.enum(["emergency", "enforcement", "key_task", "resident_request"], required),
  lead: z.array(departmentId).default([]),
  cooperate: z.array(departmentId).default([]),
  instructions: optionalNote(1000),
  keyTaskDueAt: localTime.optional(),
});
export const assignmentSchema = z.object({ assignmentId: id });
export const redispatchSchema = z.object({ assignmentId: id, departmentId: id });
export const extensionSchema = z.object({ assignmentId: id, newDueAt: localTime, reason: optionalNote(1000) });
export const requestSchema = z.object({ requestId: id });
export const closureDecisionSchema = z.object({ requestId: id, note: optionalNote(1000) });
export const closureRequestSchema = z.object({ reason: optionalNote(1000) });
export const superviseSchema = z.object({ message: optionalNote(1000) });
export const rateSchema = z.object({
  solved: z.enum(["yes", "no"], required),
  satisfaction: z.enum(["satisfied", "basically_satisfied", "dissatisfied"], required),
  comment: optionalNote(500),
});
