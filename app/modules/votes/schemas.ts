import { z } from "zod";
import { parseWhole } from "~/lib/input";

const required = { required_error: "validation.required", invalid_type_error: "validation.required" };

/** The form that puts a question to a vote. Times arrive as local Beijing time (datetime-local). */
export const voteSchema = z.object({
  question: z.string(required).trim().min(4, "vote.error.questionShort").max(200, `validation.tooLong|{"max":200}`),
  method: z.enum(["yes_no", "single", "approval"], required),
  options: z.string().trim().max(2000).default(""),
  maxChoices: z.coerce.number().int().min(1).max(20).default(1),
  electorate: z.enum(["members", "residents", "households"], required),
  opensAt: z.string().optional(),
  closesAt: z.string(required).min(1, "validation.required"),
  quorumPercent: z.coerce.number(required).int().min(0, "vote.error.quorum").max(100, "vote.error.quorum"),
  threshold: z.enum(["simple_majority", "majority_of_participants", "two_thirds_cast", "two_thirds_electorate"], required),
  abstentionsCountForQuorum: z.boolean().default(false),
  secret: z.boolean().default(false),
  liveResults: z.boolean().default(false),
  /** A secret vote's tellers: account names, one a line (default: the convener and two residents' representatives). */
  tellers: z.string().trim().max(500).default(""),
  tellerThreshold: z.coerce.number().int().min(2, "vote.error.tellerThreshold").max(7, "vote.error.tellerThreshold").default(2),
});

const hex = (n: number) => z.string().regex(new RegExp(`^[0-9a-f]{${n}}$`));
const proof = z.array(z.object({ c: hex(64), s: hex(64) })).max(40);
/** A browser-encrypted secret ballot (its proofs are checked by the command, ADR 0016). */
export const encryptedBallotSchema = z.object({
  ciphertexts: z.array(z.object({ a: hex(64), b: hex(64) })).max(40),
  proofs: z.array(proof).max(40),
  sumProof: proof,
});

/**
 * The vote form as submitted: a secret ballot cannot show a live tally (its
 * choices are counted only at closing), so choosing both is refused, next to
 * the live-tally box, instead of silently dropping the tally.
 */
export const voteFormSchema = voteSchema.refine((v) => !(v.secret && v.liveResults), {
  path: ["liveResults"],
  message: "vote.error.secretLive",
});

/**
 * The options a ballot form or the API sent, strictly: only plain decimal
 * whole numbers ("0", "2") name an option. Anything else ("", "0x1", "1e0",
 * " 1") becomes -1, which no vote has, so the ballot is refused as "not an
 * option" instead of being read as option 0 or 1 (ADR 0017).
 */
export function parseChoices(values: unknown[]): number[] {
  return values.map((v) => parseWhole(v, 0, 1000) ?? -1);
}

/** Staff record a paper ballot for someone chosen from the roll: "r:<roll entry>" or "h:<household>". */
export const paperSchema = z.object({
  elector: z.string({ required_error: "vote.error.chooseFromRoll" }).regex(/^[rh]:\d{1,9}$/, "vote.error.chooseFromRoll"),
  meeting: z
    .string({ required_error: "vote.error.meetingRequired" })
    .trim()
    .min(1, "vote.error.meetingRequired")
    .max(100, `validation.tooLong|{"max":100}`),
});

const anyHex = z
  .string()
  .regex(/^[0-9a-f]+$/)
  .max(4096);
const vault = z.object({
  kdf: z.literal("scrypt"),
  N: z.number().int(),
  r: z.number().int(),
  p: z.number().int(),
  salt: anyHex,
  iv: anyHex,
  data: anyHex,
});
/** What a teller's browser posts at each step of the key ceremony and at closing (the commands check the rest). */
export const tellerBody = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("publish"), transportKey: hex(64), commitments: z.array(hex(64)).max(7), setupVault: vault }),
  z.object({
    intent: z.literal("deal"),
    shares: z.array(z.object({ to: z.number().int(), sealed: z.object({ R: hex(64), iv: anyHex, data: anyHex }) })).max(7),
  }),
  z.object({ intent: z.literal("confirm"), shareVault: vault, verificationKey: hex(64) }),
  z.object({ intent: z.literal("complain"), against: z.number().int() }),
  z.object({
    intent: z.literal("unlock"),
    partial: z.object({ shares: z.array(hex(64)).max(41), proofs: z.array(z.object({ c: hex(64), s: hex(64) })).max(41) }),
  }),
]);
