import { z } from "zod";

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
