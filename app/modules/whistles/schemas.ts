import { z } from "zod";
import { parseId } from "~/lib/input";
import { messageWithParams } from "~/i18n/i18n";

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
    keyTaskDueAt: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, "vote.error.time").optional(),
  })
  .refine((v) => v.kind !== "key_task" || v.keyTaskDueAt, { message: "whistle.error.keyTaskDue", path: ["keyTaskDueAt"] });
export type NewWhistleInput = z.infer<typeof newWhistleSchema>;
