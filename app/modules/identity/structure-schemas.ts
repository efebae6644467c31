import { z } from "zod";
import { idField } from "~/lib/input";

/** Forms of residency, Party reports, organisations and the staff desk. Messages are translation keys. */
const required = { required_error: "validation.required", invalid_type_error: "validation.required" };
const id = idField("validation.required");
const text = (max: number) => z.string(required).trim().min(1, "validation.required").max(max, `validation.tooLong|{"max":${max}}`);
const optionalText = (max: number) => z.string().trim().max(max, `validation.tooLong|{"max":${max}}`).optional();

export const claimSchema = z.object({
  communityId: id,
  address: z.string(required).trim().min(4, "residency.error.addressShort").max(100, `validation.tooLong|{"max":100}`),
});

export const partyReportSchema = z.object({
  communityId: id,
  workUnit: text(80),
  partyOrgName: text(80),
  showBadge: z.boolean().default(false),
});

export const decisionSchema = z.object({
  id,
  decision: z.enum(["approve", "reject"], required),
  reason: optionalText(200),
  /** Verifying a residency claim as this entry of the roll (居民名册). */
  residentId: z.coerce.number().int().positive().optional(),
});

export const organizationSchema = z.object({
  kind: z.enum(["unit_party_org", "social_org", "merchant_association"], required),
  name: text(60),
  description: optionalText(500),
  unitId: id,
  registrationNumber: z
    .string()
    .trim()
    .regex(/^[0-9A-Z]{18}$/, "organization.error.registrationFormat")
    .optional(),
  serviceScope: optionalText(200),
});

export const inviteSchema = z.object({
  account: text(64),
  role: z.enum(["admin", "member"], required),
});

export const memberChangeSchema = z.object({
  userId: id,
  change: z.enum(["admin", "member", "remove"], required),
});
