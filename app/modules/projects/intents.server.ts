import { redirect } from "@remix-run/node";
import { timeZone } from "~/lib/clock.server";
import { CommandError } from "~/lib/command.server";
import { intentsFor } from "~/lib/intents.server";
import { localToInstant } from "~/lib/time";
import { photosOf } from "~/lib/uploads.server";
import type { Actor } from "~/modules/identity/actor";
import {
  addDocuments,
  addEvaluator,
  answerObjection,
  answerQuestion,
  askQuestion,
  cancelProject,
  createProject,
  editProject,
  objectToAward,
  publishProject,
  removeEvaluator,
  setCommittee,
} from "./commands.server";
import { awardProject, declareConflicts, disqualifyBid, scoreBids } from "./evaluation.server";
import {
  answerObjectionSchema,
  answerSchema,
  awardSchema,
  cancelSchema,
  committeeSchema,
  criteriaOf,
  declareSchema,
  disqualifySchema,
  editProjectSchema,
  evaluatorSchema,
  objectionSchema,
  projectSchema,
  publishSchema,
  questionSchema,
  removeEvaluatorSchema,
  scoresSchema,
  type CallTerms,
} from "./schemas";
import type { z } from "zod";

/** The forms of service projects (ADR 0027): each intent → the fields it must carry → the command it runs. */

/** A datetime-local field read in the configured zone; a malformed one is refused beside it. */
function instant(value: string, field: string): Date {
  const at = localToInstant(value, timeZone());
  if (!at) throw new CommandError("project.error.time", field);
  return at;
}

/** The form's fields → the call's terms. */
export function termsOf(v: z.output<typeof editProjectSchema>): CallTerms {
  return {
    unitId: v.unitId,
    title: v.title,
    scope: v.scope,
    category: v.category,
    budgetCap: v.budgetCap,
    periodStart: v.periodStart,
    periodEnd: v.periodEnd,
    minMonthsVerified: v.minMonthsVerified,
    localOnly: v.localOnly,
    criteria: criteriaOf(v.weights, v.custom),
    questionsCloseAt: instant(v.questionsCloseAt, "questionsCloseAt"),
    bidDeadline: instant(v.bidDeadline, "bidDeadline"),
    noticeDays: v.noticeDays,
    needId: v.needId,
    proposalId: v.proposalId,
  };
}

const byActor = intentsFor<{ actor: Actor }>();

/** The new-call form: created, the staff page opens to name the committee and the panel. */
export const newProjectIntents = {
  create: byActor(projectSchema, async ({ actor }, v) => {
    const project = await createProject(actor, { ...termsOf(v), clientKey: v.clientKey });
    throw redirect(`/projects/${project.id}/manage`);
  }),
};

const onProject = intentsFor<{ actor: Actor; projectId: number; formData: FormData }>();

/** The public page: ask a question, object to the award. */
export const projectIntents = {
  ask: onProject(questionSchema, ({ actor, projectId }, v) => askQuestion(actor, { projectId, ...v })),
  object: onProject(objectionSchema, ({ actor, projectId }, v) => objectToAward(actor, { projectId, ...v })),
};

/** The staff page: edit, committee, panel, documents, publish, answer, disqualify, award, objections, cancel. */
export const manageIntents = {
  edit: onProject(editProjectSchema, ({ actor, projectId }, v) => editProject(actor, { projectId, ...termsOf(v) })),
  committee: onProject(committeeSchema, ({ actor, projectId }, v) =>
    setCommittee(actor, { projectId, usernames: [v.opener1 ?? "", v.opener2 ?? "", v.opener3 ?? ""] }),
  ),
  addEvaluator: onProject(evaluatorSchema, ({ actor, projectId }, v) => addEvaluator(actor, { projectId, ...v })),
  removeEvaluator: onProject(removeEvaluatorSchema, ({ actor, projectId }, v) => removeEvaluator(actor, { projectId, userId: v.userId })),
  documents: onProject(publishSchema, async ({ actor, projectId, formData }) => {
    const checked = await photosOf(formData, "photos", { documents: true });
    if (!checked.ok) throw new CommandError(checked.error, "photos");
    const names = formData.getAll("photos").filter((f): f is File => typeof f === "object" && f.size > 0).map((f) => f.name);
    return addDocuments(actor, { projectId, files: checked.photos.map((p, i) => ({ ...p, name: names[i] ?? "" })) });
  }),
  publish: onProject(publishSchema, ({ actor, projectId }) => publishProject(actor, { projectId })),
  answer: onProject(answerSchema, ({ actor }, v) => answerQuestion(actor, v)),
  disqualify: onProject(disqualifySchema, ({ actor }, v) => disqualifyBid(actor, v)),
  award: onProject(awardSchema, ({ actor, projectId }, v) => awardProject(actor, { projectId, ...v })),
  answerObjection: onProject(answerObjectionSchema, ({ actor }, v) =>
    answerObjection(actor, { objectionId: v.objectionId, answer: v.answer, upheld: v.upheld === "yes" }),
  ),
  cancel: onProject(cancelSchema, ({ actor, projectId }, v) => cancelProject(actor, { projectId, reason: v.reason })),
};

/** The evaluator's page: declare conflicts, save or submit scores. */
export const evaluateIntents = {
  declare: onProject(declareSchema, ({ actor, projectId }, v) =>
    declareConflicts(actor, { projectId, declarations: v.bids.map((b) => ({ bidId: b.bidId, conflict: b.conflict === "yes", note: b.note })) }),
  ),
  saveScores: onProject(scoresSchema, ({ actor, projectId }, v) => scoreBids(actor, { projectId, sheets: cleanSheets(v.sheets), submit: false })),
  submitScores: onProject(scoresSchema, ({ actor, projectId }, v) => scoreBids(actor, { projectId, sheets: cleanSheets(v.sheets), submit: true })),
};

function cleanSheets(sheets: z.output<typeof scoresSchema>["sheets"]) {
  return sheets.map((s) => ({ bidId: s.bidId, scores: Object.fromEntries(Object.entries(s.scores).filter((e): e is [string, number] => e[1] !== undefined)) }));
}
