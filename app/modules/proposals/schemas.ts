import { z } from "zod";
import { reportReasons } from "#db/schema/values";
import { idField, optionalIdField } from "~/lib/input";

/** Forms of halls, proposals and the debate. Messages are translation keys. */
const required = { required_error: "validation.required", invalid_type_error: "validation.required" };
/** An optional id from a form: an empty field (a "none" option) means absent, anything else must be a positive whole number. */
const optionalId = optionalIdField("validation.choose");
/** A stance: anything else (nothing picked, a made-up value) gets the same plain message. */
const stance = () => z.enum(["support", "oppose", "neutral"], { errorMap: () => ({ message: "comment.error.stance" }) });
const text = (max: number) => z.string(required).trim().min(1, "validation.required").max(max, `validation.tooLong|{"max":${max}}`);

export const proposalSchema = z.object({
  title: z.string(required).trim().min(4, "proposal.error.titleShort").max(60, `validation.tooLong|{"max":60}`),
  body: z.string(required).trim().min(10, "proposal.error.bodyShort").max(4000, `validation.tooLong|{"max":4000}`),
  categoryCode: z.string(required).min(1, "validation.required"),
  address: z.string().trim().max(100, `validation.tooLong|{"max":100}`).optional(),
  alleyId: optionalIdField(),
  organizationId: optionalIdField(),
  publish: z.enum(["publish", "draft"]).default("publish"),
  clientKey: z.string(required).min(8).max(64),
});

export const commentSchema = z.object({
  stance: stance(),
  // The hall's own length cap is checked by the command; this is the hard ceiling.
  body: text(5000),
  parentId: optionalId,
  organizationId: optionalId,
  clientKey: z.string(required).min(8).max(64),
});

export const editCommentSchema = z.object({
  commentId: idField(),
  stance: stance(),
  body: text(5000),
});

export const declineSchema = z.object({
  reason: z.enum(["out_of_scope", "duplicate", "unlawful"], required),
  text: text(500),
  mergeIntoId: optionalIdField(),
});

export const minutesSchema = z.object({
  agreed: text(2000),
  open: z.string().trim().max(2000, `validation.tooLong|{"max":2000}`).default(""),
  nextStep: z.string().trim().max(1000, `validation.tooLong|{"max":1000}`).default(""),
});

export const hallSchema = z.object({
  name: text(40),
  description: z.string().trim().max(500).default(""),
  rules: z.string().trim().max(3000).default(""),
  membershipPolicy: z.enum(["open", "application", "invitation"], required),
  memberKinds: z.array(z.enum(["resident", "party_member", "organization"])).min(1, "hall.error.memberKinds"),
  secondingKind: z.enum(["count", "percent"], required),
  secondingValue: z.coerce.number(required).int().min(1, "hall.error.seconding").max(100, "hall.error.seconding"),
  secondingDays: z.coerce.number(required).int().min(1).max(90),
  commentMaxLength: z.coerce.number(required).int().min(50).max(5000),
  commentsPerPerson: z.coerce.number().int().min(1).max(50).optional(),
  stanceRequired: z.boolean().default(false),
  convenerAccounts: z.string().trim().max(500).default(""),
});

/** The draft editor: what the new-proposal form asks, saved or saved and published. */
export const draftSchema = proposalSchema
  .pick({ title: true, body: true, categoryCode: true, address: true, alleyId: true })
  .extend({ intent: z.enum(["save", "publish"]).default("save") });

/** Forms with no fields of their own (second, follow, open the debate…): only the intent. */
export const noFields = z.object({});

export const withdrawSchema = z.object({
  reason: z.string().trim().max(500, `validation.tooLong|{"max":500}`).optional(),
});

export const reportSchema = z.object({
  commentId: idField(),
  reason: z.enum(reportReasons, required),
});

export const moderateSchema = z.object({
  commentId: idField(),
  reason: z.string(required).trim().min(1, "validation.reasonRequired").max(200, `validation.tooLong|{"max":200}`),
});
