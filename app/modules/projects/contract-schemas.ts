import { z } from "zod";
import { idField } from "~/lib/input";

/**
 * The contract's forms (after the award): staff adjust the milestones before
 * the first report, the organisation reports each with evidence, staff judge
 * it and record the payment, residents rate the service at the end.
 * Messages are translation keys (app/i18n/messages/<locale>/contracts.ts).
 */
const required = { required_error: "validation.required", invalid_type_error: "validation.required" };
const text = (max: number) => z.string(required).trim().min(1, "validation.required").max(max, `validation.tooLong|{"max":${max}}`);
const optionalText = (max: number) => z.string().trim().max(max, `validation.tooLong|{"max":${max}}`).default("");
const isoDate = z
  .string(required)
  .regex(/^\d{4}-\d{2}-\d{2}$/, "contract.error.date")
  .refine(
    (d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
    "contract.error.date",
  );

export const milestoneVerdicts = ["met", "partially_met", "not_met"] as const;
export type MilestoneVerdict = (typeof milestoneVerdicts)[number];

/** Staff move the milestones' dates and shares (before the first report); the shares must still sum to 100. */
export const adjustSchema = z.object({
  milestones: z
    .array(
      z.object({
        id: idField(),
        dueOn: isoDate,
        share: z.coerce.number(required).int("contract.error.share").min(0, "contract.error.share").max(100, "contract.error.share"),
      }),
      required,
    )
    .min(1, "validation.required")
    .max(20),
});
export type AdjustInput = z.infer<typeof adjustSchema>;

/** The organisation reports a milestone: what was done, how many took part; the evidence files ride in the form (field `evidence`). */
export const reportSchema = z.object({
  milestoneId: idField(),
  text: text(2000),
  attendance: z.coerce
    .number({ invalid_type_error: "contract.error.attendance" })
    .int("contract.error.attendance")
    .min(0, "contract.error.attendance")
    .max(100_000, "contract.error.attendance")
    .optional(),
});
export type ReportInput = z.infer<typeof reportSchema>;

/** Staff judge a reported milestone, with a note saying why. */
export const judgeSchema = z.object({
  milestoneId: idField(),
  verdict: z.enum(milestoneVerdicts, { required_error: "validation.choose", invalid_type_error: "validation.choose" }),
  note: text(1000),
});
export type JudgeInput = z.infer<typeof judgeSchema>;

/** Staff record the payment of a judged milestone: the date, and for a partly met one the amount (up to its share). */
export const paySchema = z.object({
  milestoneId: idField(),
  paidOn: isoDate,
  amount: z.coerce
    .number({ invalid_type_error: "contract.error.amount" })
    .int("contract.error.amount")
    .min(0, "contract.error.amount")
    .max(100_000_000, "contract.error.amount")
    .optional(),
});
export type PayInput = z.infer<typeof paySchema>;

/** A resident rates the service once it is over: 1–5 stars and, if they like, a comment. */
export const rateSchema = z.object({
  stars: z.coerce.number(required).int("contract.error.stars").min(1, "contract.error.stars").max(5, "contract.error.stars"),
  comment: optionalText(500),
});
export type RateInput = z.infer<typeof rateSchema>;
