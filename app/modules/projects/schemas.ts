import { z } from "zod";
import { pledgeCategoryCodes } from "#db/schema/values";
import type { Criterion } from "#db/schema/projects";
import { criterionKeys, evaluatorRoles } from "#db/schema/values";
import { criteriaProblem } from "./rules";

/**
 * Forms of service projects: the call (create and edit), its committee and
 * panel, questions, the panel's declarations and scores, disqualification,
 * award, objections. Messages are translation keys (both catalogues, `projects.ts`).
 */
const required = { required_error: "validation.required", invalid_type_error: "validation.required" };
const id = z.coerce.number(required).int().positive("validation.required");
const text = (min: number, max: number, short: string) =>
  z.string(required).trim().min(1, "validation.required").min(min, short).max(max, `validation.tooLong|{"max":${max}}`);
const day = z.string(required).regex(/^\d{4}-\d{2}-\d{2}$/, "project.error.date");
/** A datetime-local value, read in the configured time zone by the intent. */
const localTime = z.string(required).regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, "project.error.time");
const weight = z.coerce.number({ invalid_type_error: "project.error.weight" }).int("project.error.weight").min(0, "project.error.weight").max(100, "project.error.weight").default(0);
/** The form's one-time key: a double submit is one project, one question. */
const clientKey = z.string(required).min(8).max(64);

/** The standard criteria, in the editor's order (custom ones follow). */
export const standardCriteria = criterionKeys.filter((k) => k !== "custom");

/** The criteria editor's fields → the call's criteria: a weight per standard criterion (0 = not used), and up to three of one's own. */
export function criteriaOf(weights: Partial<Record<(typeof standardCriteria)[number], number>>, custom: ({ label?: string; weight?: number } | undefined)[]): Criterion[] {
  const standard = standardCriteria.filter((k) => (weights[k] ?? 0) > 0).map((k): Criterion => ({ id: k, key: k, weight: weights[k]! }));
  const own = custom
    .filter((c): c is { label?: string; weight?: number } => c !== undefined && ((c.weight ?? 0) > 0 || Boolean(c.label?.trim())))
    .map((c, i): Criterion => ({ id: `custom-${i + 1}`, key: "custom", label: c.label?.trim() ?? "", weight: c.weight ?? 0 }));
  return [...standard, ...own];
}

/** A call's criteria in the editor's fields (the reverse of `criteriaOf`). */
export function editorOf(criteria: Criterion[]) {
  const weights: Record<string, string> = {};
  for (const c of criteria) if (c.key !== "custom") weights[c.key] = String(c.weight);
  const custom = criteria.filter((c) => c.key === "custom").map((c) => ({ label: c.label ?? "", weight: String(c.weight) }));
  return { weights, custom };
}

export const MAX_CUSTOM_CRITERIA = 3;

const callFields = z.object({
  unitId: id,
  title: text(4, 80, "project.error.titleShort"),
  scope: text(20, 4000, "project.error.scopeShort"),
  category: z.enum(pledgeCategoryCodes, required),
  budgetCap: z.coerce.number(required).int("project.error.budget").min(1, "project.error.budget").max(100_000_000, "project.error.budget"),
  periodStart: day,
  periodEnd: day,
  minMonthsVerified: z.coerce.number({ invalid_type_error: "project.error.months" }).int("project.error.months").min(0, "project.error.months").max(120, "project.error.months").default(0),
  localOnly: z
    .string()
    .optional()
    .transform((v) => v === "on" || v === "true"),
  weights: z.object(Object.fromEntries(standardCriteria.map((k) => [k, weight])) as Record<(typeof standardCriteria)[number], typeof weight>).default({}),
  custom: z
    .array(z.object({ label: z.string().trim().max(30, `validation.tooLong|{"max":30}`).optional(), weight }).optional())
    .max(MAX_CUSTOM_CRITERIA)
    .default([]),
  questionsCloseAt: localTime,
  bidDeadline: localTime,
  noticeDays: z.coerce.number({ invalid_type_error: "project.error.noticeDays" }).int("project.error.noticeDays").min(3, "project.error.noticeDays").max(20, "project.error.noticeDays").default(5),
  needId: z.coerce.number().int().positive().optional(),
  proposalId: z.coerce.number().int().positive().optional(),
});

