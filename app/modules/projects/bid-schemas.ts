import { z } from "zod";
import type { BidContents } from "#db/schema/projects";
import { tellerBody } from "~/modules/votes/schemas";
import { sharesComplete } from "./rules";
import { MAX_BID_FILE_BYTES, MAX_BID_FILES } from "./seal";

/**
 * A bid's forms: what the bidder types (checked in the browser before
 * sealing, and again by the opening once decrypted: the server never sees it
 * before), and what the browser posts (only the sealed bid).
 */

/** Why the opening found a bid invalid (bids.disqualifiedReason; the evaluation's own reasons are free text). */
export const openingReasons = ["unreadable", "schema", "overBudget", "attachment"] as const;
export type OpeningReason = (typeof openingReasons)[number];
/** What a bid receipt records. */
export const receiptKinds = ["submit", "revise", "withdraw"] as const;
/** A committee member's progress, as the opener page lists it. */
export const openerSteps = ["none", "published", "dealt", "confirmed", "complained", "opened"] as const;

export const BID_MIMES = ["application/pdf", "image/jpeg", "image/png", "image/webp"] as const;
export type BidMime = (typeof BID_MIMES)[number];

const required = { required_error: "validation.required", invalid_type_error: "validation.required" };
const text = (max: number) => z.string(required).trim().min(1, "validation.required").max(max, `validation.tooLong|{"max":${max}}`);

export const bidMilestoneSchema = z.object({
  title: text(200),
  due: z.string(required).regex(/^\d{4}-\d{2}-\d{2}$/, "bids.error.due"),
  share: z.coerce.number(required).int("bids.error.share").min(0, "bids.error.share").max(100, "bids.error.share"),
});

export const bidAttachmentSchema = z.object({
  name: text(200),
  mime: z.enum(BID_MIMES, { errorMap: () => ({ message: "bids.error.fileType" }) }),
  bytes: z.number().int().min(1).max(MAX_BID_FILE_BYTES, "bids.error.fileTooBig"),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

/** A bid's contents, as sealed; the opening parses the decrypted text with this (a failure disqualifies: "schema"). */
export const bidContentsSchema = z.object({
  price: z.coerce.number(required).int("bids.error.price").min(1, "bids.error.price").max(100_000_000, "bids.error.price"),
  plan: text(20_000),
  team: text(5_000),
  experience: z.string().trim().max(5_000, `validation.tooLong|{"max":5000}`).optional(),
  milestones: z
    .array(bidMilestoneSchema)
    .min(1, "bids.error.milestones")
    .max(12, "bids.error.milestones")
    .refine((ms) => sharesComplete(ms.map((m) => m.share)), "bids.error.sharesSum"),
  attachments: z.array(bidAttachmentSchema).max(MAX_BID_FILES, `bids.error.tooManyFiles|{"max":${MAX_BID_FILES}}`),
}) satisfies z.ZodType<BidContents, z.ZodTypeDef, unknown>;

/** The canonical bytes sealed: JSON with a fixed key order (what the opening decrypts and parses). */
export function encodeContents(c: BidContents): Uint8Array {
  const canonical: BidContents = {
    price: c.price,
    plan: c.plan,
    team: c.team,
    ...(c.experience ? { experience: c.experience } : {}),
    milestones: c.milestones.map((m) => ({ title: m.title, due: m.due, share: m.share })),
    attachments: c.attachments.map((a) => ({ name: a.name, mime: a.mime, bytes: a.bytes, sha256: a.sha256 })),
  };
  return new TextEncoder().encode(JSON.stringify(canonical));
}

const hex = (n: number) => z.string().regex(new RegExp(`^[0-9a-f]{${n}}$`));

/** What the bidder's browser posts: the sealed bid and the digests of its sealed files (uploaded beside it). */
export const sealedBidBody = z.object({
  intent: z.enum(["submit", "withdraw"]).default("submit"),
  sealed: z.object({ R: hex(64), iv: hex(24), data: z.string().max(64_000) }).strict().optional(),
  fileDigests: z.array(hex(64)).max(MAX_BID_FILES).default([]),
  /** The form's one-time key: a double submit is one submission. */
  clientKey: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, "validation.required"),
});
export type SealedBidBody = z.infer<typeof sealedBidBody>;

const point = hex(64);
const partial = z.object({ shares: z.array(point).length(1), proofs: z.array(z.object({ c: point, s: point })).length(1) });
/** What an opening-committee member's browser posts: the key ceremony's steps (as a teller's), then the partial openings. */
export const openerBody = z.union([
  tellerBody.options[0],
  tellerBody.options[1],
  tellerBody.options[2],
  tellerBody.options[3],
  z.object({ intent: z.literal("open"), partials: z.record(z.string().regex(/^\d{1,9}$/), partial) }),
]);
export type OpenerBody = z.infer<typeof openerBody>;
