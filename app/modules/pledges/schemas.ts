import { z } from "zod";
import { pledgeCategoryCodes } from "#db/schema/values";
import { MAX_STAR_HOURS, starLevelsError } from "./rules";

/** Forms of pledges and activities. Messages are translation keys. */
const required = { required_error: "validation.required", invalid_type_error: "validation.required" };
const id = z.coerce.number(required).int().positive("validation.required");
const text = (min: number, max: number, short: string) =>
  z.string(required).trim().min(1, "validation.required").min(min, short).max(max, `validation.tooLong|{"max":${max}}`);
const day = z.string(required).regex(/^\d{4}-\d{2}-\d{2}$/, "pledge.error.date");
const localTime = z.string(required).regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, "activity.error.time");

export const pledgeSchema = z.object({
  /** "self", or the id of the unit Party organisation pledging. */
  as: z.string(required).regex(/^(self|\d{1,9})$/, "validation.choose"),
  category: z.enum(pledgeCategoryCodes, required),
  text: text(4, 200, "pledge.error.textShort"),
  unit: z.enum(["hours", "times"], required),
  amount: z.coerce.number(required).int("pledge.error.amount").min(1, "pledge.error.amount").max(2000, "pledge.error.amount"),
  startsOn: day,
  endsOn: day,
});
export type PledgeInput = z.infer<typeof pledgeSchema>;

export const withdrawSchema = z.object({
  reason: text(2, 200, "pledge.error.reasonShort"),
});

export const wallFilterSchema = z.object({
  unit: z.coerce.number().int().positive().optional().catch(undefined),
  category: z.enum(pledgeCategoryCodes).optional().catch(undefined),
  status: z.enum(["active", "fulfilled", "lapsed", "withdrawn"]).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(1000).default(1).catch(1),
});
export type WallFilter = z.infer<typeof wallFilterSchema>;

/** One role a line, "name slots" or "name：slots" — e.g. "引导员 4". */
const rolesText = z
  .string(required)
  .trim()
  .min(1, "validation.required")
  .transform((value, ctx) => {
    const roles: { name: string; slots: number }[] = [];
    for (const line of value.split(/\r?\n/).map((l) => l.trim()).filter(Boolean)) {
      const m = /^(.{1,30}?)\s*[:：×x*\s]\s*(\d{1,4})$/.exec(line);
      if (!m || Number(m[2]) < 1 || Number(m[2]) > 500) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: "activity.error.roleLine" });
        return z.NEVER;
      }
      roles.push({ name: m[1]!.trim(), slots: Number(m[2]) });
    }
    if (roles.length > 10) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: "activity.error.tooManyRoles" });
      return z.NEVER;
    }
    if (new Set(roles.map((r) => r.name)).size !== roles.length) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: "activity.error.roleTwice" });
      return z.NEVER;
    }
    return roles;
  });

export const activitySchema = z.object({
  /** "staff" (for the unit), or the id of the organising organisation. */
  as: z.string(required).regex(/^(staff|\d{1,9})$/, "validation.choose"),
  unitId: id,
  title: text(4, 60, "activity.error.titleShort"),
  description: z.string().trim().max(1000, `validation.tooLong|{"max":1000}`).default(""),
  category: z.enum(pledgeCategoryCodes, required),
  place: text(2, 100, "activity.error.placeShort"),
  startsAt: localTime,
  endsAt: localTime,
  eligibility: z.enum(["members", "residents"], required),
  roles: rolesText,
});
export type ActivityInput = z.infer<typeof activitySchema>;

/** Sign-up's fields; the JSON write API (ADR 0013) takes them without the form's `intent`. */
export const signupFields = z.object({ roleId: id });
export const signupSchema = signupFields.extend({ intent: z.literal("signUp") });
export const cancelFields = z.object({});
export const cancelSchema = cancelFields.extend({ intent: z.literal("cancel") });
export const codeSchema = z.object({
  intent: z.literal("code"),
  code: z.string(required).trim().regex(/^\d{6}$/, "activity.error.codeFormat"),
});
export const attendanceSchema = z.object({
  intent: z.enum(["checkIn", "checkOut", "noShow"]),
  signupId: id,
});
export const verifySchema = z.object({
  intent: z.literal("verify"),
  signupId: id,
  hours: z.coerce.number(required).min(0, "activity.error.minutes").max(24, "activity.error.minutes"),
  reason: z.string().trim().max(200, `validation.tooLong|{"max":200}`).optional(),
});
export const correctionSchema = z.object({
  intent: z.literal("askCorrection"),
  text: text(4, 300, "activity.error.correctionShort"),
});
/** Every intent of the activity page, one schema. */
export const activityIntentSchema = z.discriminatedUnion("intent", [signupSchema, cancelSchema, codeSchema, attendanceSchema, verifySchema, correctionSchema]);
export type ActivityIntent = z.infer<typeof activityIntentSchema>;

/** `?year=` of a record or dashboard: a year between 2000 and 2100, or none (anything else is ignored). */
export function yearParam(params: URLSearchParams): number | null {
  const year = z.coerce.number().int().min(2000).max(2100).safeParse(params.get("year") ?? undefined);
  return year.success ? year.data : null;
}

/** A district's star levels: the hours for each of the five stars, ascending (admin.stars). */
const starHours = z.coerce.number(required).int("stars.error.range").min(1, "stars.error.range").max(MAX_STAR_HOURS, "stars.error.range");
export const starLevelsSchema = z
  .object({ districtId: id, star1: starHours, star2: starHours, star3: starHours, star4: starHours, star5: starHours })
  .superRefine((v, ctx) => {
    // Each field checks its own range; this adds the order between them (the same rule the command applies).
    const error = starLevelsError([v.star1, v.star2, v.star3, v.star4, v.star5]);
    if (error?.message === "stars.error.ascending") ctx.addIssue({ code: z.ZodIssueCode.custom, message: error.message, path: [`star${error.index + 1}`] });
  })
  .transform((v) => ({ districtId: v.districtId, hours: [v.star1, v.star2, v.star3, v.star4, v.star5] }));
export type StarLevelsInput = z.output<typeof starLevelsSchema>;

/** `?year=&user=` of a yearly service record (the page and its PDF); anything unreadable is ignored. */
export const recordQuerySchema = z.object({
  year: z.coerce.number().int().min(2000).max(2100).optional().catch(undefined),
  user: z.coerce.number().int().positive().max(2_147_483_647).optional().catch(undefined),
});
