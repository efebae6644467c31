import { z } from "zod";
import { timeZone } from "~/lib/clock.server";
import { CommandError } from "~/lib/command.server";
import { intentsFor } from "~/lib/intents.server";
import { localToInstant } from "~/lib/time";
import { photosOf } from "~/lib/uploads.server";
import type { Actor } from "~/modules/identity/actor";
import {
  blowWhistle,
  confirmAssignment,
  decideExtension,
  decideUnreasonableClosure,
  rateWhistle,
  redispatch,
  reopenWhistle,
  requestExtension,
  requestUnreasonableClosure,
  supervise,
  workAssignment,
} from "./commands.server";
import {
  assignmentSchema,
  blowSchema,
  closureDecisionSchema,
  closureRequestSchema,
  evidenceProblem,
  extensionSchema,
  rateSchema,
  redispatchSchema,
  requestSchema,
  superviseSchema,
  workSchema,
  type WorkInput,
} from "./schemas";

/** The form itself rides along: the work steps read their evidence files from it. */
const intent = intentsFor<{ actor: Actor; whistleId: number; formData: FormData }>();
const noFields = z.object({});

/** A local date-time from a form, as an instant in the district's zone; an impossible one is refused beside its field. */
function instant(local: string, field: string): Date {
  const at = localToInstant(local, timeZone());
  if (!at) throw new CommandError("vote.error.time", field);
  return at;
}

/** An officer's step: its evidence is checked (type, size, enough of it) before the command stores anything (ADR 0017). */
const work = intent(workSchema, async ({ actor, formData }, v: WorkInput) => {
  const checked = await photosOf(formData, "photos", { documents: true });
  if (!checked.ok) throw new CommandError(checked.error, "photos");
  const missing = evidenceProblem(v, checked.photos.length);
  if (missing) throw new CommandError(missing.message, missing.field);
  return workAssignment(actor, {
    assignmentId: v.assignmentId,
    action: v.intent,
    note: "note" in v ? v.note : undefined,
    people: "people" in v ? v.people : undefined,
    resultText: "resultText" in v ? v.resultText : undefined,
    noEvidenceReason: "noEvidenceReason" in v ? v.noEvidenceReason : undefined,
    reason: "reason" in v ? v.reason : undefined,
    photos: checked.photos,
  });
});

/** Every form of the whistle page: its intent → the fields it must carry → the command it runs. */
export const whistleIntents = {
  blow: intent(blowSchema, ({ actor, whistleId }, v) =>
    blowWhistle(actor, {
      whistleId,
      kind: v.kind,
      leadIds: v.lead,
      cooperateIds: v.cooperate,
      instructions: v.instructions,
      keyTaskDueAt: v.keyTaskDueAt ? instant(v.keyTaskDueAt, "keyTaskDueAt") : undefined,
    }),
  ),
  sign: work,
  on_site: work,
  progress: work,
  resolve: work,
  return: work,
  confirm: intent(assignmentSchema, ({ actor }, v) => confirmAssignment(actor, v)),
  redispatch: intent(redispatchSchema, ({ actor }, v) => redispatch(actor, v)),
  extension: intent(extensionSchema, ({ actor }, v) =>
    requestExtension(actor, { assignmentId: v.assignmentId, newDueAt: instant(v.newDueAt, "newDueAt"), reason: v.reason }),
  ),
  "approve-extension": intent(requestSchema, ({ actor }, v) => decideExtension(actor, { requestId: v.requestId, approve: true })),
  "deny-extension": intent(requestSchema, ({ actor }, v) => decideExtension(actor, { requestId: v.requestId, approve: false })),
  "request-unreasonable": intent(closureRequestSchema, ({ actor, whistleId }, v) =>
    requestUnreasonableClosure(actor, { whistleId, reason: v.reason }),
  ),
  "approve-unreasonable": intent(closureDecisionSchema, ({ actor }, v) => decideUnreasonableClosure(actor, { ...v, approve: true })),
  "refuse-unreasonable": intent(closureDecisionSchema, ({ actor }, v) => decideUnreasonableClosure(actor, { ...v, approve: false })),
  supervise: intent(superviseSchema, ({ actor, whistleId }, v) => supervise(actor, { whistleId, message: v.message })),
  rate: intent(rateSchema, ({ actor, whistleId }, v) =>
    rateWhistle(actor, { whistleId, solved: v.solved === "yes", satisfaction: v.satisfaction, comment: v.comment }),
  ),
  reopen: intent(noFields, ({ actor, whistleId }) => reopenWhistle(actor, whistleId)),
};
