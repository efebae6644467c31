import { z } from "zod";
import { clockToMinutes, MAINLAND_MOBILE, messageCategories } from "./rules";

/**
 * The forms of /settings/messages, shared by the browser (Conform) and the
 * server. Error messages are translation keys. Free of server code.
 */
const required = { required_error: "validation.required", invalid_type_error: "validation.required" };
const channel = z.enum(["email", "sms"], { errorMap: () => ({ message: "validation.choose" }) });

export const sendCodeSchema = z
  .object({ channel, address: z.string(required).trim().max(254, "messages.error.badEmail") })
  .transform((v) => ({ ...v, address: v.channel === "sms" ? v.address.replace(/[\s-]/g, "").replace(/^\+?86/, "") : v.address.toLowerCase() }))
  .superRefine((v, ctx) => {
    if (v.channel === "sms" && !MAINLAND_MOBILE.test(v.address)) ctx.addIssue({ code: "custom", path: ["address"], message: "messages.error.badPhone" });
    if (v.channel === "email" && !z.string().email().safeParse(v.address).success)
      ctx.addIssue({ code: "custom", path: ["address"], message: "messages.error.badEmail" });
  });

export const verifyCodeSchema = z.object({
  channel,
  code: z
    .string(required)
    .trim()
    .regex(/^\d{6}$/, "messages.error.wrongCode"),
});

export const removeContactSchema = z.object({ channel });

const clock = z
  .string(required)
  .trim()
  .refine((v) => clockToMinutes(v) !== null, "messages.error.badTime")
  .transform((v) => clockToMinutes(v)!);
const categories = z.array(z.enum(messageCategories)).default([]);

export const preferencesSchema = z.object({
  email: categories,
  sms: categories,
  quietStart: clock,
  quietEnd: clock,
  digest: z.boolean().default(false),
  digestAt: clock,
});
export type PreferencesInput = z.infer<typeof preferencesSchema>;
