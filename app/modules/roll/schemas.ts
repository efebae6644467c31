import { z } from "zod";

/** Forms of the roll of residents (居民名册). Messages are translation keys. */
const required = { required_error: "validation.required", invalid_type_error: "validation.required" };
const id = z.coerce.number(required).int().positive("validation.required");
const text = (max: number) => z.string(required).trim().min(1, "validation.required").max(max, `validation.tooLong|{"max":${max}}`);
const optionalText = (max: number) => z.string().trim().max(max, `validation.tooLong|{"max":${max}}`).optional();

export const householdSchema = z.object({
  address: z.string(required).trim().min(4, "residency.error.addressShort").max(100, `validation.tooLong|{"max":100}`),
  note: optionalText(200),
});

export const residentSchema = z.object({
  name: text(40),
  birthYear: z.coerce.number({ invalid_type_error: "roll.error.birthYear" }).int("roll.error.birthYear").min(1900, "roll.error.birthYear").max(2100, "roll.error.birthYear").optional(),
  phone: z
    .string()
    .trim()
    .regex(/^[0-9+\- ]{5,20}$/, "roll.error.phone")
    .optional(),
  isHead: z.boolean().default(false),
  note: optionalText(200),
});

export const editResidentSchema = residentSchema.extend({ residentId: id, householdId: id });

export const moveOutSchema = z.object({
  date: z.string(required).regex(/^\d{4}-\d{2}-\d{2}$/, "roll.error.date"),
  reason: text(200),
});

export const linkSchema = z.object({ residentId: id, claimId: z.coerce.number({ required_error: "roll.error.chooseClaim", invalid_type_error: "roll.error.chooseClaim" }).int().positive("roll.error.chooseClaim") });
