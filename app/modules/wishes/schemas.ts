import { z } from "zod";
import { pledgeCategoryCodes } from "#db/schema/values";
import { wishHonorifics } from "#db/schema/values";
import { idField, isCleanName } from "~/lib/input";

/** Forms of micro-wishes (微心愿). Messages are translation keys. */
const required = { required_error: "validation.required", invalid_type_error: "validation.required" };
const text = (min: number, max: number, short: string) =>
  z.string(required).trim().min(1, "validation.required").min(min, short).max(max, `validation.tooLong|{"max":${max}}`);
const name = (max: number) =>
  z
    .string(required)
    .trim()
    .min(1, "validation.required")
    .max(max, `validation.tooLong|{"max":${max}}`)
    .refine(isCleanName, "validation.required");

/** Staff post a wish for a resident, with the person's consent recorded. */
export const postWishSchema = z.object({
  /** The form's one-time key (a double click posts one wish). */
  clientKey: z.string(required).uuid("validation.required"),
  unitId: idField(),
  category: z.enum(pledgeCategoryCodes, required),
  text: text(4, 200, "wish.error.textShort"),
  fullName: name(30),
  /** Optional: the first character of the full name when empty; 欧阳 and the like are typed here. */
  surname: z.string().trim().max(2, "wish.error.surname").optional(),
  honorific: z.enum(wishHonorifics, { required_error: "validation.choose", invalid_type_error: "validation.choose" }),
  address: text(2, 100, "wish.error.addressShort"),
  phone: z
    .string()
    .trim()
    .regex(/^[0-9+\- ]{5,20}$/, "wish.error.phone")
    .optional(),
  /** The box "the person (or their guardian) agreed to this being posted": required. */
  consent: z.boolean({ required_error: "wish.error.consent", invalid_type_error: "wish.error.consent" }).refine((v) => v, "wish.error.consent"),
  consentBy: name(40),
});
export type PostWishInput = z.infer<typeof postWishSchema>;

/** Claim: as oneself ("self") or for a unit Party organisation one administers (its id). */
export const claimSchema = z.object({ as: z.string(required).regex(/^(self|[1-9]\d{0,8})$/, "validation.choose") });
export const fulfilSchema = z.object({ note: text(4, 300, "wish.error.noteShort") });
export const reasonSchema = z.object({ reason: text(2, 200, "wish.error.reasonShort") });
export const noFields = z.object({});

export const wishWallSchema = z.object({
  unit: z.coerce.number().int().positive().max(2_147_483_647).optional().catch(undefined),
});
export type WishWallFilter = z.infer<typeof wishWallSchema>;