/** The rules every call's terms obey, beside their fields: the period's order, the windows' order, the criteria (rules.criteriaProblem). */
function callChecks(v: z.output<typeof callFields>, ctx: z.RefinementCtx) {
  if (v.periodEnd < v.periodStart) ctx.addIssue({ code: "custom", path: ["periodEnd"], message: "project.error.periodOrder" });
  if (v.bidDeadline < v.questionsCloseAt) ctx.addIssue({ code: "custom", path: ["questionsCloseAt"], message: "project.error.questionsAfterDeadline" });
  const problem = criteriaProblem(criteriaOf(v.weights, v.custom));
  if (problem) ctx.addIssue({ code: "custom", path: ["weights"], message: `project.error.criteria.${problem}` });
}

export const projectSchema = callFields.extend({ clientKey }).superRefine(callChecks);
export type ProjectFormInput = z.output<typeof projectSchema>;
export const editProjectSchema = callFields.superRefine(callChecks);

/** A call's terms as the commands take them: instants already read in the time zone. */
export interface CallTerms {
  unitId: number;
  title: string;
  scope: string;
  category: (typeof pledgeCategoryCodes)[number];
  budgetCap: number;
  periodStart: string;
  periodEnd: string;
  minMonthsVerified: number;
  localOnly: boolean;
  criteria: Criterion[];
  questionsCloseAt: Date;
  bidDeadline: Date;
  noticeDays: number;
  needId?: number;
  proposalId?: number;
}

const username = z.string().trim().max(40, `validation.tooLong|{"max":40}`).optional();
/** The opening committee (开标小组): three members by account name; any two of them open the bids. */
export const committeeSchema = z.object({ opener1: username, opener2: username, opener3: username });

export const evaluatorSchema = z.object({
  username: z.string(required).trim().min(1, "validation.required").max(40, `validation.tooLong|{"max":40}`),
  role: z.enum(evaluatorRoles, required),
});
export const removeEvaluatorSchema = z.object({ userId: id });

export const questionSchema = z.object({ organizationId: id, question: text(5, 1000, "project.error.questionShort"), clientKey });
export const answerSchema = z.object({ questionId: id, answer: text(2, 2000, "project.error.answerShort") });

/** Each valid bid: conflict "yes" or "no" (both must be said), and a note. */
export const declareSchema = z.object({
  bids: z.array(z.object({ bidId: id, conflict: z.enum(["yes", "no"], { required_error: "project.error.declareEach", invalid_type_error: "project.error.declareEach" }), note: z.string().trim().max(300).optional() })).min(1, "project.error.declareEach"),
});

const score = z.coerce.number({ invalid_type_error: "project.error.score" }).int("project.error.score").min(0, "project.error.score").max(100, "project.error.score");
/** One sheet per bid: the scores by criterion id. Saving keeps a draft; submitting asks for every score. */
export const scoresSchema = z.object({
  intent: z.enum(["saveScores", "submitScores"]),
  sheets: z.array(z.object({ bidId: id, scores: z.record(z.string(), score.optional()).default({}) })).default([]),
});

export const disqualifySchema = z.object({ bidId: id, reason: text(4, 500, "project.error.reasonShort") });
export const awardSchema = z.object({ bidId: id, rationale: text(10, 2000, "project.error.rationaleShort") });
export const objectionSchema = z.object({ organizationId: id, text: text(10, 2000, "project.error.objectionShort") });
export const answerObjectionSchema = z.object({
  objectionId: id,
  answer: text(10, 2000, "project.error.answerShort"),
  upheld: z.enum(["yes", "no"], required),
});
export const cancelSchema = z.object({ reason: text(4, 500, "project.error.reasonShort") });
export const publishSchema = z.object({});

/** The list's filter: place and status, a page. */
export const listFilterSchema = z.object({
  unit: z.coerce.number().int().positive().optional().catch(undefined),
  status: z.enum(["open", "evaluating", "awarded", "active", "completed", "ended", "planning"]).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(1000).default(1).catch(1),
});
export type ListFilter = z.output<typeof listFilterSchema>;

/** Public timeline kinds (project_events.kind) the pages name in words. Part A writes `opened`; part C the contract's. */
export const projectEventKinds = [
  "created",
  "edited",
  "committee",
  "panel",
  "declared",
  "submitted",
  "document",
  "published",
  "answered",
  "closed",
  "opened",
  "disqualified",
  "scored",
  "awarded",
  "objection",
  "objectionAnswered",
  "reopened",
  "finalized",
  "unsuccessful",
  "cancelled",
  "milestonesAdjusted",
  "milestoneReported",
  "milestoneJudged",
  "milestonePaid",
  "completed",
  // The opening committee's key ceremony and the opening (ceremony.server.ts, opening.server.ts).
  "committee_named",
  "opener_keys",
  "opener_confirmed",
  "opening_key",
  "opener_complaint",
  "opener_partial",
] as const;
export type ProjectEventKind = (typeof projectEventKinds)[number];
