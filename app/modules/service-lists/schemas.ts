import { z } from "zod";
import { pledgeCategoryCodes } from "#db/schema/values";
import { resourceKinds } from "#db/schema/values";

/** Forms of the three lists (三张清单). Messages are translation keys. */
const required = { required_error: "validation.required", invalid_type_error: "validation.required" };
const id = z.coerce.number(required).int().positive("validation.required");
const text = (min: number, max: number, short: string) =>
  z.string(required).trim().min(1, "validation.required").min(min, short).max(max, `validation.tooLong|{"max":${max}}`);
const amount = z.coerce.number(required).int("need.error.amount").min(1, "need.error.amount").max(500, "need.error.amount");
/** "self", or the id of the unit Party organisation acting. */
const as = z.string(required).regex(/^(self|\d{1,9})$/, "validation.choose");

export const needSchema = z.object({
  unitId: id,
  category: z.enum(pledgeCategoryCodes, required),
  title: text(4, 60, "need.error.titleShort"),
  description: z.string().trim().max(1000, `validation.tooLong|{"max":1000}`).default(""),
  whenText: text(2, 60, "need.error.whenShort"),
  unit: z.enum(["people", "hours"], required),
  amount,
  /** The passed proposal it is raised from (转为需求). */
  proposalId: z.coerce.number().int().positive().optional(),
});
export type NeedInput = z.infer<typeof needSchema>;

export const resourceSchema = z.object({
  as,
  unitId: id,
  kind: z.enum(resourceKinds, required),
  category: z.enum(pledgeCategoryCodes, required),
  description: text(4, 300, "resource.error.descriptionShort"),
  availability: text(2, 100, "resource.error.availabilityShort"),
});
export type ResourceInput = z.infer<typeof resourceSchema>;

export const claimSchema = z.object({ as, amount });
export const claimIdSchema = z.object({ claimId: id });
export const releaseSchema = z.object({ claimId: id, reason: text(2, 200, "claim.error.reasonShort") });
export const closeNeedSchema = z.object({ reason: text(2, 200, "need.error.reasonShort") });
export const resourceIdSchema = z.object({ resourceId: id });
